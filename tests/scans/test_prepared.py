"""The compiled-once statements of the scan look-up (``ipm.scans.prepared``): a statement is reused for every user
whose cache key is equal, so users with equal keys must get the very same statement from the policy, and a reused
statement must still read the database afresh."""

import itertools

import pytest
from django.core.exceptions import EmptyResultSet

from ipm.access import policy
from ipm.scans import prepared, services
from ipm.scans.models import ScanLog, ScanResult, ScanSource
from tests.scans.conftest import CODES

pytestmark = pytest.mark.django_db


def compiled(queryset):
    try:
        return queryset.query.get_compiler("default").as_sql()
    except EmptyResultSet:  # the user reads nothing of the kind: PreparedQuery runs no SQL then
        return "nothing"


def test_users_with_the_same_scope_get_the_same_statements(world, catalogue):
    """``product_search_scope`` is the key of the product, brand and contact look-ups: it must determine them."""
    scanners = [user for user in world.users.values() if policy.may_scan(user)]
    by_scope = {}
    for user in scanners:
        by_scope.setdefault(policy.product_search_scope(user), []).append(user)
    assert any(len(users) > 2 for users in by_scope.values())  # the test compares something
    for users in by_scope.values():
        for first, second in itertools.pairwise(users):
            for build in (
                lambda user: services._product_lookup(user, "fr"),
                services._brands_lookup,
                services._contacts_lookup,
            ):
                assert compiled(build(first)) == compiled(build(second)), (first, second)
    # Different scopes, different statements: officers of two countries do not share one.
    fr, ma = world.users["fr_officer"], world.users["ma_officer"]
    assert compiled(services._product_lookup(fr, "fr")) != compiled(services._product_lookup(ma, "fr"))


def test_the_prefix_look_up_is_the_same_for_everyone_who_may_scan(world):
    """Its key is only whether the user may scan."""
    statements = {compiled(services._prefix_lookup(user)) for user in world.users.values() if policy.may_scan(user)}
    assert len(statements) == 1


def test_a_stand_in_is_replaced_wherever_it_occurs(world, catalogue):
    statement = prepared.PreparedQuery(services._product_lookup(world.users["fr_officer"], "en"), "default")
    assert list(statement.slots) == [services._GTIN]
    assert statement.run({services._GTIN: "0" + CODES["published"]})[0][0] == catalogue.products["published"].pk
    assert statement.run({services._GTIN: "0" + CODES["unknown"]}) == []


def test_a_statement_that_can_match_nothing_runs_no_sql(world, django_assert_num_queries):
    from ipm.catalog.models import Product

    statement = prepared.PreparedQuery(Product.objects.none().values_list("pk"), "default")
    with django_assert_num_queries(0):
        assert statement.run({}) == []


def test_a_reused_statement_reads_the_database_afresh(world, catalogue):
    officer = world.users["ma_officer"]
    product = catalogue.products["published"]
    assert services.scan(officer, code=CODES["published"], source=ScanSource.API).results[0].product.id == product.pk
    type(product).objects.filter(pk=product.pk).update(status="archived")
    item = services.scan(officer, code=CODES["published"], source=ScanSource.API).results[0]
    assert item.match == ScanResult.BRAND and item.product is None


def test_the_prepared_insert_writes_what_the_orm_would(world):
    officer = world.users["fr_officer"]
    insert = prepared.prepared_insert(ScanLog, "default")
    from django.utils import timezone

    now = timezone.now()
    pk = insert.run(
        {
            "user_id": officer.pk,
            "organisation_id": officer.organisation_id,
            "country": "FR",
            "created_at": now,
            "source": ScanSource.PAGE,
            "symbology": "]d2",
            "raw_code": "]d2010950600013435221A\x1d10B",
            "gtin": "09506000134352",
            "lot": "B",
            "serial": "A",
            "result": ScanResult.NONE,
            "product_id": None,
            "brand_id": None,
            "right_holder_id": None,
            "problems": ["truncated"],
        }
    )
    log = ScanLog.objects.get(pk=pk)
    assert (log.user, log.country.code, log.created_at, log.problems) == (officer, "FR", now, ["truncated"])
    assert log.raw_code == "]d2010950600013435221A\x1d10B"
