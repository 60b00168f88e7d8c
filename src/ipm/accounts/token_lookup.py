"""The bearer-token look-up every API call makes, as one statement built once per process.

The ORM query it replaces — the usable token with its user and the user's organisation, ``select_related`` over
three tables — cost about 0.75 ms of CPU to build on each call on the benchmark machine, more than the rest of the
API's shared request path, while the statement itself runs in about 20 µs (``bench/request_profile.py``). So the
SQL is built from the models' metadata once, run with the key's hash, and its row turned into model instances with
the converters the ORM itself would apply. Nothing is cached between calls: a revoked or expired token, a
deactivated user or a suspended organisation is refused on the very next call.
"""

import functools

from django.db import connections, router
from django.db.models.expressions import Col
from django.utils import timezone

from ipm.accounts.models import ApiToken, Organisation, User


class _TokenQuery:
    """``ApiToken.objects.usable().select_related("user__organisation").filter(key_hash=…)``, precompiled."""

    JOINED = (("t", ApiToken), ("u", User), ("o", Organisation))

    def __init__(self, connection):
        quote = connection.ops.quote_name
        columns, self.parts, self.converters = [], [], []
        for alias, model in self.JOINED:
            fields = model._meta.concrete_fields
            for index, field in enumerate(fields, start=len(columns)):
                expression = Col(alias, field)
                found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                if found:
                    self.converters.append((index, found, expression))
            self.parts.append((model, [f.attname for f in fields], len(columns), len(columns) + len(fields)))
            columns += [f"{alias}.{quote(field.column)}" for field in fields]

        def column(model, name):
            return quote(model._meta.get_field(name).column)

        # Keep the conditions in step with ApiTokenQuerySet.usable(). Only quoted names from the models go into the
        # text; the key hash and the time are parameters.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(ApiToken._meta.db_table)} t"  # noqa: S608
            f" INNER JOIN {quote(User._meta.db_table)} u ON u.{column(User, 'id')} = t.{column(ApiToken, 'user')}"
            f" INNER JOIN {quote(Organisation._meta.db_table)} o"
            f" ON o.{column(Organisation, 'id')} = u.{column(User, 'organisation')}"
            f" WHERE t.{column(ApiToken, 'key_hash')} = %s AND t.{column(ApiToken, 'revoked_at')} IS NULL"
            f" AND (t.{column(ApiToken, 'expires_at')} IS NULL OR t.{column(ApiToken, 'expires_at')} > %s)"
        )

    def run(self, connection, key_hash: str) -> ApiToken | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [key_hash, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for index, converters, expression in self.converters:
            for converter in converters:
                row[index] = converter(row[index], expression, connection)
        token, user, organisation = (
            model.from_db(connection.alias, names, row[start:end]) for model, names, start, end in self.parts
        )
        user.organisation = organisation
        token.user = user
        return token


@functools.cache
def _query_for(alias: str) -> _TokenQuery:
    return _TokenQuery(connections[alias])


def usable_token_with_owner(key_hash: str) -> ApiToken | None:
    """The usable token with this key hash, its ``user`` and ``user.organisation`` loaded, or None."""
    alias = router.db_for_read(ApiToken)
    return _query_for(alias).run(connections[alias], key_hash)
