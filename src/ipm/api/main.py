"""The REST API under ``/api/v1/``: the stable error shape and the routers of each app.

Errors always look like ``{"error": {"code": "...", "message": "...", "details": [...]}}`` with a translated
message, whatever raised them (validation, permission, missing object, malformed JSON).
"""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ipm.accounts.api import router as accounts_router
from ipm.api.common import BearerToken, SignedInSession
from ipm.audit.api import router as audit_router
from ipm.catalog.api import router as catalog_router


class IpmAPI(NinjaAPI):
    """ninja answers an unknown path with Django's HTML 404 page and a wrong method with a plain-text 405; under
    ``/api/v1/`` both get the stable JSON error shape too."""

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = _json_method_not_allowed(pattern.callback)
        # Last, so it only sees what no endpoint matched (including ids that are not numbers).
        patterns.append(re_path(r"^.*$", csrf_exempt(_unknown_endpoint), name="unknown-endpoint"))
        return patterns


def _json_method_not_allowed(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            json_response = error_response(request, 405, "not_allowed", _("This method is not allowed here."))
            json_response["Allow"] = response.get("Allow", "")
            return json_response
        return response

    return wrapped


def _unknown_endpoint(request, *args, **kwargs):
    return error_response(request, 404, "not_found", _("Not found."))


api = IpmAPI(
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
    # ninja's 400 says "Cannot parse request body", in English whatever the user's language.
    message = _("The request body could not be read: send valid JSON.") if exc.status_code == 400 else None
    return error_response(
        request,
        exc.status_code,
        codes.get(exc.status_code, "error"),
        message or str(exc),
        # ninja's own (English) words stay available to a developer reading the response.
        [{"location": [], "message": str(exc)}] if message else None,
    )


# Scans first: URLs are tried in order, and the scan endpoint is the busiest (about 80 patterns were tried before it).
api.add_router("", "ipm.scans.api.router")
api.add_router("", accounts_router)
api.add_router("", audit_router)
api.add_router("", catalog_router)
api.add_router("", "ipm.catalog.api_records.router")
api.add_router("", "ipm.catalog.api_media.router")
api.add_router("", "ipm.resolver.api.router")
# IPM Connected: services and links (C1); the officer's verifications (api_verifications) are mounted beside it.
api.add_router("", "ipm.connected.api.router")
api.add_router("", "ipm.connected.api_verifications.router")
# EPCIS 2.0 capture and events (track-and-trace history, issue 5 part B).
api.add_router("", "ipm.epcis.api.router")
