"""API for resolver links that right holders attach to their products or GTIN ranges."""

from ninja import Router

router = Router(tags=["Resolver links"])
