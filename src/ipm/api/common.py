"""What every API router shares: authentication classes and the checks for writes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from ipm.access import policy
from ipm.accounts.services import authenticate_api_key


class BearerToken(HttpBearer):
    """``Authorization: Bearer ipm_…`` with a personal API token."""

    def authenticate(self, request, token):
        api_token = authenticate_api_key(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SignedInSession(APIKeyCookie):
    """The browser's session cookie (with CSRF protection on writes), so pages can call the API too."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        if policy.is_active_member(request.user):
            request.api_token = None
            return request.user
        return None


def require_write(request) -> None:
    """Writes need a session or a token with the write scope."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.allows_write:
        raise PermissionDenied(_("This API token is read-only."))
    if not policy.two_factor_satisfied(request.user):
        raise PermissionDenied(_("Your organisation requires two-factor authentication: set it up first."))


def require_two_factor(request) -> None:
    if not policy.two_factor_satisfied(request.user):
        raise PermissionDenied(_("Your organisation requires two-factor authentication: set it up first."))
