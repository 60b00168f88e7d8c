"""What every API router shares: authentication classes and the checks for writes."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ipm.access import policy
from ipm.accounts.middleware import apply_user_language
from ipm.accounts.services import authenticate_api_key


class BearerToken(HttpBearer):
    """``Authorization: Bearer ipm_…`` with a personal API token."""

    def authenticate(self, request, token):
        api_token = authenticate_api_key(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        apply_user_language(request, api_token.user)
        return api_token.user


class SignedInSession(APIKeyCookie):
    """The browser's session cookie (with CSRF protection on writes), so pages can call the API too."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        """Without a signed-in session there is nothing for a forged request to ride on, so no CSRF check: a call
        with a missing or expired token then gets its 401, not a puzzling CSRF refusal. With one, the check
        failing is a translated 403."""
        if not request.COOKIES.get(self.param_name) or not policy.is_active_member(request.user):
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(_("The CSRF check failed: reload the page and try again."))
        return request.COOKIES.get(self.param_name)

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


PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with a ceiling, so no client can ask for a whole table in one response (ninja's own
    default has none). A larger limit is refused with the usual 422, and the ceiling shows in the OpenAPI schema."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"How many items (at most {MAX_PAGE_SIZE})")
        offset: int = Field(0, ge=0, description="How many items to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
