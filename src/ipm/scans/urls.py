"""Scanning pages, under ``/scan/``."""

from django.urls import path  # noqa: F401

app_name = "scans"

urlpatterns = []
