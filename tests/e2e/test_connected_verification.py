"""IPM Connected in a real browser against the real reference provider: an officer on a phone (360 px) types the
code of a secured item on the scan page, lands on the product page, and the "Connected verification" panel shows
the provider's verdict by itself; a provider fault shows "service unavailable" with "try again"; in Arabic the
panel reads right to left."""

# ruff: noqa: F811 - the fixtures imported below are parameters of the tests
import pytest
from playwright.sync_api import expect

from tests.connected.verification_setup import GTIN, NEVER, _fresh_breaker_and_faults, provider, secured  # noqa: F401
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser


def bracketed(serial: str) -> str:
    return f"(01){GTIN}(17)301231(10)LOT1(21){serial}"


def scan_by_hand(page, code: str) -> None:
    page.goto("/scan/")
    field = page.locator("#scan-code")
    field.fill(code)
    field.press("Enter")


def test_an_officer_scans_a_secured_item_and_sees_the_verdict(secured, new_context, password, screenshot):
    page = new_context(PHONE).new_page()
    sign_in(page, secured.officer.email, password)

    scan_by_hand(page, bracketed("SN-OK-1"))
    panel = page.locator("[data-connected-panel]")
    expect(panel).to_be_visible()
    verdict = panel.locator("[data-outcome]")
    expect(verdict).to_have_attribute("data-outcome", "authentic")
    expect(verdict.locator("[data-verdict]")).to_have_text("Authentic")
    expect(verdict).to_contain_text("Provider A")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-authentic")

    scan_by_hand(page, bracketed(NEVER))
    verdict = page.locator("[data-connected-panel] [data-outcome]")
    expect(verdict).to_have_attribute("data-outcome", "counterfeit")
    expect(verdict.locator("[data-reasons]")).to_contain_text("never issued")
    screenshot(page, "phone-counterfeit")

    # The provider fails: an honest "unavailable", then a good answer on "try again".
    secured.provider.faults("http_500")
    scan_by_hand(page, bracketed("SN-OK-2"))
    verdict = page.locator("[data-connected-panel] [data-outcome]")
    expect(verdict).to_have_attribute("data-outcome", "unavailable")
    expect(verdict).to_contain_text("Service unavailable")
    screenshot(page, "phone-unavailable")
    secured.provider.faults("none")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("[data-connected-panel] [data-outcome]")).to_have_attribute("data-outcome", "authentic")


def test_the_panel_in_arabic_reads_right_to_left(secured, world, new_context, password, screenshot):
    officer = world.users["ma_officer"]
    officer.language = "ar"
    officer.save()
    page = new_context(PHONE).new_page()
    sign_in(page, officer.email, password)
    scan_by_hand(page, bracketed("SN-OK-3"))
    verdict = page.locator("[data-connected-panel] [data-outcome]")
    expect(verdict).to_have_attribute("data-outcome", "authentic")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-ar-authentic")
