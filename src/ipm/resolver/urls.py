"""The GS1-Conformant resolver: ``/01/{gtin}…`` and ``/.well-known/gs1resolver``, at the site root."""

from django.urls import path  # noqa: F401

app_name = "resolver"

urlpatterns = []
