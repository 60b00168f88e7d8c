"""Switching the interface to Arabic turns the whole layout right-to-left (at phone width, where officers are)."""

import pytest
from playwright.sync_api import expect

from ipm.accounts.models import OrganisationKind, Role
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import make_member, make_organisation, sign_in

pytestmark = pytest.mark.browser

LOADED_STYLESHEETS = """() => [...document.styleSheets]
    .filter(sheet => sheet.href && sheet.cssRules.length > 0)
    .map(sheet => new URL(sheet.href).pathname)"""


def test_language_switch_to_arabic_is_right_to_left(new_context, live_server, screenshot):
    organisation = make_organisation("Douane MA", kind=OrganisationKind.CUSTOMS, country="MA")
    user = make_member(organisation, "officer@douane.example", role=Role.EDITOR, full_name="Youssef Amrani")
    page = new_context(PHONE).new_page()
    sign_in(page, "officer@douane.example")
    expect(page.locator("main")).to_contain_text("Douane MA")

    html = page.locator("html")
    brand = page.locator(".navbar-brand")
    expect(html).to_have_attribute("dir", "ltr")
    ltr_box = brand.bounding_box()
    assert ltr_box["x"] + ltr_box["width"] < PHONE["width"] / 2, ltr_box  # on the left
    screenshot(page, "1-english")

    with page.expect_navigation():
        page.locator("#language-select").select_option("ar")

    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    stylesheets = page.evaluate(LOADED_STYLESHEETS)
    assert any(path.endswith("/bootstrap.rtl.min.css") for path in stylesheets), stylesheets
    assert not any(path.endswith("/bootstrap.min.css") for path in stylesheets), stylesheets
    expect(page.locator("#language-select")).to_have_value("ar")

    rtl_box = brand.bounding_box()
    assert rtl_box["x"] > PHONE["width"] / 2, rtl_box  # on the right
    assert abs((PHONE["width"] - (rtl_box["x"] + rtl_box["width"])) - ltr_box["x"]) <= 2, (ltr_box, rtl_box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    screenshot(page, "2-arabic")

    # The choice is kept on the account, so it follows the officer to their next page and device.
    user.refresh_from_db()
    assert user.language == "ar"
    page.goto("/organisations/")
    expect(html).to_have_attribute("dir", "rtl")
    screenshot(page, "3-arabic-organisation")
