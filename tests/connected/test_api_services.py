"""The Connected services and links API (``/api/v1/connected/…``): the life of a service through the API, the secret
shown to its provider's admins only, names-only links for providers, figures, and the stable error shape.
(Who gets what from every operation is the access matrix's job, tests/access/matrix.py.)"""

import pytest

from ipm.connected.models import Service, ServiceLink, ServiceStatus, Verification
from ipm.connected.signing import secret_bytes
from tests.connected.services_world import build_connected, gtin14

pytestmark = pytest.mark.django_db

BASE = "/api/v1/connected"


@pytest.fixture
def cw(world):
    return build_connected(world)


@pytest.fixture
def as_(cw, client_for):
    clients = {}

    def make(role):
        if role not in clients:
            clients[role] = client_for(cw.users[role])
        return clients[role]

    return make


def post(client, path, body=None):
    return client.post(BASE + path, body or {}, content_type="application/json")


def test_register_approve_reveal_rotate(cw, as_):
    created = post(
        as_("provider_admin"),
        "/services",
        {
            "name": "Serial Registry",
            "reach": "verification_api",
            "verification_url": "https://registry.provider.example/ipm",
            "coverage": [{"kind": "company_prefix", "value": "4006381"}, {"kind": "code_format", "value": r"SR\d{8}"}],
        },
    )
    assert created.status_code == 201, created.content
    record = created.json()
    assert record["status"] == "pending" and record["public_id"].startswith("svc_") and record["has_secret"] is False
    assert [(line["kind"], line["granted"]) for line in record["coverage"]] == [
        ("code_format", False),
        ("company_prefix", False),
    ]
    assert "secret" not in record
    pk = record["id"]
    queue = as_("secretariat_admin").get(BASE + "/services?status=pending").json()["items"]
    assert pk in {item["id"] for item in queue}
    approved = post(as_("secretariat_admin"), f"/services/{pk}/approve").json()
    assert approved["status"] == "approved" and approved["has_secret"] and "secret" not in approved
    assert post(as_("secretariat_admin"), f"/services/{pk}/secret").status_code == 403
    shown = post(as_("provider_admin"), f"/services/{pk}/secret")
    assert shown.status_code == 200
    secret = shown.json()["secret"]
    assert len(secret_bytes(secret)) == 32 and Service.objects.get(pk=pk).secret == secret
    again = post(as_("provider_admin"), f"/services/{pk}/secret")
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_input"
    rotated = post(as_("provider_admin"), f"/services/{pk}/rotate-secret").json()
    assert rotated["secret"] != secret and rotated["previous_secret_valid_until"]
    assert Service.objects.get(pk=pk).secrets_accepted() == [rotated["secret"], secret]
    # Nobody reads a secret back.
    for role in ("provider_admin", "secretariat_admin"):
        assert secret not in as_(role).get(BASE + f"/services/{pk}").content.decode()


def test_bad_input_gets_the_error_shape_and_writes_nothing(cw, as_):
    before = Service.objects.count()
    for body in (
        {"name": "X", "reach": "app_launch", "app_link_template": "javascript:alert(1)"},
        {"name": "X", "reach": "verification_api", "verification_url": "http://verify.example/"},
        {"name": "X", "reach": "verification_api", "verification_url": "https://v.example/", "timeout_ms": 60000},
        {
            "name": "X",
            "reach": "verification_api",
            "verification_url": "https://v.example/",
            "coverage": [{"kind": "code_format", "value": "(("}],
        },
        {"name": "X", "reach": "teleport"},
    ):
        response = post(as_("provider_admin"), "/services", body)
        assert response.status_code == 422, (body, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid_input" and error["details"], body
    assert Service.objects.count() == before
    response = as_("provider_admin").post(BASE + "/services", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    reject = post(as_("secretariat_admin"), f"/services/{cw.services['pending'].pk}/reject", {"reason": " "})
    assert reject.status_code == 422 and Service.objects.get(pk=cw.services["pending"].pk).status == "pending"


def test_patch_and_suspend(cw, as_):
    api = cw.services["api"]
    response = as_("provider_admin").patch(
        BASE + f"/services/{api.pk}",
        {"timeout_ms": 1500, "coverage": [{"kind": "brand", "value": "Aurum"}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["timeout_ms"] == 1500 and [c["value"] for c in response.json()["coverage"]] == ["Aurum"]
    suspended = post(as_("secretariat_admin"), f"/services/{api.pk}/suspend", {"reason": "Answers wrong verdicts"})
    assert suspended.json()["status"] == "suspended"
    # Right holders no longer see a suspended service.
    assert as_("brand_editor").get(BASE + f"/services/{api.pk}").status_code == 404
    assert as_("provider_viewer").get(BASE + f"/services/{api.pk}").json()["status_reason"] == "Answers wrong verdicts"


def test_links_by_api_and_what_a_provider_sees_of_them(cw, as_):
    api, aurum, product = cw.services["api"], cw.brands["aurum"], cw.products["rivo"]
    made = post(as_("counsel_editor"), "/links", {"service_id": api.pk, "brand_id": aurum.pk})
    assert made.status_code == 201, made.content
    assert made.json()["brand_name"] == "Aurum" and made.json()["right_holder_id"] == cw.orgs["brand"].pk
    twice = post(as_("brand_editor"), "/links", {"service_id": api.pk, "brand_id": aurum.pk})
    assert twice.status_code == 422
    both = post(as_("brand_editor"), "/links", {"service_id": api.pk, "brand_id": aurum.pk, "product_id": 1})
    assert both.status_code == 422
    # The rival's sheet is not the brand's to link: unknown to it.
    assert post(as_("brand_editor"), "/links", {"service_id": api.pk, "product_id": product.pk}).status_code == 404
    # A pending service is not visible to right holders: 404.
    pending = cw.services["pending"].pk
    assert post(as_("brand_editor"), "/links", {"service_id": pending, "brand_id": aurum.pk}).status_code == 404
    seen = as_("provider_viewer").get(BASE + "/links").json()["items"]
    assert [(item["brand_name"], item["right_holder_id"], item["brand_id"]) for item in seen] == [("Aurum", None, None)]
    assert as_("other_provider_admin").get(BASE + "/links").json()["items"] == []
    assert as_("rival_admin").get(BASE + "/links").json()["items"] == []
    link_id = made.json()["id"]
    assert as_("provider_admin").delete(BASE + f"/links/{link_id}").status_code == 403
    assert as_("brand_viewer").delete(BASE + f"/links/{link_id}").status_code == 403
    assert as_("brand_admin").delete(BASE + f"/links/{link_id}").status_code == 204
    assert not ServiceLink.objects.get(pk=link_id).active
    assert as_("brand_admin").delete(BASE + f"/links/{link_id}").status_code == 404


def test_figures_are_aggregates_of_own_services(cw, as_):
    api = cw.services["api"]
    for country, outcome in (("FR", "authentic"), ("FR", "counterfeit"), ("MA", "unavailable")):
        Verification.objects.create(
            service=api,
            reach="verification_api",
            user=cw.users["fr_officer"],
            organisation=cw.orgs["fr"],
            country=country,
            outcome=outcome,
            gtin=gtin14("aurum"),
        )
    figures = as_("provider_viewer").get(BASE + f"/services/{api.pk}/figures").json()
    assert figures["total"] == 3
    assert figures["by_country"] == {"FR": 2, "MA": 1}
    assert figures["by_outcome"] == {"authentic": 1, "counterfeit": 1, "unavailable": 1}
    assert "fr_officer" not in str(figures)
    assert as_("brand_admin").get(BASE + f"/services/{api.pk}/figures").status_code == 403
    assert as_("other_provider_admin").get(BASE + f"/services/{api.pk}/figures").status_code == 404


def test_lists_hold_what_each_may_see(cw, as_):
    def listed(role):
        return {item["name"] for item in as_(role).get(BASE + "/services?limit=200").json()["items"]}

    assert listed("secretariat_viewer") == {"Aurum Verify", "Scan App", "Not yet", "Other Check"}
    assert listed("provider_viewer") == {"Aurum Verify", "Scan App", "Not yet"}
    assert listed("other_provider_viewer") == {"Other Check"}
    approved = {"Aurum Verify", "Scan App", "Other Check"}
    for role in ("brand_viewer", "counsel_editor", "fr_officer", "ma_viewer"):
        assert listed(role) == approved, role
    assert as_("provider_admin").get(BASE + "/services?status=pending").json()["items"][0]["name"] == "Not yet"
    assert ServiceStatus.PENDING == "pending"
