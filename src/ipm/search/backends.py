"""The two full-text backends behind one interface, chosen by the database in use (``connection.vendor``).

A backend answers three questions, all on words already folded by ``search.text``:

* ``candidates(query, cap)``: the ids of the sheets a ``TierQuery`` matches, newest first, at most ``cap`` —
  an order both databases follow without ranking every match, so a query matching half the catalogue costs no
  more than one matching a hundred sheets;
* ``words_starting(prefix, limit)``: vocabulary words beginning with ``prefix`` (at most ``limit``, in no order);
* ``similar_words(word)``: vocabulary words that may be what ``word`` was meant to be (sharing trigrams, or the
  first two letters), for typo correction.

Words are written in the query languages as quoted literals (FTS5 strings, tsquery lexemes) and are made of
letters and digits only, so nothing a user types can reach either query syntax.
"""

from dataclasses import dataclass

from django.db import connection

SIMILAR_WORDS_LIMIT = 50  # closest by shared trigrams
# Words beginning with the same two letters, whatever their trigrams: a swap of letters in a short word
# ("scraf") leaves no trigram in common with the word meant ("scarf").
SAME_START_LIMIT = 500
REBUILD_CACHE_KIB = 256 * 1024  # SQLite's page cache while it builds the index from scratch


@dataclass(frozen=True)
class Term:
    """One word of the query: ``word`` itself, or when ``loose``, also the words it begins — listed
    (``completions``, from the vocabulary: a few whole words, which both indexes walk through without collecting
    every match) or left to the index (``prefix``) — and the ``corrections`` of a typo."""

    word: str
    prefix: bool = False
    completions: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()

    @property
    def has_variants(self) -> bool:
        return self.prefix or bool(self.completions) or bool(self.corrections)

    @property
    def alternatives(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for w in (*self.completions, *self.corrections) if w != self.word))


@dataclass(frozen=True)
class TierQuery:
    """What one pass over the index looks for: the terms (none: the facets alone) in the strong columns or in
    all, and the facets."""

    terms: tuple[Term, ...]
    strong_only: bool  # names, brand and codes only
    loose: bool  # prefixes and corrections allowed
    facets: tuple[tuple[str, ...], ...] = ()  # all groups must match; any facet of a group does
    any_term: bool = False  # one term is enough (the fallback when no sheet has them all)


class SQLiteBackend:
    vendor = "sqlite"
    # The FTS5 tables over ``search_document`` and their columns: every column, and the strong ones only (as
    # created by migration 0003; ``test_the_rebuild_restores_the_triggers_the_migration_made`` checks they agree).
    INDEXES = {
        "search_fts": ["name", "brand", "codes", "body", "clues", "facets"],
        "search_fts_strong": ["name", "brand", "codes", "facets"],
    }
    TERM_TRIGGERS = [
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

    def document_triggers(self) -> list[str]:
        """The triggers that keep the FTS5 tables in step with ``search_document`` (names of ours, no input)."""
        insert, delete = "", ""
        for table, columns in self.INDEXES.items():
            names = ", ".join(columns)
            new, old = "new." + ", new.".join(columns), "old." + ", old.".join(columns)
            insert += f"INSERT INTO {table}(rowid, {names}) VALUES (new.product_id, {new}); "  # noqa: S608
            delete += f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.product_id, {old}); "  # noqa: S608
        return [
            f"CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN {insert}END",
            f"CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN {delete}END",
            f"CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN {delete}{insert}END",
        ]

    def _triggers(self) -> dict[str, list[str]]:
        return {"search_document": self.document_triggers(), "search_term": self.TERM_TRIGGERS}

    def _fts_tables(self, table: str) -> list[str]:
        return list(self.INDEXES) if table == "search_document" else ["search_term_trigram"]

    @staticmethod
    def _string(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    def _term(self, term: Term, loose: bool) -> str:
        if not loose or not term.has_variants:
            return self._string(term.word)
        options = [self._string(term.word) + ("*" if term.prefix else "")]
        options.extend(self._string(word) for word in term.alternatives)
        return "(" + " OR ".join(options) + ")"

    def match_expression(self, query: TierQuery) -> str:
        """No column filters: facets are words no query can contain (``text.query_words``), and the strong
        columns have a table of their own."""
        parts = []
        if query.terms:
            joiner = " OR " if query.any_term else " AND "
            parts.append("(" + joiner.join(self._term(term, query.loose) for term in query.terms) + ")")
        for group in query.facets:
            parts.append("(" + " OR ".join(self._string(word) for word in group) + ")")
        return " AND ".join(parts)

    def candidates(self, query: TierQuery, cap: int) -> list[int]:
        table = "search_fts_strong" if query.strong_only else "search_fts"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s",  # noqa: S608
                [self.match_expression(query), cap],
            )
            return [row[0] for row in cursor.fetchall()]

    def words_starting(self, prefix: str, limit: int) -> list[str]:
        # A range on the unique index: SQLite compares text byte by byte, and U+10FFFF sorts after every character.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_term WHERE term >= %s AND term < %s LIMIT %s",
                [prefix, prefix + "\U0010ffff", limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, word: str) -> list[str]:
        trigrams = list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))
        similar = []
        with connection.cursor() as cursor:
            if trigrams:
                cursor.execute(
                    "SELECT term FROM search_term_trigram WHERE search_term_trigram MATCH %s ORDER BY rank LIMIT %s",
                    [" OR ".join(self._string(trigram) for trigram in trigrams), SIMILAR_WORDS_LIMIT],
                )
                similar = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT term FROM search_term WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s "
                "LIMIT %s",
                [word[:2], word[:2] + "\U0010ffff", len(word) - 2, len(word) + 2, SAME_START_LIMIT],
            )
            return similar + [row[0] for row in cursor.fetchall()]

    # --- Rebuilding -------------------------------------------------------------------------------------------

    rebuild_in_one_transaction = False

    def start_rebuild(self) -> None:
        """Empty the index without a trigger firing for each row; ``finish_rebuild`` indexes what was written. Until
        then the full-text index answers from the old documents (queries never read the documents themselves), and
        with its triggers gone, writes in between cannot make it inconsistent: ``finish_rebuild`` reads them all."""
        with connection.cursor() as cursor:
            for table, triggers in self._triggers().items():
                for statement in triggers:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a table name of ours)

    def between_rebuild_steps(self) -> None:
        # Copy the committed documents into the database file, so the index is built with a short write-ahead log
        # (not possible inside an outer transaction, where the documents are not committed yet anyway).
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def finish_rebuild(self) -> None:
        """Index everything written since ``start_rebuild`` in one pass, with a large page cache and no merging of
        segments along the way (one merge at the end): ten times faster than the defaults on a large catalogue."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-REBUILD_CACHE_KIB}")
            try:
                for table, triggers in self._triggers().items():
                    for fts in self._fts_tables(table):
                        cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', 0)")  # noqa: S608
                        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
                        cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")  # noqa: S608
                        cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', 4)")  # noqa: S608
                    for statement in triggers:
                        cursor.execute(statement)
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search\\_%' ESCAPE '\\'")
            except Exception:  # SQLite built without the dbstat table: the size is unknown
                return 0
            return cursor.fetchone()[0] or 0


class PostgresBackend:
    vendor = "postgresql"
    GIN_INDEXES = {
        "search_document_strong_gin": "CREATE INDEX search_document_strong_gin ON search_document USING gin (strong)",
        "search_document_document_gin": (
            "CREATE INDEX search_document_document_gin ON search_document USING gin (document)"
        ),
        "search_term_trigram_gin": "CREATE INDEX search_term_trigram_gin ON search_term USING gin (term gin_trgm_ops)",
        "search_term_prefix": "CREATE INDEX search_term_prefix ON search_term (term text_pattern_ops)",
    }

    @staticmethod
    def _lexeme(word: str, prefix: bool = False) -> str:
        return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'" + (":*" if prefix else "")

    def _term(self, term: Term, loose: bool) -> str:
        if not loose or not term.has_variants:
            return self._lexeme(term.word)
        options = [self._lexeme(term.word, term.prefix), *(self._lexeme(word) for word in term.alternatives)]
        return "(" + " | ".join(options) + ")"

    def tsquery(self, query: TierQuery) -> str:
        parts = []
        if query.terms:
            joiner = " | " if query.any_term else " & "
            parts.append("(" + joiner.join(self._term(term, query.loose) for term in query.terms) + ")")
        for group in query.facets:
            parts.append("(" + " | ".join(self._lexeme(word) for word in group) + ")")
        return " & ".join(parts)

    def candidates(self, query: TierQuery, cap: int) -> list[int]:
        column = "strong" if query.strong_only else "document"
        with connection.cursor() as cursor:
            # Cast, not to_tsquery(): the words are already folded and must not meet PostgreSQL's parser again.
            cursor.execute(
                f"SELECT product_id FROM search_document WHERE {column} @@ %s::tsquery "  # noqa: S608
                "ORDER BY product_id DESC LIMIT %s",
                [self.tsquery(query), cap],
            )
            return [row[0] for row in cursor.fetchall()]

    def words_starting(self, prefix: str, limit: int) -> list[str]:
        # LIKE with a fixed prefix is answered by the text_pattern_ops index, whatever the collation.
        with connection.cursor() as cursor:
            cursor.execute("SELECT term FROM search_term WHERE term LIKE %s LIMIT %s", [prefix + "%", limit])
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, word: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_term WHERE term %% %s ORDER BY similarity(term, %s) DESC LIMIT %s",
                [word, word, SIMILAR_WORDS_LIMIT],
            )
            similar = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT term FROM search_term WHERE term LIKE %s AND length(term) BETWEEN %s AND %s LIMIT %s",
                [word[:2] + "%", len(word) - 2, len(word) + 2, SAME_START_LIMIT],
            )
            return similar + [row[0] for row in cursor.fetchall()]

    # --- Rebuilding -------------------------------------------------------------------------------------------

    rebuild_in_one_transaction = True

    def start_rebuild(self) -> None:
        """Empty the tables and drop their GIN indexes: building a GIN index once is much faster than keeping it
        up to date row by row. (TRUNCATE locks the tables: searches wait until the rebuild commits.)"""
        with connection.cursor() as cursor:
            # Foreign-key checks deferred to the commit would stop TRUNCATE: run them now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE search_document, search_term")
            for name in self.GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in start_rebuild: CREATE INDEX needs no pending checks
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in self.GIN_INDEXES.values():
                cursor.execute(statement)
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_term")

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_document') + pg_total_relation_size('search_term')")
            return cursor.fetchone()[0] or 0


BACKENDS = {"sqlite": SQLiteBackend(), "postgresql": PostgresBackend()}


def backend():
    """The backend of the database in use."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(f"IPM's search has no backend for {connection.vendor}: use SQLite or PostgreSQL.") from None
