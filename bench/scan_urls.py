"""The app's URLs plus ``POST /api/bench/constant``: a constant answer behind the API's own authentication.

It is the yardstick of ``scan_load.py``: same middleware, same token authentication (the API's ``BearerToken`` and
``SignedInSession`` classes, on an ``IpmAPI`` like the product's), same server and settings as ``POST /api/v1/scans``,
and the same work around the scan itself as that endpoint does (the two-factor check, reading the JSON body, a
``JsonResponse``) — only the scan's own work is missing. It lives in a second, bench-only API instance so the
product's API never carries it.
"""

import json

from django.http import JsonResponse
from django.urls import path
from ninja.errors import HttpError

from ipm.api.common import BearerToken, SignedInSession, require_two_factor
from ipm.api.main import IpmAPI
from ipm.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ipm.urls import urlpatterns as app_urlpatterns

bench_api = IpmAPI(
    title="IPM bench",
    version="bench",
    urls_namespace="bench-api",
    auth=[BearerToken(), SignedInSession()],
    docs_url=None,
    openapi_url=None,
)

CONSTANT_ANSWER = {"results": [{"match": "none", "product": None, "brand": None, "right_holder": None, "alerts": []}]}


@bench_api.post("/constant")
def constant(request):
    require_two_factor(request)
    try:
        body = json.loads(request.body or b"null")
    except ValueError as error:
        raise HttpError(400, "Cannot parse request body") from error
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        raise HttpError(400, "Send the code as a string in “code”.")
    return JsonResponse(CONSTANT_ANSWER)


# After the app's own URLs, where an endpoint added to the app would be: resolving it then costs about what resolving
# /api/v1/scans does (28 µs against 42 µs on the benchmark machine), not less.
urlpatterns = [*app_urlpatterns, path("api/bench/", bench_api.urls)]
