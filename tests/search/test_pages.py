"""The search on the officer's list of sheets (``/products/``) and in the API (``GET /api/v1/products``)."""

import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token
from ipm.catalog import media_services, services
from tests.search.helpers import ean13, sheet

LIST = reverse("catalog:product_list")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def aurelia(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def api(user, **query):
    _token, key = create_api_token(user, name="search", scope=ApiScope.READ)
    response = Client(headers={"authorization": f"Bearer {key}"}).get("/api/v1/products", query_params=query)
    return response, response.json()


# --- The page ---------------------------------------------------------------------------------------------------


def test_the_list_searches_and_shows_thumbnail_brand_and_name_in_the_readers_language(world, client_for, aurelia):
    scarf = sheet(world, aurelia, "Silk scarf", translations={"fr": {"name": "Carré de soie"}})
    media_services.add_product_photo(world.users["brand_editor"], scarf, jpeg())
    sheet(world, aurelia, "Leather belt")
    officer = world.users["fr_officer"]
    officer.language = "fr"
    officer.save()
    html = client_for(officer).get(LIST, {"q": "scraf"}).content.decode()
    assert "Carré de soie" in html and "Leather belt" not in html
    assert 'class="ipm-result-thumbnail rounded"' in html and "/media/catalog/photos/" in html
    assert "Aurelia" in html and 'id="search-summary"' in html
    html = client_for(officer).get(LIST).content.decode()  # no words: the whole list, as before
    assert "Carré de soie" in html and "Leather belt" in html and "ipm-result-no-photo" in html


def test_the_list_filters_and_pages_with_the_search_kept_in_the_links(world, client_for, aurelia, monkeypatch):
    from ipm.catalog import views_officer

    monkeypatch.setattr(views_officer, "PAGE_SIZE", 2)
    for n in range(3):
        sheet(world, aurelia, f"Silk scarf {n}", hs_code="621410", country_of_manufacture="IT")
    sheet(world, aurelia, "Silk tie", hs_code="621520")
    client = client_for(world.users["fr_officer"])
    response = client.get(LIST, {"q": "silk", "hs_chapter": "62", "country": "it"})
    html = response.content.decode()
    page = response.context["page"]
    assert (page.count, page.num_pages, [r.name for r in page.results]) == (3, 2, ["Silk scarf 2", "Silk scarf 1"])
    assert "q=silk&amp;hs_chapter=62&amp;country=IT&amp;page=2" in html
    assert '<option value="62" selected>' in html and '<option value="IT" selected>' in html
    page = client.get(LIST, {"q": "silk", "hs_chapter": "62", "country": "IT", "page": "2"}).context["page"]
    assert [r.name for r in page.results] == ["Silk scarf 0"]
    # Filters that are not filters are ignored, as the brand filter always was.
    odd = {"q": "silk", "hs_chapter": "6", "country": "XX", "brand": "x", "page": "x"}
    assert client.get(LIST, odd).context["page"].count == 4


def test_the_list_says_when_a_gtin_was_looked_up(world, client_for, aurelia):
    gtin = ean13(770001)
    sheet(world, aurelia, "Silk scarf", gtin=gtin)
    html = client_for(world.users["fr_officer"]).get(LIST, {"q": gtin}).content.decode()
    assert f"Exact look-up of the GTIN 0{gtin}." in html and "Silk scarf" in html
    html = client_for(world.users["fr_officer"]).get(LIST, {"q": ean13(770002)}).content.decode()
    assert "No sheet you may see has this GTIN." in html


@pytest.mark.parametrize("query", ['"', "NEAR(", "*:-", "x" * 3000, "!!!", "\x00"])
def test_the_list_never_fails_on_odd_queries(world, client_for, aurelia, query):
    sheet(world, aurelia, "Silk scarf")
    response = client_for(world.users["fr_officer"]).get(LIST, {"q": query})
    assert response.status_code == 200


def test_the_list_shows_only_what_the_reader_may_see(world, client_for, aurelia):
    sheet(world, aurelia, "Silk scarf for France", visible_countries=["FR"])
    sheet(world, aurelia, "Silk scarf draft", publish=False)
    html = client_for(world.users["ma_officer"]).get(LIST, {"q": "scarf"}).content.decode()
    assert "Silk scarf" not in html and "No product matches." in html
    html = client_for(world.users["fr_officer"]).get(LIST, {"q": "scarf"}).content.decode()
    assert "Silk scarf for France" in html and "Silk scarf draft" not in html
    html = client_for(world.users["brand_viewer"]).get(LIST, {"q": "scarf"}).content.decode()
    assert "Silk scarf draft" in html and "text-bg-warning" in html


# --- The API ------------------------------------------------------------------------------------------------------


def test_the_api_searches_with_filters_and_says_how(world, aurelia):
    scarf = sheet(world, aurelia, "Silk scarf", hs_code="621410", country_of_manufacture="IT")
    media_services.add_product_photo(world.users["brand_editor"], scarf, jpeg())
    sheet(world, aurelia, "Silk tie", hs_code="621520", translations={"fr": {"name": "Cravate en soie"}})
    officer = world.users["fr_officer"]
    response, body = api(officer, q="sillk", hs_chapter="62", language="fr")
    assert response.status_code == 200
    assert (body["count"], body["mode"], body["truncated"], body["partial"], body["corrected"]) == (
        2,
        "text",
        False,
        False,
        ["sillk"],
    )
    assert [item["name"] for item in body["items"]] == ["Cravate en soie", "Silk scarf"]
    assert body["items"][0]["thumbnail_url"] == ""
    assert body["items"][1]["thumbnail_url"].startswith("http://testserver/media/catalog/photos/")
    _response, body = api(officer, q="silk", country="IT", brand_id=aurelia.pk)
    assert [item["name"] for item in body["items"]] == ["Silk scarf"]
    _response, body = api(officer, q="silk", limit=1, offset=1)
    assert (body["count"], [item["name"] for item in body["items"]]) == (2, ["Silk scarf"])
    gtin = scarf.identifiers.get().printed_value
    _response, body = api(officer, q=gtin)
    assert (body["mode"], body["gtin"]) == ("gtin", "0" + gtin)
    assert [item["name"] for item in body["items"]] == ["Silk scarf"]


def test_the_api_without_q_lists_as_before(world, aurelia):
    sheet(world, aurelia, "Silk scarf", hs_code="621410")
    sheet(world, aurelia, "Leather belt", hs_code="420330")
    _response, body = api(world.users["fr_officer"])
    assert (body["count"], body["mode"], [item["name"] for item in body["items"]]) == (
        2,
        "browse",
        ["Leather belt", "Silk scarf"],
    )
    _response, body = api(world.users["fr_officer"], hs_chapter="42")
    assert [item["name"] for item in body["items"]] == ["Leather belt"]


def test_the_api_refuses_bad_filters_with_the_stable_error_shape(world):
    for query in ({"country": "XX"}, {"hs_chapter": "999"}):
        response, body = api(world.users["fr_officer"], q="silk", **query)
        assert response.status_code == 422, query
        assert body["error"]["code"] == "invalid_input" and body["error"]["details"], body


@pytest.mark.parametrize("query", ['"', "NEAR(a b", "*", "-x", "a:b", "x" * 4000, "؟؟", "\\'"])
def test_the_api_never_fails_on_odd_queries(world, aurelia, query):
    sheet(world, aurelia, "Silk scarf")
    response, body = api(world.users["fr_officer"], q=query)
    assert response.status_code == 200, json.dumps(body)[:300]
