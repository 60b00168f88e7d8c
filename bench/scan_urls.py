"""The app's URLs plus ``POST /api/bench/constant``: a constant answer behind the API's own authentication.

It is the yardstick of ``scan_load.py``: same middleware, same token authentication (the API's ``BearerToken`` and
``SignedInSession`` classes), same JSON body parsing, same server and settings as ``POST /api/v1/scans`` — only the
scan's own work is missing. It lives in a second, bench-only NinjaAPI so the product's API never carries it.
"""

from django.urls import path
from ninja import NinjaAPI, Schema

from ipm.api.common import BearerToken, SignedInSession
from ipm.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ipm.urls import urlpatterns as app_urlpatterns

bench_api = NinjaAPI(
    title="IPM bench",
    version="bench",
    urls_namespace="bench-api",
    auth=[BearerToken(), SignedInSession()],
    docs_url=None,
    openapi_url=None,
)


class CodeIn(Schema):
    code: str


CONSTANT_ANSWER = {"results": [{"match": "none", "product": None, "brand": None, "right_holder": None, "alerts": []}]}


@bench_api.post("/constant")
def constant(request, payload: CodeIn):
    return CONSTANT_ANSWER


# After the app's own URLs, where an endpoint added to the app would be: resolving it then costs about what resolving
# /api/v1/scans does (28 µs against 42 µs on the benchmark machine), not less.
urlpatterns = [*app_urlpatterns, path("api/bench/", bench_api.urls)]
