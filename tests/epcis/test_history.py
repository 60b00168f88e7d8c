"""History checks on a serialised scan: each finding, its absence when the history is clean, and the rendering."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ipm.epcis import history, services
from ipm.epcis.history import Finding, HistoryReport, check_item
from ipm.epcis.models import CaptureStatus
from ipm.scans.models import ScanLog, ScanResult, ScanSource
from tests.epcis.helpers import commissioning, document, event, gtin_of, register_prefixes, sgtin

pytestmark = pytest.mark.django_db

SCANNED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GTIN = gtin_of()


@pytest.fixture
def capture(world):
    register_prefixes(world)

    def run(*events, header=None):
        job = services.start_capture(world.users["brand_editor"], document(*events, header=header))
        assert job.status == CaptureStatus.SUCCESS, job.errors
        return job

    return run


def check(serial="S1", *, lot=None, expiry=None, country="FR", scanned_at=SCANNED, exclude_scan_id=None):
    return check_item(
        gtin=GTIN,
        serial=serial,
        lot=lot,
        expiry=expiry,
        country=country,
        scanned_at=scanned_at,
        exclude_scan_id=exclude_scan_id,
    )


def codes(report: HistoryReport) -> list[str]:
    return [finding.code for finding in report.findings]


def scan(serial, country, when):
    return ScanLog.objects.create(
        country=country,
        created_at=when,
        source=ScanSource.API,
        raw_code=f"(01){GTIN}(21){serial}",
        gtin=GTIN,
        serial=serial,
        result=ScanResult.PRODUCT,
    )


def test_without_any_history_for_the_gtin_nothing_is_said(capture):
    report = check()
    assert (report.events, report.findings, report.score, report.gtin_has_history) == (0, [], 0, False)


def test_a_clean_history_has_no_findings(capture):
    capture(
        commissioning([sgtin("S1")], lot="L7", expiry="2028-01-31"),
        event([sgtin("S1")], biz_step="shipping", disposition="in_transit", time="2026-02-01T00:00:00Z"),
    )
    report = check(lot="L7", expiry=date(2028, 1, 31))
    assert (report.events, report.findings, report.score, report.gtin_has_history) == (2, [], 0, True)


def test_a_serial_never_commissioned(capture):
    capture(commissioning([sgtin("S1")]))
    report = check("FAKE")
    assert codes(report) == ["never_commissioned"]
    assert report.events == 0 and report.score == history.SEVERITY["never_commissioned"]
    # Seen in the chain but never commissioned: still a finding, a little weaker.
    capture(event([sgtin("SEEN")]))
    seen = check("SEEN")
    assert codes(seen) == ["never_commissioned"] and seen.findings[0].details["events"] == 1
    assert seen.score < report.score


def test_a_decommissioned_item(capture):
    capture(
        commissioning([sgtin("S1")]),
        event(
            [sgtin("S1")],
            action="DELETE",
            biz_step="decommissioning",
            disposition="inactive",
            time="2026-02-01T00:00:00Z",
        ),
    )
    report = check()
    assert codes(report) == ["decommissioned"]
    assert report.findings[0].severity == history.SEVERITY["decommissioned"]
    assert report.findings[0].details["biz_step"] == "decommissioning"
    # Before the decommissioning, the item was alive.
    assert check(scanned_at=datetime(2026, 1, 15, tzinfo=UTC)).findings == []


def test_a_destroyed_item(capture):
    capture(
        commissioning([sgtin("S1")]),
        event(
            [sgtin("S1")], action="DELETE", biz_step="destroying", disposition="destroyed", time="2026-02-01T00:00:00Z"
        ),
    )
    assert check().findings[0].severity == history.SEVERITY["destroyed"]


def test_a_cloned_code_scanned_in_two_countries(capture):
    capture(commissioning([sgtin("S1")]))
    scan("S1", "MA", SCANNED - timedelta(hours=3))
    scan("S1", "FR", SCANNED - timedelta(hours=1))  # the same country: not a clone
    this_scan = scan("S1", "FR", SCANNED)
    report = check(exclude_scan_id=this_scan.pk)
    assert codes(report) == ["cloned"]
    assert report.findings[0].details["countries"] == ["MA"]
    # Far enough apart in time, one item may have travelled.
    assert check(scanned_at=SCANNED + timedelta(days=3)).findings == []


def test_a_clone_seen_by_epcis_in_another_country(capture):
    capture(
        commissioning([sgtin("S1")]),
        event([sgtin("S1")], biz_step="receiving", time="2026-03-01T09:00:00Z", **{"ipm:country": "BR"}),
    )
    report = check()
    assert codes(report) == ["cloned"] and report.findings[0].details == {"source": "epcis", "countries": ["BR"]}
    assert check(country="BR").findings == []


def test_outside_the_intended_market(capture):
    capture(
        commissioning([sgtin("S1")]),
        event([sgtin("S1")], biz_step="shipping", time="2026-02-01T00:00:00Z", **{"ipm:intendedMarkets": ["DE", "IT"]}),
    )
    report = check(country="FR")
    assert codes(report) == ["outside_market"]
    assert report.findings[0].details["intended_markets"] == ["DE", "IT"]
    assert check(country="DE").findings == []


def test_lot_and_expiry_not_matching_the_commissioning(capture):
    capture(commissioning([sgtin("S1")], lot="L7", expiry="2028-01-31"))
    report = check(lot="L8", expiry=date(2029, 1, 31))
    assert sorted(codes(report)) == ["expiry_mismatch", "lot_mismatch"]
    assert report.score == history.combined_score(report.findings) > max(f.severity for f in report.findings)
    assert check(lot=None, expiry=None).findings == []  # nothing printed, nothing to compare


def test_an_error_declared_commissioning_does_not_count(capture):
    ident = "urn:uuid:00000000-2222-3333-4444-555555555555"
    capture(commissioning([sgtin("S1")], eventID=ident), commissioning([sgtin("OTHER")]))
    declared = commissioning([sgtin("S1")], eventID=ident)
    declared["errorDeclaration"] = {"declarationTime": "2026-02-01T00:00:00Z"}
    capture(declared)
    assert codes(check()) == ["never_commissioned"]


def test_a_gtin_given_as_gtin_13_is_found(capture):
    capture(commissioning([sgtin("S1")]))
    report = check_item(gtin=GTIN.lstrip("0"), serial="S1", lot=None, expiry=None, country="FR", scanned_at=SCANNED)
    assert GTIN.startswith("0") and report.events == 1


def test_the_combined_score():
    findings = [Finding("a", 50, "a"), Finding("b", 50, "b")]
    assert history.combined_score(findings) == 75
    assert history.combined_score([]) == 0


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_findings_fragment(capture, language):
    capture(commissioning([sgtin("S1")], lot="L7"))
    with translation.override(language):
        report = check(lot="L8")
        html = render_to_string("epcis/_findings.html", {"report": report})
    assert 'data-finding="lot_mismatch"' in html and "L8" in html
    assert "text-bg-danger" in html
    with translation.override(language):
        empty = render_to_string("epcis/_findings.html", {"report": check("S1", scanned_at=SCANNED, country="")})
        none = render_to_string("epcis/_findings.html", {"report": HistoryReport(0, [], 0, gtin_has_history=False)})
    assert "data-finding" not in empty and "text-success" in empty
    assert "data-finding" not in none and "text-body-secondary" in none
