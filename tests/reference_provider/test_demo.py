"""The reference provider's demo serials agree with IPM's demo data and printable codes."""

import datetime

from ipm.demo import catalogue
from ipm.scans import printable_codes
from ipm_reference_provider import demo


def test_the_secured_product_is_a_demo_sheet_of_the_secured_brand():
    spec = next(spec for spec in catalogue.PRODUCTS if spec.key == demo.DEMO_SKU)
    assert spec.brand == demo.DEMO_BRAND
    assert spec.gtins[0][0] == demo.DEMO_GTIN13 and demo.DEMO_GTIN == "0" + demo.DEMO_GTIN13
    assert demo.DEMO_SKU in printable_codes.DEMO_SKUS


def test_the_printable_datamatrix_carries_the_authentic_serial_lot_and_expiry():
    assert printable_codes.serial_for(demo.DEMO_GTIN13) == demo.DEMO_SERIALS["authentic"]
    assert printable_codes.LOT == demo.DEMO_LOT
    assert datetime.datetime.strptime(printable_codes.EXPIRY, "%y%m%d").date().isoformat() == demo.DEMO_EXPIRY


def test_every_demo_code_but_the_never_commissioned_one_is_seeded():
    seeded = set(demo.COMMISSIONED)
    for code in demo.DEMO_CODES:
        assert (code.serial in seeded) == (code.key != "never_commissioned"), code.key
