"""API of Connected verifications: ``POST /api/v1/connected/verifications`` asks a service about a scanned item and
answers its verdict; ``GET /api/v1/connected/verifications`` lists the verifications the caller may read. Thin: the
call and the record are ``connected.verification.verify_scan``; who reads what is ``policy.visible_verifications``.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor
from ipm.connected import verification as verifying
from ipm.connected.models import Reach, Service, Verification, VerificationOutcome

router = Router(tags=["Connected"])


class VerifyIn(Schema):
    scan: int = Field(description="The id of your scan (``scans`` log), as the scan's answer gives it")
    service: str = Field(description="The service's public id (``svc_…``), from the scan's ``connected`` list")
    location: str = Field("", description="UN/LOCODE of the port or border post, e.g. FRLEH (optional)")


class ServiceRef(Schema):
    id: str
    name: str
    provider: str


class VerificationOut(Schema):
    id: str = Field(description="The requestId sent to the provider")
    service: ServiceRef
    reach: Reach
    outcome: VerificationOutcome = Field(
        description="authentic, counterfeit, suspect, unknown: the provider's verdict; unavailable: no verdict "
        "(see fault); launched: the provider's app or page was opened"
    )
    reasons: list[str] = Field(description="The provider's reason codes (GS1 Lightweight Verification Messaging)")
    message: str
    message_language: str
    evidence_url: str
    fault: str = Field(
        description="Why the service was unavailable: timeout, refused, http_status, malformed, signature, "
        "request_id, verdict, circuit_open, configuration; empty otherwise"
    )
    launch_url: str = Field(description="App launch and Digital Link: the address to open")
    attempts: int
    latency_ms: int | None
    country: str
    location: str
    gtin: str
    serial: str
    lot: str
    product_id: int | None
    brand_id: int | None
    scan_id: int | None = Field(description="Only for customs and the secretariat (never for right holders)")
    officer: str | None = Field(description="Who asked: only for customs and the secretariat (never for right holders)")
    history: dict[str, Any] = Field(description="Track-and-trace history checks (EPCIS, scan log) of the item")
    created_at: datetime
    finished_at: datetime | None


def verification_out(user, verification: Verification) -> dict:
    service = verification.service
    identity = policy.verification_shows_officer(user)  # right holders: never who asked
    return {
        "id": str(verification.request_id),
        "service": {"id": service.public_id, "name": service.name, "provider": service.provider.name},
        "reach": verification.reach,
        "outcome": verification.outcome,
        "reasons": verification.reasons,
        "message": verification.message,
        "message_language": verification.message_language,
        "evidence_url": verification.evidence_url,
        "fault": verification.fault,
        "launch_url": (verification.request_body or {}).get("launch", "")
        if verification.outcome == VerificationOutcome.LAUNCHED
        else "",
        "attempts": verification.attempts,
        "latency_ms": verification.latency_ms,
        "country": verification.country,
        "location": verification.location_unlocode,
        "gtin": verification.gtin,
        "serial": verification.serial,
        "lot": verification.lot,
        "product_id": verification.product_id,
        "brand_id": verification.brand_id,
        "scan_id": verification.scan_id if identity else None,
        "officer": (verification.user.get_full_name() or verification.user.email)
        if identity and verification.user
        else None,
        "history": verification.history or {},
        "created_at": verification.created_at,
        "finished_at": verification.finished_at,
    }


@router.post(
    "/connected/verifications",
    response=VerificationOut,
    summary="Ask the service that secures a scanned item for its verdict",
)
def create_verification(request, payload: VerifyIn):
    """Runs the call now (the answer waits for the provider: at most the service's time-out per attempt, 10 s in
    all) and answers the recorded verification. ``outcome: unavailable`` with a ``fault`` when the provider could
    not give a valid verdict — never a guess. A scan already verified by this service answers the same record
    (the provider is not asked twice); an ``unavailable`` one is tried again. 403 when the scan is not yours or
    the service does not secure the item; 404 for an unknown scan or service; 422 for a bad location."""
    require_two_factor(request)  # no write scope needed: like a scan, asking about an item reads
    user = request.user
    if not policy.may_verify_scans(user):
        raise PermissionDenied(_("Only customs officers ask Connected services about items."))
    scan = get_object_or_404(policy.verifiable_scan_logs(user).select_related("product__brand"), pk=payload.scan)
    service = get_object_or_404(Service.objects.select_related("provider"), public_id=payload.service)
    result = verifying.verify_scan(user, scan, service, payload.location)
    return verification_out(user, result)


class _VerificationList:
    """A lazy list the paginator slices: only the page's rows are read."""

    def __init__(self, user, verifications):
        self.user, self.verifications = user, verifications

    def __len__(self):
        return self.verifications.count()

    def __getitem__(self, index):
        return [verification_out(self.user, item) for item in self.verifications[index]]


@router.get(
    "/connected/verifications", response=list[VerificationOut], summary="The verifications you may read, newest first"
)
@paginate(Pagination)
def list_verifications(request, outcome: VerificationOutcome | None = None, service: str = ""):
    """Officers: their administration's; right holders: those of their own products (without who asked); the
    secretariat: all. Providers see aggregate figures of their services on their service pages, not this list."""
    require_two_factor(request)
    verifications = policy.visible_verifications(request.user).select_related("service__provider", "user")
    if outcome:
        verifications = verifications.filter(outcome=outcome)
    if service:
        verifications = verifications.filter(service__public_id=service)
    return _VerificationList(request.user, verifications.order_by("-created_at", "-pk"))
