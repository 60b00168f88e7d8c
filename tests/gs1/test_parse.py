"""The payloads an officer's scanner, camera or keyboard produces, and what ``parse_code`` makes of them.

Examples marked "GS1 DL" come from the GS1 Digital Link standard (URI syntax); "GenSpecs" from the element-string
examples of the GS1 General Specifications. 952 is GS1's prefix for examples; 0614141 is GS1 US's example company.
"""

import datetime as dt
import json

import pytest
from stdnum import ean

from ipm.gs1 import MAX_CODE_LENGTH, parse_code
from ipm.gs1.problems import MESSAGES

GS = "\x1d"

DL_EXAMPLE = "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426"
# The same data in every form a scanner produces.
EXAMPLE_FIELDS = {
    "gtin": "09520123456788",
    "gtin_as_printed": "9520123456788",
    "lot": "ABC123",
    "serial": "12345",
    "expiry_date": dt.date(2018, 4, 26),
    "digital_link_uri": DL_EXAMPLE,
    "element_string": "(01)09520123456788(10)ABC123(21)12345(17)180426",
}


def case(payload, form, id, **fields):
    return pytest.param(payload, form, fields, id=id)


# fmt: off
ACCEPTED = [
    # --- Bare numbers: EAN-13, EAN-8, UPC-A, UPC-E, GTIN-14 / ITF-14 ----------------------------------------------
    case("4006381333931", "gtin", "EAN-13", gtin="04006381333931", gtin_as_printed="4006381333931",
         gtin_format="GTIN-13", gs1_prefix="400", gs1_member_organisation="GS1 Germany",
         digital_link_uri="https://id.gs1.org/01/04006381333931"),
    case("]E04006381333931", "gtin", "EAN-13 with symbology identifier", gtin="04006381333931", symbology="]E0",
         symbology_name="EAN-13 / UPC-A / UPC-E"),
    case("7612345678900", "gtin", "Swiss-issued EAN-13", gs1_prefix="761", gs1_member_organisation="GS1 Switzerland"),
    case("96385074", "gtin", "EAN-8", gtin="00000096385074", gtin_as_printed="96385074", gtin_format="GTIN-8"),
    case("]E496385074", "gtin", "EAN-8 with symbology identifier", gtin="00000096385074", symbology="]E4"),
    case("036000291452", "gtin", "UPC-A", gtin="00036000291452", gtin_as_printed="036000291452", gtin_format="GTIN-12",
         gs1_member_organisation="GS1 US"),
    case("]E00036000291452", "gtin", "UPC-A sent as 13 digits under ]E0", gtin="00036000291452",
         gtin_as_printed="036000291452"),
    case("10614141000033", "gtin", "GTIN-14", gtin="10614141000033", gtin_as_printed="10614141000033",
         gtin_format="GTIN-14"),
    case("]I110614141000033", "gtin", "ITF-14", gtin="10614141000033", symbology="]I1", symbology_name="ITF-14"),
    case("04252614", "gtin", "UPC-E (read as UPC-E: an EAN-8 starting with 0 is in-store)", gtin="00042100005264",
         gtin_as_printed="04252614", gtin_format="UPC-E"),
    case("9780306406157", "gtin", "ISBN as EAN-13 (Bookland)", gs1_prefix="978", gs1_member_organisation=None,
         gs1_prefix_usage="Bookland (ISBN)"),
    case("]E3978030640615751299", "gtin", "EAN-13 with five-digit add-on", gtin="09780306406157", add_on="51299",
         symbology_name="EAN/UPC with add-on"),
    case("978030640615712", "gtin", "EAN-13 with two-digit add-on, no identifier", gtin="09780306406157", add_on="12"),
    # --- What keyboards and keyboard-wedge scanners add -----------------------------------------------------------
    case("4006381333931\r\n", "gtin", "trailing CR LF from a keyboard wedge", gtin="04006381333931"),
    case("  \t4006381333931 ", "gtin", "surrounding whitespace", gtin="04006381333931"),
    case("\ufeff4006381333931\u200b", "gtin", "byte-order mark and zero-width space", gtin="04006381333931"),
    case("４００６３８１３３３９３１", "gtin", "full-width digits (East Asian input)", gtin="04006381333931"),
    case("٤٠٠٦٣٨١٣٣٣٩٣١", "gtin", "Arabic-Indic digits", gtin="04006381333931"),
    case("۴۰۰۶۳۸۱۳۳۳۹۳۱", "gtin", "Eastern Arabic-Indic (Persian) digits", gtin="04006381333931"),
    case("4 006381 333931", "gtin", "typed as printed under the bars", gtin="04006381333931",
         gtin_as_printed="4006381333931"),
    case("0-36000-29145-2", "gtin", "UPC-A typed with hyphens", gtin="00036000291452"),
    # --- GS1 element strings: bracketed (human-readable) ----------------------------------------------------------
    case("(01)09520123456788(10)ABC123(21)12345(17)180426", "element_string", "GS1 DL example, bracketed",
         **EXAMPLE_FIELDS),
    case("(01) 09520123456788 (10) ABC123 (21) 12345 (17) 180426", "element_string", "bracketed with spaces",
         **EXAMPLE_FIELDS),
    case("(01)03453120000011(17)191125(10)ABCD1234", "element_string", "GenSpecs GS1-128 example, bracketed",
         gtin="03453120000011", expiry_date=dt.date(2019, 11, 25), lot="ABCD1234"),
    case("(01)09520123456788(17)180400", "element_string", "expiry day 00 means the last day of the month",
         expiry_date=dt.date(2018, 4, 30)),
    case("(01)09520123456788(17)240200", "element_string", "day 00 in a leap February",
         expiry_date=dt.date(2024, 2, 29)),
    case("(01)09520123456788(11)250115(15)261231", "element_string", "production and best-before dates",
         production_date=dt.date(2025, 1, 15), best_before_date=dt.date(2026, 12, 31)),
    case("(01)95012345678903(3103)000123", "element_string", "GenSpecs variable measure: net weight",
         gtin="95012345678903", gtin_as_printed="95012345678903"),
    case("]C1(01)09520123456788(10)ABC123", "element_string", "bracketed behind a symbology identifier", lot="ABC123",
         symbology="]C1"),
    # --- GS1 element strings: raw, FNC1 sent as GS (0x1D) ---------------------------------------------------------
    case("]d20109520123456788\x1d10ABC123\x1d2112345\x1d17180426", "element_string",
         "GS1 DataMatrix, ]d2 and GS separators", symbology="]d2", symbology_name="GS1 DataMatrix", **EXAMPLE_FIELDS),
    case("]d201095201234567881718042610ABC123\x1d2112345", "element_string",
         "GS1 DataMatrix, fixed-length fields first", lot="ABC123", serial="12345"),
    case("]C101034531200000111719112510ABCD1234", "element_string", "GenSpecs GS1-128 example with ]C1",
         gtin="03453120000011", expiry_date=dt.date(2019, 11, 25), lot="ABCD1234", symbology_name="GS1-128"),
    case("]Q30109520123456788\x1d10ABC123\x1d2112345\x1d17180426", "element_string",
         "GS1 QR Code with element strings", symbology_name="GS1 QR Code", **EXAMPLE_FIELDS),
    case("]e001095201234567881718042610ABC123", "element_string", "GS1 DataBar Expanded", lot="ABC123",
         symbology_name="GS1 DataBar"),
    case("0109520123456788\x1d10ABC123\x1d2112345\x1d17180426", "element_string",
         "raw without symbology identifier (phone camera)", **EXAMPLE_FIELDS),
    case("\x1d0109520123456788\x1d10ABC123\x1d", "element_string", "leading FNC1 sent as GS, trailing GS",
         lot="ABC123"),
    case("010952012345678810ABC123<GS>2112345<GS>17180426", "element_string", "GS typed as <GS> by a wedge scanner",
         **EXAMPLE_FIELDS),
    case("010952012345678810ABC123{GS}2112345", "element_string", "GS typed as {GS}", lot="ABC123", serial="12345"),
    case("010952012345678810ABC123\\x1d2112345", "element_string", "GS pasted as the text \\x1d", lot="ABC123",
         serial="12345"),
    case("010952012345678810ABC123\u241d2112345", "element_string", "GS shown as the symbol U+241D", lot="ABC123",
         serial="12345"),
    case("010541234500001310ABC123<GS>22AJY3095721P49", "element_string", "GS1 toolkit test vector, <GS>",
         gtin="05412345000013", lot="ABC123",
         digital_link_uri="https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123"),
    case("[)>\x1e05\x1d0109520123456788\x1d10ABC123\x1e\x04", "element_string", "ISO/IEC 15434 envelope, format 05",
         gtin="09520123456788", lot="ABC123"),
    case("0109520123456788", "element_string", "(01) alone, raw", gtin="09520123456788"),
    case("(01)09520123456788(99)INTERNAL", "element_string", "company-internal AI kept in other AIs",
         digital_link_uri="https://id.gs1.org/01/09520123456788?99=INTERNAL"),
    # --- GS1 Digital Link -----------------------------------------------------------------------------------------
    case(DL_EXAMPLE, "digital_link", "GS1 DL example",
         url="https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426", **EXAMPLE_FIELDS),
    case("]Q1" + DL_EXAMPLE, "digital_link", "Digital Link in a QR Code, ]Q1", symbology="]Q1", **EXAMPLE_FIELDS),
    case("]Q3" + DL_EXAMPLE, "digital_link", "Digital Link behind ]Q3", **EXAMPLE_FIELDS),
    case("]d1" + DL_EXAMPLE, "digital_link", "Digital Link in a Data Matrix", **EXAMPLE_FIELDS),
    case("https://example.com/01/09520123456788/10/ABC123/21/12345?17=180426", "digital_link", "any domain",
         **EXAMPLE_FIELDS),
    case("https://brand.example.com/products/shop/01/09520123456788/10/ABC123/21/12345?17=180426", "digital_link",
         "path prefix before the key", **EXAMPLE_FIELDS),
    case("http://example.com/01/9520123456788/10/ABC123/21/12345?17=180426", "digital_link",
         "zero-suppressed GTIN-13, http", **EXAMPLE_FIELDS),
    case("https://id.gs1.org/01/4012345000009", "digital_link", "zero-suppressed GTIN", gtin="04012345000009",
         digital_link_uri="https://id.gs1.org/01/04012345000009"),
    case("HTTPS://ID.GS1.ORG/01/09520123456788/10/ABC123/21/12345?17=180426", "digital_link",
         "upper-case scheme and host (QR alphanumeric mode)", **EXAMPLE_FIELDS),
    case("https://id.gs1.org/01/09520123456788/22/2A/10/ABC123", "digital_link", "consumer product variant (22)",
         lot="ABC123", digital_link_uri="https://id.gs1.org/01/09520123456788/22/2A/10/ABC123"),
    case("https://id.gs1.org/01/09520123456788/10/ABC%2F123", "digital_link", "percent-encoded lot", lot="ABC/123",
         digital_link_uri="https://id.gs1.org/01/09520123456788/10/ABC%2F123"),
    case("https://example.com/01/09520123456788/?linkType=gs1:pip", "digital_link", "trailing slash, linkType",
         gtin="09520123456788", digital_link_uri="https://id.gs1.org/01/09520123456788"),
    case("https://example.com/01/09520123456788/21/12345/10/ABC123", "digital_link",
         "qualifiers out of order: still unambiguous", lot="ABC123", serial="12345"),
    case("https://example.com/gtin/09520123456788/lot/ABC123/ser/12345?17=180426", "digital_link",
         "Digital Link 1.1 short names", **EXAMPLE_FIELDS),
    case("https://id.gs1.org/01/09520123456788?3103=000195&15=261231", "digital_link", "data attributes",
         best_before_date=dt.date(2026, 12, 31)),
    # --- Not GS1: URLs and text -----------------------------------------------------------------------------------
    case("https://www.example.com/product/123", "url", "plain URL", url="https://www.example.com/product/123",
         gtin=None),
    case("https://news.example.com/2024/01/15/story", "url", "a date in a path is not a Digital Link", gtin=None),
    case("ftp://example.com/file", "url", "other scheme", gtin=None),
    case("hello", "text", "a word", gtin=None),
    case("3M tape", "text", "digits first, then words", gtin=None),
    case("21 Jump Street", "text", "looks like AI 21 but has spaces", gtin=None),
    case("WIFI:S:guest;T:WPA;P:secret;;", "text", "QR Code Wi-Fi payload", gtin=None),
    case("Line one\nLine two", "text", "multi-line QR text", gtin=None),
    case("12345678901234567890", "text", "a 20-digit number that is no GS1 data", gtin=None),
]
# fmt: on


@pytest.mark.parametrize(("payload", "form", "fields"), ACCEPTED)
def test_accepted_payload(payload, form, fields):
    parsed = parse_code(payload)
    assert parsed.form == form, [problem.to_dict() for problem in parsed.problems]
    assert parsed.problems == []
    assert parsed.raw == payload
    for name, expected in fields.items():
        assert getattr(parsed, name) == expected, name
    assert parsed.ok == (parsed.gtin is not None)


def test_the_standard_example_reads_the_same_in_every_form():
    forms = [
        "(01)09520123456788(10)ABC123(21)12345(17)180426",
        "]d20109520123456788" + GS + "10ABC123" + GS + "2112345" + GS + "17180426",
        "]C10109520123456788" + "10ABC123" + GS + "2112345" + GS + "17180426",
        DL_EXAMPLE,
        "]Q1" + DL_EXAMPLE,
    ]
    readings = {
        (p.gtin, p.lot, p.serial, p.expiry_date, p.digital_link_uri) for p in (parse_code(form) for form in forms)
    }
    assert readings == {("09520123456788", "ABC123", "12345", dt.date(2018, 4, 26), DL_EXAMPLE)}


# --- UPC-E expansion (GS1 General Specifications, UPC-E to UPC-A) ---------------------------------------------------

# fmt: off
UPC_E = [
    pytest.param("04252614", "042100005264", id="last digit 0-2: manufacturer digits around four zeros"),
    pytest.param("01234531", "012300000451", id="last digit 3"),
    pytest.param("01234543", "012340000053", id="last digit 4"),
    pytest.param("01234565", "012345000065", id="last digit 5-9"),
    pytest.param("]E001234565", "012345000065", id="with ]E0"),
    pytest.param("]E00123456", "012345000065", id="seven digits with ]E0: check digit computed"),
    pytest.param("]E0123456", "012345000065", id="six digits with ]E0: number system 0 implied"),
    pytest.param("]E011234562", "112345000062", id="number system 1 (as EAN-8 too, so with ]E0)"),
]
# fmt: on


@pytest.mark.parametrize(("payload", "upc_a"), UPC_E)
def test_upc_e_is_expanded_to_upc_a(payload, upc_a):
    parsed = parse_code(payload)
    assert parsed.problems == []
    assert parsed.gtin == "00" + upc_a
    assert parsed.gtin_format == "UPC-E"
    assert parsed.gtin_as_printed == payload.removeprefix("]E0")


def test_six_digits_without_symbology_identifier_are_not_guessed_to_be_upc_e():
    # Any six digits expand to a valid-looking UPC-A: without the scanner saying "EAN/UPC", no guess.
    parsed = parse_code("123456")
    assert parsed.gtin is None
    assert [problem.code for problem in parsed.problems] == ["bad_length"]


def test_eight_digits_valid_both_as_ean8_and_upc_e_carry_a_warning():
    parsed = parse_code("01234565")
    assert parsed.gtin_format == "UPC-E"
    assert [warning.code for warning in parsed.warnings] == ["ambiguous_eight_digits"]
    assert parse_code("]E401234565").gtin == "00000001234565"  # the scanner said EAN-8


# --- Problems -------------------------------------------------------------------------------------------------------


def rejected(payload, codes, id, *, form="invalid", ai=None, **fields):
    return pytest.param(payload, form, codes, ai, fields, id=id)


# fmt: off
REJECTED = [
    rejected("", ["empty"], "empty"),
    rejected(" \r\n\t", ["empty"], "only whitespace"),
    rejected("]E0", ["empty"], "only a symbology identifier"),
    rejected("4" * (MAX_CODE_LENGTH + 1), ["too_long"], "over the length limit"),
    rejected("https://example.com/" + "a" * MAX_CODE_LENGTH, ["too_long"], "over-long URL"),
    rejected("\x00\x01\x02binary", ["binary"], "control characters"),
    rejected("4006381333931\x00", ["binary"], "NUL after a GTIN"),
    rejected("abc\ufffddef", ["binary"], "replacement character from a broken decoding"),
    rejected("\ud800", ["binary"], "lone surrogate"),
    rejected("4006381333932", ["bad_check_digit"], "EAN-13 with a wrong check digit"),
    rejected("]E04006381333932", ["bad_check_digit"], "wrong check digit behind ]E0"),
    rejected("96385075", ["bad_check_digit"], "EAN-8 with a wrong check digit"),
    rejected("0000000000000", ["invalid_value"], "all zeros"),
    rejected("(00)006141411234567891", ["bad_check_digit"], "SSCC with a wrong check digit", ai="00"),
    rejected("(01)09520123456788(414)9520123456789", ["bad_check_digit"], "GLN with a wrong check digit",
             ai="414"),
    rejected("40063813339", ["bad_length"], "eleven digits"),
    rejected("1234", ["bad_length"], "four digits"),
    rejected("(01)09520123456789", ["bad_check_digit"], "bracketed GTIN with a wrong check digit", ai="01"),
    rejected("(01)09520123456789(02)10614141000033", ["bad_check_digit"], "a bad (01) is not replaced by (02)",
             ai="01", gtin=None),
    rejected("(01)0952012345678", ["truncated"], "bracketed GTIN cut short", ai="01"),
    rejected("]d201095201234567", ["truncated"], "DataMatrix cut inside the GTIN", ai="01"),
    rejected("]d20109520123456788\x1d10ABC\x1d21", ["truncated"], "cut after the serial's AI", ai="21", lot="ABC",
             gtin="09520123456788"),
    rejected("]d20109520123456788171804", ["truncated"], "cut inside the expiry date", ai="17"),
    rejected("(01)09520123456788(17)181301", ["invalid_date"], "month 13", ai="17", gtin="09520123456788"),
    rejected("(01)09520123456788(17)180230", ["invalid_date"], "30 February", ai="17"),
    rejected("(01)09520123456788(11)180000", ["invalid_date"], "month 00", ai="11"),
    rejected("(01)09520123456788(23)ABC", ["unknown_ai"], "unknown AI in brackets", ai="23"),
    rejected("]C1010952012345678823ABC", ["unknown_ai"], "unknown AI in raw form", ai="23"),
    rejected("(01)09520123456788(10)ABCDEFGHIJKLMNOPQRSTU", ["bad_length"], "lot of 21 characters", ai="10"),
    rejected("(01)09520123456788(10)AB#C", ["invalid_value"], "character outside the GS1 set", ai="10"),
    rejected("(01)ABCDEFGHIJKLMN", ["invalid_value"], "letters where the GTIN goes", ai="01"),
    rejected("(21)12345", ["serial_without_gtin"], "serial alone", ai="21", serial="12345"),
    rejected("(10)ABC123(17)261231", ["lot_without_gtin"], "lot alone: the second barcode of a pair", ai="10",
             lot="ABC123", expiry_date=dt.date(2026, 12, 31)),
    rejected("]C110ABC\x1d2112345", ["serial_without_gtin", "lot_without_gtin"], "lot and serial alone"),
    rejected("]C1010952012345678810ABC\x1d10XYZ", ["duplicate_ai"], "the same AI twice", ai="10"),
    rejected("]d2XYZ", ["unparseable"], "GS1 symbology holding words"),
    rejected("(01", ["unparseable"], "an unclosed bracket"),
    rejected("()", ["unparseable"], "empty brackets"),
    rejected("https://id.gs1.org/01/09520123456789", ["bad_check_digit"], "Digital Link, wrong check digit", ai="01",
             url="https://id.gs1.org/01/09520123456789"),
    rejected("https://example.com/01/09520123456788/10/ABC123?17=181301", ["invalid_date"],
             "Digital Link, invalid date attribute", ai="17", lot="ABC123", gtin="09520123456788"),
    rejected("https://example.com/01/09520123456788/10", ["truncated"], "Digital Link ending on a qualifier key",
             ai="10"),
    rejected("https://example.com/01/09520123456788/10/ABCDEFGHIJKLMNOPQRSTUVW", ["bad_length"],
             "Digital Link, over-long lot", ai="10"),
]
# fmt: on


@pytest.mark.parametrize(("payload", "form", "codes", "ai", "fields"), REJECTED)
def test_rejected_payload(payload, form, codes, ai, fields):
    parsed = parse_code(payload)
    assert parsed.form == form
    assert [problem.code for problem in parsed.problems] == codes
    assert not parsed.ok
    if ai is not None:
        assert parsed.problems[0].ai == ai
    for name, expected in fields.items():
        assert getattr(parsed, name) == expected, name
    for problem in parsed.problems:
        message = str(problem.message)
        assert message and "%(" not in message


def test_a_bad_check_digit_never_yields_a_gtin():
    for payload in ("4006381333932", "(01)09520123456789", "https://id.gs1.org/01/09520123456789"):
        assert parse_code(payload).gtin is None


def test_messages_are_translated_when_shown_not_when_parsed():
    from django.utils.functional import Promise

    assert isinstance(parse_code("4006381333932").problems[0].message, Promise)


def test_problem_messages_name_the_value_and_the_field():
    parsed = parse_code("(01)09520123456788(17)181301")
    assert str(parsed.problems[0].message) == (
        "(17) USE BY or EXPIRY holds “181301”, which is not a valid date (YYMMDD)."
    )
    assert "4006381333932" in str(parse_code("4006381333932").problems[0].message)


# --- Warnings: read, but the officer should know ---------------------------------------------------------------------

# fmt: off
WARNED = [
    pytest.param("010952012345678810ABC1232112345", "missing_separator", {"lot": "ABC1232112345"},
                 id="lot and serial run together: the wedge scanner dropped the GS"),
    pytest.param("2001234000000", "restricted_circulation", {"gtin": "02001234000000"},
                 id="in-store number (prefix 20)"),
    pytest.param("9812345678902", "not_a_trade_item", {"gs1_member_organisation": None}, id="coupon"),
    pytest.param("1400000000007", "unassigned_prefix", {"gs1_prefix": None}, id="prefix GS1 has not assigned"),
    pytest.param("(00)006141411234567890", "no_gtin", {"gtin": None, "form": "element_string"},
                 id="SSCC only: a pallet, not a product"),
    pytest.param("(00)006141411234567890(02)10614141000033(37)25", "contained_items_gtin",
                 {"gtin": "10614141000033", "digital_link_uri": None}, id="logistic label: GTIN of the contents"),
    pytest.param("'àà-\"_&\"\"\"ç\"&", "keyboard_layout", {"gtin": "04006381333931"},
                 id="US-keyboard scanner on a French AZERTY computer: 4006381333931"),
    pytest.param("'àà§\"!&\"\"\"ç\"&", "keyboard_layout", {"gtin": "04006381333931"}, id="same, Belgian AZERTY"),
]
# fmt: on


@pytest.mark.parametrize(("payload", "code", "fields"), WARNED)
def test_warned_payload(payload, code, fields):
    parsed = parse_code(payload)
    assert parsed.problems == []
    assert [warning.code for warning in parsed.warnings] == [code]
    for name, expected in fields.items():
        assert getattr(parsed, name) == expected, name


def test_keyboard_symbols_with_a_wrong_check_digit_are_not_guessed_into_a_gtin():
    parsed = parse_code('\'àà-"_&"""ç"é')
    assert (parsed.form, parsed.gtin) == ("text", None)


def test_a_lot_without_digits_that_read_as_fields_has_no_separator_warning():
    assert parse_code("010952012345678810ABCDEF").warnings == []


# --- Issuer, not origin ---------------------------------------------------------------------------------------------


def test_the_prefix_names_the_issuing_organisation_of_a_gtin_14_after_its_indicator_digit():
    parsed = parse_code("(01)14006381333938")
    assert (parsed.gs1_prefix, parsed.gs1_member_organisation) == ("400", "GS1 Germany")
    assert parsed.company_prefix == parse_code("4006381333931").company_prefix


# --- Cross-check with python-stdnum ---------------------------------------------------------------------------------


def test_gtin_validity_agrees_with_stdnum():
    import random

    rng = random.Random(4)
    for _ in range(2000):
        length = rng.choice((12, 13, 14))
        digits = "".join(rng.choice("0123456789") for _ in range(length))
        if not digits.strip("0"):
            continue
        parsed = parse_code(digits)
        assert (parsed.gtin is not None) == ean.is_valid(digits), digits
        if parsed.gtin:
            assert parsed.gtin == digits.zfill(14)


# --- JSON for the scan API ------------------------------------------------------------------------------------------

ALL_PAYLOADS = [param.values[0] for param in ACCEPTED + REJECTED + WARNED + UPC_E]


@pytest.mark.parametrize("payload", ALL_PAYLOADS)
def test_to_dict_is_json_ready_and_round_trips(payload):
    parsed = parse_code(payload)
    as_dict = parsed.to_dict()
    text = json.dumps(as_dict, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate survives
    again = json.loads(text)
    assert again == as_dict
    assert again["ok"] == parsed.ok
    assert again["gtin"] == parsed.gtin
    assert again["expiry_date"] == (parsed.expiry_date.isoformat() if parsed.expiry_date else None)
    assert [item["code"] for item in again["problems"]] == [item.code for item in parsed.problems]


def test_every_problem_and_warning_code_is_exercised_by_the_tables():
    seen = set()
    for payload in ALL_PAYLOADS:
        parsed = parse_code(payload)
        seen |= {item.code for item in parsed.problems + parsed.warnings}
    assert seen == set(MESSAGES)
