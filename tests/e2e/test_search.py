"""An officer searches the catalogue from a phone and from a desk, in English and in Arabic (right to left): a typo
still finds the sheet, results show a thumbnail and the brand, filters narrow them, a result opens the sheet."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from ipm.catalog import media_services, services
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import sign_in
from tests.search.helpers import sheet

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def catalogue(world):
    editor = world.users["brand_editor"]
    aurelia = services.create_brand(editor, world.orgs["brand"], name="Aurelia")
    scarf = sheet(
        world,
        aurelia,
        "Aurelia Silk Twill Scarf 90 — Riviera",
        hs_code="621410",
        country_of_manufacture="IT",
        translations={"ar": {"name": "وشاح أوريليا من تويل الحرير 90 — ريفييرا"}, "fr": {"name": "Carré de soie"}},
    )
    media_services.add_product_photo(editor, scarf, jpeg((20, 60, 140)))
    stole = sheet(world, aurelia, "Aurelia Cashmere Stole", hs_code="621420", country_of_manufacture="FR")
    media_services.add_product_photo(editor, stole, jpeg((150, 110, 60)))
    sheet(world, aurelia, "Aurelia Leather Belt", hs_code="420330", country_of_manufacture="IT")
    return scarf


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "en"), (PHONE, "ar"), (DESKTOP, "en"), (DESKTOP, "ar")])
def test_an_officer_searches_with_a_typo_filters_and_opens_a_sheet(
    world, new_context, password, screenshot, catalogue, viewport, language
):
    officer = world.users["ma_officer"]
    officer.language = language
    officer.save(update_fields=["language"])
    page = new_context(viewport).new_page()
    sign_in(page, officer.email, password)
    page.goto("/products/")
    expect(page.locator("#product-list li")).to_have_count(3)
    page.locator("#q").fill("scraf")
    page.locator("#q").press("Enter")
    results = page.locator("#product-list li")
    expect(results).to_have_count(1)
    expect(results.first.locator("img.ipm-result-thumbnail")).to_be_visible()
    expect(results.first).to_contain_text("Aurelia")
    expect(page.locator("#search-summary")).to_contain_text("scraf")
    if language == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(results.first).to_contain_text("وشاح")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is wider than the screen: {width}px"
    screenshot(page, f"results-{language}")

    page.locator("#q").fill("aurelia")
    page.locator(".ipm-search-filters summary").click()
    page.locator("#hs_chapter").select_option("62")
    page.locator("#country").select_option("IT")
    page.locator("#product-search button[type=submit]").last.click()
    expect(results).to_have_count(1)
    expect(page.locator("#hs_chapter")).to_have_value("62")
    screenshot(page, f"filters-{language}")
    results.first.locator("a").click()
    expect(page).to_have_url(f"{page.url.split('/products/')[0]}/products/{catalogue.pk}/")
