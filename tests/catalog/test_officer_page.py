"""The officer's product page and the list of sheets: who sees what, in which language, for which country, and in
a bounded number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipm.accounts.services import update_preferences
from ipm.catalog import services
from ipm.catalog.models import Contact, Product
from tests.catalog.sheets import add_clues, full_sheet

# 8 are the session, the user, their organisation and the signed-in device's activity (middleware); the page itself
# makes 14: the sheet, its texts, codes, routes, photos and clues and known counterfeits (each with their texts),
# contacts, IP rights, applications for action and the rights they cover.
MAX_QUERIES = 22


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # parler caches translations by primary key, and keys repeat from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


@pytest.fixture
def sheet(world, brand):
    return full_sheet(world, brand)


def url(product, **query):
    base = reverse("catalog:product_detail", args=[product.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page_of(client_for, user, product, **query):
    response = client_for(user).get(url(product, **query))
    return response, response.content.decode()


# --- Who sees the page --------------------------------------------------------------------------------------------


def test_officer_sees_photos_clues_contacts_rights_and_data_age(world, client_for, sheet):
    response, html = page_of(client_for, world.users["fr_officer"], sheet.product)
    assert response.status_code == 200
    assert "Silk scarf" in html
    assert html.count('class="ipm-clue-side is-genuine"') == 5
    assert html.count('class="ipm-clue-side is-counterfeit"') == 5
    assert html.count("<figure>") == 3  # the photo strip
    assert "4006381333931" in html  # the GTIN as printed
    assert "Aurelia" in html and "Brand A" in html
    assert 'href="tel:+33612345678"' in html  # the 24/7 number, dialable
    assert 'href="tel:+442079460000"' in html
    assert "FR-AFA-2024-17" in html
    assert "MA-2019-3" not in html  # another country's application for action
    assert html.count("ipm-expired") == 1  # the expired design registration; France's application is in force
    assert "WIPO" in html  # the brand-wide registration
    assert "Fake 1" in html and "Fake 2" in html
    assert "Le Havre" not in html and "FRLEH" in html
    assert 'id="data-age"' in html and 'id="stale-warning"' not in html
    assert 'id="language-fallback"' not in html
    assert 'id="preview-form"' not in html  # officers do not preview
    assert 'id="sheet-status"' not in html


def test_officer_of_a_country_the_sheet_is_not_shared_with_gets_404(world, client_for, brand):
    sheet = full_sheet(world, brand, visible_countries=["FR"])
    assert client_for(world.users["fr_officer"]).get(url(sheet.product)).status_code == 200
    assert client_for(world.users["ma_officer"]).get(url(sheet.product)).status_code == 404


def test_drafts_and_unshared_sheets_are_hidden_from_others(world, client_for, brand):
    draft = full_sheet(world, brand, publish=False, name="Draft scarf")
    shared = full_sheet(world, brand, gtin="96385074", visible_countries=["FR"], name="FR only")
    for key in ("rival_admin", "rival_viewer", "other_counsel_admin", "provider_admin", "fr_officer"):
        assert client_for(world.users[key]).get(url(draft.product)).status_code == 404, key
    for key in ("rival_admin", "other_counsel_admin", "provider_admin", "ma_officer"):
        assert client_for(world.users[key]).get(url(shared.product)).status_code == 404, key
    for key in ("brand_viewer", "counsel_viewer", "secretariat_viewer"):
        response = client_for(world.users[key]).get(url(draft.product))
        assert response.status_code == 200, key
        assert 'id="sheet-status"' in response.content.decode(), key


def test_signed_out_visitors_are_sent_to_sign_in(client, sheet):
    response = client.get(url(sheet.product))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unknown_sheet_is_404(world, client_for, db):
    assert client_for(world.users["fr_officer"]).get("/products/999999/").status_code == 404


# --- Languages ----------------------------------------------------------------------------------------------------


def test_untranslated_sheet_falls_back_to_its_source_language_with_a_marker(world, client_for, sheet):
    officer = world.users["fr_officer"]
    update_preferences(officer, language="fr")
    response, html = page_of(client_for, officer, sheet.product)
    assert response.status_code == 200
    assert 'id="language-fallback"' in html
    assert "Silk scarf" in html
    assert '<html lang="fr"' in html


def test_translated_sheet_is_shown_in_the_officers_language(world, client_for, sheet):
    editor, officer = world.users["brand_editor"], world.users["fr_officer"]
    services.set_product_text(
        editor,
        sheet.product,
        "fr",
        name="Foulard en soie",
        description="Bords roulés main.",
        packaging="Boîte orange, ruban brun.",
    )
    clue = sheet.product.clues.first()
    services.update_clue(
        editor, clue, language="fr", title="Couture", explanation="Huit points par cm.", where_to_look="Ourlet"
    )
    update_preferences(officer, language="fr")
    response, html = page_of(client_for, officer, sheet.product)
    assert "Foulard en soie" in html and "Bords roulés main." in html
    assert "Silk scarf" not in html
    assert 'id="language-fallback"' not in html
    assert "Couture" in html
    # The four clues not translated yet carry their own marker; the translated one does not.
    assert html.count("ipm-language-marker") == 4 + 2  # and the two known counterfeits, written in English
    # An English reader may still read the original.
    response, html = page_of(client_for, officer, sheet.product, language="en")
    assert "Silk scarf" in html and "Foulard en soie" not in html


def test_a_partial_translation_fills_in_from_the_source_and_says_so(world, client_for, sheet):
    services.set_product_text(world.users["brand_editor"], sheet.product, "fr", name="Foulard en soie")
    update_preferences(world.users["fr_officer"], language="fr")
    _response, html = page_of(client_for, world.users["fr_officer"], sheet.product)
    assert "Foulard en soie" in html and "Hand-rolled edges" in html
    assert 'id="language-fallback"' in html


def test_arabic_page_is_right_to_left(world, client_for, sheet):
    update_preferences(world.users["ma_officer"], language="ar")
    response, html = page_of(client_for, world.users["ma_officer"], sheet.product)
    assert response.status_code == 200
    assert 'dir="rtl"' in html and 'id="language-fallback"' in html


# --- Country, contacts, rights and data age ---------------------------------------------------------------------


def test_contacts_and_applications_are_those_of_the_officers_country(world, client_for, sheet):
    Contact.objects.create(right_holder=world.orgs["brand"], name="Karim Alaoui", countries=["MA"], languages="ar")
    _response, fr_html = page_of(client_for, world.users["fr_officer"], sheet.product)
    _response, ma_html = page_of(client_for, world.users["ma_officer"], sheet.product)
    assert "Claire Dubois" in fr_html and "Karim Alaoui" not in fr_html
    assert "Karim Alaoui" in ma_html and "Claire Dubois" not in ma_html
    assert "Global desk" in fr_html and "Global desk" in ma_html  # a contact for every country
    assert "MA-2019-3" in ma_html and "FR-AFA-2024-17" not in ma_html
    assert ma_html.count("ipm-expired") == 2  # Morocco's application for action has expired, and the design


def test_a_contact_for_other_products_is_not_shown(world, client_for, brand, sheet):
    other = full_sheet(world, brand, gtin="96385074", name="Leather belt")
    specific = Contact.objects.create(right_holder=world.orgs["brand"], name="Belt specialist")
    specific.products.add(other.product)
    _response, html = page_of(client_for, world.users["fr_officer"], sheet.product)
    assert "Belt specialist" not in html
    _response, html = page_of(client_for, world.users["fr_officer"], other.product)
    assert "Belt specialist" in html


def test_old_data_carry_a_warning(world, client_for, sheet):
    Product.objects.filter(pk=sheet.product.pk).update(
        last_reviewed_at=sheet.product.last_reviewed_at - timedelta(days=400)
    )
    _response, html = page_of(client_for, world.users["fr_officer"], sheet.product)
    assert 'id="stale-warning"' in html
    assert "1\xa0year" in html or "1 year" in html
    services.mark_reviewed(world.users["brand_editor"], sheet.product)
    _response, html = page_of(client_for, world.users["fr_officer"], sheet.product)
    assert 'id="stale-warning"' not in html


# --- Preview as an officer of a country ---------------------------------------------------------------------------


def test_editors_preview_the_sheet_as_an_officer_of_a_country(world, client_for, brand):
    sheet = full_sheet(world, brand, visible_countries=["FR"])
    editor = world.users["brand_editor"]
    response, html = page_of(client_for, editor, sheet.product)
    assert 'id="preview-form"' in html and "Claire Dubois" in html and "MA-2019-3" in html  # everything
    _response, html = page_of(client_for, editor, sheet.product, as_country="FR")
    assert 'id="preview-banner"' in html and "alert-primary" in html
    assert "MA-2019-3" not in html and "FR-AFA-2024-17" in html
    _response, html = page_of(client_for, editor, sheet.product, as_country="MA")
    assert "cannot see this sheet" in html and "not shared" in html
    assert "Claire Dubois" not in html and "MA-2019-3" in html
    _response, html = page_of(client_for, editor, sheet.product, as_country="XX")
    assert "is not an ISO 3166 country code" in html and 'id="preview-banner"' not in html


def test_only_editors_may_preview(world, client_for, sheet):
    # A viewer of the right holder and an officer get their ordinary view, whatever they ask.
    _response, html = page_of(client_for, world.users["brand_viewer"], sheet.product, as_country="MA")
    assert 'id="preview-banner"' not in html and 'id="preview-form"' not in html
    _response, html = page_of(client_for, world.users["fr_officer"], sheet.product, as_country="MA")
    assert 'id="preview-banner"' not in html and "Claire Dubois" in html and "MA-2019-3" not in html


def test_a_draft_preview_says_officers_cannot_see_it(world, client_for, brand):
    sheet = full_sheet(world, brand, publish=False)
    _response, html = page_of(client_for, world.users["counsel_editor"], sheet.product, as_country="FR")
    assert "cannot see this sheet" in html and "not published" in html


# --- Bounded queries ----------------------------------------------------------------------------------------------


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_page_uses_a_bounded_number_of_queries(world, client_for, brand, django_assert_max_num_queries):
    sheet = full_sheet(world, brand, photos=3, clues=5, variants=2, routes=2)
    officer = client_for(world.users["fr_officer"])
    officer.get(url(sheet.product))  # the session's first use
    with django_assert_max_num_queries(MAX_QUERIES):
        officer.get(url(sheet.product))
    before = count_queries(officer, url(sheet.product))
    add_clues(world.users["brand_editor"], sheet.product, 10, start=6)
    cache.clear()
    after = count_queries(officer, url(sheet.product))
    assert after == before
    editor = client_for(world.users["brand_editor"])
    editor.get(url(sheet.product))
    plain = count_queries(editor, url(sheet.product))
    # A preview adds one: would that country's officers see the sheet at all.
    assert count_queries(editor, url(sheet.product, as_country="FR")) == plain + 1


# --- The list ---------------------------------------------------------------------------------------------------


def test_list_shows_visible_sheets_with_filters(world, client_for, brand):
    shared = full_sheet(world, brand, visible_countries=["FR"], clues=1, photos=1)
    draft = full_sheet(world, brand, gtin="96385074", publish=False, name="Draft belt", clues=1, photos=1)
    list_url = reverse("catalog:product_list")
    html = client_for(world.users["fr_officer"]).get(list_url).content.decode()
    assert "Silk scarf" in html and "Draft belt" not in html and "text-bg-warning" not in html
    html = client_for(world.users["ma_officer"]).get(list_url).content.decode()
    assert "Silk scarf" not in html
    html = client_for(world.users["brand_viewer"]).get(list_url).content.decode()
    assert "Silk scarf" in html and "Draft belt" in html and "text-bg-warning" in html  # status badges
    editor = client_for(world.users["brand_editor"])
    html = editor.get(list_url, {"q": "BELT"}).content.decode()
    assert "Draft belt" in html and "Silk scarf" not in html
    rival_brand = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Northwind")
    html = editor.get(list_url, {"brand": rival_brand.pk}).content.decode()
    assert "No product matches." in html
    html = editor.get(list_url, {"brand": brand.pk, "page": "abc"}).content.decode()
    assert "Silk scarf" in html
    assert client_for(world.users["rival_admin"]).get(list_url).content.decode().count("list-group-item-action") == 0
    assert shared.product.pk != draft.product.pk
