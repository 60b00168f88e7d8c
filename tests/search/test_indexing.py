"""The index follows the catalogue: publishing, archiving, returning to draft, editing texts, codes, clues, known
counterfeits, visibility, brands and trade parties, bulk imports, deletions — and ``ipm rebuild_search_index``."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from ipm.catalog import importing, records, services
from ipm.catalog.models import IdentifierKind, PartyRole, Product
from ipm.search import indexing
from ipm.search import services as search
from ipm.search.models import SearchDocument, SearchTerm
from tests.search.helpers import ean13, sheet


@pytest.fixture
def aurelia(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


def found(user, query, **filters):
    return [result.name for result in search.search_products(user, query, language="en", **filters).results]


def fts_rows() -> int:
    """Rows of the full-text index proper (the FTS5 table on SQLite, the tsvector column on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '{facets}: qqfspublished'")
        else:
            cursor.execute("SELECT count(*) FROM search_document WHERE document @@ 'qqfspublished'::tsquery")
        return cursor.fetchone()[0]


def test_publishing_archiving_and_returning_to_draft(world, aurelia):
    editor, officer = world.users["brand_editor"], world.users["fr_officer"]
    product = sheet(world, aurelia, "Silk scarf", publish=False)
    assert found(officer, "scarf") == [] and found(editor, "scarf") == ["Silk scarf"]
    services.publish_product(editor, product)
    assert found(officer, "scarf") == ["Silk scarf"]
    services.archive_product(editor, product)
    assert found(officer, "scarf") == []
    services.publish_product(editor, product)
    services.return_to_draft(editor, product)
    assert found(officer, "scarf") == [] and found(editor, "scarf") == ["Silk scarf"]


def test_editing_a_published_sheet(world, aurelia):
    editor, officer = world.users["brand_editor"], world.users["fr_officer"]
    product = sheet(world, aurelia, "Silk scarf")
    services.set_product_text(editor, product, "en", name="Cashmere shawl", description="Woven in Scotland")
    assert found(officer, "scarf") == [] and found(officer, "shawl") == ["Cashmere shawl"]
    assert found(officer, "scotland") == ["Cashmere shawl"]
    services.set_product_text(editor, product, "fr", name="Châle en cachemire")
    assert found(officer, "chale") == ["Cashmere shawl"]
    services.remove_product_translation(editor, product, "fr")
    assert found(officer, "chale") == []
    clue = services.add_clue(editor, product, language="en", title="Hologram", where_to_look="Under the tag")
    assert found(officer, "tag") == ["Cashmere shawl"]
    services.update_clue(editor, clue, language="en", where_to_look="On the box")
    assert found(officer, "tag") == [] and found(officer, "box") == ["Cashmere shawl"]
    services.remove_clue(editor, clue)
    assert found(officer, "hologram") == []
    code = services.add_identifier(editor, product, IdentifierKind.SKU, "CSH-77", variant="Navy blue")
    assert found(officer, "csh77") == ["Cashmere shawl"] and found(officer, "navy") == ["Cashmere shawl"]
    services.remove_identifier(editor, code)
    assert found(officer, "csh77") == []
    services.update_product(editor, product, hs_code="621420", country_of_manufacture="GB")
    assert found(officer, "shawl", hs_chapter="62", country="GB") == ["Cashmere shawl"]
    services.set_visibility(editor, product, all_countries=False, countries_=["MA"])
    assert found(officer, "shawl") == [] and found(world.users["ma_officer"], "shawl") == ["Cashmere shawl"]


def test_known_counterfeits_are_searched(world, aurelia):
    editor, officer = world.users["brand_editor"], world.users["fr_officer"]
    product = sheet(world, aurelia, "Silk scarf")
    variant = records.create_variant(editor, product, language="en", name="Printed edges fake", description="Thin")
    assert found(officer, "printed") == ["Silk scarf"]
    records.delete_variant(editor, variant)
    assert found(officer, "printed") == []


def test_renaming_a_brand(world, aurelia):
    sheet(world, aurelia, "Silk scarf")
    services.update_brand(world.users["brand_editor"], aurelia, name="Maison Aurora")
    officer = world.users["fr_officer"]
    assert found(officer, "aurora") == ["Silk scarf"] and found(officer, "aurelia") == []


def test_many_sheets_are_reindexed_in_the_background(world, aurelia, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(indexing, "INLINE_REINDEX_LIMIT", 1)
    sheet(world, aurelia, "Silk scarf")
    sheet(world, aurelia, "Silk tie")
    officer = world.users["fr_officer"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_brand(world.users["brand_editor"], aurelia, name="Maison Aurora")
    assert found(officer, "aurora") == [] and len(callbacks) == 1  # not yet: after the commit
    for callback in callbacks:
        callback()  # enqueues the task, which the test settings run at once
    assert sorted(found(officer, "aurora")) == ["Silk scarf", "Silk tie"]
    with django_capture_on_commit_callbacks(execute=True):
        records.create_trade_party(
            world.users["brand_editor"], world.orgs["brand"], role=PartyRole.FACTORY, name="Como", country="IT"
        )
    assert sorted(found(officer, "", country="IT")) == ["Silk scarf", "Silk tie"]
    assert sorted(found(officer, "silk", country="IT")) == ["Silk scarf", "Silk tie"]


def test_a_failed_change_leaves_the_index_as_it_was(world, aurelia):
    editor = world.users["brand_editor"]
    product = sheet(world, aurelia, "Silk scarf")
    with pytest.raises(Exception, match="A product needs a name"):
        services.set_product_text(editor, product, "en", name=" ")
    assert found(world.users["fr_officer"], "scarf") == ["Silk scarf"]


def test_a_deleted_sheet_leaves_the_index(world, aurelia):
    product = sheet(world, aurelia, "Silk scarf")
    before = fts_rows()
    Product.objects.filter(pk=product.pk).delete()
    assert not SearchDocument.objects.filter(product_id=product.pk).exists()
    assert fts_rows() == before - 1
    assert found(world.users["secretariat_viewer"], "scarf") == []


def test_a_bulk_import_is_indexed(world, aurelia):
    editor, holder, officer = world.users["brand_editor"], world.orgs["brand"], world.users["fr_officer"]
    rows = [
        {
            "brand": "Aurelia",
            "language": "en",
            "name": f"Imported parasol {n}",
            "name_fr": f"Ombrelle importée {n}",
            "gtins": ean13(880000 + n),
            "status": "published",
            "clue1_title": "Ribs",
            "hs_code": "660110",
        }
        for n in range(3)
    ]
    report = importing.import_rows(editor, holder, rows)
    assert report.ok, report.errors
    assert sorted(found(officer, "ombrelle", hs_chapter="66")) == [f"Imported parasol {n}" for n in range(3)]
    # Importing again what changed: the new words are found, the old ones are not.
    rows[0]["name_fr"] = "Parapluie"
    assert importing.import_rows(editor, holder, rows).ok
    assert found(officer, "parapluie") == ["Imported parasol 0"]
    assert len(found(officer, "ombrelle")) == 2


def test_the_rebuild_command_indexes_everything_again(world, aurelia):
    sheet(world, aurelia, "Silk scarf", translations={"fr": {"name": "Carré de soie"}})
    sheet(world, aurelia, "Leather belt", publish=False)
    # A catalogue written behind the services' back (a database restore, a bulk load): the index knows nothing.
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    officer = world.users["fr_officer"]
    assert found(officer, "scarf") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 2 product sheets" in out.getvalue() and " s; index size " in out.getvalue()
    assert found(officer, "soie") == ["Silk scarf"] and found(officer, "scraf") == ["Silk scarf"]
    assert found(world.users["brand_viewer"], "belt") == ["Leather belt"]
    assert fts_rows() == 1
    report = search.rebuild_index()  # again: the same
    assert (report.documents, found(officer, "scarf")) == (2, ["Silk scarf"])
    assert report.size_bytes > 0 or connection.vendor == "sqlite"  # SQLite may lack the dbstat table


def test_rebuilding_an_empty_catalogue(db):
    assert search.rebuild_index().documents == 0


def test_the_rebuild_restores_the_triggers_the_migration_made(db):
    """The rebuild drops SQLite's triggers and makes them again: they must be the migration's, word for word."""
    if connection.vendor != "sqlite":
        pytest.skip("triggers keep the FTS5 tables in step on SQLite only")

    def triggers():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'")
            return dict(cursor.fetchall())

    made_by_migration = triggers()
    assert len(made_by_migration) == 6
    search.rebuild_index()
    assert triggers() == made_by_migration
