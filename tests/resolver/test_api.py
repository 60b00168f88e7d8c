"""``/api/v1/resolver-links``: list (paged, filtered), create, read, change, remove; errors in the API's shape."""

import pytest

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token
from ipm.resolver.models import ResolverLink
from tests.resolver.conftest import RIVAL, SPARE, gtin14

pytestmark = pytest.mark.django_db

URL = "/api/v1/resolver-links"


def bearer(rw, role, scope=ApiScope.WRITE):
    _token, key = create_api_token(rw.users[role], name="test", scope=scope)
    return {"authorization": f"Bearer {key}"}


def brand_links(rw):
    return ResolverLink.objects.filter(right_holder=rw.orgs["brand"]).count()


def test_list_is_paged_and_limited_to_the_catalogues_one_reads(rw, client):
    headers = bearer(rw, "brand_viewer")
    body = client.get(f"{URL}?limit=3", headers=headers).json()
    assert body["count"] == brand_links(rw) and len(body["items"]) == 3
    item = body["items"][0]
    assert item["link_type_uri"] == "https://ref.gs1.org/voc/" + item["link_type"]
    assert {"target_url", "title", "level", "qualifier", "customs_only", "is_default", "product_id"} <= set(item)
    assert client.get(f"{URL}?limit=500", headers=headers).status_code == 422
    secretariat = client.get(f"{URL}?limit=200", headers=bearer(rw, "secretariat_viewer")).json()
    assert secretariat["count"] == ResolverLink.objects.count()
    rival_only = client.get(f"{URL}?right_holder_id={rw.orgs['rival'].pk}", headers=bearer(rw, "secretariat_viewer"))
    assert {item["right_holder_id"] for item in rival_only.json()["items"]} == {rw.orgs["rival"].pk}
    by_sheet = client.get(f"{URL}?product_id={rw.products['public'].pk}", headers=headers).json()
    assert by_sheet["count"] == 6
    assert client.get(URL, headers=bearer(rw, "fr_officer")).json()["count"] == 0  # officers use the resolver
    assert client.get(URL).status_code == 401


def test_create_read_change_remove(rw, client):
    headers = bearer(rw, "counsel_editor")
    created = client.post(
        URL,
        {
            "right_holder_id": rw.orgs["brand"].pk,
            "gtin": SPARE,
            "link_type": "verificationService",
            "target_url": "https://verify.example/spare",
            "title": "Check a unit",
            "customs_only": True,
            "level": "serial",
            "qualifier": "S-1",
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    link = created.json()
    assert (link["gtin"], link["level"], link["customs_only"]) == (gtin14(SPARE), "serial", True)
    url = f"{URL}/{link['id']}"
    assert client.get(url, headers=headers).json()["title"] == "Check a unit"
    changed = client.patch(url, {"title": "Verify"}, content_type="application/json", headers=headers)
    assert changed.status_code == 200 and changed.json()["title"] == "Verify"
    assert changed.json()["gtin"] == gtin14(SPARE)
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_refusals_have_the_error_shape_and_write_nothing(rw, client):
    before = ResolverLink.objects.count()
    body = {"gtin": RIVAL, "link_type": "pip", "target_url": "javascript:alert(1)", "title": "x"}
    invalid = client.post(URL, body, content_type="application/json", headers=bearer(rw, "brand_editor"))
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert error["code"] == "invalid_input"
    assert {detail["location"][0] for detail in error["details"]} == {"gtin", "target_url"}
    unknown_type = dict(body, gtin=SPARE, target_url="https://x.example/", link_type="gs1:pip")
    assert (
        client.post(URL, unknown_type, content_type="application/json", headers=bearer(rw, "brand_editor")).status_code
        == 422
    )
    viewer = client.post(
        URL, dict(unknown_type, link_type="pip"), content_type="application/json", headers=bearer(rw, "brand_viewer")
    )
    assert viewer.status_code == 403 and viewer.json()["error"]["code"] == "forbidden"
    link = rw.links["pip_en"]
    read_only = client.patch(
        f"{URL}/{link.pk}",
        {"title": "x"},
        content_type="application/json",
        headers=bearer(rw, "brand_editor", ApiScope.READ),
    )
    assert read_only.status_code == 403
    hidden = client.delete(f"{URL}/{link.pk}", headers=bearer(rw, "rival_admin"))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    assert ResolverLink.objects.count() == before
