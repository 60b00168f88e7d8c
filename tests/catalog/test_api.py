"""The catalogue API: officers read sheets (by id and by barcode), right holders write them, with the same access
policy as the pages and the API's stable error shape."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token, update_preferences
from ipm.catalog import services
from ipm.catalog.models import Clue, Product, ProductIdentifier, ProductStatus
from tests.catalog.sheets import GTIN_13, GTIN_14, full_sheet

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # parler caches translations by primary key, and keys repeat from one test to the next
    yield
    cache.clear()


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


class Caller:
    """One user's API client, authenticated by a personal token."""

    def __init__(self, user, scope=ApiScope.WRITE):
        _token, key = create_api_token(user, name="tests", scope=scope)
        self.client = Client(headers={"authorization": f"Bearer {key}"})

    def __call__(self, method, path, body=None, **query):
        send = getattr(self.client, method.lower())
        if body is not None:
            return send(BASE + path, json.dumps(body), content_type="application/json", query_params=query)
        return send(BASE + path, query_params=query)


@pytest.fixture
def as_user(world):
    callers = {}

    def get(key, scope=ApiScope.WRITE):
        if (key, scope) not in callers:
            callers[key, scope] = Caller(world.users[key], scope)
        return callers[key, scope]

    return get


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    return body["error"]


def messages(error) -> str:
    return " ".join(detail["message"] for detail in error["details"])


# --- The life of a sheet through the API --------------------------------------------------------------------------


def test_create_translate_publish_then_officers_read_it(world, as_user, brand):
    editor = as_user("brand_editor")
    response = editor(
        "POST",
        "/products",
        {"brand_id": brand.pk, "name": "Silk scarf", "language": "en", "gtins": [GTIN_13], "hs_code": "6214.10"},
    )
    assert response.status_code == 201, response.content
    sheet = response.json()
    product_id = sheet["id"]
    assert sheet["status"] == "draft" and sheet["hs_code"] == "621410" and sheet["source_language"] == "en"
    assert [(i["kind"], i["value"], i["printed_value"]) for i in sheet["identifiers"]] == [("gtin", GTIN_14, GTIN_13)]
    assert sheet["visible_to_all_countries"] is True and sheet["visible_countries"] == []
    assert as_user("fr_officer")("GET", f"/products/{product_id}").status_code == 404  # a draft

    response = editor("PUT", f"/products/{product_id}/texts/fr", {"name": "Foulard en soie", "description": "Soie."})
    assert response.status_code == 200 and response.json()["name"] == "Foulard en soie"
    clue = editor("POST", f"/products/{product_id}/clues", {"language": "en", "title": "Stitching", "kind": "label"})
    assert clue.status_code == 201 and clue.json()["title"] == "Stitching" and clue.json()["kind"] == "label"
    response = editor("PUT", f"/products/{product_id}/visibility", {"all_countries": False, "countries": ["FR"]})
    assert response.json()["visible_countries"] == ["FR"]
    response = editor("POST", f"/products/{product_id}/publish")
    assert response.status_code == 200 and response.json()["status"] == "published"

    officer = world.users["fr_officer"]
    update_preferences(officer, language="fr")
    sheet = as_user("fr_officer")("GET", f"/products/{product_id}").json()
    assert sheet["name"] == "Foulard en soie" and sheet["language"] == "fr"
    assert sheet["fallback"] is False and sheet["country"] == "FR"
    assert sheet["clues"][0]["title"] == "Stitching" and sheet["clues"][0]["fallback"] is True
    assert sheet["visible_countries"] is None and sheet["visible_to_all_countries"] is None  # editors only
    assert sheet["available_languages"] == ["en", "fr"]
    spanish = as_user("fr_officer")("GET", f"/products/{product_id}", language="es").json()
    assert spanish["name"] == "Silk scarf" and spanish["language"] == "en" and spanish["fallback"] is True
    assert spanish["translation_missing"] is True and spanish["requested_language"] == "es"
    assert as_user("ma_officer")("GET", f"/products/{product_id}").status_code == 404  # not shared with Morocco


def test_publication_is_refused_with_reasons_while_the_sheet_is_incomplete(as_user, brand):
    editor = as_user("brand_editor")
    product_id = editor("POST", "/products", {"brand_id": brand.pk, "name": "Bare"}).json()["id"]
    error = error_of(editor("POST", f"/products/{product_id}/publish"), 422)
    assert error["code"] == "invalid_input"
    assert "GTIN" in messages(error) and "clue" in messages(error)
    assert Product.objects.get(pk=product_id).status == ProductStatus.DRAFT


def test_status_changes_and_review(world, as_user, brand):
    sheet = full_sheet(world, brand)
    editor, path = as_user("counsel_editor"), f"/products/{sheet.product.pk}"  # the mandated representative
    assert editor("POST", path + "/archive").json()["status"] == "archived"
    assert as_user("fr_officer")("GET", path).status_code == 404
    assert editor("POST", path + "/draft").json()["status"] == "draft"
    assert editor("POST", path + "/publish").json()["status"] == "published"
    Product.objects.filter(pk=sheet.product.pk).update(
        last_reviewed_at=sheet.product.last_reviewed_at.replace(year=2020)
    )
    assert editor("GET", path).json()["stale"] is True
    reviewed = editor("POST", path + "/review").json()
    assert reviewed["stale"] is False and reviewed["data_age_days"] == 0


def test_patch_details_and_edit_codes_and_clues(world, as_user, brand):
    sheet = full_sheet(world, brand)
    editor, path = as_user("brand_editor"), f"/products/{sheet.product.pk}"
    response = editor("PATCH", path, {"country_of_manufacture": "it", "intended_markets": ["FR", "MA"]})
    assert response.status_code == 200
    assert response.json()["country_of_manufacture"] == "IT" and response.json()["intended_markets"] == ["FR", "MA"]
    error = error_of(editor("PATCH", path, {"hs_code": None}), 422)  # null is not a value; "" clears it
    assert error["code"] == "invalid_input"
    error = error_of(editor("PATCH", path, {"price_min": 500, "price_max": 100}), 422)
    assert "price" in messages(error)

    response = editor("POST", path + "/identifiers", {"kind": "sku", "value": "SC-90-ORANGE", "variant": "orange"})
    assert response.status_code == 201 and response.json()["value"] == "SC-90-ORANGE"
    sku_id = response.json()["id"]
    assert editor("DELETE", f"{path}/identifiers/{sku_id}").status_code == 204
    assert not ProductIdentifier.objects.filter(pk=sku_id).exists()

    clue_id = sheet.product.clues.first().pk
    response = editor("PATCH", f"{path}/clues/{clue_id}", {"language": "fr", "title": "Couture"})
    assert response.status_code == 200 and response.json()["title"] == "Couture" and response.json()["language"] == "fr"
    assert editor("DELETE", f"{path}/clues/{clue_id}").status_code == 204
    assert not Clue.objects.filter(pk=clue_id).exists()
    other = full_sheet(world, brand, gtin="96385074", name="Belt")
    other_clue = other.product.clues.first().pk
    error_of(editor("DELETE", f"{path}/clues/{other_clue}"), 404)  # a clue of another sheet, through this one

    response = editor("PUT", path + "/texts/fr", {"name": "Foulard"})
    assert response.status_code == 200
    assert editor("DELETE", path + "/texts/fr").json()["available_languages"] == ["en"]
    error = error_of(editor("DELETE", path + "/texts/en"), 422)
    assert "source language" in messages(error)
    error_of(editor("PUT", path + "/texts/xx", {"name": "?"}), 422)


# --- Who may do what --------------------------------------------------------------------------------------------


def test_a_read_only_token_cannot_write(world, as_user, brand):
    sheet = full_sheet(world, brand)
    reader = as_user("brand_editor", ApiScope.READ)
    assert reader("GET", f"/products/{sheet.product.pk}").status_code == 200
    count = Product.objects.count()
    error = error_of(reader("POST", "/products", {"brand_id": brand.pk, "name": "X"}), 403)
    assert error["code"] == "forbidden"
    error_of(reader("PATCH", f"/products/{sheet.product.pk}", {"hs_code": "610910"}), 403)
    error_of(reader("POST", f"/products/{sheet.product.pk}/archive"), 403)
    assert Product.objects.count() == count
    sheet.product.refresh_from_db()
    assert sheet.product.hs_code == "621410" and sheet.product.status == ProductStatus.PUBLISHED


def test_others_cannot_change_a_sheet(world, as_user, brand):
    sheet = full_sheet(world, brand, visible_countries=["FR"])
    path = f"/products/{sheet.product.pk}"
    for key in ("rival_admin", "other_counsel_editor", "provider_admin", "ma_officer"):  # cannot see it: 404
        assert error_of(as_user(key)("PATCH", path, {"hs_code": "610910"}), 404)["code"] == "not_found", key
        error_of(as_user(key)("POST", path + "/archive"), 404)
    for key in ("fr_officer", "brand_viewer", "counsel_viewer"):  # see it, may not change it: 403
        error_of(as_user(key)("PATCH", path, {"hs_code": "610910"}), 403)
        error_of(as_user(key)("POST", path + "/clues", {"language": "en", "title": "Mine"}), 403)
    sheet.product.refresh_from_db()
    assert sheet.product.hs_code == "621410" and sheet.product.clues.count() == 5


def test_rivals_do_not_see_drafts_in_lists(world, as_user, brand):
    full_sheet(world, brand, publish=False)
    assert as_user("rival_admin")("GET", "/products").json()["count"] == 0
    assert as_user("fr_officer")("GET", "/products").json()["count"] == 0
    assert as_user("brand_viewer")("GET", "/products").json()["count"] == 1
    error_of(as_user("rival_admin")("POST", "/products", {"brand_id": brand.pk, "name": "Copy"}), 404)
    # The brand has only a draft, so officers do not know it exists: 404, not 403.
    error_of(as_user("fr_officer")("POST", "/products", {"brand_id": brand.pk, "name": "Copy"}), 404)


# --- GTINs ------------------------------------------------------------------------------------------------------


def test_an_invalid_gtin_is_refused_with_the_stable_shape(as_user, brand):
    error = error_of(
        as_user("brand_editor")("POST", "/products", {"brand_id": brand.pk, "name": "X", "gtins": ["4006381333932"]}),
        422,
    )
    assert error["code"] == "invalid_input"
    assert error["details"][0]["location"] == ["gtins"] and "check digit" in error["details"][0]["message"]
    assert not Product.objects.exists()


def test_a_gtin_of_another_right_holder_is_refused_without_naming_it(world, as_user, brand):
    full_sheet(world, brand)
    rival_brand = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Northwind")
    response = as_user("rival_admin")(
        "POST", "/products", {"brand_id": rival_brand.pk, "name": "Copy", "gtins": [GTIN_14]}
    )
    error = error_of(response, 422)
    assert "already registered" in messages(error)
    text = response.content.decode()
    assert "Aurelia" not in text and "Brand A" not in text and "Silk scarf" not in text
    assert not Product.objects.filter(brand=rival_brand).exists()


def test_lookup_by_gtin_in_any_printed_form(world, as_user, brand):
    sheet = full_sheet(world, brand, visible_countries=["FR"])
    officer = as_user("fr_officer")
    for printed in (GTIN_13, GTIN_14, "4 006381 333931"):
        response = officer("GET", f"/products/by-gtin/{printed}")
        assert response.status_code == 200, printed
        assert response.json()["id"] == sheet.product.pk
    assert error_of(officer("GET", "/products/by-gtin/96385074"), 404)["code"] == "not_found"  # valid, unknown
    assert error_of(officer("GET", "/products/by-gtin/4006381333932"), 422)["code"] == "invalid_input"
    assert error_of(officer("GET", "/products/by-gtin/abc"), 422)["code"] == "invalid_input"
    assert error_of(as_user("ma_officer")("GET", f"/products/by-gtin/{GTIN_13}"), 404)["code"] == "not_found"
    assert error_of(as_user("rival_admin")("GET", f"/products/by-gtin/{GTIN_13}"), 404)["code"] == "not_found"


# --- What an officer reads ----------------------------------------------------------------------------------------


def test_the_officer_reads_contacts_rights_and_applications_for_their_country(world, as_user, brand):
    sheet = full_sheet(world, brand)
    fr = as_user("fr_officer")("GET", f"/products/{sheet.product.pk}").json()
    ma = as_user("ma_officer")("GET", f"/products/{sheet.product.pk}").json()
    assert {c["name"] for c in fr["contacts"]} == {"Claire Dubois", "Global desk"}
    assert {c["name"] for c in ma["contacts"]} == {"Global desk"}
    assert [a["reference"] for a in fr["applications_for_action"]] == ["FR-AFA-2024-17"]
    assert [(a["reference"], a["expired"]) for a in ma["applications_for_action"]] == [("MA-2019-3", True)]
    assert fr["applications_for_action"][0]["expired"] is False
    assert fr["applications_for_action"][0]["ip_right_ids"] == [sheet.valid_right.pk]
    expired = {r["number"]: r["expired"] for r in fr["ip_rights"]}
    assert expired == {sheet.valid_right.number: False, sheet.expired_right.number: True, "1234567": False}
    assert len(fr["photos"]) == 3 and fr["photos"][0]["url"].startswith("http://testserver/media/")
    assert len(fr["clues"]) == 5 and fr["clues"][0]["genuine_image_url"].startswith("http://testserver/")
    assert [v["name"] for v in fr["counterfeit_variants"]] == ["Fake 1", "Fake 2"]
    assert fr["routes"][1] == {
        "origin": "FR",
        "transit": ["BE"],
        "destination": "MA",
        "ports": ["FRLEH", "MACAS"],
        "modes": ["sea"],
    }


def test_editors_preview_as_an_officer_of_a_country(world, as_user, brand):
    sheet = full_sheet(world, brand, visible_countries=["FR"])
    path = f"/products/{sheet.product.pk}"
    preview = as_user("brand_editor")("GET", path, as_country="MA").json()
    assert preview["preview"] is True and preview["country"] == "MA" and preview["visible_in_country"] is False
    assert {c["name"] for c in preview["contacts"]} == {"Global desk"}
    assert as_user("brand_editor")("GET", path, as_country="fr").json()["visible_in_country"] is True
    error_of(as_user("brand_editor")("GET", path, as_country="XX"), 422)
    ordinary = as_user("fr_officer")("GET", path, as_country="MA").json()  # not an editor: the ordinary view
    assert ordinary["preview"] is False and ordinary["country"] == "FR"


def test_list_is_paged_filtered_and_in_the_callers_language(world, as_user, brand):
    first = full_sheet(world, brand, clues=1, photos=0, variants=0, routes=0)
    full_sheet(world, brand, gtin="96385074", name="Leather belt", clues=1, photos=0, variants=0, routes=0)
    services.set_product_text(world.users["brand_editor"], first.product, "fr", name="Foulard en soie")
    officer = as_user("fr_officer")
    page = officer("GET", "/products", limit=1)
    assert page.status_code == 200 and page.json()["count"] == 2 and len(page.json()["items"]) == 1
    found = officer("GET", "/products", q="FOULARD", language="fr").json()
    assert [(i["name"], i["language"], i["fallback"]) for i in found["items"]] == [("Foulard en soie", "fr", False)]
    found = officer("GET", "/products", q="belt", language="fr").json()
    assert [(i["name"], i["fallback"]) for i in found["items"]] == [("Leather belt", True)]
    rival_brand = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Northwind")
    assert officer("GET", "/products", brand_id=rival_brand.pk).json()["count"] == 0
    error_of(officer("GET", "/products", language="xx"), 422)


# --- Brands -----------------------------------------------------------------------------------------------------


def test_brands_are_created_by_right_holders_and_their_representatives(world, as_user, brand):
    response = as_user("brand_editor")("POST", "/brands", {"name": "Aurelia Sport"})
    assert response.status_code == 201 and response.json()["right_holder_id"] == world.orgs["brand"].pk
    response = as_user("counsel_editor")(
        "POST", "/brands", {"name": "Aurelia Kids", "right_holder_id": world.orgs["brand"].pk}
    )
    assert response.status_code == 201
    error_of(as_user("counsel_editor")("POST", "/brands", {"name": "Own"}), 403)  # a law firm has no brands
    error_of(
        as_user("other_counsel_editor")("POST", "/brands", {"name": "X", "right_holder_id": brand.right_holder_id}), 404
    )
    error_of(as_user("brand_viewer")("POST", "/brands", {"name": "Viewer's"}), 403)
    error = error_of(as_user("brand_admin")("POST", "/brands", {"name": "aurelia"}), 422)
    assert "already have a brand" in messages(error)
    names = [b["name"] for b in as_user("rival_admin")("GET", "/brands").json()["items"]]
    assert names == []
    names = [b["name"] for b in as_user("brand_viewer")("GET", "/brands").json()["items"]]
    assert names == ["Aurelia", "Aurelia Kids", "Aurelia Sport"]
