"""The Connected pages: a provider registers a service with its coverage, the secretariat approves it from the queue,
the provider's admin is shown the secret once, a right holder chooses the service for a brand and removes it, a claim
not granted is flagged; bad input answers on the form and writes nothing; the pages render in Arabic (RTL)."""

import re

import pytest
from django.urls import reverse

from ipm.connected.models import Service, ServiceLink, ServiceStatus
from tests.connected.services_world import build_connected

pytestmark = pytest.mark.django_db


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


FORM = {
    "name": "Registry Check",
    "description": "Serial registry",
    "reach": "verification_api",
    "verification_url": "https://registry.example/ipm",
    "timeout_ms": "2500",
    "cover_company_prefix": "4006381\n\n5012345",
    "cover_brand": "Aurum",
    "cover_code_format": r"RC-\d{6}",
}


def test_the_life_of_a_service_through_the_pages(cw, as_):
    provider, secretariat = as_("provider_admin"), as_("secretariat_admin")
    response = provider.post(reverse("connected:service_create"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(name="Registry Check")
    assert service.status == ServiceStatus.PENDING and service.timeout_ms == 2500
    assert sorted(service.coverage.values_list("kind", "value")) == [
        ("brand", "Aurum"),
        ("code_format", r"RC-\d{6}"),
        ("company_prefix", "4006381"),
        ("company_prefix", "5012345"),
    ]
    queue = secretariat.get(reverse("connected:service_list") + "?status=pending").content.decode()
    assert "Registry Check" in queue and "Not yet" in queue and "Aurum Verify" not in queue
    detail = reverse("connected:service_detail", args=[service.pk])
    response = secretariat.post(reverse("connected:service_decide", args=[service.pk]), {"action": "approve"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == ServiceStatus.APPROVED and service.secret
    assert service.secret not in secretariat.get(detail).content.decode()
    page = provider.get(detail).content.decode()
    assert service.secret not in page and 'id="reveal-secret"' in page
    # Every claim is flagged: nobody linked the service yet.
    assert page.count("not granted") == 4
    shown = provider.post(reverse("connected:service_secret", args=[service.pk]), {"action": "reveal"})
    assert shown.status_code == 200 and service.secret in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    later = provider.get(detail).content.decode()
    assert service.secret not in later and 'id="reveal-secret"' not in later
    again = provider.post(reverse("connected:service_secret", args=[service.pk]), {"action": "reveal"}, follow=True)
    assert service.secret not in again.content.decode() and "already shown" in again.content.decode()
    rotated = provider.post(reverse("connected:service_secret", args=[service.pk]), {"action": "rotate"})
    service.refresh_from_db()
    assert service.secret in rotated.content.decode() and service.previous_secret

    # The right holder chooses it for its brand; the provider then sees the brand and the granted claims.
    brand_page = reverse("connected:brand_secured_by", args=[cw.brands["aurum"].pk])
    response = as_("brand_editor").post(brand_page, {"service": service.pk})
    assert response.status_code == 302
    link = ServiceLink.objects.get(service=service, brand=cw.brands["aurum"])
    page = provider.get(detail).content.decode()
    assert "Aurum" in page and page.count("not granted") == 1  # the rival's prefix 5012345
    assert cw.orgs["brand"].name not in page  # names of brands and products only
    response = as_("brand_editor").post(reverse("connected:unlink", args=[link.pk]))
    assert response.status_code == 302 and response["Location"] == brand_page
    link.refresh_from_db()
    assert not link.active


def test_bad_input_answers_on_the_form_and_writes_nothing(cw, as_):
    before = Service.objects.count()
    for change in (
        {"verification_url": "http://registry.example/ipm"},
        {"reach": "app_launch", "app_link_template": "javascript:alert(document.cookie)"},
        {"cover_code_format": "(("},
        {"cover_company_prefix": "12"},
        {"timeout_ms": "20000"},
        {"name": ""},
    ):
        response = as_("provider_admin").post(reverse("connected:service_create"), {**FORM, **change})
        assert response.status_code == 200, change
        assert "alert-danger" in response.content.decode() or "is-invalid" in response.content.decode(), change
    assert Service.objects.count() == before


def test_secretariat_rejects_with_a_reason_and_the_provider_submits_again(cw, as_):
    pending = cw.services["pending"]
    decide = reverse("connected:service_decide", args=[pending.pk])
    response = as_("secretariat_admin").post(decide, {"action": "reject", "reason": ""}, follow=True)
    assert "Give the provider a reason." in response.content.decode()
    assert Service.objects.get(pk=pending.pk).status == ServiceStatus.PENDING
    as_("secretariat_admin").post(decide, {"action": "reject", "reason": "Prove prefix 4006381"})
    page = as_("provider_viewer").get(reverse("connected:service_detail", args=[pending.pk])).content.decode()
    assert "Prove prefix 4006381" in page
    as_("provider_admin").post(reverse("connected:service_submit", args=[pending.pk]))
    assert Service.objects.get(pk=pending.pk).status == ServiceStatus.PENDING


def test_secured_by_pages_for_a_product_and_a_viewer(cw, as_):
    product = cw.products["aurum"]
    url = reverse("connected:product_secured_by", args=[product.pk])
    page = as_("brand_viewer").get(url).content.decode()
    assert "No service chosen." in page and 'id="link-form"' not in page
    assert as_("brand_viewer").post(url, {"service": cw.services["app"].pk}).status_code == 403
    # A pending service is not offered, and is refused if posted.
    page = as_("counsel_editor").get(url).content.decode()
    assert "Scan App" in page and "Not yet" not in page
    response = as_("counsel_editor").post(url, {"service": cw.services["pending"].pk})
    assert response.status_code == 422 and not ServiceLink.objects.exists()
    assert as_("counsel_editor").post(url, {"service": cw.services["app"].pk}).status_code == 302
    assert as_("rival_editor").get(url).status_code == 404
    brand_page = (
        as_("brand_viewer").get(reverse("connected:brand_secured_by", args=[product.brand_id])).content.decode()
    )
    assert url in brand_page  # each sheet of the brand has its own page


def test_navigation_and_pages_in_arabic(cw, as_):
    for role in ("provider_admin", "brand_editor", "secretariat_admin"):
        user = cw.users[role]
        user.language = "ar"
        user.save(update_fields=["language"])
    nav = as_("provider_admin").get(reverse("home")).content.decode()
    assert reverse("connected:service_list") in nav
    assert reverse("connected:service_list") not in as_("fr_officer").get(reverse("home")).content.decode()
    for role, url in (
        ("provider_admin", reverse("connected:service_list")),
        ("provider_admin", reverse("connected:service_create")),
        ("provider_admin", reverse("connected:service_detail", args=[cw.services["api"].pk])),
        ("provider_admin", reverse("connected:service_edit", args=[cw.services["api"].pk])),
        ("secretariat_admin", reverse("connected:service_detail", args=[cw.services["pending"].pk])),
        ("brand_editor", reverse("connected:brand_secured_by", args=[cw.brands["aurum"].pk])),
        ("brand_editor", reverse("connected:product_secured_by", args=[cw.products["aurum"].pk])),
    ):
        response = as_(role).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert re.search(r'<html[^>]*dir="rtl"', html), url
        assert 'class="breadcrumb' in html, url  # a way back on every page
