"""Scanning pages, under ``/scan/``."""

from django.urls import path

from ipm.scans import views, views_test_codes

app_name = "scans"

urlpatterns = [
    path("", views.scan, name="scan"),
    path("history/", views.history, name="history"),
    path("test-codes/", views_test_codes.printable_test_codes, name="test_codes"),
]
