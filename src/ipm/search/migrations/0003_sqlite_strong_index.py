"""SQLite: the full-text index becomes two FTS5 tables over the same documents — every column (``search_fts``), and
the strong ones only (``search_fts_strong``: names, brand, codes) — so that a word frequent in descriptions or clues
costs nothing when the search looks in the strong columns (on a million sheets, a column filter on such a word
walked its whole list of sheets). Only a 3-letter prefix index is kept (the search never looks for shorter
prefixes). The documents already stored are indexed again. PostgreSQL already has the two columns: nothing to do.

The statements are written out here, not imported from the app (``search.backends.SQLiteBackend`` rebuilds the
same triggers, and a test checks that they agree).
"""

from django.db import migrations

OPTIONS = """content='search_document', content_rowid='product_id',
        tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Cn'",
        prefix='{prefix}', detail=column"""
NEW = {
    "search_fts": ["name", "brand", "codes", "body", "clues", "facets"],
    "search_fts_strong": ["name", "brand", "codes", "facets"],
}
OLD = {"search_fts": ["name", "brand", "codes", "body", "clues", "facets"]}
TRIGGERS = ["search_document_ai", "search_document_ad", "search_document_au"]


def _triggers(indexes: dict) -> list[str]:
    insert, delete = "", ""
    for table, columns in indexes.items():
        names = ", ".join(columns)
        new, old = "new." + ", new.".join(columns), "old." + ", old.".join(columns)
        insert += f"INSERT INTO {table}(rowid, {names}) VALUES (new.product_id, {new}); "
        delete += f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.product_id, {old}); "
    return [
        f"CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN {insert}END",
        f"CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN {delete}END",
        f"CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN {delete}{insert}END",
    ]


def _replace(schema_editor, drop: list[str], indexes: dict, prefix: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for trigger in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in drop:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        for table, columns in indexes.items():
            options = OPTIONS.format(prefix=prefix)
            cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, {options})")
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")  # the documents already stored
        for statement in _triggers(indexes):
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _replace(schema_editor, ["search_fts"], NEW, "3")


def backwards(apps, schema_editor):
    _replace(schema_editor, ["search_fts_strong", "search_fts"], OLD, "2 3")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(forwards, backwards)]
