"""The REST API under ``/api/v1/``: the stable error shape and the routers of each app.

Errors always look like ``{"error": {"code": "...", "message": "...", "details": [...]}}`` with a translated
message, whatever raised them (validation, permission, missing object, malformed JSON).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ipm.accounts.api import router as accounts_router
from ipm.api.common import BearerToken, SignedInSession
from ipm.audit.api import router as audit_router

api = NinjaAPI(
    title="IPM API",
    version="1",
    description=(
        "The IPM REST API. Authenticate with a personal API token (`Authorization: Bearer ipm_…`, created under "
        "Settings → API tokens) or, from the browser, the signed-in session. Errors share one shape: "
        '`{"error": {"code": …, "message": …, "details": […]}}`.'
    ),
    auth=[BearerToken(), SignedInSession()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": str(message), "details": details or []}}, status=status
    )


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    details = [
        {"location": [str(part) for part in error.get("loc", [])], "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return error_response(request, 422, "invalid_input", _("The request is not valid."), details)


@api.exception_handler(ValidationError)
def on_domain_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        details = [
            {"location": [field], "message": message}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        details = [{"location": [], "message": message} for message in exc.messages]
    return error_response(request, 422, "invalid_input", _("The request is not valid."), details)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = error_response(
        request, 401, "not_authenticated", _("Authentication is missing, invalid, expired or revoked.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="ipm"'
    return response


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error_response(request, 403, "forbidden", str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        429: "rate_limited",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("", accounts_router)
api.add_router("", audit_router)
