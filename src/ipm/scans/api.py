"""API for scans: ``POST /api/v1/scans``."""

from ninja import Router

router = Router(tags=["Scans"])
