"""Connected services in a browser: a provider's admin registers a service on a phone in Arabic (a refused address
kept for correction), the secretariat approves it, the provider sees the secret once, and a right holder's editor
chooses the service for a brand — every page at 360 px without sideways scrolling, right to left."""

import pytest
from playwright.sync_api import expect

from ipm.connected.models import Service, ServiceLink
from tests.connected.services_world import build_connected
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import sign_in
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_register_approve_reveal_and_choose(new_context, screenshot):
    cw = build_connected(build_world())
    for role in ("provider_admin", "brand_editor"):
        cw.users[role].language = "ar"
        cw.users[role].save(update_fields=["language"])

    phone = new_context(PHONE).new_page()
    sign_in(phone, cw.users["provider_admin"].email, PASSWORD)
    phone.goto("/connected/services/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("#service-list")).to_contain_text("Aurum Verify")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "1-list-phone-ar")
    phone.locator("#new-service").click()
    phone.locator("#id_name").fill("Registry Check")
    phone.locator("#id_reach").select_option("verification_api")
    phone.locator("#id_verification_url").fill("http://registry.example/ipm")
    phone.locator("#id_cover_company_prefix").fill("4006381")
    phone.locator("#service-form button[type=submit]").click()
    expect(phone.locator("#id_verification_url")).to_have_class("form-control is-invalid")
    expect(phone.locator("#id_verification_url")).to_have_value("http://registry.example/ipm")
    expect(phone.locator("#id_cover_company_prefix")).to_have_value("4006381")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "2-refused-phone-ar")
    phone.locator("#id_verification_url").fill("https://registry.example/ipm")
    phone.locator("#service-form button[type=submit]").click()
    expect(phone.locator("#coverage")).to_contain_text("4006381")
    service = Service.objects.get(name="Registry Check")
    assert service.status == "pending"
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "3-service-phone-ar")

    desk = new_context(DESKTOP).new_page()
    sign_in(desk, cw.users["secretariat_admin"].email, PASSWORD)
    desk.goto("/connected/services/?status=pending")
    desk.get_by_role("link", name="Registry Check").click()
    desk.locator("#approve").click()
    expect(desk.locator("body")).to_contain_text("Service approved")
    screenshot(desk, "4-approved")

    phone.reload()
    phone.locator("#reveal-secret").click()
    service.refresh_from_db()
    expect(phone.locator("#secret code")).to_have_text(service.secret)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "5-secret-once-phone-ar")
    phone.reload()  # the POST answer is not replayed as a page: the secret is gone
    phone.goto(f"/connected/services/{service.pk}/")
    expect(phone.locator("#secret")).to_have_count(0)
    expect(phone.locator("#reveal-secret")).to_have_count(0)

    holder = new_context(PHONE).new_page()
    sign_in(holder, cw.users["brand_editor"].email, PASSWORD)
    holder.goto(f"/connected/brands/{cw.brands['aurum'].pk}/")
    expect(holder.locator("html")).to_have_attribute("dir", "rtl")
    holder.locator("#id_service").select_option(str(service.pk))
    holder.locator("#link-form button[type=submit]").click()
    expect(holder.locator("#secured-by")).to_contain_text("Registry Check")
    assert ServiceLink.objects.filter(service=service, brand=cw.brands["aurum"], active=True).exists()
    assert holder.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(holder, "6-secured-by-phone-ar")
