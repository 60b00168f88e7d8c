"""History checks: what the track-and-trace history captured in IPM says about one serialised item in an officer's
hands. Called after each serialised scan (IPM Connected shows the findings beside the provider's verdict).

The answer is a scored set of findings, never a yes/no: each finding has a severity (0-100, how strongly it
points at a counterfeit or diverted item) and the report's ``score`` combines them as independent signals
(``100 × (1 − Π(1 − severity/100))``): 0 when nothing is wrong, close to 100 when several strong signals agree.

Findings:

* ``never_commissioned`` — IPM holds events for this GTIN, but none commissions this serial (the right holder
  never made it). When IPM holds no event at all for the GTIN, nothing can be said: no finding, ``events=0``,
  ``gtin_has_history=False``.
* ``decommissioned`` — the item's last status event before the scan decommissioned or destroyed it.
* ``cloned`` — the same GTIN and serial scanned by customs in another country (scan log), or observed in an EPCIS
  event in another country, too close in time for one item to have travelled (``CLONE_WINDOW``).
* ``outside_market`` — the scan's country is not among the markets the item was shipped for.
* ``lot_mismatch`` / ``expiry_mismatch`` — the lot or expiry date printed with the serial differ from those the
  commissioning event recorded (its ILMD).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from ipm.epcis.models import EpcisEvent, EpcisItem

# Two customs scans of the same serial in two countries closer than this are not one item travelling.
CLONE_WINDOW = timedelta(hours=24)
# An EPCIS observation (a shipment read somewhere) is less precise than a scan: a shorter window.
OBSERVATION_CLONE_WINDOW = timedelta(hours=6)
MAX_CLONE_DETAILS = 10

DECOMMISSIONING_STEPS = frozenset({"decommissioning", "destroying", "killing"})
DEAD_DISPOSITIONS = frozenset({"destroyed", "disposed", "inactive", "dispensed", "retail_sold"})
DESTROYED = frozenset({"destroying", "destroyed", "disposed"})

SEVERITY = {
    "never_commissioned": 90,
    "never_commissioned_but_seen": 70,
    "destroyed": 95,
    "decommissioned": 85,
    "sold": 60,
    "cloned_scan": 75,
    "cloned_observation": 50,
    "outside_market": 40,
    "lot_mismatch": 80,
    "expiry_mismatch": 80,
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: int  # 0-100
    message: str  # translated, in the language active when the check ran
    details: dict = field(default_factory=dict)

    @property
    def level(self) -> str:
        """A Bootstrap colour for the severity (templates)."""
        return _level(self.severity)


def _level(severity: int) -> str:
    return "danger" if severity >= 75 else "warning" if severity >= 40 else "secondary"


@dataclass(frozen=True)
class HistoryReport:
    events: int  # events about this very item (gtin + serial), error-declared ones left out
    findings: list[Finding]
    score: int  # 0-100, see the module's docstring
    gtin_has_history: bool = True  # False: IPM holds no event for this GTIN, so nothing could be checked

    @property
    def worst(self) -> int:
        return max((finding.severity for finding in self.findings), default=0)

    @property
    def level(self) -> str:
        return _level(self.score) if self.findings else "success"


def combined_score(findings: list[Finding]) -> int:
    remaining = 1.0
    for finding in findings:
        remaining *= 1 - finding.severity / 100
    return round(100 * (1 - remaining))


def check_item(
    *,
    gtin: str,
    serial: str,
    lot: str | None,
    expiry: date | None,
    country: str,
    scanned_at: datetime,
    exclude_scan_id: int | None = None,
) -> HistoryReport:
    """The history findings for one serialised item scanned in ``country`` (ISO alpha-2) at ``scanned_at``.
    ``exclude_scan_id``: the scan being checked, left out of the clone search. Two to three indexed queries."""
    gtin = gtin.zfill(14)
    country = (country or "").upper()
    rows = list(
        EpcisItem.objects.filter(gtin=gtin, serial=serial, event__error_declared_at__isnull=True)
        .order_by("event__event_time", "event_id")
        .values(
            "role",
            "lot",
            "expiry",
            "event_id",
            "event__event_type",
            "event__action",
            "event__biz_step",
            "event__disposition",
            "event__event_time",
            "event__country",
            "event__intended_markets",
        )
    )
    if not rows and not EpcisItem.objects.filter(gtin=gtin, event__error_declared_at__isnull=True).exists():
        return HistoryReport(events=0, findings=[], score=0, gtin_has_history=False)
    events = {}
    for row in rows:  # an event may name the item twice (e.g. as child and in a quantity list): once is enough
        events.setdefault(row["event_id"], row)
    history = list(events.values())
    past = [row for row in history if row["event__event_time"] <= scanned_at]
    findings: list[Finding] = []
    commissioning = [row for row in history if _commissions(row)]
    if not commissioning:
        findings.append(_never_commissioned(gtin, serial, len(history)))
    findings.extend(_decommissioned(past))
    findings.extend(_clones(gtin, serial, country, scanned_at, exclude_scan_id, past))
    findings.extend(_outside_market(past, country))
    if commissioning:
        findings.extend(_mismatches(commissioning[0], lot, expiry))
    findings.sort(key=lambda finding: -finding.severity)
    return HistoryReport(events=len(history), findings=findings, score=combined_score(findings))


def _commissions(row) -> bool:
    """Commissioning: an ObjectEvent that ADDs the item (CBV "commissioning" or any ADD of an instance), or the
    output of a transformation, which creates the item."""
    if row["event__event_type"] == "ObjectEvent" and row["event__action"] == "ADD":
        return True
    return row["event__event_type"] == "TransformationEvent" and row["role"] == EpcisItem.Role.OUTPUT


def _never_commissioned(gtin: str, serial: str, seen: int) -> Finding:
    if seen:
        return Finding(
            "never_commissioned",
            SEVERITY["never_commissioned_but_seen"],
            _(
                "The right holder's track-and-trace data mention this serial number %(count)d times, but never its "
                "commissioning."
            )
            % {"count": seen},
            {"gtin": gtin, "serial": serial, "events": seen},
        )
    return Finding(
        "never_commissioned",
        SEVERITY["never_commissioned"],
        _(
            "The right holder's track-and-trace data know this product, but not this serial number: it was never "
            "commissioned."
        ),
        {"gtin": gtin, "serial": serial},
    )


def _decommissioned(past: list) -> list[Finding]:
    """The item's last status event before the scan, when it ended the item's life. A later commissioning (a
    reused serial, re-commissioned after a mistake) wins over an earlier decommissioning."""
    last = None
    for row in past:
        if (
            _commissions(row)
            or row["event__biz_step"] in DECOMMISSIONING_STEPS
            or (row["event__disposition"] in DEAD_DISPOSITIONS)
        ):
            last = row
    if last is None or _commissions(last):
        return []
    step, disposition = last["event__biz_step"], last["event__disposition"]
    details = {"biz_step": step, "disposition": disposition, "event_time": last["event__event_time"].isoformat()}
    if step in DESTROYED or disposition in DESTROYED:
        return [
            Finding(
                "decommissioned",
                SEVERITY["destroyed"],
                _("This item was recorded as destroyed on %(date)s.") % {"date": last["event__event_time"].date()},
                details,
            )
        ]
    if disposition in ("dispensed", "retail_sold") and step not in DECOMMISSIONING_STEPS:
        return [
            Finding(
                "decommissioned",
                SEVERITY["sold"],
                _("This item was recorded as sold or dispensed to a consumer on %(date)s.")
                % {"date": last["event__event_time"].date()},
                details,
            )
        ]
    return [
        Finding(
            "decommissioned",
            SEVERITY["decommissioned"],
            _("This item was decommissioned on %(date)s: its serial number should no longer be in circulation.")
            % {"date": last["event__event_time"].date()},
            details,
        )
    ]


def _clones(gtin, serial, country, scanned_at, exclude_scan_id, past) -> list[Finding]:
    from ipm.scans.models import ScanLog

    findings = []
    if not country:
        return findings
    scans = (
        ScanLog.objects.filter(
            gtin=gtin,
            serial=serial,
            created_at__gte=scanned_at - CLONE_WINDOW,
            created_at__lte=scanned_at + CLONE_WINDOW,
        )
        .exclude(country=country)
        .exclude(country__isnull=True)
        .exclude(country="")
    )
    if exclude_scan_id is not None:
        scans = scans.exclude(pk=exclude_scan_id)
    elsewhere = list(scans.order_by("-created_at").values_list("country", "created_at")[:MAX_CLONE_DETAILS])
    if elsewhere:
        countries = sorted({str(code) for code, _when in elsewhere})
        findings.append(
            Finding(
                "cloned",
                SEVERITY["cloned_scan"],
                _(
                    "The same serial number was scanned in %(countries)s within %(hours)d hours: one of the two "
                    "items carries a copied code."
                )
                % {"countries": ", ".join(countries), "hours": _hours(CLONE_WINDOW)},
                {
                    "source": "scans",
                    "countries": countries,
                    "scans": [{"country": str(code), "at": when.isoformat()} for code, when in elsewhere],
                },
            )
        )
    observed = [
        row
        for row in past
        if row["event__country"]
        and row["event__country"] != country
        and scanned_at - row["event__event_time"] <= OBSERVATION_CLONE_WINDOW
    ]
    if observed:
        countries = sorted({row["event__country"] for row in observed})
        findings.append(
            Finding(
                "cloned",
                SEVERITY["cloned_observation"],
                _(
                    "The right holder's track-and-trace data place this item in %(countries)s less than %(hours)d "
                    "hours before this scan."
                )
                % {"countries": ", ".join(countries), "hours": _hours(OBSERVATION_CLONE_WINDOW)},
                {"source": "epcis", "countries": countries},
            )
        )
    return findings


def _hours(window: timedelta) -> int:
    return int(window.total_seconds() // 3600)


def _outside_market(past: list, country: str) -> list[Finding]:
    """The markets of the latest event that names them (a later shipment may redirect the item)."""
    markets = next((row["event__intended_markets"] for row in reversed(past) if row["event__intended_markets"]), [])
    if not markets or not country or country in markets:
        return []
    return [
        Finding(
            "outside_market",
            SEVERITY["outside_market"],
            _("This item was meant for %(markets)s, not for this country.") % {"markets": ", ".join(markets)},
            {"intended_markets": markets, "country": country},
        )
    ]


def _mismatches(commissioning: dict, lot: str | None, expiry: date | None) -> list[Finding]:
    findings = []
    if lot and commissioning["lot"] and lot != commissioning["lot"]:
        findings.append(
            Finding(
                "lot_mismatch",
                SEVERITY["lot_mismatch"],
                _("The lot printed (%(printed)s) is not the lot this serial number was made in (%(recorded)s).")
                % {"printed": lot, "recorded": commissioning["lot"]},
                {"printed": lot, "recorded": commissioning["lot"]},
            )
        )
    if expiry and commissioning["expiry"] and expiry != commissioning["expiry"]:
        findings.append(
            Finding(
                "expiry_mismatch",
                SEVERITY["expiry_mismatch"],
                _(
                    "The expiry date printed (%(printed)s) is not the one recorded for this serial number "
                    "(%(recorded)s)."
                )
                % {"printed": expiry.isoformat(), "recorded": commissioning["expiry"].isoformat()},
                {"printed": expiry.isoformat(), "recorded": commissioning["expiry"].isoformat()},
            )
        )
    return findings


def item_events(gtin: str, serial: str):
    """The events about one item, oldest first (for pages that show the history itself)."""
    return EpcisEvent.objects.filter(
        items__gtin=gtin.zfill(14), items__serial=serial, error_declared_at__isnull=True
    ).distinct()
