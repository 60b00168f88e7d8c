"""The full-text index over ``search_document`` and the typo vocabulary over ``search_term``, each database its own
way. The statements are written out here (not imported from the app) so that this migration keeps doing what it
did when the app changes.

SQLite: an FTS5 table with external content (the words live once, in ``search_document``), kept in step by
triggers; ``detail=column`` (no word positions: the search never asks for phrases) and prefix indexes for 2- and
3-letter prefixes; a trigram FTS5 table over the vocabulary.

PostgreSQL: two ``tsvector`` columns generated from the stored words (``array_to_tsvector``: the words are taken as
they are, already folded by the app, with no parser in between) with GIN indexes — ``strong`` (names, brand,
codes) and ``document`` (everything) — and a pg_trgm GIN index over the vocabulary. pg_trgm is created here when
missing; that needs a role allowed to create it (a superuser, or the database owner: pg_trgm is a trusted
extension since PostgreSQL 13); and a ``text_pattern_ops`` index for prefixes of vocabulary words.
"""

from django.db import migrations

SQLITE_COLUMNS = "name, brand, codes, body, clues, facets"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {SQLITE_COLUMNS},
        content='search_document', content_rowid='product_id',
        tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Cn'",
        prefix='2 3', detail=column
    )""",
    f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, {SQLITE_COLUMNS})
        VALUES (new.product_id, new.name, new.brand, new.codes, new.body, new.clues, new.facets);
    END""",
    f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.product_id, old.name, old.brand, old.codes, old.body, old.clues, old.facets);
    END""",
    f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.product_id, old.name, old.brand, old.codes, old.body, old.clues, old.facets);
        INSERT INTO search_fts(rowid, {SQLITE_COLUMNS})
        VALUES (new.product_id, new.name, new.brand, new.codes, new.body, new.clues, new.facets);
    END""",
    """CREATE VIRTUAL TABLE search_term_trigram USING fts5(
        term, content='search_term', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER search_term_ai AFTER INSERT ON search_term BEGIN
        INSERT INTO search_term_trigram(rowid, term) VALUES (new.id, new.term);
    END""",
    """CREATE TRIGGER search_term_ad AFTER DELETE ON search_term BEGIN
        INSERT INTO search_term_trigram(search_term_trigram, rowid, term) VALUES ('delete', old.id, old.term);
    END""",
    """CREATE TRIGGER search_term_au AFTER UPDATE ON search_term BEGIN
        INSERT INTO search_term_trigram(search_term_trigram, rowid, term) VALUES ('delete', old.id, old.term);
        INSERT INTO search_term_trigram(rowid, term) VALUES (new.id, new.term);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_term_au",
    "DROP TRIGGER IF EXISTS search_term_ad",
    "DROP TRIGGER IF EXISTS search_term_ai",
    "DROP TABLE IF EXISTS search_term_trigram",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def _words(*columns: str) -> str:
    joined = " || ' ' || ".join(columns)
    return f"array_to_tsvector(array_remove(string_to_array({joined}, ' '), ''))"


POSTGRES_CREATE = [
    f"""ALTER TABLE search_document
        ADD COLUMN strong tsvector GENERATED ALWAYS AS ({_words("name", "brand", "codes", "facets")}) STORED,
        ADD COLUMN document tsvector GENERATED ALWAYS AS (
            {_words("name", "brand", "codes", "body", "clues", "facets")}
        ) STORED""",
    "CREATE INDEX search_document_strong_gin ON search_document USING gin (strong)",
    "CREATE INDEX search_document_document_gin ON search_document USING gin (document)",
    "CREATE INDEX search_term_trigram_gin ON search_term USING gin (term gin_trgm_ops)",
    "CREATE INDEX search_term_prefix ON search_term (term text_pattern_ops)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_term_prefix",
    "DROP INDEX IF EXISTS search_term_trigram_gin",
    "DROP INDEX IF EXISTS search_document_document_gin",
    "DROP INDEX IF EXISTS search_document_strong_gin",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS document, DROP COLUMN IF EXISTS strong",
]


def _create_pg_trgm(cursor):
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cursor.fetchone():
        return
    try:
        cursor.execute("SAVEPOINT search_pg_trgm")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("RELEASE SAVEPOINT search_pg_trgm")
    except Exception as error:
        cursor.execute("ROLLBACK TO SAVEPOINT search_pg_trgm")
        raise RuntimeError(
            "IPM's search needs the PostgreSQL extension pg_trgm, and this database role may not create it. "
            "Run `CREATE EXTENSION pg_trgm;` in this database as a superuser (or as its owner, on PostgreSQL 13 "
            "or later), then migrate again."
        ) from error


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            for statement in SQLITE_CREATE:
                cursor.execute(statement)
        elif vendor == "postgresql":
            _create_pg_trgm(cursor)
            for statement in POSTGRES_CREATE:
                cursor.execute(statement)
        else:
            raise RuntimeError(f"IPM's search has no backend for {vendor}: use SQLite or PostgreSQL.")


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, [])
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
