"""How text becomes words, the same for what is indexed and what is typed (no database needed)."""

import pytest

from ipm.search.backends import PostgresBackend, SQLiteBackend, Term, TierQuery
from ipm.search.text import code_words, facet, fold, is_vocabulary_word, query_words, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Crème BRÛLÉE", "creme brulee"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("ﬁne Ｐａｒｉｓ", "fine paris"),  # ligature and full-width letters
        ("أوريليا", "اوريليا"),  # alef with hamza
        ("مُنْتَج", "منتج"),  # Arabic short vowels
        ("Ёлка Й", "елка и"),
    ],
)
def test_fold_removes_case_and_accents(text, folded):
    assert fold(text) == folded


def test_words_split_on_anything_but_letters_and_digits():
    assert words("Aurelia Silk-Scarf 90×90 cm, (new!) e_mail") == [
        "aurelia",
        "silk",
        "scarf",
        "90",
        "90",
        "cm",
        "new",
        "e",
        "mail",
    ]


def test_chinese_is_cut_into_characters_and_pairs():
    assert words("真丝围巾") == ["真", "丝", "围", "巾", "真丝", "丝围", "围巾"]
    assert query_words("丝围巾") == ["丝围", "围巾"]  # every pair must be there
    assert query_words("巾") == ["巾"]
    assert words("abc丝巾") == ["abc", "丝", "巾", "丝巾"]


def test_query_words_are_unique_and_never_facets():
    assert query_words('Scarf scarf "SCARF" qqfspublished qqfr1 -silk*') == ["scarf", "silk"]
    assert query_words('"*NEAR(a, b) : - ^ {name}') == ["near", "a", "b", "name"]
    assert query_words("!!! ... ---") == []


def test_very_long_words_are_cut():
    assert len(words("x" * 500)[0]) == 64


def test_codes_are_found_by_their_parts_and_whole():
    assert code_words("AUR-SC90-RIV") == ["aur", "sc90", "riv", "aursc90riv"]
    assert code_words("12345") == ["12345"]


def test_facets_and_vocabulary():
    assert facet("c", "FR") == "qqfcfr"
    assert is_vocabulary_word("scarf") and not is_vocabulary_word("sc90") and not is_vocabulary_word("ab")
    assert not is_vocabulary_word("围巾")


def test_queries_are_quoted_literals_in_both_languages():
    """Nothing typed reaches FTS5 or tsquery syntax: words are quoted, prefixes and corrections added by us."""
    query = TierQuery(
        (Term("scarf", prefix=True, corrections=("scarp",)), Term("90")),
        strong_only=True,
        loose=True,
        facets=(("qqfspublished",), ("qqfvall", "qqfvfr")),
    )
    assert SQLiteBackend().match_expression(query) == (
        '(("scarf"* OR "scarp") AND "90") AND ("qqfspublished") AND ("qqfvall" OR "qqfvfr")'
    )
    assert PostgresBackend().tsquery(query) == (
        "(('scarf':* | 'scarp') & '90') & ('qqfspublished') & ('qqfvall' | 'qqfvfr')"
    )
    exact = TierQuery((Term("scarf", prefix=True),), strong_only=False, loose=False, any_term=True)
    assert SQLiteBackend().match_expression(exact) == '("scarf")'
