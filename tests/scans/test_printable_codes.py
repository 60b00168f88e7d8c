"""The demo's printable test barcodes (/scan/test-codes/): every symbol reads back, with zxing-cpp, as what it
claims to be (a GS1 DataMatrix really is GS1: symbology ]d2), the parser gets the right data from it, the special
codes give the answers they are printed for, and the page is shown to whoever may scan."""

from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipm.catalog import services
from ipm.catalog.models import Product
from ipm.catalog.services import normalise_gtin
from ipm.demo import catalogue as demo
from ipm.gs1 import parse_code
from ipm.scans import printable_codes
from ipm.scans.printable_codes import (
    BAD_CHECK_DIGIT,
    EXPIRY,
    LOT,
    UNKNOWN_COMPANY_GTIN,
    UNKNOWN_PRODUCT_GTIN,
    barcode_image,
    demo_products,
    product_codes,
    secured_codes,
    serial_for,
)

DEMO_GTINS = {gtin for spec in demo.PRODUCTS for gtin, _variant in spec.gtins}


def read_back(code) -> zxingcpp.Barcode:
    """Decode the printed symbol as a camera would: from its pixels, not from what was asked to be drawn."""
    found = zxingcpp.read_barcodes(
        barcode_image(code.content, code.format, gs1=code.gs1), text_mode=zxingcpp.TextMode.Plain
    )
    assert len(found) == 1, code
    return found[0]


def scanned(barcode: zxingcpp.Barcode) -> str:
    """What a scanner in AIM-identifier mode (and the scan page's camera reader) sends for it."""
    return barcode.symbology_identifier + barcode.text


@pytest.mark.parametrize(("sku", "gtin", "_name"), demo_products())
def test_every_symbol_of_a_demo_product_reads_back_as_what_it_claims(sku, gtin, _name, settings):
    settings.IPM_BASE_URL = "https://ipm.example.org"
    ean13, datamatrix, gs1_128, digital_link = product_codes(gtin)

    barcode = read_back(ean13)
    assert (barcode.format, barcode.symbology_identifier, barcode.text) == (zxingcpp.BarcodeFormat.EAN13, "]E0", gtin)

    barcode = read_back(datamatrix)
    assert barcode.format == zxingcpp.BarcodeFormat.DataMatrix
    # GS1 (FNC1 in first position), in a square ECC 200 size, with GS between the variable-length fields.
    assert barcode.symbology_identifier == "]d2"
    assert barcode.content_type == zxingcpp.ContentType.GS1
    rows, columns = barcode.extra["Version"].split("x")
    assert rows == columns
    assert barcode.text == f"010{gtin}17{EXPIRY}10{LOT}\x1d21{serial_for(gtin)}"

    barcode = read_back(gs1_128)
    assert (barcode.format, barcode.symbology_identifier) == (zxingcpp.BarcodeFormat.Code128, "]C1")
    assert barcode.content_type == zxingcpp.ContentType.GS1

    barcode = read_back(digital_link)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == f"https://ipm.example.org/01/0{gtin}/10/{LOT}/21/{serial_for(gtin)}?17={EXPIRY}"

    # What the server's parser makes of each: the product's GTIN, and the item's data where the symbol holds it.
    for code, has_serial in ((ean13, False), (datamatrix, True), (gs1_128, False), (digital_link, True)):
        parsed = parse_code(scanned(read_back(code)))
        assert parsed.ok, (code.kind, parsed.problems)
        assert parsed.gtin == "0" + gtin
        if code is not ean13:
            assert (parsed.lot, parsed.expiry_date.isoformat()) == (LOT, "2030-12-31")
        assert parsed.serial == (serial_for(gtin) if has_serial else None)


def test_the_demo_products_with_codes_are_published_for_every_country_and_differ():
    specs = {spec.key: spec for spec in demo.PRODUCTS}
    for sku, gtin, name in demo_products():
        spec = specs[sku]
        assert spec.status == "published" and spec.visible_countries is None, sku
        assert (gtin, name) == (spec.gtins[0][0], spec.name)
    serials = [serial_for(gtin) for _sku, gtin, _name in demo_products()]
    assert len(set(serials)) == len(serials)


def test_the_special_codes_give_the_answers_they_are_printed_for():
    # Unknown product, known company: a valid GTIN in Aurelia's prefix that no demo sheet carries.
    assert normalise_gtin(UNKNOWN_PRODUCT_GTIN)
    assert UNKNOWN_PRODUCT_GTIN.startswith(demo.AURELIA_PREFIX) and UNKNOWN_PRODUCT_GTIN not in DEMO_GTINS
    # Unknown company: valid, in no demo prefix.
    assert normalise_gtin(UNKNOWN_COMPANY_GTIN)
    assert not any(UNKNOWN_COMPANY_GTIN.startswith(prefix) for prefix in demo.PREFIXES.values())
    # Wrong check digit: the Riviera scarf's GTIN with its last digit changed.
    scarf = demo.aurelia("00101")
    assert BAD_CHECK_DIGIT[:-1] == scarf[:-1]
    assert BAD_CHECK_DIGIT[-1] != scarf[-1]

    unknown_product, unknown_company, bad_check = printable_codes.other_codes()
    for code, gtin in ((unknown_product, UNKNOWN_PRODUCT_GTIN), (unknown_company, UNKNOWN_COMPANY_GTIN)):
        parsed = parse_code(scanned(read_back(code)))
        assert parsed.ok and parsed.gtin == "0" + gtin
    parsed = parse_code(scanned(read_back(bad_check)))
    assert parsed.gtin is None
    assert [problem.code for problem in parsed.problems] == ["bad_check_digit"]


def test_a_gs1_datamatrix_stays_gs1_and_square_whatever_its_content():
    """zxing-cpp picks a rectangular DMRE size for some contents unless told to keep the symbol square; DMRE reads
    back as ]d8, which some readers do not know."""
    for item in ("00101", "01001", "02001", "09999", "00141"):
        gtin = demo.aurelia(item)
        code = product_codes(gtin)[1]
        barcode = read_back(code)
        rows, columns = barcode.extra["Version"].split("x")
        assert (barcode.symbology_identifier, rows) == ("]d2", columns), gtin


# --- The page -----------------------------------------------------------------------------------------------------


def page_for(world, user_key: str):
    client = Client()
    client.force_login(world.users[user_key])
    return client.get(reverse("scans:test_codes"))


def test_an_officer_gets_every_code_with_the_sheet_name_and_link_of_what_they_may_read(world, settings):
    settings.IPM_BASE_URL = "https://ipm.example.org"
    editor = world.users["brand_editor"]
    brand = services.create_brand(editor, world.orgs["brand"], name="Aurelia")
    scarf_gtin = demo_products()[0][1]
    scarf = services.create_product(editor, brand, name="Riviera scarf as loaded", gtins=[scarf_gtin])
    services.add_clue(editor, scarf, language="en", title="Hem")
    services.publish_product(editor, scarf)
    hidden = services.create_product(editor, brand, name="A draft", gtins=[demo_products()[1][1]])

    response = page_for(world, "fr_officer")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<img src="data:image/svg+xml;base64,') == 4 * len(demo_products()) + 3 + len(secured_codes())
    assert "Riviera scarf as loaded" in html
    assert reverse("catalog:product_detail", args=[scarf.pk]) in html
    # A sheet the officer may not read (a draft) is named as the demo names it, without a link.
    assert reverse("catalog:product_detail", args=[hidden.pk]) not in html
    assert "A draft" not in html and demo_products()[1][2] in html
    assert f"https://ipm.example.org/01/0{scarf_gtin}/10/{LOT}/21/{serial_for(scarf_gtin)}?17={EXPIRY}" in html
    for gtin in (UNKNOWN_PRODUCT_GTIN, UNKNOWN_COMPANY_GTIN, BAD_CHECK_DIGIT):
        assert gtin in html


def test_the_secured_item_codes_read_back_with_the_reference_provider_s_serials():
    """IPM Connected: one GS1 DataMatrix per verdict of the reference provider's demo registry."""
    from ipm_reference_provider import demo as provider_demo

    codes = secured_codes()
    assert len(codes) == 6
    serials = set()
    for code in codes:
        barcode = read_back(code)
        assert (barcode.format, barcode.symbology_identifier) == (zxingcpp.BarcodeFormat.DataMatrix, "]d2")
        parsed = parse_code(scanned(barcode))
        assert parsed.ok and parsed.gtin == provider_demo.DEMO_GTIN and parsed.expiry_date.isoformat() == "2030-12-31"
        item = next(demo_code for demo_code in provider_demo.DEMO_CODES if demo_code.serial == parsed.serial)
        assert parsed.lot == item.lot
        assert item.verdict in str(code.expected)
        serials.add(item.key)
    assert serials == {"authentic", "never_commissioned", "decommissioned", "cloned", "outside_market", "lot_mismatch"}


def publish_demo_sheet(world, brand, index: int):
    editor = world.users["brand_editor"]
    sheet = services.create_product(editor, brand, name=f"Sheet {index}", gtins=[demo_products()[index][1]])
    services.add_clue(editor, sheet, language="en", title="Hem")
    services.publish_product(editor, sheet)


def test_the_page_answers_in_the_same_number_of_queries_whatever_the_officer_may_read(world):
    brand = services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")
    client = Client()
    client.force_login(world.users["fr_officer"])
    client.get(reverse("home"))  # the session's first request records the device: not what is measured
    counts = []
    for index in range(3):
        publish_demo_sheet(world, brand, index)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scans:test_codes")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


@pytest.mark.parametrize(
    ("user_key", "status"), [("secretariat_viewer", 200), ("brand_viewer", 200), ("provider_admin", 403)]
)
def test_whoever_may_scan_sees_the_page(world, user_key, status):
    assert page_for(world, user_key).status_code == status


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("scans:test_codes"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_digital_link_of_a_test_code_resolves_on_this_ipm(world, settings):
    """What a phone's own camera app does with the QR Code: open the URI, which IPM's resolver answers (an officer
    signed in is sent to the product page)."""
    settings.IPM_BASE_URL = "https://ipm.example.org"
    brand = services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")
    publish_demo_sheet(world, brand, 0)
    scarf = Product.objects.get()
    link = urlsplit(product_codes(demo_products()[0][1])[3].content)
    assert f"{link.scheme}://{link.netloc}" == settings.IPM_BASE_URL
    client = Client()
    client.force_login(world.users["fr_officer"])
    response = client.get(f"{link.path}?{link.query}")
    assert response.status_code in {302, 303, 307}
    assert urlsplit(response["Location"]).path == reverse("catalog:product_detail", args=[scarf.pk])
