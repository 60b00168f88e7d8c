"""The resolver over a real HTTP server (pytest-django's ``live_server``), read with urllib and redirects not
followed: what a phone or another resolver sees on the wire."""

import json
import urllib.error
import urllib.request

import pytest

from tests.resolver.conftest import OUTSIDE, PIP_FR, PUBLIC, gtin14

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, method="GET", **headers):
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def live_world(live_server):
    from tests.resolver.conftest import build_resolver_world

    return build_resolver_world(), live_server.url


def test_over_http(live_world):
    """Criteria: GET, HEAD and OPTIONS; CORS; 307 to the default with the Link header to the linkset; linkType with
    Accept-Language; the linkset by Accept; 400 and 404 that are not 200 — over a real server."""
    _rw, root = live_world
    url = f"{root}/01/{gtin14(PUBLIC)}"
    status, headers, body = fetch(url + "?utm=qr")
    assert status == 307 and body == b""
    assert headers["Location"] == f"{root}/p/{gtin14(PUBLIC)}/?utm=qr"
    assert 'rel="linkset"' in headers["Link"] and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = fetch(url, "HEAD")
    assert status == 307 and headers["Location"].startswith(root) and body == b""
    status, headers, _body = fetch(
        url, "OPTIONS", Origin="https://app.example", **{"Access-Control-Request-Method": "GET"}
    )
    assert status == 204 and "HEAD" in headers["Access-Control-Allow-Methods"]
    status, headers, _body = fetch(url + "?linkType=gs1:pip", **{"Accept-Language": "fr"})
    assert (status, headers["Location"]) == (307, PIP_FR)
    status, headers, body = fetch(url + "/", Accept="application/linkset+json")
    assert status == 200 and headers["Content-Type"] == "application/linkset+json"
    assert json.loads(body)["linkset"][0]["anchor"] == url
    status, headers, body = fetch(f"{root}/01/04006381000011")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_check_digit"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert fetch(f"{root}/01/{gtin14(OUTSIDE)}")[0] == 404
    status, _headers, body = fetch(f"{root}/.well-known/gs1resolver")
    assert status == 200 and json.loads(body)["resolverRoot"] == root
