"""Capturing EPCIS documents: the domain actions behind ``POST /api/v1/epcis/capture`` and ``/epcis/events``.

A document is captured whole or not at all (the REST binding's default ``GS1-Capture-Error-Behaviour:
rollback``): every event is validated (``ipm.epcis.validation``), every GTIN it names must belong to a right
holder the capturer speaks for (``policy.epcis_capturable_gtin_owners``), and only then are the events and their
items written, in one transaction. Capturing is idempotent by eventID: an event IPM already holds is counted, not
stored again. A small document is captured while the request waits; a larger one by the background worker
(``tasks.run_capture_job``), the job's state telling the client when it is done.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ipm.access import policy
from ipm.epcis import identifiers
from ipm.epcis.models import CaptureJob, CaptureStatus, EpcisEvent, EpcisItem
from ipm.epcis.validation import Problem, parse_date_time, pointer, validate_document, validate_event

logger = logging.getLogger(__name__)

# Documents with up to this many events are captured during the request (well under a second); larger ones in the
# background, so no request waits for seconds.
SYNC_EVENT_LIMIT = 1000
MAX_EVENTS = 100_000
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_REPORTED_ERRORS = 1000
BATCH = 1000

# IPM's own extension namespace, declared in a document's @context (``{"ipm": "urn:x-ipm:epcis:"}``). See
# docs/epcis.md: ``ipm:intendedMarkets`` (a list of ISO 3166-1 alpha-2 codes) and ``ipm:country`` (where the event
# took place, when the document carries no CBV master data for its location).
IPM_NAMESPACE = "urn:x-ipm:epcis:"
CBV_MDA = ("cbvmda:", "urn:epcglobal:cbv:mda#", "https://ref.gs1.org/cbv/MDA-")
DECOMMISSIONING = "decommissioning"


class UnreadableDocument(ValueError):
    """The body is not a JSON object at all: refused at once (400), no capture job."""


def read_document(raw: bytes):
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(_("The document is larger than 64 MB: split it into several captures."))
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnreadableDocument(_("The body is not valid JSON.")) from error
    if not isinstance(document, dict):
        raise UnreadableDocument(_("The body must be a JSON object: an EPCIS document or one event."))
    return document


def _events_of(document) -> list:
    body = document.get("epcisBody") if isinstance(document, dict) else None
    if not isinstance(body, dict):
        return []
    if document.get("type") == "EPCISQueryDocument":
        results = body.get("queryResults")
        body = results.get("resultsBody") if isinstance(results, dict) else None
        if not isinstance(body, dict):
            return []
    events = body.get("eventList")
    return events if isinstance(events, list) else []


# --- Starting a capture -----------------------------------------------------------------------------------------


def start_capture(user, document: dict, *, single_event: bool = False) -> CaptureJob:
    """Create the capture job for a document (or one event) and run it now when small, else queue it."""
    if not policy.may_capture_epcis(user):
        raise PermissionDenied(_("You may not capture EPCIS events."))
    if single_event:
        problems = validate_event(document)
        document = {
            "@context": document.get("@context", []),
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": timezone.now().isoformat(),
            "epcisBody": {"eventList": [document]},
        }
    else:
        problems = []
    events = _events_of(document)
    if len(events) > MAX_EVENTS:
        raise UnreadableDocument(
            _("The document holds %(count)d events; IPM captures at most %(max)d at once: split it.")
            % {"count": len(events), "max": MAX_EVENTS}
        )
    document_id = document.get("id") if isinstance(document.get("id"), str) else ""
    job = CaptureJob.objects.create(
        organisation=user.organisation, created_by=user, document_id=document_id[:500], event_count=len(events)
    )
    if problems:  # an event sent alone: its pointers are relative to the event
        _fail(job, problems)
        job.refresh_from_db()
        return job
    if len(events) <= SYNC_EVENT_LIMIT:
        run_capture(job, document, user)
        job.refresh_from_db()
        return job
    from ipm.epcis.tasks import run_capture_job

    CaptureJob.objects.filter(pk=job.pk).update(document=document)
    transaction.on_commit(lambda: run_capture_job.enqueue(job.pk))
    return job


def run_capture_job(job_id: int) -> None:
    """The background half of a large capture. A job already finished (a task delivered twice) is left alone."""
    job = CaptureJob.objects.select_related("created_by__organisation").get(pk=job_id)
    if job.status != CaptureStatus.RUNNING or job.document is None:
        return
    try:
        if job.created_by is None:
            _fail(job, [Problem("/", _("The account that sent this document no longer exists."))])
        else:
            run_capture(job, job.document, job.created_by)
    except Exception:
        logger.exception("EPCIS capture job %s crashed", job_id)
        _fail(job, [Problem("/", _("An internal error stopped the capture; nothing was stored."))])
        raise


def _fail(job: CaptureJob, problems: list[Problem]) -> None:
    CaptureJob.objects.filter(pk=job.pk).update(
        status=CaptureStatus.FAILED,
        errors=[problem.as_dict() for problem in problems[:MAX_REPORTED_ERRORS]],
        document=None,
        finished_at=timezone.now(),
    )


# --- Reading events -----------------------------------------------------------------------------------------------


@dataclass
class PendingItem:
    item: identifiers.TradeItem
    role: str
    where: tuple  # path of the EPC in the document (made a JSON pointer only for an error)


@dataclass
class PendingEvent:
    index: int
    where: tuple
    data: dict
    event_id: str
    items: list[PendingItem] = field(default_factory=list)
    lot: str = ""
    expiry: date | None = None
    country: str = ""
    intended_markets: list[str] = field(default_factory=list)
    right_holder_id: int | None = None


def event_id(event: dict) -> str:
    """The event's own eventID, or one derived from its content (SHA-256 of its canonical JSON without
    recordTime), so that an event sent twice without an eventID is still stored once. It is not the CBV's event
    hash (whose canonical form needs the full JSON-LD expansion) and says so by its ``ver``."""
    given = event.get("eventID")
    if isinstance(given, str) and given:
        return given
    content = {key: value for key, value in event.items() if key not in ("recordTime", "eventID")}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver=IPM1"


def _namespace_prefixes(*contexts) -> set[str]:
    """Prefixes bound to IPM's namespace in the @contexts (``ipm`` unless bound to something else)."""
    prefixes, bound = set(), set()
    for context in contexts:
        for item in context if isinstance(context, list) else [context]:
            if isinstance(item, dict):
                for prefix, iri in item.items():
                    bound.add(prefix)
                    if iri == IPM_NAMESPACE:
                        prefixes.add(prefix)
    if "ipm" not in bound:
        prefixes.add("ipm")
    return prefixes


def _extension(event: dict, prefixes: set[str], name: str):
    for key in (IPM_NAMESPACE + name, *(f"{prefix}:{name}" for prefix in prefixes)):
        if key in event:
            return key, event[key]
    return None, None


def location_countries(document: dict) -> dict[str, str]:
    """Country codes of locations, from the document's CBV master data (``cbvmda:countryCode`` of a read point or
    business location in ``epcisHeader.epcisMasterData``)."""
    found = {}
    header = document.get("epcisHeader")
    master = header.get("epcisMasterData") if isinstance(header, dict) else None
    vocabularies = master.get("vocabularyList") if isinstance(master, dict) else None
    for vocabulary in vocabularies if isinstance(vocabularies, list) else []:
        elements = vocabulary.get("vocabularyElementList") if isinstance(vocabulary, dict) else None
        for element in elements if isinstance(elements, list) else []:
            if not isinstance(element, dict) or not isinstance(element.get("id"), str):
                continue
            for attribute in element.get("attributes") or []:
                if (
                    isinstance(attribute, dict)
                    and isinstance(attribute.get("id"), str)
                    and attribute["id"] in {prefix + "countryCode" for prefix in CBV_MDA}
                    and isinstance(attribute.get("attribute"), str)
                    and attribute["attribute"].upper() in countries
                ):
                    found[element["id"]] = attribute["attribute"].upper()
    return found


def _ilmd_value(ilmd: dict, name: str):
    for prefix in CBV_MDA:
        if prefix + name in ilmd:
            return prefix + name, ilmd[prefix + name]
    return None, None


ITEM_LISTS = (
    ("epcList", EpcisItem.Role.EPC),
    ("childEPCs", EpcisItem.Role.CHILD),
    ("inputEPCList", EpcisItem.Role.INPUT),
    ("outputEPCList", EpcisItem.Role.OUTPUT),
)
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def _read_event(index, where, event, prefixes, countries_by_location, problems) -> PendingEvent:
    pending = PendingEvent(index, where, event, event_id(event))
    for name, role in ITEM_LISTS:
        for position, epc in enumerate(event.get(name) or []):
            item = identifiers.trade_item(epc)  # validated: no NotATradeItem here
            if item is not None:
                pending.items.append(PendingItem(item, role, (*where, name, position)))
    if isinstance(event.get("parentID"), str):
        item = identifiers.trade_item(event["parentID"])
        if item is not None:
            pending.items.append(PendingItem(item, EpcisItem.Role.PARENT, (*where, "parentID")))
    for name in QUANTITY_LISTS:
        for position, quantity in enumerate(event.get(name) or []):
            try:
                item = identifiers.trade_item(quantity["epcClass"])
            except identifiers.NotATradeItem as error:
                problems.append(Problem(pointer(*where, name, position, "epcClass"), str(error)))
                continue
            if item is not None:
                pending.items.append(PendingItem(item, EpcisItem.Role.QUANTITY, (*where, name, position, "epcClass")))
    ilmd = event.get("ilmd") if isinstance(event.get("ilmd"), dict) else {}
    key, lot = _ilmd_value(ilmd, "lotNumber")
    if key:
        if not isinstance(lot, str) or not 0 < len(lot) <= identifiers.MAX_LOT:
            problems.append(Problem(pointer(*where, "ilmd", key), _("A lot number is a text of 1 to 20 characters.")))
        else:
            pending.lot = lot
    key, expiry = _ilmd_value(ilmd, "itemExpirationDate")
    if key:
        try:
            pending.expiry = date.fromisoformat(expiry) if isinstance(expiry, str) and len(expiry) == 10 else None
        except ValueError:
            pending.expiry = None
        if pending.expiry is None:
            problems.append(Problem(pointer(*where, "ilmd", key), _('An expiry date is written as "YYYY-MM-DD".')))
    key, markets = _extension(event, prefixes, "intendedMarkets")
    if key:
        if not isinstance(markets, list) or not all(isinstance(c, str) and c.upper() in countries for c in markets):
            problems.append(
                Problem(
                    pointer(*where, key),
                    _('Intended markets are a list of ISO 3166-1 alpha-2 country codes, such as ["FR", "DE"].'),
                )
            )
        else:
            pending.intended_markets = sorted({code.upper() for code in markets})
    key, country = _extension(event, prefixes, "country")
    if key:
        if not isinstance(country, str) or country.upper() not in countries:
            problems.append(Problem(pointer(*where, key), _("Not an ISO 3166-1 alpha-2 country code.")))
        else:
            pending.country = country.upper()
    if not pending.country:
        for name in ("readPoint", "bizLocation"):
            location = event.get(name, {}).get("id") if isinstance(event.get(name), dict) else None
            if isinstance(location, str) and location in countries_by_location:
                pending.country = countries_by_location[location]
                break
    return pending


# --- Who owns the GTINs -------------------------------------------------------------------------------------------


def gtin_owners(gtins: set[str]) -> dict[str, int]:
    """The right holder (id) of each GTIN-14 IPM knows: the sheet that holds it, else the longest company prefix
    it starts with. GTINs nobody claims are left out."""
    from ipm.catalog.models import CompanyPrefix, IdentifierKind, ProductIdentifier
    from ipm.scans.services import company_prefix_candidates

    owners: dict[str, int] = {}
    ordered = sorted(gtins)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        owners.update(
            ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value__in=chunk).values_list(
                "value", "right_holder_id"
            )
        )
    rest = [gtin for gtin in ordered if gtin not in owners]
    candidates = {gtin: company_prefix_candidates(gtin) for gtin in rest}
    wanted = sorted({prefix for prefixes in candidates.values() for prefix in prefixes})
    by_prefix = {}
    for start in range(0, len(wanted), 500):
        by_prefix.update(
            CompanyPrefix.objects.filter(prefix__in=wanted[start : start + 500]).values_list(
                "prefix", "right_holder_id"
            )
        )
    for gtin, prefixes in candidates.items():
        for prefix in prefixes:  # longest first
            if prefix in by_prefix:
                owners[gtin] = by_prefix[prefix]
                break
    return owners


def _check_ownership(user, pending_events: list[PendingEvent], problems: list[Problem]) -> None:
    gtins = {item.item.gtin for pending in pending_events for item in pending.items}
    owners = gtin_owners(gtins)
    allowed_owners = set(policy.epcis_capturable_gtin_owners(user).values_list("pk", flat=True))
    provider_gtins = policy.epcis_capturable_provider_gtins(user)
    unclaimed_ok = policy.may_capture_epcis_for_unclaimed_gtins(user)
    for pending in pending_events:
        concerned = set()
        for item in pending.items:
            owner = owners.get(item.item.gtin)
            if owner is None:
                if not unclaimed_ok:
                    problems.append(
                        Problem(
                            pointer(*item.where),
                            _(
                                "GTIN %(gtin)s belongs to no right holder in IPM: add it to a product sheet or "
                                "register its GS1 company prefix first."
                            )
                            % {"gtin": item.item.gtin},
                        )
                    )
                continue
            if owner not in allowed_owners and item.item.gtin not in provider_gtins:
                problems.append(
                    Problem(
                        pointer(*item.where),
                        _(
                            "GTIN %(gtin)s belongs to another right holder: you may capture events about the "
                            "products you speak for only."
                        )
                        % {"gtin": item.item.gtin},
                    )
                )
                continue
            concerned.add(owner)
        if len(concerned) > 1:
            problems.append(
                Problem(pointer(*pending.where), _("One event must concern the products of one right holder."))
            )
        pending.right_holder_id = next(iter(concerned)) if len(concerned) == 1 else None


# --- Running a capture --------------------------------------------------------------------------------------------


def run_capture(job: CaptureJob, document: dict, user) -> None:
    """Validate, check ownership, then store every event or none. The outcome is written to the job."""
    if not policy.may_capture_epcis(user):
        _fail(job, [Problem("/", _("You may not capture EPCIS events."))])
        return
    problems = validate_document(document)
    if problems:
        _fail(job, problems)
        return
    base = (
        ("epcisBody", "queryResults", "resultsBody", "eventList")
        if document["type"] == "EPCISQueryDocument"
        else (
            "epcisBody",
            "eventList",
        )
    )
    prefixes = _namespace_prefixes(document.get("@context"))
    countries_by_location = location_countries(document)
    pending_events = []
    for index, event in enumerate(_events_of(document)):
        event_prefixes = prefixes | _namespace_prefixes(event["@context"]) if "@context" in event else prefixes
        pending_events.append(
            _read_event(index, (*base, index), event, event_prefixes, countries_by_location, problems)
        )
    _check_ownership(user, pending_events, problems)
    if problems:
        _fail(job, problems)
        return
    try:
        _store(job, user, pending_events)
    except IntegrityError:
        # Another capture stored one of these eventIDs between the look-up and the insert (the unique index
        # refused it, and everything was rolled back): look again, those are now duplicates.
        _store(job, user, pending_events)


def _store(job: CaptureJob, user, pending_events: list[PendingEvent]) -> None:
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # With prepared statements (settings: IPM_DATABASE_PREPARED_STATEMENTS), the look-up below gets a
            # generic plan made once per connection; one made while the table was small scans it whole for every
            # chunk (8 s instead of 0.1 s for 10,000 events, bench/epcis_capture.py). Plan each one for its data,
            # and only these: the foreign-key checks of the inserts below need their cached plans (twice as slow
            # without).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        ids = [pending.event_id for pending in pending_events]
        existing = set()
        for start in range(0, len(ids), 500):
            existing.update(
                EpcisEvent.objects.filter(event_id__in=ids[start : start + 500]).values_list("event_id", flat=True)
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL plan_cache_mode = auto")
        retracted, new, seen = [], [], set(existing)
        for pending in pending_events:
            declared = pending.data.get("errorDeclaration")
            if pending.event_id in seen:
                if declared and pending.event_id in existing:
                    retracted.append(pending.event_id)
                continue
            seen.add(pending.event_id)
            new.append(pending)
        rows = [
            EpcisEvent(
                job=job,
                captured_by=user,
                organisation_id=user.organisation_id,
                right_holder_id=pending.right_holder_id,
                event_id=pending.event_id,
                event_type=pending.data["type"],
                action=pending.data.get("action", ""),
                biz_step=_vocabulary_word(pending.data.get("bizStep", ""))[:200],
                disposition=_vocabulary_word(pending.data.get("disposition", ""))[:200],
                event_time=parse_date_time(pending.data["eventTime"]),
                event_time_zone_offset=pending.data["eventTimeZoneOffset"],
                read_point=str((pending.data.get("readPoint") or {}).get("id", ""))[:500],
                biz_location=str((pending.data.get("bizLocation") or {}).get("id", ""))[:500],
                country=pending.country,
                intended_markets=pending.intended_markets,
                error_declared_at=(
                    parse_date_time(pending.data["errorDeclaration"]["declarationTime"])
                    if pending.data.get("errorDeclaration")
                    else None
                ),
                data=pending.data,
                captured_at=now,
            )
            for pending in new
        ]
        stored = EpcisEvent.objects.bulk_create(rows, batch_size=BATCH)
        items = []
        for pending, row in zip(new, stored, strict=True):
            ilmd_applies = pending.data["type"] == "ObjectEvent" and pending.data.get("action") == "ADD"
            for item in pending.items:
                carries_ilmd = ilmd_applies or item.role == EpcisItem.Role.OUTPUT
                items.append(
                    (
                        row.pk,
                        item.item.gtin,
                        item.item.serial,
                        item.item.lot or (pending.lot if carries_ilmd else ""),
                        pending.expiry if carries_ilmd else None,
                        item.role,
                    )
                )
        _insert_items(items)
        if retracted:
            # An error declaration names an event IPM holds: the event stays (as evidence) but no longer counts.
            for pending in pending_events:
                if pending.event_id in retracted:
                    EpcisEvent.objects.filter(
                        event_id=pending.event_id, error_declared_at__isnull=True, organisation_id=user.organisation_id
                    ).update(error_declared_at=parse_date_time(pending.data["errorDeclaration"]["declarationTime"]))
        CaptureJob.objects.filter(pk=job.pk).update(
            status=CaptureStatus.SUCCESS,
            stored_count=len(stored),
            duplicate_count=len(pending_events) - len(stored),
            errors=[],
            document=None,
            finished_at=timezone.now(),
        )


def _insert_items(rows: list[tuple]) -> None:
    """The item index, written with one ``executemany``: a 10,000-event document names some 50,000 items, and
    building a model instance for each costs three times the insert itself (bench/epcis_capture.py). The columns
    come from the model, so a renamed field cannot silently go astray."""
    fields = [EpcisItem._meta.get_field(name) for name in ("event", "gtin", "serial", "lot", "expiry", "role")]
    table = connection.ops.quote_name(EpcisItem._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    expiry = fields[4]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.executemany(sql, [(*row[:4], expiry.get_db_prep_save(row[4], connection), row[5]) for row in chunk])


def _vocabulary_word(value: str) -> str:
    """CBV terms are stored as their bare words (``shipping``); a user vocabulary keeps its URI."""
    return value if isinstance(value, str) else ""
