"""The demo: it loads twice without duplicating anything, every demo account signs in, sheets are visible to the
countries they are meant for, and its GTINs — which later features' tests scan — are valid, unique and documented.

Loading the demo draws and stores some 200 pictures (a dozen seconds), so it is loaded once for this module, inside
a transaction rolled back at the end; each test runs in a savepoint within it, as Django's ``TestCase`` does with
``setUpTestData``. The pictures go to a temporary MEDIA_ROOT.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image, ImageChops

from ipm.access import policy
from ipm.accounts.models import Organisation, User
from ipm.catalog import media, presentation, reminders
from ipm.catalog.models import (
    ApplicationForAction,
    Brand,
    Clue,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IdentifierKind,
    IPRight,
    Product,
    ProductIdentifier,
    ProductPhoto,
    ProductRevision,
    ProductStatus,
    Route,
    TradeParty,
)
from ipm.catalog.services import normalise_gtin
from ipm.demo import catalogue, images
from ipm.demo.services import ACCOUNTS, DEMO_PASSWORD, load_demo
from tests.hashers import QUICK_HASHERS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo.md"
COUNTED = (
    Organisation,
    User,
    Brand,
    CompanyPrefix,
    Product,
    ProductIdentifier,
    ProductPhoto,
    Clue,
    CounterfeitVariant,
    Route,
    IPRight,
    ApplicationForAction,
    Contact,
    TradeParty,
    ProductRevision,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=QUICK_HASHERS),
        transaction.atomic(),
    ):
        load_demo()
        yield media_root
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db, settings):
    settings.MEDIA_ROOT = demo
    yield demo
    # The pages requested here activate their readers' languages (French, Arabic…) in this thread, and the tests
    # that run next expect the default one.
    translation.activate(settings.LANGUAGE_CODE)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def sheet(key: str) -> Product:
    spec = next(spec for spec in catalogue.PRODUCTS if spec.key == key)
    return ProductIdentifier.objects.get(kind=IdentifierKind.GTIN, value="0" + spec.gtins[0][0]).product


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


# --- Loading ----------------------------------------------------------------------------------------------------


def test_loading_the_demo_again_adds_nothing(loaded):
    before, pictures = counts(), files(loaded)
    load_demo()
    assert counts() == before
    assert files(loaded) == pictures  # not a single picture drawn or stored again


def test_the_catalogue_has_what_the_demo_promises(loaded):
    assert Product.objects.count() == len(catalogue.PRODUCTS) >= 25
    assert Brand.objects.count() == 5
    assert {brand.right_holder.name for brand in Brand.objects.all()} == {"Aurelia Luxury Goods", "Northwind Pharma"}
    assert all(brand.logo for brand in Brand.objects.all())
    assert len(set(Product.objects.values_list("hs_code", flat=True))) >= 6
    statuses = list(Product.objects.values_list("status", flat=True))
    assert statuses.count(ProductStatus.DRAFT) == 1 and statuses.count(ProductStatus.ARCHIVED) == 1
    for product in Product.objects.all():
        assert 2 <= product.photos.count() <= 3, product
        assert 2 <= product.clues.count() <= 4, product
        assert all(clue.genuine_image and clue.counterfeit_image for clue in product.clues.all()), product
    assert Clue.objects.exclude(genuine_marks=[]).exists() and Clue.objects.filter(genuine_marks=[]).exists()
    translated = [
        product
        for product in Product.objects.all()
        if {"fr", "ar", "pt"} <= set(product.translations.values_list("language_code", flat=True))
    ]
    assert len(translated) >= 8
    for product in translated:  # the clues are translated with the sheet, not left in the source language
        for clue in product.clues.all():
            assert {"fr", "ar", "pt"} <= set(clue.translations.values_list("language_code", flat=True)), clue
    assert IPRight.objects.filter(expires_on__lt=timezone.localdate()).count() == 1
    assert {a.country.code for a in ApplicationForAction.objects.all()} == {"FR", "MA", "BR"}
    assert sum(application.is_expired for application in ApplicationForAction.objects.all()) == 1
    assert Contact.objects.filter(countries__contains="FR").exclude(emergency_phone="").exists()
    assert set(CompanyPrefix.objects.values_list("prefix", flat=True)) == {"7612345", "4098765"}


def test_pictures_are_stored_with_their_thumbnails_and_mark_crops(loaded):
    clue = Clue.objects.exclude(genuine_marks=[]).first()
    names = media.derived_names(clue.genuine_image.name, clue.genuine_marks)
    assert len(names) == 1 + len(media.THUMBNAIL_SIZES) + len(clue.genuine_marks)
    assert all(default_storage.exists(name) for name in names)
    photo = ProductPhoto.objects.first()
    with default_storage.open(photo.image.name) as stored:
        assert Image.open(stored).size == (images.SIZE, images.SIZE)


# --- Accounts and visibility ------------------------------------------------------------------------------------


def test_every_demo_account_signs_in(loaded, client):
    for account in ACCOUNTS:
        assert client.login(email=account.email, password=DEMO_PASSWORD), account.email
        assert client.get(reverse("home")).status_code == 200
        client.logout()


def test_the_france_only_sheet_is_seen_by_french_officers_only(loaded, client_for):
    wallet = sheet("AUR-WAL-CPT")
    assert not wallet.visible_to_all_countries
    url = reverse("catalog:product_detail", args=[wallet.pk])
    assert client_for(demo_user("officer-fr@ipm.demo")).get(url).status_code == 200
    assert client_for(demo_user("officer-ma@ipm.demo")).get(url).status_code == 404
    assert client_for(demo_user("officer-br@ipm.demo")).get(url).status_code == 404
    assert not policy.visible_products(demo_user("officer-ma@ipm.demo")).filter(pk=wallet.pk).exists()


def test_drafts_and_archived_sheets_are_hidden_from_officers(loaded):
    officer = demo_user("officer-fr@ipm.demo")
    for key in ("AUR-BELT-REV30", "AUR-SC70-ARCH19"):
        assert not policy.visible_products(officer).filter(pk=sheet(key).pk).exists(), key
    assert policy.visible_products(demo_user("brand-editor@ipm.demo")).filter(pk=sheet("AUR-BELT-REV30").pk).exists()


def test_the_officer_page_shows_every_section(loaded, client_for):
    scarf = sheet("AUR-SC90-RIV")
    response = client_for(demo_user("officer-fr@ipm.demo")).get(reverse("catalog:product_detail", args=[scarf.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Carré Aurelia en twill de soie 90 — Riviera" in html  # read in French
    for section in ('id="clues"', 'id="contacts"', 'id="ip-rights"', 'id="applications"', 'id="variants"'):
        assert section in html, section
    assert 'id="routes"' in html and 'id="data-age"' in html
    assert "+33 6 70 12 34 56" in html  # the 24/7 number for France


def test_the_stale_sheet_warns_officers_and_is_due_for_a_reminder(loaded):
    quartz = sheet("AH-2032-Q")
    assert quartz.status == ProductStatus.PUBLISHED
    assert reminders.stale_sheets().filter(pk=quartz.pk).exists()
    assert list(reminders.stale_sheets()) == [quartz]  # every other published sheet is current
    officer = demo_user("officer-fr@ipm.demo")
    product = presentation.sheet_queryset(policy.visible_products(officer)).get(pk=quartz.pk)
    assert presentation.build_sheet(officer, product, language="fr", country="FR").stale


def test_a_sheet_in_english_and_french_only_falls_back_for_arabic_and_portuguese_readers(loaded):
    candle = sheet("MV-BOUG-FIG")
    assert set(candle.translations.values_list("language_code", flat=True)) == {"en", "fr"}
    officer = demo_user("officer-ma@ipm.demo")
    product = presentation.sheet_queryset(policy.visible_products(officer)).get(pk=candle.pk)
    for language, fallback in (("ar", True), ("pt", True), ("fr", False), ("en", False)):
        assert presentation.build_sheet(officer, product, language=language).texts.fallback is fallback, language


# --- GTINs ------------------------------------------------------------------------------------------------------


def demo_gtins() -> list[tuple[str, str]]:
    return [(spec.key, gtin) for spec in catalogue.PRODUCTS for gtin, _variant in spec.gtins]


def test_demo_gtins_are_valid_unique_and_registered(loaded):
    gtins = [gtin for _key, gtin in demo_gtins()]
    assert len(gtins) == len(set(gtins))
    for key, gtin in demo_gtins():
        assert len(gtin) == 13
        normalised = normalise_gtin(gtin)  # biip checks the check digit
        holder = sheet(key).brand.right_holder
        prefix = CompanyPrefix.objects.get(right_holder=holder).prefix
        assert gtin.startswith(prefix), (key, gtin)
        identifier = ProductIdentifier.objects.get(kind=IdentifierKind.GTIN, value=normalised.gtin14)
        assert identifier.product == sheet(key)
    assert ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN).count() == len(gtins)


def test_the_check_digit_is_computed_as_gs1_says():
    assert catalogue.gtin13("400638133393", "") == "4006381333931"  # a published EAN-13
    assert catalogue.gtin13("7612345", "00101") == "7612345001012"
    with pytest.raises(ValueError):
        catalogue.gtin13("7612345", "001")


def test_docs_list_every_demo_sheet_with_its_gtins():
    text = DOCS.read_text()
    for spec in catalogue.PRODUCTS:
        row = next((line for line in text.splitlines() if f"`{spec.key}`" in line), "")
        assert row, spec.key
        for gtin, _variant in spec.gtins:
            assert gtin in row, (spec.key, gtin)
    listed = set(re.findall(r"\b\d{13}\b", text))
    assert listed == {gtin for _key, gtin in demo_gtins()}


# --- Pictures ---------------------------------------------------------------------------------------------------


def test_pictures_are_deterministic_and_the_pairs_differ():
    look = images.Look("scarf", "AURELIA", (30, 62, 128))
    assert images.product_photo(look) == images.product_photo(look)
    pair = images.clue_pair("logo", look)
    assert pair == images.clue_pair("logo", look)
    assert pair.genuine != pair.counterfeit
    genuine, counterfeit = (Image.open(io.BytesIO(data)).convert("L") for data in (pair.genuine, pair.counterfeit))
    histogram = ImageChops.difference(genuine, counterfeit).histogram()
    assert sum(histogram[40:]) > 1000  # pixels visibly different, not just JPEG noise
    assert images.misspell("AURELIA") != "AURELIA"


def test_every_kind_of_detail_and_shape_draws():
    look = images.Look("charger", "VOLTIX", (246, 246, 246), (20, 120, 220))
    for detail in images.DETAILS:
        pair = images.clue_pair(detail, look)
        assert pair.genuine_marks and all(0 <= mark["x"] <= 1 for mark in pair.genuine_marks), detail
    for shape in images.SHAPES:
        data = images.product_photo(images.Look(shape, "BRAND", (120, 60, 30)))
        assert Image.open(io.BytesIO(data)).format == "JPEG", shape


def test_the_barcode_in_the_pictures_is_a_true_ean_13():
    # The modules zxing-cpp's encoder draws for this GTIN (checked once by decoding the demo's own pictures).
    expected = (
        "101" "0101111" "0110011" "0010011" "0100001" "0100011" "0111001"
        "01010" "1110010" "1110010" "1100110" "1110010" "1100110" "1101100" "101"
    )  # fmt: skip
    assert images.ean13_modules("7612345001012") == expected
    with pytest.raises(ValueError):
        images.ean13_modules("761234500101")


# --- IPM Connected ----------------------------------------------------------------------------------------------


def test_the_connected_demo_service_secures_the_watch_and_keeps_its_secret(loaded, settings, tmp_path):
    from ipm.connected.services import services_for
    from ipm.demo.connected import load_connected

    settings.VAR_DIR = tmp_path
    service = load_connected()
    again = load_connected()  # idempotent, and the secret the running provider reads stays
    assert again.pk == service.pk and again.secret == service.secret
    assert (tmp_path / "reference-provider.secret").read_text().strip() == service.secret
    assert service.status == "approved" and service.verification_url == "http://127.0.0.1:8001/verify"
    watch = sheet("AH-2046-38")
    assert [found.pk for found in services_for(product=watch, gtin="07612345010014")] == [service.pk]
    scarf = sheet("AUR-SC90-RIV")  # Aurelia's scarves are not under it
    assert services_for(product=scarf, gtin="07612345001012") == []
