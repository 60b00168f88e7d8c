"""The GS1 resolver in a browser: a visitor who scans a Digital Link lands on the public product page (phone, English
and Arabic); a right holder adds a link on its resolver links pages, with a refused address kept for correction."""

import pytest
from playwright.sync_api import expect

from ipm.resolver.models import ResolverLink
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import sign_in
from tests.resolver.conftest import OUTSIDE, PIP_EN, PUBLIC, build_resolver_world, gtin14
from tests.world import PASSWORD

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_visitor_resolves_a_gtin_on_a_phone(new_context, screenshot):
    build_resolver_world()
    page = new_context(PHONE).new_page()
    page.goto(f"/01/{PUBLIC}")
    expect(page).to_have_url(f"/p/{gtin14(PUBLIC)}/")
    expect(page.locator("#public-name")).to_have_text("Silk scarf")
    expect(page.locator("#public-links a").first).to_have_attribute("href", PIP_EN)
    expect(page.locator("#sign-in-for-sheet")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "1-public-page-en")

    arabic = new_context(PHONE).new_page()
    arabic.goto(f"/01/{gtin14(PUBLIC)}/")
    with arabic.expect_navigation():
        arabic.locator("#language-select").select_option("ar")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    expect(arabic.locator("#public-gtin")).to_have_text(gtin14(PUBLIC))
    assert arabic.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(arabic, "2-public-page-ar")

    response = page.goto(f"/01/{gtin14(OUTSIDE)}")
    assert response.status == 404
    expect(page.locator("#resolver-error")).to_be_visible()
    screenshot(page, "3-unknown-gtin")
    response = page.goto("/01/04006381000011")
    assert response.status == 400
    expect(page.locator("#resolver-error")).to_contain_text("check digit")
    screenshot(page, "4-bad-check-digit")


def test_a_right_holder_adds_a_link(new_context, screenshot):
    rw = build_resolver_world()
    page = new_context(DESKTOP).new_page()
    sign_in(page, rw.users["brand_editor"].email, PASSWORD)
    page.goto(f"/products/manage/{rw.orgs['brand'].pk}/")
    page.get_by_role("link", name="GS1 resolver links").click()
    expect(page.locator("#link-list")).to_contain_text("pip_en")
    screenshot(page, "1-list")

    page.locator("#new-link").click()
    page.locator("#id_link_type").select_option("certificationInfo")
    page.locator("#id_title").fill("Organic certificate")
    page.locator("#id_target_url").fill("http://cert.example/organic")
    page.locator("#id_applies_to_0").check()
    page.locator("#id_product").select_option(label="Silk scarf")
    page.locator("#link-form button[type=submit]").click()
    expect(page.locator("#id_target_url")).to_have_class("form-control is-invalid")
    expect(page.locator("#id_target_url")).to_have_value("http://cert.example/organic")
    expect(page.locator("#id_title")).to_have_value("Organic certificate")
    screenshot(page, "2-refused")

    page.locator("#id_target_url").fill("https://cert.example/organic")
    page.locator("#link-form button[type=submit]").click()
    expect(page.locator("#link-list")).to_contain_text("Organic certificate")
    assert ResolverLink.objects.filter(title="Organic certificate", product=rw.products["public"]).exists()

    editor = rw.users["brand_editor"]
    editor.language = "ar"
    editor.save(update_fields=["language"])
    phone = new_context(PHONE).new_page()
    sign_in(phone, editor.email, PASSWORD)
    phone.goto(f"/resolver-links/holder/{rw.orgs['brand'].pk}/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "3-list-phone-ar")
    phone.goto(f"/resolver-links/{rw.links['recall_lot1'].pk}/")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "4-form-phone-ar")
