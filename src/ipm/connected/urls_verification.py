"""The officer's Connected verification pages (the panel's verdict card and the app launch), under
``/connected/officer/``. C1's service pages have their own URL module."""

from django.urls import path

from ipm.connected import views_verification

app_name = "connected_officer"

urlpatterns = [
    path("verify/", views_verification.verify, name="verify"),
    path("launch/", views_verification.launch, name="launch"),
]
