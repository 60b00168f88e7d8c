"""The scan log written behind the requests (``ipm.scans.log_writer``, ``SCAN_LOG_DEFERRED``): rows are queued by the
request and inserted in batches by a thread with its own database connection, so these tests commit for real."""

import logging

import pytest
from django.utils import timezone

from ipm.scans import log_writer, services
from ipm.scans.models import ScanLog, ScanResult, ScanSource
from tests.scans.conftest import CODES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def deferred(settings):
    settings.SCAN_LOG_DEFERRED = True
    writer = log_writer.writer_for(ScanLog, "default")
    yield writer
    writer.stop()


def values_for(user, n: int) -> dict:
    return {
        "user_id": user.pk,
        "organisation_id": user.organisation_id,
        "country": "FR",
        "created_at": timezone.now(),
        "source": ScanSource.API,
        "symbology": "",
        "raw_code": f"code {n}",
        "gtin": "",
        "lot": "",
        "serial": "",
        "result": ScanResult.NONE,
        "product_id": None,
        "brand_id": None,
        "right_holder_id": None,
        "problems": [],
    }


def test_a_scan_is_answered_first_and_logged_by_the_writer(world, catalogue, deferred):
    officer = world.users["fr_officer"]
    outcome = services.scan(officer, code=CODES["published"], source=ScanSource.API)
    assert outcome.results[0].match == ScanResult.PRODUCT and outcome.results[0].log_id is None
    assert deferred.flush()
    log = ScanLog.objects.get()
    assert (log.user, log.country.code, log.result, log.product_id) == (
        officer,
        "FR",
        ScanResult.PRODUCT,
        catalogue.products["published"].pk,
    )


def test_rows_are_written_in_batches_and_none_is_lost(world, deferred):
    officer = world.users["fr_officer"]
    for n in range(log_writer.MAX_BATCH * 2 + 17):
        deferred.submit(values_for(officer, n))
    assert deferred.flush()
    assert ScanLog.objects.count() == log_writer.MAX_BATCH * 2 + 17


def test_a_batch_the_database_refuses_is_reported_and_the_writer_goes_on(world, deferred, caplog):
    officer = world.users["fr_officer"]
    broken = values_for(officer, 0) | {"user_id": 10**12}  # no such user: the foreign key is refused
    with caplog.at_level(logging.ERROR, logger="ipm.scans.log_writer"):
        deferred.submit(broken)
        assert deferred.flush()
    assert "scan log rows could not be written" in caplog.text
    deferred.submit(values_for(officer, 1))
    assert deferred.flush()
    assert list(ScanLog.objects.values_list("raw_code", flat=True)) == ["code 1"]


def test_one_refused_row_does_not_take_its_batch_with_it(world, deferred, caplog):
    officer = world.users["fr_officer"]
    with caplog.at_level(logging.ERROR, logger="ipm.scans.log_writer"):
        deferred.submit(values_for(officer, 1))
        deferred.submit(values_for(officer, 2) | {"user_id": 10**12})  # refused: no such user
        deferred.submit(values_for(officer, 3))
        assert deferred.flush()
    assert sorted(ScanLog.objects.values_list("raw_code", flat=True)) == ["code 1", "code 3"]
    assert "1 scan log rows could not be written" in caplog.text


def test_stopping_writes_what_is_queued(world, deferred):
    officer = world.users["fr_officer"]
    for n in range(3):
        deferred.submit(values_for(officer, n))
    deferred.stop()
    assert ScanLog.objects.count() == 3
    assert deferred.flush()  # nothing runs any more: nothing to wait for
