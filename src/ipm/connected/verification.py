"""The officer's side of IPM Connected: ask the services that secure a scanned item, record what they said.

``verify_scan`` is the named action behind the product page's "Connected verification" panel and
``POST /api/v1/connected/verifications``: it builds the protocol request from the scan log (the code, its GS1 data,
the officer's country, the place when given, the time — never who the officer is), calls the service through
``connected.client`` (verification API) or builds the app or Digital Link address (the two other reaches), runs the
track-and-trace history checks of serialised items (``ipm.epcis.history``) and records one ``Verification``.

Which services secure an item is C1's ``connected.services.services_for``; ``offers_for`` turns them into what a
page or an API answer shows (how each is reached) without calling anybody, so a scan stays cheap.
"""

import hashlib
import logging
import re
import uuid
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urlsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.catalog import presentation
from ipm.connected import client
from ipm.connected.models import Reach, Service, ServiceStatus, Verification, VerificationOutcome
from ipm.gs1 import ParsedCode, parse_code

logger = logging.getLogger(__name__)

UNLOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
# Where the officer works, as given on the scan page (a UN/LOCODE): the location of their verifications.
OFFICER_POST_SESSION_KEY = "ipm_officer_post"
APP_PLACEHOLDERS = ("code", "gtin", "serial", "lot", "expiry", "digital_link", "country")


# --- What a scan offers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """A service that secures a scanned item, and how the officer reaches it (no call made yet)."""

    service: Service
    reach: str
    launch_url: str = ""  # app launch: the filled deep link
    link: str = ""  # digital link: the provider's page, with ?dl=

    def as_api(self, verify_url: str, scan_id: int | None) -> dict:
        """The ``connected`` member of a scan result in the API (see ``scans.api``)."""
        entry = {
            "service": {
                "id": self.service.public_id,
                "name": self.service.name,
                "provider": self.service.provider.name,
            },
            "reach": self.reach,
        }
        if self.reach == Reach.VERIFICATION_API:
            entry["verify"] = {
                "method": "POST",
                "url": verify_url,
                "body": {"scan": scan_id, "service": self.service.public_id},
            }
        elif self.reach == Reach.APP_LAUNCH:
            entry["launch_url"] = self.launch_url
        else:
            entry["link"] = self.link
        return entry


SECURED_BY_SECONDS = 15


def secured_by(*, product=None, gtin: str | None = None, raw_code: str = "") -> list[Service]:
    """The approved services that secure this item (``connected.services.services_for``), remembered for
    ``SECURED_BY_SECONDS`` in the cache: a scan's answer asks it, and the verification that follows a moment later
    asks again (finding them again cost a third of the verification's own time in bench/connected_verify.py).
    A link or coverage change counts within those seconds; a suspended service is refused at once all the same
    (``verify_scan`` reads its status)."""
    from ipm.connected import services

    raw = "" if gtin else (raw_code or "")
    key = (
        "ipm:connected:secured:"
        + hashlib.sha256(
            f"{product.pk if product is not None else ''}|{gtin or ''}|{raw}".encode("utf-8", "replace")
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = services.services_for(product=product, gtin=gtin or None, raw_code=raw_code or "")
        cache.set(key, found, SECURED_BY_SECONDS)
    return found


def offers_for(user, *, product=None, parsed: ParsedCode) -> list[Offer]:
    """How each service securing a scanned item is reached, for who may verify (officers, the secretariat)."""
    if not policy.may_verify_scans(user) or parsed.problems:
        return []
    services = secured_by(product=product, gtin=parsed.gtin, raw_code=parsed.raw)
    country = presentation.officer_country(user) or ""
    offers = []
    for service in services:
        if service.reach == Reach.APP_LAUNCH:
            offers.append(Offer(service, service.reach, launch_url=launch_url(service, parsed, country=country)))
        elif service.reach == Reach.DIGITAL_LINK:
            link = digital_link_url(service, product, parsed)
            if link:
                offers.append(Offer(service, service.reach, link=link))
        else:
            offers.append(Offer(service, service.reach))
    return offers


# --- The request ------------------------------------------------------------------------------------------------


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _yymmdd(day: date | None) -> str | None:
    return day.strftime("%y%m%d") if day else None


def gs1_member(parsed: ParsedCode) -> dict | None:
    """The ``gs1`` member of the request: null for a code that is not GS1."""
    if not parsed.gtin:
        return None
    ais = {"01": parsed.gtin}
    for ai, value in (
        ("10", parsed.lot),
        ("21", parsed.serial),
        ("17", _yymmdd(parsed.expiry_date)),
        ("15", _yymmdd(parsed.best_before_date)),
        ("11", _yymmdd(parsed.production_date)),
    ):
        if value:
            ais[ai] = value
    for element in parsed.other_ais:
        ais.setdefault(element.ai, element.value)
    return {
        "gtin": parsed.gtin,
        "serial": parsed.serial,
        "lot": parsed.lot,
        "expiry": parsed.expiry_date.isoformat() if parsed.expiry_date else None,
        "digitalLink": parsed.digital_link_uri,
        "ais": ais,
    }


def request_body(
    service: Service,
    parsed: ParsedCode,
    *,
    request_id: uuid.UUID,
    country: str,
    location_unlocode: str,
    scanned_at: datetime,
    language: str,
    sent_at: datetime | None = None,
) -> dict:
    """The protocol's request (docs/connected-protocol.md). Only the item, a country, a place and times: nothing
    in it names the officer, their account or their organisation."""
    return {
        "protocol": client.PROTOCOL,
        "requestId": str(request_id),
        "service": service.public_id,
        "sentAt": _iso_utc(sent_at or timezone.now()),
        "code": {"raw": parsed.raw, "symbology": parsed.symbology or ""},
        "gs1": gs1_member(parsed),
        "context": {
            "country": country,
            "location": {"unlocode": location_unlocode} if location_unlocode else None,
            "scannedAt": _iso_utc(scanned_at),
            "language": language,
        },
    }


# --- App launch and Digital Link --------------------------------------------------------------------------------


def _placeholder_values(parsed: ParsedCode, country: str) -> dict[str, str]:
    return {
        "code": parsed.raw or "",
        "gtin": parsed.gtin or "",
        "serial": parsed.serial or "",
        "lot": parsed.lot or "",
        "expiry": parsed.expiry_date.isoformat() if parsed.expiry_date else "",
        "digital_link": parsed.digital_link_uri or "",
        "country": country or "",
    }


def launch_url(service: Service, parsed: ParsedCode, *, country: str = "") -> str:
    """The service's deep-link template filled from the scan: each placeholder percent-encoded (a GS separator, a
    slash or an ampersand in a code cannot break out of its place), a missing value empty. Done by plain
    replacement, not ``str.format``: braces of anything else in the template stay as they are."""
    url = service.app_link_template
    for name, value in _placeholder_values(parsed, country).items():
        url = url.replace("{" + name + "}", quote(value, safe=""))
    return url


def digital_link_url(service: Service, product, parsed: ParsedCode) -> str:
    """The ``gs1:verificationService`` link of the item's resolver entry (set by its right holder) on one of the
    service's hosts, with the item's Digital Link URI as ``?dl=`` (or in place of ``{digital_link}``); "" when the
    right holder has published none there."""
    from ipm.resolver.models import LinkType, ResolverLink
    from ipm.scans.services import company_prefix_candidates

    hosts = service.link_host_list
    if not hosts or not parsed.gtin:
        return ""
    targets = Q(gtin=parsed.gtin) | Q(company_prefix__prefix__in=company_prefix_candidates(parsed.gtin))
    if product is not None:
        targets |= Q(product=product)
    levels = Q(level="gtin")
    if parsed.lot:
        levels |= Q(level="lot", qualifier=parsed.lot)
    if parsed.serial:
        levels |= Q(level="serial", qualifier=parsed.serial)
    links = ResolverLink.objects.filter(targets, levels, link_type=LinkType.VERIFICATION_SERVICE).order_by(
        "-is_default", "pk"
    )
    for link in links:
        host = (urlsplit(link.target_url).hostname or "").lower()
        if host in hosts:
            return _with_digital_link(link.target_url, parsed.digital_link_uri or "")
    return ""


def _with_digital_link(target: str, digital_link: str) -> str:
    encoded = quote(digital_link, safe="")
    if "{digital_link}" in target:
        return target.replace("{digital_link}", encoded)
    if not digital_link:
        return target
    return f"{target}{'&' if urlsplit(target).query else '?'}dl={encoded}"


# --- Verifying ----------------------------------------------------------------------------------------------------


def check_location(value: str) -> str:
    """A UN/LOCODE (``FRLEH``: country and place), upper-cased; "" for none; ``ValidationError`` otherwise."""
    value = (value or "").strip().upper().replace(" ", "")
    if value and not UNLOCODE.fullmatch(value):
        raise ValidationError(
            {"location": _("“%(value)s” is not a UN/LOCODE (five characters, e.g. FRLEH).") % {"value": value[:12]}}
        )
    return value


def history_for(parsed: ParsedCode, *, country: str, scanned_at: datetime, scan_id: int | None) -> dict:
    """The track-and-trace history checks of a serialised item (``ipm.epcis.history``), as JSON; ``{}`` for an item
    without a serial. A failure of the checks is logged and recorded, never turned into a finding."""
    if not (parsed.gtin and parsed.serial):
        return {}
    from ipm.epcis import history

    try:
        report = history.check_item(
            gtin=parsed.gtin,
            serial=parsed.serial,
            lot=parsed.lot,
            expiry=parsed.expiry_date,
            country=country,
            scanned_at=scanned_at,
            exclude_scan_id=scan_id,
        )
    except Exception:  # noqa: BLE001 — the verdict must not be lost to a failing history check
        logger.exception("connected: history checks failed for %s/%s", parsed.gtin, parsed.serial)
        return {"error": "history_failed"}
    return _jsonable(report)


def history_report(data: dict):
    """The stored history checks as ``ipm.epcis.history.HistoryReport`` again (what ``epcis/_findings.html``
    renders), or None when there were none."""
    if not data or data.get("events") is None:
        return None
    from ipm.epcis.history import Finding, HistoryReport

    findings = [
        Finding(
            code=str(item.get("code", "")),
            severity=int(item.get("severity") or 0),
            message=str(item.get("message", "")),
            details=item.get("details") or {},
        )
        for item in data.get("findings") or []
        if isinstance(item, dict)
    ]
    return HistoryReport(
        events=int(data.get("events") or 0),
        findings=findings,
        score=int(data.get("score") or 0),
        gtin_has_history=bool(data.get("gtin_has_history", True)),
    )


def _jsonable(value):
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # a lazy translation, a Decimal …


def verify_scan(user, scan_log, service: Service, location_unlocode: str = "", *, language: str = "") -> Verification:
    """Ask ``service`` about the item of ``scan_log`` (one of ``user``'s own scans) and record the answer.

    A verification that already holds a provider's answer for this scan and service is returned as it is (a page
    reloaded, a form sent twice: the provider is not asked again, the item not "seen" twice); one that ended
    "unavailable" is tried again. Raises ``PermissionDenied`` when ``user`` may not verify this scan or the service
    does not secure its item, ``ValidationError`` for a bad location."""
    if not policy.may_verify_scans(user) or not policy.verifiable_scan_logs(user).filter(pk=scan_log.pk).exists():
        raise PermissionDenied(_("You may not verify this scan."))
    location = check_location(location_unlocode)
    parsed = parse_code(scan_log.raw_code)
    if parsed.problems:  # an unreadable code is not an item anybody can be asked about
        raise PermissionDenied(_("This code cannot be read: there is nothing to verify."))
    product = scan_log.product
    securing = {found.pk: found for found in secured_by(product=product, gtin=parsed.gtin, raw_code=parsed.raw)}
    if service.status != ServiceStatus.APPROVED or service.pk not in securing:
        raise PermissionDenied(_("This service does not secure this product."))
    matched_link = getattr(securing[service.pk], "matched_link", None)
    earlier = (
        Verification.objects.filter(scan=scan_log, service=service)
        .exclude(outcome=VerificationOutcome.UNAVAILABLE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if earlier is not None:
        return earlier
    country = (scan_log.country.code if scan_log.country else "") or presentation.officer_country(user) or ""
    language = language or translation.get_language() or "en"
    brand = product.brand if product is not None else (scan_log.brand or getattr(matched_link, "brand", None))
    right_holder = brand.right_holder if brand is not None else scan_log.right_holder
    verification = Verification(
        service=service,
        reach=service.reach,
        scan=scan_log,
        user=user,
        organisation=user.organisation,
        country=country,
        location_unlocode=location,
        product=product,
        brand=brand,
        right_holder=right_holder,
        gtin=parsed.gtin or "",
        serial=(parsed.serial or "")[:20],
        lot=(parsed.lot or "")[:20],
    )
    if service.reach == Reach.VERIFICATION_API:
        body = request_body(
            service,
            parsed,
            request_id=verification.request_id,
            country=country,
            location_unlocode=location,
            scanned_at=scan_log.created_at,
            language=language,
        )
        result = client.call(service, body, language=language)
        verification.request_body = body
        verification.outcome = result.outcome
        verification.reasons = result.reasons
        verification.message = result.message
        verification.message_language = result.message_language
        verification.evidence_url = result.evidence_url
        verification.fault = result.fault
        verification.fault_detail = result.fault_detail
        verification.attempts = result.attempts
        verification.latency_ms = result.latency_ms
    else:
        target = (
            launch_url(service, parsed, country=country)
            if service.reach == Reach.APP_LAUNCH
            else digital_link_url(service, product, parsed)
        )
        if not target:
            raise PermissionDenied(_("This service does not secure this product."))
        verification.outcome = VerificationOutcome.LAUNCHED
        verification.request_body = {"launch": target}
    verification.history = history_for(parsed, country=country, scanned_at=scan_log.created_at, scan_id=scan_log.pk)
    verification.finished_at = timezone.now()
    verification.save()
    return verification


def launch(user, scan_log, service: Service) -> tuple[str, Verification]:
    """Record that the officer opened an app-launch or Digital Link service for this scan; the address to open."""
    verification = verify_scan(user, scan_log, service)
    return verification.request_body.get("launch", ""), verification


# --- The officer's panel ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """The "Connected verification" panel of a page: the scan it verifies and one offer per securing service."""

    scan: object
    offers: list[Offer]


def panel_for(user, scan_id, *, product=None, parsed: ParsedCode | None = None) -> Panel | None:
    """The panel for one of ``user``'s scans (``?scan=<id>`` on the product page), or None: not an officer, not
    their scan, a scan of another product, or nothing securing the item."""
    if not scan_id or not str(scan_id).isdigit() or not policy.may_verify_scans(user):
        return None
    scan = policy.verifiable_scan_logs(user).select_related("product").filter(pk=int(scan_id)).first()
    if scan is None or (product is not None and scan.product_id != product.pk):
        return None
    offers = offers_for(user, product=product or scan.product, parsed=parsed or parse_code(scan.raw_code))
    return Panel(scan, offers) if offers else None


def reason_words() -> dict[str, str]:
    """The provider's reason codes in the reader's words (unknown codes are shown as they are)."""
    return {
        "No_match_GTIN": _("The provider does not secure this product (GTIN)"),
        "No_match_GTIN_Serial": _("Serial number never issued for this product"),
        "No_match_GTIN_Serial_Lot": _("The batch/lot does not match this serial number"),
        "No_match_GTIN_Serial_Expiry": _("The expiry date does not match this serial number"),
        "No_match_GTIN_Serial_Lot_Expiry": _("Neither batch/lot nor expiry date match this serial number"),
        "Decommissioned": _("Serial number withdrawn (destroyed, stolen or taken off the market)"),
        "Recalled": _("The product or batch is recalled"),
        "Expired": _("The expiry date is past"),
        "Suspect": _("The provider considers the item suspect"),
        "Illegitimate": _("The provider considers the item illegitimate"),
        "Cloned_code": _("The same code was checked elsewhere at an implausible place or time (copied code)"),
        "Outside_intended_market": _("Shipped to another market than your country"),
        "No_reason_provided": _("No reason given"),
    }


def fault_words() -> dict[str, str]:
    """What the officer reads when a service gave no verdict (the fault code stays in the record)."""
    untrusted = _("The service's answer could not be trusted.")
    return {
        "timeout": _("The service did not answer in time."),
        "refused": _("The service could not be reached."),
        "http_status": _("The service answered with an error."),
        "malformed": untrusted,
        "signature": untrusted,
        "request_id": untrusted,
        "verdict": untrusted,
        "circuit_open": _("The service failed several times in a row: IPM does not call it for a short while."),
        "configuration": _("The service is not ready to verify items."),
    }
