"""Searching product sheets: languages, accents, case, typos, ranking, filters, paging, who sees what, GTINs and
hostile queries. The same tests run on SQLite (FTS5) and on PostgreSQL (tsvector + pg_trgm): set IPM_DATABASE_URL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ipm.catalog import records, services
from ipm.catalog.models import IdentifierKind, PartyRole
from ipm.search import services as search
from tests.search.helpers import ean13, sheet


@pytest.fixture
def aurelia(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


@pytest.fixture
def northwind(world):
    return services.create_brand(world.users["rival_editor"], world.orgs["rival"], name="Northwind")


def names(user, query, **options):
    return [result.name for result in search.search_products(user, query, language="en", **options).results]


def test_the_backend_is_the_database_in_use():
    assert search.backend().vendor == connection.vendor


# --- Languages, accents, case -------------------------------------------------------------------------------------


def test_a_sheet_is_found_in_every_language_it_is_written_in(world, aurelia):
    sheet(
        world,
        aurelia,
        "Silk twill scarf",
        description="Hand-rolled edges.",
        translations={
            "fr": {"name": "Carré de soie", "description": "Bords roulottés main."},
            "ar": {"name": "وِشاح من الحرير"},
            "zh-hans": {"name": "真丝围巾"},
            "ru": {"name": "Шёлковый платок"},
        },
    )
    officer = world.users["fr_officer"]
    for query in ("scarf", "soie", "roulottés", "الحرير", "وشاح", "真丝围巾", "围巾", "丝", "шелковый", "ШЁЛКОВЫЙ"):
        assert names(officer, query) == ["Silk twill scarf"], query


def test_the_name_is_shown_in_the_readers_language_whatever_language_matched(world, aurelia):
    sheet(world, aurelia, "Silk twill scarf", translations={"fr": {"name": "Carré de soie"}})
    page = search.search_products(world.users["fr_officer"], "scarf", language="fr")
    assert [(r.name, r.texts.language, r.brand) for r in page.results] == [("Carré de soie", "fr", "Aurelia")]
    page = search.search_products(world.users["fr_officer"], "soie", language="pt")
    assert [(r.name, r.texts.fallback) for r in page.results] == [("Silk twill scarf", True)]


def test_accents_and_case_do_not_matter(world, aurelia):
    sheet(world, aurelia, "Crème brûlée candle", description="Parfum d'été, CITRON")
    officer = world.users["fr_officer"]
    for query in ("creme", "CRÈME", "Crême", "brulee", "ETE", "été", "citron", "Citrón"):
        assert names(officer, query) == ["Crème brûlée candle"], query


# --- Prefixes and typos -------------------------------------------------------------------------------------------


def test_the_beginning_of_a_word_is_enough(world, aurelia):
    sheet(world, aurelia, "Chronograph watch")
    officer = world.users["fr_officer"]
    assert names(officer, "chrono") == ["Chronograph watch"]
    assert names(officer, "ch") == []  # two letters match whole words only


@pytest.mark.parametrize("typo", ["chronogarph", "cronograph", "chronograf", "CHRONOGRAPHH", "chrnograph"])
def test_typos_are_forgiven(world, aurelia, typo):
    sheet(world, aurelia, "Chronograph watch")
    page = search.search_products(world.users["fr_officer"], typo)
    assert [r.name for r in page.results] == ["Chronograph watch"]
    assert page.corrected == [search.query_words(typo)[0]]


def test_a_typo_in_the_brand_and_a_right_word(world, aurelia, northwind):
    sheet(world, aurelia, "Leather belt")
    sheet(world, northwind, "Leather gloves", editor="rival_editor")
    assert names(world.users["fr_officer"], "aurelai leather") == ["Leather belt"]


def test_words_too_far_from_any_word_are_not_corrected(world, aurelia):
    sheet(world, aurelia, "Echarpe en laine")
    sheet(world, aurelia, "Power bank, fast recharge")
    officer = world.users["fr_officer"]
    assert names(officer, "recharpe") == ["Power bank, fast recharge"]  # one letter away
    assert names(officer, "echarge") == ["Echarpe en laine"]  # a typo of both: the closer wins
    assert names(officer, "xylophone") == []


def test_numbers_are_never_corrected_and_match_as_beginnings_from_six_digits(world, aurelia):
    sheet(world, aurelia, "Watch 4200", codes=[(IdentifierKind.MODEL, "12345678")])
    officer = world.users["fr_officer"]
    assert names(officer, "4300") == [] and names(officer, "420") == []
    assert names(officer, "123456") == ["Watch 4200"] and names(officer, "12345") == []


def test_a_word_beginning_many_words_is_still_a_prefix(world, aurelia, monkeypatch):
    monkeypatch.setattr(search, "MAX_COMPLETIONS", 1)
    sheet(world, aurelia, "Chronograph")
    sheet(world, aurelia, "Chronometer")
    assert sorted(names(world.users["fr_officer"], "chrono")) == ["Chronograph", "Chronometer"]


def test_corrections_come_from_what_exists_only_when_nothing_matches_as_typed(world, aurelia):
    sheet(world, aurelia, "Silk scarf")
    sheet(world, aurelia, "Silt filter")
    page = search.search_products(world.users["fr_officer"], "silk")
    assert [r.name for r in page.results] == ["Silk scarf"] and page.corrected == []


# --- Ranking ----------------------------------------------------------------------------------------------------


def test_name_and_brand_hits_come_before_clue_text_hits(world, aurelia, northwind):
    named = sheet(world, aurelia, "Hologram sticker", clues=["Packaging"])
    branded = sheet(world, northwind, "Tablets", editor="rival_editor")
    services.update_brand(world.users["rival_editor"], northwind, name="Hologram Pharma")
    # Newer, but the word is only in a clue or in the description.
    sheet(world, aurelia, "Wallet", clues=[("Label", "A hologram on the back", "Inner pocket")])
    sheet(world, aurelia, "Card holder", description="Hologram foil on the box.")
    assert names(world.users["fr_officer"], "hologram") == [
        branded.safe_translation_getter("name"),
        named.safe_translation_getter("name"),
        "Card holder",
        "Wallet",
    ]


def test_whole_words_come_before_beginnings_and_typos(world, aurelia):
    sheet(world, aurelia, "Belt")
    sheet(world, aurelia, "Beltway map")  # newer, a prefix match only
    assert names(world.users["fr_officer"], "belt") == ["Belt", "Beltway map"]


def test_all_the_words_must_match_else_any_word_is_shown_and_said(world, aurelia):
    sheet(world, aurelia, "Silk scarf")
    sheet(world, aurelia, "Leather belt")
    officer = world.users["fr_officer"]
    page = search.search_products(officer, "silk scarf")
    assert [r.name for r in page.results] == ["Silk scarf"] and not page.partial
    page = search.search_products(officer, "silk belt")
    assert sorted(r.name for r in page.results) == ["Leather belt", "Silk scarf"] and page.partial


def test_codes_are_found_by_sku_and_printed_gtin_prefix(world, aurelia):
    gtin = ean13(990001)
    sheet(world, aurelia, "Scarf", gtin=gtin, codes=[(IdentifierKind.SKU, "AUR-SC90-RIV")])
    officer = world.users["fr_officer"]
    for query in ("AUR-SC90-RIV", "aursc90riv", "aursc", "sc90", gtin[:7], "0" + gtin[:9]):
        assert names(officer, query) == ["Scarf"], query


# --- GTINs: an exact look-up, never a full-text search ------------------------------------------------------------


def test_a_gtin_is_looked_up_exactly_in_any_printed_form(world, aurelia):
    gtin = ean13(990002)
    sheet(world, aurelia, "Scarf", gtin=gtin)
    sheet(world, aurelia, "Belt", description=f"Not {gtin}")  # the number in a text does not count
    officer = world.users["fr_officer"]
    for query in (gtin, "0" + gtin, f" {gtin[:4]} {gtin[4:]} ", f"{gtin[:7]}-{gtin[7:]}"):
        page = search.search_products(officer, query)
        assert (page.mode, page.gtin, [r.name for r in page.results]) == ("gtin", "0" + gtin, ["Scarf"]), query


def test_a_gtin_nobody_may_see_finds_nothing(world, aurelia):
    gtin = ean13(990003)
    sheet(world, aurelia, "Draft scarf", gtin=gtin, publish=False)
    page = search.search_products(world.users["fr_officer"], gtin)
    assert (page.mode, page.count) == ("gtin", 0)
    assert search.search_products(world.users["brand_viewer"], gtin).count == 1


def test_a_number_with_a_wrong_check_digit_is_searched_as_text(world, aurelia):
    gtin = ean13(990004)
    sheet(world, aurelia, "Scarf", gtin=gtin)
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    page = search.search_products(world.users["fr_officer"], wrong)
    assert page.mode == "text" and page.count == 0


# --- Filters ------------------------------------------------------------------------------------------------------


def test_filters_by_brand_chapter_and_country_of_manufacture(world, aurelia, northwind):
    sheet(world, aurelia, "Silk scarf", hs_code="621410", country_of_manufacture="IT")
    sheet(world, aurelia, "Silk tie", hs_code="621520", country_of_manufacture="FR")
    sheet(world, aurelia, "Silk perfume pouch", hs_code="420232")
    sheet(world, northwind, "Silk bandage", hs_code="300590", country_of_manufacture="DE", editor="rival_editor")
    officer = world.users["fr_officer"]
    assert sorted(names(officer, "silk", brand_id=aurelia.pk)) == ["Silk perfume pouch", "Silk scarf", "Silk tie"]
    assert sorted(names(officer, "silk", hs_chapter="62")) == ["Silk scarf", "Silk tie"]
    assert names(officer, "silk", country="it") == ["Silk scarf"]
    assert names(officer, "silk", hs_chapter="62", country="FR") == ["Silk tie"]
    assert names(officer, "", hs_chapter="30") == ["Silk bandage"]  # filters without words
    assert names(officer, "", country="DE", brand_id=northwind.pk) == ["Silk bandage"]
    assert names(officer, "silk", brand_id=aurelia.pk, country="DE") == []


def test_manufacturers_and_factories_make_the_country_of_manufacture(world, aurelia):
    scarf = sheet(world, aurelia, "Silk scarf")
    sheet(world, aurelia, "Silk tie")
    editor, holder = world.users["brand_editor"], world.orgs["brand"]
    officer = world.users["fr_officer"]
    records.create_trade_party(editor, holder, role=PartyRole.FACTORY, name="Como mill", country="IT", products=[scarf])
    records.create_trade_party(editor, holder, role=PartyRole.IMPORTER, name="Importer", country="MA")
    assert names(officer, "silk", country="IT") == ["Silk scarf"]
    assert names(officer, "", country="IT") == ["Silk scarf"]
    assert names(officer, "silk", country="MA") == []  # an importer does not make the product
    # A manufacturer linked to no product in particular makes all of the right holder's products.
    party = records.create_trade_party(editor, holder, role=PartyRole.MANUFACTURER, name="Lyon", country="FR")
    assert sorted(names(officer, "silk", country="FR")) == ["Silk scarf", "Silk tie"]
    records.delete_trade_party(editor, party)
    assert names(officer, "silk", country="FR") == []


def test_bad_filters_are_refused_with_a_message(world):
    officer = world.users["fr_officer"]
    for options in ({"country": "XX"}, {"hs_chapter": "7"}, {"hs_chapter": "77"}, {"brand_id": "abc"}):
        with pytest.raises(ValidationError):
            search.search_products(officer, "silk", **options)


# --- Paging -------------------------------------------------------------------------------------------------------


def test_results_are_paged(world, aurelia):
    for n in range(5):
        sheet(world, aurelia, f"Scarf {n}")
    officer = world.users["fr_officer"]
    first = search.search_products(officer, "scarf", per_page=2)
    assert (first.count, first.num_pages, len(first.results), first.has_next(), first.has_previous()) == (
        5,
        3,
        2,
        True,
        False,
    )
    pages = [search.search_products(officer, "scarf", per_page=2, page=n).results for n in (1, 2, 3)]
    shown = [r.name for page in pages for r in page]
    assert shown == ["Scarf 4", "Scarf 3", "Scarf 2", "Scarf 1", "Scarf 0"]  # newest first within a tier
    last = search.search_products(officer, "scarf", per_page=2, page=99)  # past the end: the last page
    assert (last.number, [r.name for r in last.results]) == (3, ["Scarf 0"])


def test_only_the_best_candidates_are_ranked_and_the_page_says_so(world, aurelia, settings):
    settings.IPM_SEARCH_CANDIDATES = 3
    for n in range(5):
        sheet(world, aurelia, f"Scarf {n}")
    page = search.search_products(world.users["fr_officer"], "scarf")
    assert (page.count, page.truncated) == (3, True)
    assert [r.name for r in page.results] == ["Scarf 4", "Scarf 3", "Scarf 2"]


# --- Who sees what ------------------------------------------------------------------------------------------------


def test_each_reader_finds_only_the_sheets_they_may_read(world, aurelia, northwind):
    sheet(world, aurelia, "Scarf for France", visible_countries=["FR"])
    sheet(world, aurelia, "Scarf everywhere")
    sheet(world, aurelia, "Scarf draft", publish=False)
    archived = sheet(world, aurelia, "Scarf archived")
    services.archive_product(world.users["brand_editor"], archived)
    sheet(world, northwind, "Scarf of the rival", publish=False, editor="rival_editor")
    expected = {
        "fr_officer": ["Scarf everywhere", "Scarf for France"],
        "ma_officer": ["Scarf everywhere"],
        "brand_viewer": ["Scarf archived", "Scarf draft", "Scarf everywhere", "Scarf for France"],
        "counsel_editor": ["Scarf archived", "Scarf draft", "Scarf everywhere", "Scarf for France"],
        "other_counsel_editor": [],
        "rival_admin": ["Scarf of the rival"],
        "secretariat_viewer": [
            "Scarf archived",
            "Scarf draft",
            "Scarf everywhere",
            "Scarf for France",
            "Scarf of the rival",
        ],
        "provider_admin": [],
    }
    for user_key, sheets in expected.items():
        user = world.users[user_key]
        found = names(user, "scarf")
        assert sorted(found) == sheets, user_key
        paged = [name for n in range(1, len(found) + 1) for name in names(user, "scarf", per_page=1, page=n)]
        assert paged == found, user_key  # page by page, the same sheets in the same order


def test_the_signed_out_find_nothing(world, aurelia):
    from django.contrib.auth.models import AnonymousUser

    sheet(world, aurelia, "Scarf")
    assert names(AnonymousUser(), "scarf") == [] and names(AnonymousUser(), "") == []
    deactivated = world.users["fr_officer"]
    deactivated.is_active = False
    assert names(deactivated, "scarf") == []


def test_restricted_and_draft_sheets_never_crowd_out_visible_ones(world, aurelia, settings):
    """The index narrows its candidates to what the reader may see before ranking: newer sheets another country's
    officers (or only the right holder) may see do not use up the candidates."""
    settings.IPM_SEARCH_CANDIDATES = 2
    sheet(world, aurelia, "Scarf for everyone")
    for n in range(3):
        sheet(world, aurelia, f"Scarf for France {n}", visible_countries=["FR"])
        sheet(world, aurelia, f"Scarf draft {n}", publish=False)
    assert names(world.users["ma_officer"], "scarf") == ["Scarf for everyone"]


def test_a_word_only_in_sheets_the_reader_may_not_see_is_never_shown_as_a_correction(world, aurelia, northwind):
    sheet(world, northwind, "Zorblax secret launch", publish=False, editor="rival_editor")
    sheet(world, aurelia, "Zorbla scarf")
    page = search.search_products(world.users["fr_officer"], "zorblx")
    assert [r.name for r in page.results] == ["Zorbla scarf"]
    assert page.corrected == ["zorblx"]  # the reader's own word, never the vocabulary's


# --- Hostile and odd queries --------------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "*",
    "scarf*",
    "NEAR(scarf silk)",
    "NEAR(",
    "-scarf",
    "scarf -silk",
    "name:scarf",
    "{name}: scarf",
    "scarf AND OR NOT",
    "^scarf",
    "'",
    "scarf' & '",
    "!!:*",
    "\\",
    "(((",
    "%_%",
    "\x00\x1d",
    "scarf " * 300,
    "x" * 5000,
    "...",
    "   ",
    "🧣",
    "qqfspublished",
    "a b c d e f g h i j k l m n",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(world, aurelia, query):
    sheet(world, aurelia, "Silk scarf")
    page = search.search_products(world.users["fr_officer"], query)
    assert page.mode in {"text", "browse"}
    assert page.count in (0, 1)


def test_facet_words_cannot_be_searched(world, aurelia):
    sheet(world, aurelia, "Silk scarf")
    assert names(world.users["fr_officer"], "qqfspublished") == []
    assert names(world.users["fr_officer"], "qqfs") == []
