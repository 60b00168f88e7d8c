"""A right holder builds, translates, publishes, updates and archives a product sheet in the browser; an officer of
a country it is shown to reads it on a phone in their language, one of another country cannot."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from ipm.catalog.models import Product, ProductStatus
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser

GTIN = "4006381333931"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded pictures go to a throw-away folder (the live server runs in this process, so it sees it too)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def jpeg_file(name: str, colour: tuple[int, int, int]) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def accept_confirmations(page) -> None:
    """The authoring script asks ``window.confirm`` before archiving: say yes, as the user would."""
    page.on("dialog", lambda dialog: dialog.accept())


def test_catalogue_sheet_built_published_read_by_officers_updated_and_archived(
    world, page, new_context, password, screenshot
):
    editor = world.users["brand_editor"]
    fr_officer, ma_officer = world.users["fr_officer"], world.users["ma_officer"]
    fr_officer.language = "fr"
    fr_officer.save(update_fields=["language"])

    # --- The right holder's editor, at a desk: a brand, then a draft sheet with a barcode ---------------------
    sign_in(page, editor.email, password)
    page.locator("header").get_by_role("link", name="Catalogue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brand A")
    page.get_by_role("link", name="New sheet").click()
    # No brand yet: the new sheet asks for one first.
    expect(page.get_by_text("Create a brand first")).to_be_visible()
    page.get_by_label("Brand name").fill("Aurelia")
    page.get_by_label("Description").fill("Silk since 1921")
    page.get_by_role("button", name="Create the brand").click()
    expect(page.get_by_text("Brand Aurelia created.")).to_be_visible()

    page.goto(f"/products/manage/{world.orgs['brand'].pk}/new/")
    form = page.locator("#sheet-create-form")
    form.get_by_label("Source language").select_option("en")
    form.get_by_label("Product name").fill("Silk scarf")
    form.get_by_label("Description").fill("Hand-rolled edges, printed in Como.")
    form.get_by_label("GTINs (barcodes)").fill(GTIN)
    form.get_by_label("HS code").fill("621410")
    form.get_by_label("Country of manufacture").select_option("IT")
    form.get_by_label("Lowest usual price").fill("250")
    form.get_by_label("Highest usual price").fill("420")
    form.get_by_label("Currency").fill("EUR")
    screenshot(page, "01-new-sheet-form")
    form.get_by_role("button", name="Create the draft").click()

    expect(page.get_by_text("Draft sheet created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Silk scarf")
    product = Product.objects.get(brand__name="Aurelia")
    assert product.status == ProductStatus.DRAFT
    assert list(product.identifiers.values_list("value", flat=True)) == ["0" + GTIN]
    sheet_url = page.url

    # Publishing an empty sheet is refused, with what is missing.
    page.locator("#publication").get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The sheet was not published.")).to_be_visible()
    problems = page.locator("#publication-problems")
    expect(problems).to_contain_text("Add at least one photo or one genuine-versus-counterfeit clue.")
    screenshot(page, "02-publication-refused")
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT

    # A clue, with its genuine and counterfeit photos.
    page.locator("#sheet-sections").get_by_role("link", name="Clues").click()
    clue_form = page.locator("#clue-form")
    clue_form.get_by_label("Title").fill("Hand-rolled hem")
    clue_form.get_by_label("Explanation").fill("The hem is rolled towards the print; fakes are machine-stitched flat.")
    clue_form.get_by_label("Where to look").fill("Any corner")
    clue_form.get_by_role("button", name="Add the clue").click()
    expect(page.get_by_text("Clue added.")).to_be_visible()
    images = page.locator("#clue-images-form")
    images.get_by_label("Genuine: new photo").set_input_files(jpeg_file("genuine.jpg", (30, 140, 60)))
    images.get_by_label("Counterfeit: new photo").set_input_files(jpeg_file("fake.jpg", (160, 30, 30)))
    images.get_by_role("button", name="Save the photos").click()
    expect(page.get_by_text("Clue saved.")).to_be_visible()
    expect(page.get_by_role("img", name="The genuine detail")).to_be_visible()
    expect(page.get_by_role("img", name="The counterfeit detail")).to_be_visible()
    screenshot(page, "03-clue-with-photos")

    # The clue in French, from its language tabs.
    page.locator("#clue-language-tabs").get_by_role("link", name="Français").click()
    clue_texts = page.locator("#clue-texts-form")
    clue_texts.get_by_label("Title").fill("Ourlet roulé à la main")
    clue_texts.get_by_label("Explanation").fill("L'ourlet est roulé vers l'imprimé ; les faux sont cousus à plat.")
    clue_texts.get_by_label("Where to look").fill("Un coin du carré")
    clue_texts.get_by_role("button", name="Save in").click()
    expect(page.get_by_text("Clue saved.")).to_be_visible()

    # The sheet's texts in French, in the texts editor.
    page.locator("#sheet-sections").get_by_role("link", name="Texts").click()
    page.locator("#language-tabs").get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", name="New translation into")).to_be_visible()
    texts = page.locator("#texts-form")
    texts.get_by_label("Product name").fill("Carré de soie")
    texts.get_by_label("Description").fill("Bords roulés à la main, imprimé à Côme.")
    texts.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    expect(page.locator("#language-tabs").get_by_role("link", name="Français")).to_contain_text("Up to date")
    screenshot(page, "04-french-texts")

    # Only France's administration may see it.
    page.locator("#sheet-sections").get_by_role("link", name="Visibility").click()
    visibility = page.locator("#visibility-form")
    visibility.get_by_label("Visible to every customs administration").uncheck()
    visibility.get_by_label("Only these countries' administrations").select_option(["FR"])
    visibility.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Visibility saved.")).to_be_visible()
    expect(page.locator("#visibility-now")).to_contain_text("Now only: France")
    screenshot(page, "05-visibility-france-only")

    # Now it publishes.
    page.goto(sheet_url)
    page.locator("#publication").get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: officers can now see this sheet.")).to_be_visible()
    expect(page.locator("#publication")).to_contain_text("the officers of the countries you chose see this sheet")
    expect(page.locator("#publication-problems")).to_have_count(0)
    screenshot(page, "06-published")
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PUBLISHED
    officer_url = f"/products/{product.pk}/"

    # --- A French officer on a phone reads it in French ---------------------------------------------------
    fr_page = new_context(PHONE).new_page()
    sign_in(fr_page, fr_officer.email, password)
    response = fr_page.goto(officer_url)
    assert response.status == 200
    expect(fr_page.locator("html")).to_have_attribute("lang", "fr")
    expect(fr_page.get_by_role("heading", level=1)).to_have_text("Carré de soie")
    main = fr_page.locator("main")
    expect(main).to_contain_text("Bords roulés à la main")
    expect(main).to_contain_text("Authentique ou contrefaçon ?")
    expect(main.get_by_role("heading", name="Ourlet roulé à la main")).to_be_visible()
    expect(main).to_contain_text("Un coin du carré")
    expect(main.locator(".ipm-language-marker")).to_have_count(0)  # the clue is wholly in French
    expect(main).to_contain_text("4006381333931")
    expect(main).to_contain_text("250–420 EUR")
    expect(main.get_by_role("img", name="Authentique : Ourlet roulé à la main")).to_be_attached()
    assert fr_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    screenshot(fr_page, "07-fr-officer-phone")

    # --- A Moroccan officer gets "not found" for the same address --------------------------------------------
    ma_page = new_context(PHONE).new_page()
    sign_in(ma_page, ma_officer.email, password)
    response = ma_page.goto(officer_url)
    assert response.status == 404
    expect(ma_page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(ma_page.locator("main")).not_to_contain_text("Silk scarf")
    screenshot(ma_page, "08-ma-officer-404")

    # --- The editor, now on a phone, updates a detail; the French officer sees it --------------------------
    editor_phone = new_context(PHONE).new_page()
    accept_confirmations(editor_phone)
    sign_in(editor_phone, editor.email, password)
    editor_phone.goto(sheet_url)
    details = editor_phone.locator("#details-form")
    details.get_by_label("Highest usual price").fill("450")
    screenshot(editor_phone, "09-editor-phone-details")
    details.get_by_role("button", name="Save the details").click()
    expect(editor_phone.get_by_text("Details saved.")).to_be_visible()
    assert editor_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    fr_page.reload()
    expect(fr_page.locator("main")).to_contain_text("250–450 EUR")
    screenshot(fr_page, "10-fr-officer-sees-update")

    # --- Archived: withdrawn from officers ------------------------------------------------------------------
    editor_phone.locator("#publication").get_by_role("button", name="Archive").click()
    expect(editor_phone.get_by_text("Archived: officers no longer see this sheet.")).to_be_visible()
    expect(editor_phone.locator("#publication")).to_contain_text("Archived: withdrawn from customs officers.")
    screenshot(editor_phone, "11-editor-phone-archived")
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ARCHIVED

    response = fr_page.goto(officer_url)
    assert response.status == 404
    expect(fr_page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(fr_page.locator("main")).not_to_contain_text("Carré de soie")
    screenshot(fr_page, "12-fr-officer-404-after-archive")
