import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipm.access import policy
from ipm.catalog import services
from ipm.catalog.models import Product, ProductIdentifier, ProductStatus


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


def make_sheet(world, brand, gtin="4006381333931", **fields):
    return services.create_product(world.users["brand_editor"], brand, name="Silk scarf", gtins=[gtin], **fields)


def test_gtin_forms_normalise_to_gtin14():
    assert services.normalise_gtin("4006381333931").gtin14 == "04006381333931"
    assert services.normalise_gtin("96385074").gtin14 == "00000096385074"  # EAN-8
    assert services.normalise_gtin("036000291452").gtin14 == "00036000291452"  # UPC-A
    assert services.normalise_gtin("0 36000 29145 2").gtin14 == "00036000291452"  # spaced as printed


@pytest.mark.parametrize(
    ("raw", "message"),
    [("4006381333932", "check digit"), ("12345", "8, 12, 13 or 14"), ("40063813339ab", "only digits")],
)
def test_bad_gtins_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValidationError) as error:
        services.normalise_gtin(raw)
    assert message in " ".join(error.value.messages)


def test_a_gtin_of_another_right_holder_is_refused_without_naming_it(world, brand):
    make_sheet(world, brand)
    rival_brand = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Northwind")
    with pytest.raises(ValidationError) as error:
        services.create_product(world.users["rival_admin"], rival_brand, name="Copy", gtins=["4006381333931"])
    assert "already registered" in str(error.value)
    assert "Aurelia" not in str(error.value) and "Brand A" not in str(error.value)
    assert not Product.objects.filter(brand=rival_brand).exists()  # nothing half-created


def test_validation_errors_change_nothing(world, brand):
    with pytest.raises(ValidationError):
        make_sheet(world, brand, hs_code="7701")
    with pytest.raises(ValidationError):
        make_sheet(world, brand, hs_code="770100")  # chapter 77 is reserved
    with pytest.raises(ValidationError):
        make_sheet(world, brand, country_of_manufacture="XX")
    with pytest.raises(ValidationError):
        make_sheet(world, brand, price_min=10, price_max=5, currency="EUR")
    assert Product.objects.count() == 0
    assert ProductIdentifier.objects.count() == 0


def test_who_may_author(world, brand):
    for key in ("brand_viewer", "rival_admin", "fr_officer", "other_counsel_admin", "provider_admin"):
        with pytest.raises(PermissionDenied):
            services.create_product(world.users[key], brand, name="X")
    # The mandated legal representative and the secretariat act for the right holder.
    services.create_product(world.users["counsel_editor"], brand, name="By counsel")
    services.create_product(world.users["secretariat_editor"], brand, name="By secretariat")


def test_drafts_are_seen_only_by_their_right_holder_and_representatives(world, brand):
    sheet = make_sheet(world, brand)
    for key, sees in {
        "brand_viewer": True,
        "counsel_viewer": True,
        "secretariat_viewer": True,
        "rival_admin": False,
        "other_counsel_admin": False,
        "fr_officer": False,
        "provider_admin": False,
    }.items():
        assert policy.visible_products(world.users[key]).filter(pk=sheet.pk).exists() is sees, key


def test_publication_needs_content_then_officers_of_permitted_countries_see_it(world, brand):
    editor = world.users["brand_editor"]
    sheet = make_sheet(world, brand)
    with pytest.raises(ValidationError) as error:
        services.publish_product(editor, sheet)
    assert "clue" in str(error.value)
    services.add_clue(editor, sheet, language="en", title="Stitching", explanation="Even, 8 stitches per cm")
    services.set_visibility(editor, sheet, all_countries=False, countries_=["FR"])
    services.publish_product(editor, sheet)
    sheet.refresh_from_db()
    assert sheet.status == ProductStatus.PUBLISHED
    assert policy.visible_products(world.users["fr_officer"]).filter(pk=sheet.pk).exists()
    assert not policy.visible_products(world.users["ma_officer"]).filter(pk=sheet.pk).exists()
    services.set_visibility(editor, sheet, all_countries=True)
    assert policy.visible_products(world.users["ma_officer"]).filter(pk=sheet.pk).exists()
    services.archive_product(editor, sheet)
    assert not policy.visible_products(world.users["fr_officer"]).filter(pk=sheet.pk).exists()


def test_every_change_leaves_a_revision_with_the_previous_version(world, brand):
    editor = world.users["brand_editor"]
    sheet = make_sheet(world, brand)
    services.update_product(editor, sheet, hs_code="621410", currency="EUR", price_min=100, price_max=300)
    services.set_product_text(editor, sheet, "fr", name="Foulard en soie")
    revisions = list(sheet.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].snapshot["hs_code"] == ""
    assert revisions[1].snapshot["hs_code"] == "621410"
    assert "hs_code" in revisions[1].changed_fields
    assert revisions[2].snapshot["translations"]["fr"]["name"] == "Foulard en soie"
    assert all(r.author == editor for r in revisions)


def test_translation_status_marks_missing_and_outdated(world, brand):
    editor = world.users["brand_editor"]
    sheet = make_sheet(world, brand)
    services.set_product_text(editor, sheet, "fr", name="Foulard en soie")
    assert services.translation_status(sheet)["fr"] == "current"
    assert services.translation_status(sheet)["ar"] == "missing"
    services.set_product_text(editor, sheet, "en", description="New wording")
    assert services.translation_status(sheet)["fr"] == "outdated"
    assert services.translation_status(sheet)["en"] == "source"


def test_officers_learn_only_the_brands_of_sheets_they_may_read(world, brand):
    secret = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Unreleased")
    services.create_product(world.users["rival_admin"], secret, name="Prototype", gtins=["96385074"])
    sheet = make_sheet(world, brand)
    services.add_clue(world.users["brand_editor"], sheet, language="en", title="Hem")
    services.set_visibility(world.users["brand_editor"], sheet, all_countries=False, countries_=["FR"])
    services.publish_product(world.users["brand_editor"], sheet)
    assert list(policy.visible_brands(world.users["fr_officer"])) == [brand]
    assert list(policy.visible_brands(world.users["ma_officer"])) == []
    assert set(policy.visible_brands(world.users["secretariat_viewer"])) == {brand, secret}
