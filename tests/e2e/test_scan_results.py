"""The scan page in a real browser, at phone width and on a desk, in English and in Arabic: a typed code of a known
product lands on its page; a code whose brand owner is in IPM names it and how to reach it; an unreadable code is
explained and kept in the field; a photo with two barcodes (through "take a photo", sent as soon as it is chosen)
lists both to choose from. The live camera is the camera part's own test; this one never starts it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import sign_in
from tests.scans.conftest import CODES, build_catalogue, photo_of

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def look_up(page, code: str) -> None:
    field = page.locator("#scan-code")
    field.fill(code)
    field.press("Enter")


def test_an_officer_scans_on_a_phone(world, new_context, password, screenshot):
    catalogue = build_catalogue(world)
    officer = world.users["fr_officer"]
    page = new_context(PHONE).new_page()
    sign_in(page, officer.email, password)

    page.locator(".navbar-toggler").click()
    page.locator("header").get_by_role("link", name="Scan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scan a barcode")
    expect(page.locator("#scan-code")).to_be_focused()
    screenshot(page, "phone-en-empty")

    # The brand owner is in IPM, the product is not: its name, brands and contacts for France.
    look_up(page, CODES["in_prefix"])
    result = page.locator("article[data-match=brand]")
    expect(result).to_contain_text("Brand A")
    expect(result.get_by_role("link", name="+33 1 23 45 67 89")).to_have_attribute("href", "tel:+33123456789")
    expect(page.locator("#scan-code")).to_have_value(CODES["in_prefix"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-en-brand")

    # An unreadable code: explained, and kept in the field to correct it.
    look_up(page, "4006381333932")
    expect(page.locator("#scan-problems")).to_contain_text("check digit")
    expect(page.locator("#scan-code")).to_have_value("4006381333932")
    screenshot(page, "phone-en-invalid")

    # A photo of two barcodes: sent as soon as it is chosen, both listed, one opened.
    data = photo_of((CODES["published"], "EAN13", False), (f"(01)0{CODES['unknown']}(21)X1", "DataMatrix", True))
    page.locator("#scan-image").set_input_files({"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": data})
    expect(page.get_by_role("heading", name="2 barcodes in the photo")).to_be_visible()
    expect(page.locator("article[data-match=none]")).to_contain_text("IPM knows nothing of this code")
    screenshot(page, "phone-en-photo")
    page.locator("article[data-match=product] a").click()
    expect(page).to_have_url(f"/products/{catalogue.products['published'].pk}/")

    # A code of a sheet France reads: straight to its page.
    page.goto("/scan/")
    look_up(page, CODES["fr_only"])
    expect(page).to_have_url(f"/products/{catalogue.products['fr_only'].pk}/")

    page.goto("/scan/history/")
    expect(page.locator("#scan-history li")).to_have_count(5)
    screenshot(page, "phone-en-history")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_scan_page_in_arabic(world, new_context, password, screenshot, viewport):
    build_catalogue(world)
    officer = world.users["ma_officer"]
    officer.language = "ar"
    officer.save(update_fields=["language"])
    page = new_context(viewport).new_page()
    sign_in(page, officer.email, password)
    page.goto("/scan/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#scan-code")).to_have_attribute("dir", "ltr")  # codes read left to right
    look_up(page, CODES["rival_draft"])
    expect(page.locator("article[data-match=brand]")).to_contain_text("Brand B")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, "ar-brand")
    look_up(page, CODES["unknown"])
    expect(page.locator("article[data-match=none]")).to_be_visible()
    screenshot(page, "ar-none")


def test_the_scan_page_on_a_desk(world, new_context, password, screenshot):
    build_catalogue(world)
    page = new_context(DESKTOP).new_page()
    sign_in(page, world.users["fr_officer"].email, password)
    page.goto("/scan/")
    look_up(page, CODES["in_prefix"])
    expect(page.locator("article[data-match=brand]")).to_be_visible()
    screenshot(page, "desktop-en-brand")
    look_up(page, f"https://id.gs1.org/01/0{CODES['unknown']}/10/LOT1")
    expect(page.locator("article[data-match=none]")).to_contain_text("IPM knows nothing of this code")
    screenshot(page, "desktop-en-none")
