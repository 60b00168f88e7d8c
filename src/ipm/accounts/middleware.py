"""Per-request account concerns: the user's language and time zone, suspended organisations, mandatory 2FA."""

import zoneinfo

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from ipm.access import policy


class ActiveAccountMiddleware:
    """Sign out a user whose organisation was suspended (a deactivated user is already refused by Django), and
    put the signed-in user's language preference before the cookie and Accept-Language that LocaleMiddleware
    read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if not policy.is_active_member(user):
                logout(request)
            else:
                apply_user_language(request, user)
        return self.get_response(request)


def apply_user_language(request, user) -> None:
    """The language saved on the account wins over the cookie and Accept-Language. Also called by the API once
    a bearer token has told who is calling (this middleware runs before that)."""
    if user.language and user.language != translation.get_language():
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone)) if zone else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """When a user's organisation requires 2FA and the user has none yet, every page leads to its set-up."""

    ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/language/", "/manifest.webmanifest", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(self.ALWAYS_ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")  # the API answers with its own JSON error
            and not policy.two_factor_satisfied(request.user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)
