"""Statements compiled once and run again with other values: the scan look-up's queries and its log insert.

Building and compiling a queryset with subqueries costs the ORM about a millisecond of CPU on the benchmark machine,
several times what the database then takes to answer (``bench/request_profile.py``); on the scan endpoint, which
must answer a thousand requests a second on two cores, that was most of the request. So a look-up's queryset is
built as usual — from the access policy's querysets — with stand-in values where the request's own values go,
compiled once, and its SQL run again with the real values in their places. Log rows are inserted the same way:
the INSERT compiled once by the ORM, each value prepared by its model field as the ORM would.

The cache key must say everything the statement depends on besides those values: for a look-up through
``policy.visible_products(user)``, ``policy.product_search_scope(user)``, which restates that same rule as a
hashable value (``tests/scans/test_prepared.py`` checks that users with equal keys get the same statement).
Nothing but the statement is kept: each run reads the database afresh, so a sheet unpublished or a mandate revoked
counts on the very next request.
"""

import itertools
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import sql

MAX_STATEMENTS = 1000  # kinds of look-up × scopes × languages: far more than a deployment has

_stand_ins: set = set()
_numbers = itertools.count(1)


def stand_in(name: str) -> str:
    """A text value that marks where a request's own value goes: a text no request sends (it holds control
    characters, which the parser refuses in any code)."""
    value = f"\x1fipm:{name}\x1f"
    _stand_ins.add(value)
    return value


def stand_in_id() -> int:
    """An id that marks where a request's own id goes: negative, so never a row's."""
    value = -(10**15) - next(_numbers)
    _stand_ins.add(value)
    return value


class PreparedQuery:
    """``queryset`` (a ``values_list`` queryset) compiled for the database ``alias``; ``run`` executes it with the
    stand-ins replaced. A queryset that can match nothing (an empty ``IN``, ``.none()``) runs no SQL at all."""

    def __init__(self, queryset, alias: str):
        self.alias = alias
        try:
            self.sql, params = queryset.query.get_compiler(alias).as_sql()
        except EmptyResultSet:
            self.sql, params = None, ()
        self.params = list(params)
        self.slots: dict = {}
        for index, value in enumerate(self.params):
            if isinstance(value, str | int) and value in _stand_ins:
                self.slots.setdefault(value, []).append(index)

    def run(self, values: dict) -> list[tuple]:
        if self.sql is None:
            return []
        params = list(self.params)
        for stand_in_value, value in values.items():
            for index in self.slots.get(stand_in_value, ()):
                params[index] = value
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


class PreparedInsert:
    """The INSERT of one ``model`` row, compiled once for ``alias``; ``run`` answers the new primary key (when
    ``returning``), ``run_many`` inserts several rows."""

    def __init__(self, model, alias: str, returning: bool = True):
        self.alias = alias
        connection = connections[alias]
        meta = model._meta
        self.fields = [f for f in meta.local_concrete_fields if not f.primary_key and not f.generated]
        query = sql.InsertQuery(model)
        query.insert_values(self.fields, [model()])
        compiler = query.get_compiler(alias)
        self.returning = returning and connection.features.can_return_columns_from_insert
        if self.returning:
            compiler.returning_fields = [meta.pk]
        (self.sql, _params), *_rest = compiler.as_sql()
        self.table, self.pk_column = meta.db_table, meta.pk.column

    def _params(self, connection, values: dict) -> list:
        return [field.get_db_prep_save(values[field.attname], connection=connection) for field in self.fields]

    def run(self, values: dict) -> int:
        """Insert a row with ``values`` (by attribute name; every field must be given) and return its key."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self._params(connection, values))
            if self.returning:
                return cursor.fetchone()[0]
            return connection.ops.last_insert_id(cursor, self.table, self.pk_column)

    def run_many(self, rows: list[dict]) -> None:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [self._params(connection, values) for values in rows])


_statements: dict[tuple, PreparedQuery | PreparedInsert] = {}
_lock = threading.Lock()


def _cached(cache_key: tuple, make):
    statement = _statements.get(cache_key)
    if statement is None:
        statement = make()
        with _lock:
            if len(_statements) >= MAX_STATEMENTS:
                _statements.clear()
            _statements[cache_key] = statement
    return statement


def prepared(key: tuple, alias: str, build) -> PreparedQuery:
    """The statement cached under ``(key, alias)``, compiled from ``build()`` (a queryset) the first time."""
    return _cached(("query", *key, alias), lambda: PreparedQuery(build(), alias))


def prepared_insert(model, alias: str, returning: bool = True) -> PreparedInsert:
    return _cached(("insert", model._meta.label, returning, alias), lambda: PreparedInsert(model, alias, returning))
