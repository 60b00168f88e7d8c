"""``ipm.scans.services.scan``: what each kind of user gets for each kind of code, what is logged, and in how many
queries."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ipm.catalog.models import Contact
from ipm.scans import services
from ipm.scans.decoding import PhotoError
from ipm.scans.models import ScanLog, ScanResult, ScanSource
from tests.scans.conftest import BRAND_PREFIX, CODES, photo_of

pytestmark = pytest.mark.django_db


def scan_code(user, code, source=ScanSource.API):
    outcome = services.scan(user, code=code, source=source)
    assert len(outcome.results) == 1
    return outcome.results[0]


# --- Product found ------------------------------------------------------------------------------------------------


def test_an_officer_finds_a_published_sheet_by_its_ean13(world, catalogue):
    officer = world.users["ma_officer"]
    item = scan_code(officer, CODES["published"])
    product = catalogue.products["published"]
    assert item.match == ScanResult.PRODUCT
    assert item.product.id == product.pk
    assert item.product.name == "Scarf published"
    assert item.product.brand == "Aurelia" and item.brand.id == catalogue.brands["aurelia"].pk
    assert item.product.right_holder == "Brand A"
    assert item.product.url == reverse("catalog:product_detail", args=[product.pk])
    assert item.product.thumbnail_url.endswith("_160.jpg")
    assert item.alerts == []
    log = ScanLog.objects.get(pk=item.log_id)
    assert (log.result, log.product_id, log.brand_id, log.right_holder_id) == (
        ScanResult.PRODUCT,
        product.pk,
        catalogue.brands["aurelia"].pk,
        world.orgs["brand"].pk,
    )
    assert (log.user_id, log.organisation_id, log.country, log.source) == (
        officer.pk,
        world.orgs["ma"].pk,
        "MA",
        ScanSource.API,
    )
    assert log.gtin == "0" + CODES["published"] and log.raw_code == CODES["published"]


def test_the_name_is_in_the_readers_language_with_the_source_as_fallback(world, catalogue):
    officer = world.users["fr_officer"]
    with translation.override("fr"):
        assert scan_code(officer, CODES["published"]).product.name == "Foulard published"
    with translation.override("ar"):  # no Arabic text: the source language's
        assert scan_code(officer, CODES["published"]).product.name == "Scarf published"


@pytest.mark.parametrize(
    "code",
    [
        "0" + CODES["published"],  # GTIN-14
        f"]E0{CODES['published']}",  # with the EAN symbology identifier
        f"(01)0{CODES['published']}(10)LOT42(21)SER-9",  # bracketed element string
        f"]d2010{CODES['published']}10LOT42\x1d21SER-9",  # GS1 DataMatrix content, GS-separated
        f"https://brand.example/01/0{CODES['published']}/10/LOT42/21/SER-9",  # GS1 Digital Link, any domain
    ],
)
def test_every_form_of_the_code_finds_the_same_sheet(world, catalogue, code):
    item = scan_code(world.users["fr_officer"], code)
    assert item.match == ScanResult.PRODUCT and item.product.id == catalogue.products["published"].pk
    log = ScanLog.objects.get(pk=item.log_id)
    if "LOT42" in code:
        assert (log.lot, log.serial) == ("LOT42", "SER-9")


def test_a_sheet_shared_with_france_only(world, catalogue):
    assert scan_code(world.users["fr_officer"], CODES["fr_only"]).match == ScanResult.PRODUCT
    # Morocco's officer does not learn the sheet exists: the prefix names its owner, as for any unknown code.
    item = scan_code(world.users["ma_officer"], CODES["fr_only"])
    assert item.match == ScanResult.BRAND and item.product is None


def test_the_right_holder_finds_its_own_draft_and_the_secretariat_any(world, catalogue):
    for role in ("brand_viewer", "counsel_viewer", "secretariat_viewer"):
        item = scan_code(world.users[role], CODES["draft"])
        assert item.match == ScanResult.PRODUCT, role
    for role in ("fr_officer", "rival_admin", "other_counsel_admin"):
        assert scan_code(world.users[role], CODES["draft"]).product is None, role


# --- Brand owner found, product unknown ---------------------------------------------------------------------------


def test_an_unknown_gtin_inside_a_registered_prefix_names_the_right_holder(world, catalogue):
    officer = world.users["fr_officer"]
    world.orgs["brand"].email, world.orgs["brand"].website = "brand@brand.test", "https://brand.test"
    world.orgs["brand"].save()
    with translation.override("fr"):
        item = scan_code(officer, CODES["in_prefix"])
    assert item.match == ScanResult.BRAND
    holder = item.right_holder
    assert (holder.id, holder.name, holder.company_prefix) == (world.orgs["brand"].pk, "Brand A", BRAND_PREFIX)
    assert (holder.email, holder.website) == ("brand@brand.test", "https://brand.test")
    # The brands the officer knows (through sheets it reads): Aurelia, not Maison Verre (no sheet yet).
    assert [brand.name for brand in holder.brands] == ["Aurelia"]
    assert item.brand.name == "Aurelia"
    # General contacts and France's, French speakers first; never the contact tied to one sheet.
    assert [c.contact.name for c in holder.contacts] == ["Paris counsel", "Brand protection desk"]
    log = ScanLog.objects.get(pk=item.log_id)
    assert (log.result, log.product_id, log.right_holder_id) == (ScanResult.BRAND, None, world.orgs["brand"].pk)


def test_a_prefix_owner_whose_sheets_the_officer_cannot_read(world, catalogue):
    """The rival has no sheet Morocco reads: its name and general contacts, but no brand, are given."""
    Contact.objects.create(right_holder=world.orgs["rival"], name="Rival desk", countries=["MA"])
    Contact.objects.create(right_holder=world.orgs["rival"], name="Rival Brazil", countries=["BR"])
    item = scan_code(world.users["ma_officer"], CODES["rival_draft"])
    assert item.match == ScanResult.BRAND
    assert item.right_holder.name == "Brand B" and item.right_holder.brands == []
    assert item.brand is None
    assert [c.contact.name for c in item.right_holder.contacts] == ["Rival desk"]


def test_a_right_holder_scanning_a_rivals_code_learns_the_name_but_no_contact(world, catalogue):
    Contact.objects.create(right_holder=world.orgs["rival"], name="Rival desk")
    item = scan_code(world.users["brand_admin"], CODES["rival_draft"])
    assert item.match == ScanResult.BRAND
    assert item.right_holder.name == "Brand B"
    assert item.right_holder.brands == [] and item.right_holder.contacts == []


def test_a_suspended_right_holder_is_not_named(world, catalogue):
    world.orgs["rival"].is_active = False
    world.orgs["rival"].save()
    assert scan_code(world.users["fr_officer"], CODES["rival_draft"]).match == ScanResult.NONE


# --- Nothing found, and codes without a GTIN ----------------------------------------------------------------------


@pytest.mark.parametrize("code", [CODES["unknown"], "https://example.com/promo", "Batch 42"])
def test_unknown_codes_and_codes_without_a_gtin_answer_none(world, catalogue, code):
    item = scan_code(world.users["fr_officer"], code)
    assert item.match == ScanResult.NONE
    assert item.product is None and item.right_holder is None and item.brand is None
    assert ScanLog.objects.get(pk=item.log_id).result == ScanResult.NONE


# --- Invalid codes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, problem",
    [
        ("4006381333932", "bad_check_digit"),
        ("(01)09506000134352(17)3012", "truncated"),
        ("x" * 600, "too_long"),
        ("\x00\x01\x02", "binary"),
        ("(21)ABC", "serial_without_gtin"),
    ],
)
def test_an_invalid_code_is_refused_with_the_parsers_problems_and_logged_as_invalid(world, catalogue, code, problem):
    with pytest.raises(services.InvalidCode) as refused:
        services.scan(world.users["fr_officer"], code=code, source=ScanSource.PAGE)
    assert [p.code for p in refused.value.items[0].parsed.problems] == [problem]
    assert refused.value.messages and all(refused.value.messages)
    log = ScanLog.objects.get()
    assert log.result == ScanResult.INVALID and log.problems == [problem]
    assert log.product_id is None and log.brand_id is None and log.right_holder_id is None
    assert len(log.raw_code) <= 512 and "\x00" not in log.raw_code


def test_an_empty_code_is_refused_but_not_logged(world, catalogue):
    with pytest.raises(services.InvalidCode) as refused:
        services.scan(world.users["fr_officer"], code=" \t", source=ScanSource.PAGE)
    assert [p.code for p in refused.value.items[0].parsed.problems] == ["empty"]
    assert not ScanLog.objects.exists()


def test_a_code_with_a_good_gtin_but_a_broken_element_is_never_logged_as_a_match(world, catalogue):
    code = f"(01)0{CODES['published']}(17)301399"  # month 13
    with pytest.raises(services.InvalidCode):
        services.scan(world.users["fr_officer"], code=code, source=ScanSource.API)
    log = ScanLog.objects.get()
    assert (log.result, log.product_id, log.problems) == (ScanResult.INVALID, None, ["invalid_date"])


# --- Photos -------------------------------------------------------------------------------------------------------


def test_a_photo_with_several_barcodes_gives_one_result_and_one_log_row_each(world, catalogue):
    data = photo_of(
        (CODES["published"], "EAN13", False),
        (f"(01)0{CODES['in_prefix']}(21)SN-1", "DataMatrix", True),
        ("https://example.com/promo", "QRCode", False),
    )
    outcome = services.scan(world.users["fr_officer"], image=data, source=ScanSource.PHOTO)
    assert [item.match for item in outcome.results] == [ScanResult.PRODUCT, ScanResult.BRAND, ScanResult.NONE]
    assert [item.barcode.format for item in outcome.results] == ["EAN-13", "Data Matrix", "QR Code"]
    assert outcome.single_product is None  # several codes: the officer chooses
    logs = ScanLog.objects.order_by("pk")
    assert [(log.result, log.source) for log in logs] == [
        (ScanResult.PRODUCT, "photo"),
        (ScanResult.BRAND, "photo"),
        (ScanResult.NONE, "photo"),
    ]
    assert logs[1].serial == "SN-1" and logs[1].symbology == "]d2"


def test_a_photo_of_one_known_product_goes_straight_to_it(world, catalogue):
    data = photo_of((f"(01)0{CODES['published']}(10)L1(21)S1", "DataMatrix", True), file_format="PNG")
    outcome = services.scan(world.users["fr_officer"], image=data, source=ScanSource.PHOTO)
    assert outcome.single_product.id == catalogue.products["published"].pk


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.4 not a picture", "not_an_image"),
        (photo_of(), "no_barcode"),
        (b"", "empty"),
    ],
)
def test_a_photo_that_cannot_be_used_is_refused_and_nothing_is_logged(world, catalogue, data, code):
    with pytest.raises(PhotoError) as refused:
        services.scan(world.users["fr_officer"], image=data, source=ScanSource.PHOTO)
    assert refused.value.code == code and refused.value.messages[0]
    assert not ScanLog.objects.exists()


def test_an_oversized_photo_is_refused_before_it_is_read(world, catalogue, settings):
    data = photo_of((CODES["published"], "EAN13", False), size=(800, 600))
    settings.MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(PhotoError) as refused:
        services.scan(world.users["fr_officer"], image=data, source=ScanSource.PHOTO)
    assert refused.value.code == "too_large"
    settings.MAX_UPLOAD_BYTES, settings.MAX_IMAGE_PIXELS = len(data), 800 * 600 - 1
    with pytest.raises(PhotoError) as refused:
        services.scan(world.users["fr_officer"], image=data, source=ScanSource.PHOTO)
    assert refused.value.code == "too_many_pixels"
    assert not ScanLog.objects.exists()


# --- Who may scan -------------------------------------------------------------------------------------------------


def test_service_providers_do_not_scan(world, catalogue):
    with pytest.raises(PermissionDenied):
        services.scan(world.users["provider_admin"], code=CODES["published"], source=ScanSource.API)
    assert not ScanLog.objects.exists()


def test_only_officers_are_logged_with_a_country(world, catalogue):
    scan_code(world.users["brand_viewer"], CODES["published"])
    scan_code(world.users["secretariat_admin"], CODES["published"])
    assert list(ScanLog.objects.values_list("country", flat=True)) == [None, None]


# --- The hot path stays lean --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["fr_officer", "brand_viewer", "secretariat_admin"])
def test_a_product_match_is_one_query_and_one_insert(world, catalogue, role):
    user = world.users[role]
    user.organisation  # noqa: B018 - loaded by the authentication already, in a request
    with CaptureQueriesContext(connection) as queries:
        scan_code(user, CODES["published"])
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("SELECT") == 1, [q["sql"] for q in queries.captured_queries]
    assert statements.count("INSERT") == 1


def test_an_unknown_code_costs_two_queries_and_one_insert(world, catalogue):
    user = world.users["fr_officer"]
    with CaptureQueriesContext(connection) as queries:
        scan_code(user, CODES["unknown"])
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert (statements.count("SELECT"), statements.count("INSERT")) == (2, 1), statements


def test_the_product_url_is_what_reverse_gives_under_any_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    original = get_script_prefix()
    try:
        for prefix in ("/", "/ipm/"):
            set_script_prefix(prefix)
            for pk in (1, 42, 987654):
                assert services.product_url(pk) == reverse("catalog:product_detail", args=[pk])
    finally:
        set_script_prefix(original)
