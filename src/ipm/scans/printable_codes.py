"""Printable test barcodes for the demo: what a user scans from a second screen or a sheet of paper to try the
scan page, drawn by the app with zxing-cpp (the library that decodes photos on the server).

For a few demo products, the forms an officer meets on real packs: the retail EAN-13; a GS1 DataMatrix with GTIN,
expiry date, batch and serial number (as on medicines); a GS1-128 with the same data (as on cartons); and a GS1
Digital Link QR Code whose URI is on this IPM's own address (``IPM_BASE_URL``), so a phone's ordinary camera app
opens it here through the resolver. Then the answers that are not a product: a GTIN no sheet carries under a
right holder's registered company prefix ("the brand is in IPM, the product is not"), a GTIN of a company IPM does
not know, and a GTIN with a wrong check digit.

The GS1 symbols are real GS1 symbols (FNC1 in first position: symbology identifiers ]d2, ]C1), not the bracketed
text drawn as plain data; tests read them back to make sure.
"""

import base64
from dataclasses import dataclass
from functools import lru_cache

import zxingcpp
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Demo sheets that every officer of the demo sees (published, shown to all countries), one per brand family.
DEMO_SKUS = ("AUR-SC90-RIV", "AH-2046-38", "NW-AMX-500-21", "VX-65C-GAN")
EXPIRY = "301231"  # 31 December 2030, YYMMDD as GS1 writes dates
LOT = "L2607A"
# A GTIN under Aurelia's registered prefix (7612345) that no demo sheet carries, one under a prefix nobody registered
# in the demo (GS1 Poland's example number), and the Riviera scarf's GTIN (7612345001012) with its last digit off
# by one. tests/scans/test_printable_codes.py checks these against the demo data.
UNKNOWN_PRODUCT_GTIN = "7612345099996"
UNKNOWN_COMPANY_GTIN = "5901234123457"
BAD_CHECK_DIGIT = "7612345001013"


@dataclass(frozen=True)
class PrintableCode:
    """One barcode to print: its kind ("EAN-13"), what it holds in human-readable form, what scanning it should
    show, and the picture (an SVG data URI)."""

    kind: str | Promise
    readable: str
    expected: str | Promise
    svg_uri: str
    content: str  # what is encoded (a bracketed element string for GS1 symbols)
    format: str  # zxing-cpp's format name
    gs1: bool


@dataclass(frozen=True)
class DemoProductCodes:
    sku: str
    gtin13: str
    name: str
    codes: list[PrintableCode]


def serial_for(gtin13: str) -> str:
    """A serial number that differs per product and stays the same from one page view to the next."""
    return f"SN{gtin13[3:12]}"


def digital_link(gtin13: str, *, lot: str = LOT, serial: str | None = None) -> str:
    """The GS1 Digital Link URI of one item on this IPM's address: /01/{GTIN-14}/10/{lot}/21/{serial}?17=expiry."""
    serial = serial or serial_for(gtin13)
    return f"{settings.IPM_BASE_URL.rstrip('/')}/01/0{gtin13}/10/{lot}/21/{serial}?17={EXPIRY}"


def element_string(gtin13: str, *, serial: bool = True) -> str:
    """GTIN, expiry date and batch (and serial number): the bracketed form that the GS1 encoder takes."""
    text = f"(01)0{gtin13}(17){EXPIRY}(10){LOT}"
    return text + f"(21){serial_for(gtin13)}" if serial else text


@lru_cache(maxsize=256)
def create_barcode(content: str, format_name: str, gs1: bool = False) -> zxingcpp.Barcode:
    """A barcode drawn by zxing-cpp. GS1 DataMatrix is kept square (zxing-cpp would otherwise pick a rectangular
    DMRE size for some contents, which older readers do not know)."""
    barcode_format = getattr(zxingcpp.BarcodeFormat, format_name)
    options = '{"gs1": true, "forceSquare": true}' if gs1 and format_name == "DataMatrix" else ""
    return zxingcpp.create_barcode(content, barcode_format, gs1=gs1, options=options)


@lru_cache(maxsize=256)
def svg_uri(content: str, format_name: str, gs1: bool = False) -> str:
    svg = zxingcpp.write_barcode_to_svg(create_barcode(content, format_name, gs1))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def barcode_image(content: str, format_name: str, *, gs1: bool = False, scale: int = 4) -> Image.Image:
    """The barcode as a greyscale Pillow image, with its quiet zone (for photos and test videos)."""
    image = zxingcpp.write_barcode_to_image(create_barcode(content, format_name, gs1), scale=scale)
    height, width = memoryview(image).shape
    return Image.frombytes("L", (width, height), bytes(memoryview(image)))


def _code(kind, readable: str, expected, content: str, format_name: str, gs1: bool = False) -> PrintableCode:
    return PrintableCode(
        kind=kind,
        readable=readable,
        expected=expected,
        svg_uri=svg_uri(content, format_name, gs1),
        content=content,
        format=format_name,
        gs1=gs1,
    )


def product_codes(gtin13: str) -> list[PrintableCode]:
    """The four symbols of one product."""
    expected = _("This product's page")
    link = digital_link(gtin13)
    return [
        _code(_("EAN-13"), gtin13, expected, gtin13, "EAN13"),
        _code(
            _("GS1 DataMatrix: GTIN, expiry, batch, serial"),
            element_string(gtin13),
            expected,
            element_string(gtin13),
            "DataMatrix",
            gs1=True,
        ),
        _code(
            _("GS1-128: GTIN, expiry, batch"),
            element_string(gtin13, serial=False),
            expected,
            element_string(gtin13, serial=False),
            "Code128",
            gs1=True,
        ),
        _code(_("GS1 Digital Link QR Code"), link, expected, link, "QRCode"),
    ]


def other_codes() -> list[PrintableCode]:
    """Codes that find no product, each for one of the other answers of a scan."""
    return [
        _code(
            _("Unknown product of a known company"),
            UNKNOWN_PRODUCT_GTIN,
            _("No sheet for this GTIN, but its company prefix belongs to Aurelia Luxury Goods: IPM names them."),
            UNKNOWN_PRODUCT_GTIN,
            "EAN13",
        ),
        _code(
            _("Unknown company"),
            UNKNOWN_COMPANY_GTIN,
            _("A valid GTIN that no sheet and no registered company prefix matches."),
            UNKNOWN_COMPANY_GTIN,
            "EAN13",
        ),
        _code(
            _("Wrong check digit (Code 128)"),
            BAD_CHECK_DIGIT,
            _(
                "The Riviera scarf's GTIN with its last digit changed: IPM says the check digit is wrong. "
                "(An EAN-13 cannot even be drawn with a wrong check digit, hence Code 128.)"
            ),
            BAD_CHECK_DIGIT,
            "Code128",
        ),
    ]


def demo_products() -> list[tuple[str, str, str]]:
    """(SKU, first GTIN-13, name in the sheet's source language) of the demo products that get test codes."""
    from ipm.demo import catalogue as demo  # the demo's data, loaded only when the page is shown

    by_sku = {spec.key: spec for spec in demo.PRODUCTS}
    return [(sku, by_sku[sku].gtins[0][0], by_sku[sku].name) for sku in DEMO_SKUS]


def secured_codes() -> list[PrintableCode]:
    """GS1 DataMatrix codes of the demo's secured watch (IPM Connected: the reference provider knows its serials),
    one per verdict the provider gives an officer of France, Morocco or Brazil
    (``ipm_reference_provider.demo``: the provider's registry is seeded with the same serials)."""
    from ipm_reference_provider import demo as provider_demo

    expected = {
        "authentic": _("Connected verdict: authentic (serial issued and shipped to your country)."),
        "never_commissioned": _("Connected verdict: counterfeit (serial number never issued)."),
        "decommissioned": _("Connected verdict: counterfeit (serial number withdrawn: reported stolen)."),
        "cloned": _("Connected verdict: suspect (the same code was checked in another country an hour ago)."),
        "outside_market": _("Connected verdict: suspect (shipped to other markets than yours)."),
        "lot_mismatch": _("Connected verdict: counterfeit (batch does not match the serial number)."),
    }
    kinds = {
        "authentic": _("Secured item: genuine"),
        "never_commissioned": _("Secured item: unknown serial"),
        "decommissioned": _("Secured item: withdrawn serial"),
        "cloned": _("Secured item: copied code"),
        "outside_market": _("Secured item: other market"),
        "lot_mismatch": _("Secured item: wrong batch"),
    }
    codes = []
    for key, words in expected.items():
        item = provider_demo.CODES_BY_KEY[key]
        content = f"(01){item.gtin}(17){EXPIRY}(10){item.lot}(21){item.serial}"
        codes.append(_code(kinds[key], content, words, content, "DataMatrix", gs1=True))
    return codes
