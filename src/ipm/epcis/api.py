"""EPCIS 2.0 capture, following the standard's REST binding: ``POST /epcis/capture`` takes an EPCISDocument
(JSON or JSON-LD) and answers ``202 Accepted`` with the ``Location`` of its capture job; ``GET
/epcis/capture/{capture_id}`` tells the job's state and errors. ``POST /epcis/events`` takes one event. A body
that is not a JSON object answers 400 at once; a document with problems becomes a failed job listing them, and
nothing of it is stored. Jobs and events are read through the access policy (another organisation's answers 404).
"""

from datetime import date, datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor, require_write
from ipm.epcis import services
from ipm.epcis.models import CaptureStatus

router = Router(tags=["Track and trace (EPCIS 2.0)"])

MEDIA_TYPES = ("application/json", "application/ld+json")
EPCIS_VERSION = "2.0.0"


class CaptureErrorOut(Schema):
    pointer: str = Field(description="JSON pointer (RFC 6901) into the document sent")
    message: str


class CaptureJobOut(Schema):
    captureID: str = Field(description="As in the REST binding; the same as id")  # noqa: N815
    id: int
    status: CaptureStatus
    running: bool
    success: bool
    captureErrorBehaviour: str = Field(  # noqa: N815
        description='Always "rollback": a document is stored whole or not at all'
    )
    document_id: str
    event_count: int
    stored_count: int
    duplicate_count: int = Field(description="Events IPM already held (same eventID): not stored twice")
    errors: list[CaptureErrorOut]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_captureID(job):  # noqa: N802
        return str(job.pk)

    @staticmethod
    def resolve_running(job):
        return job.status == CaptureStatus.RUNNING

    @staticmethod
    def resolve_success(job):
        return job.status == CaptureStatus.SUCCESS

    @staticmethod
    def resolve_captureErrorBehaviour(job):  # noqa: N802
        return "rollback"


class EventItemOut(Schema):
    gtin: str
    serial: str
    lot: str
    expiry: date | None
    role: str


class EventOut(Schema):
    id: int
    event_id: str
    type: str
    action: str
    biz_step: str
    disposition: str
    event_time: datetime
    event_time_zone_offset: str
    read_point: str
    biz_location: str
    country: str
    intended_markets: list[str]
    right_holder_id: int | None
    capture_id: int
    retracted: bool = Field(description="An error declaration withdrew the event")
    items: list[EventItemOut]
    event: dict = Field(description="The event as captured")

    @staticmethod
    def resolve_type(event):
        return event.event_type

    @staticmethod
    def resolve_capture_id(event):
        return event.job_id

    @staticmethod
    def resolve_event(event):
        return event.data

    @staticmethod
    def resolve_retracted(event):
        return event.error_declared_at is not None

    @staticmethod
    def resolve_items(event):
        return list(event.items.all())


# The body is read by hand (see _read_body), so the OpenAPI description says what it is, and the binding's headers.
CAPTURE_OPENAPI = {
    "requestBody": {"required": True, "content": {t: {"schema": {"type": "object"}} for t in MEDIA_TYPES}},
    "parameters": [
        {
            "name": "GS1-EPCIS-Version",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "example": EPCIS_VERSION},
            "description": "2.x only",
        }
    ],
    "responses": {
        202: {
            "headers": {
                "Location": {"description": "The capture job", "schema": {"type": "string"}},
                "GS1-EPCIS-Version": {"schema": {"type": "string", "example": EPCIS_VERSION}},
            }
        }
    },
}


def _read_body(request) -> dict:
    """The document, read by hand: Django's in-memory cap for request bodies (2.5 MB) is far below a large
    document, so the stream is read up to IPM's own cap."""
    if request.content_type not in MEDIA_TYPES:
        raise HttpError(415, _("Send the document as application/json or application/ld+json."))
    version = request.headers.get("GS1-EPCIS-Version", "")
    if version and not version.startswith("2."):
        raise HttpError(400, _("IPM speaks EPCIS 2.0 only (GS1-EPCIS-Version: 2.0.0)."))
    raw = request.read(services.MAX_DOCUMENT_BYTES + 1)
    try:
        return services.read_document(raw)
    except services.UnreadableDocument as error:
        if len(raw) > services.MAX_DOCUMENT_BYTES:
            raise HttpError(413, str(error)) from error
        raise HttpError(400, str(error)) from error


def _accepted(request, response: HttpResponse, job) -> Status:
    response["Location"] = request.build_absolute_uri(f"/api/v1/epcis/capture/{job.pk}")
    response["GS1-EPCIS-Version"] = EPCIS_VERSION
    response["GS1-Capture-Error-Behaviour"] = "rollback"
    return Status(202, job)


def _start(request, response, *, single_event: bool):
    require_write(request)
    if not policy.may_capture_epcis(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not capture EPCIS events."))
    document = _read_body(request)
    try:
        job = services.start_capture(request.user, document, single_event=single_event)
    except services.UnreadableDocument as error:
        raise HttpError(413, str(error)) from error
    return _accepted(request, response, job)


@router.post(
    "/epcis/capture",
    response={202: CaptureJobOut},
    summary="Capture an EPCIS 2.0 document (JSON / JSON-LD)",
    openapi_extra=CAPTURE_OPENAPI,
)
def capture(request, response: HttpResponse):
    """All events are stored or none is. Small documents are captured before the answer (its body already tells
    the outcome); large ones in the background: follow ``Location``."""
    return _start(request, response, single_event=False)


@router.get("/epcis/capture", response=list[CaptureJobOut], summary="The capture jobs you may read, newest first")
@paginate(Pagination)
def list_captures(request):
    require_two_factor(request)
    return policy.visible_epcis_capture_jobs(request.user).defer("document")


@router.get("/epcis/capture/{capture_id}", response=CaptureJobOut, summary="A capture job's state and errors")
def get_capture(request, capture_id: int):
    require_two_factor(request)
    job = get_object_or_404(policy.visible_epcis_capture_jobs(request.user).defer("document"), pk=capture_id)
    return job


@router.post(
    "/epcis/events",
    response={202: CaptureJobOut},
    summary="Capture one EPCIS 2.0 event",
    openapi_extra=CAPTURE_OPENAPI,
)
def capture_event(request, response: HttpResponse):
    """One event with its own ``@context``, captured as a one-event document."""
    return _start(request, response, single_event=True)


@router.get("/epcis/events", response=list[EventOut], summary="The EPCIS events you may read, by time")
@paginate(Pagination)
def list_events(request, gtin: str = "", serial: str = ""):
    """Filter by ``gtin`` (GTIN-14) and ``serial`` to read one item's history."""
    require_two_factor(request)
    events = policy.visible_epcis_events(request.user)
    if gtin:
        events = events.filter(items__gtin=gtin.zfill(14))
        if serial:
            events = events.filter(items__serial=serial)
    return events.distinct().order_by("event_time", "pk").prefetch_related("items")
