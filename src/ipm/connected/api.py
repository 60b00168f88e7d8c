"""API of Connected services and links: ``/api/v1/connected/services`` and ``/api/v1/connected/links``.

Thin: objects are fetched through the access policy (404 when hidden), every write goes through
``connected.services`` (403 when the caller may only read). The shared secret appears in exactly two answers — a
rotation and the one-time reveal after approval — and only for the provider's administrators. A provider sees the
links to its services with the brand and product names only; verifications reach it as aggregate figures.
(The officer's verifications are in ``api_verifications.py``.)
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor, require_write
from ipm.connected import services
from ipm.connected.models import CoverageKind, Reach, Service, ServiceLink, ServiceStatus

router = Router(tags=["Connected"])


class CoverageLine(Schema):
    kind: CoverageKind = Field(
        description="company_prefix (digits), gtin, brand (name), url_pattern (host/path-prefix), code_format "
        "(a regular expression the whole code must match)"
    )
    value: str = Field(max_length=200)


class CoverageLineOut(CoverageLine):
    granted: bool = Field(
        description="Whether the claim counts: a prefix or GTIN only where a right holder that linked the service "
        "owns it, a brand where a linked brand bears the name, a URL pattern or code format once the service is "
        "linked"
    )


class ServiceRecord(Schema):
    id: int
    public_id: str = Field(description="The `service` of the protocol's requests (svc_…)")
    provider_id: int
    provider_name: str
    name: str
    description: str
    reach: Reach
    status: ServiceStatus
    status_reason: str
    verification_url: str
    app_link_template: str
    link_hosts: str
    timeout_ms: int
    protocol_version: int
    coverage: list[CoverageLineOut]
    has_secret: bool
    secret_shown: bool = Field(description="Whether the secret made at approval was already shown (once)")
    previous_secret_valid_until: datetime | None
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None


class ServicePatch(Schema):
    name: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=5000)
    reach: Reach | None = None
    verification_url: str | None = Field(None, max_length=500, description="https:// (reach verification_api)")
    app_link_template: str | None = Field(
        None,
        max_length=500,
        description="reach app_launch: https://… or app-scheme://… with {code} {gtin} {serial} {lot} {expiry} "
        "{digital_link} {country}",
    )
    link_hosts: str | None = Field(None, max_length=500, description="reach digital_link: comma-separated hosts")
    timeout_ms: int | None = Field(None, description="100 to 10000, default 3000")
    protocol_version: int | None = None
    coverage: list[CoverageLine] | None = Field(None, description="Replaces every coverage line when given")


class ServiceCreate(ServicePatch):
    provider_id: int | None = Field(None, description="The provider; default: your own organisation")
    name: str = Field(max_length=120)
    reach: Reach


class Reason(Schema):
    reason: str = Field(max_length=2000)


class Secret(Schema):
    service: str
    secret: str = Field(description="The shared secret (base64url of 32 bytes): shown this once")
    previous_secret_valid_until: datetime | None


class Figures(Schema):
    days: int
    total: int
    by_outcome: dict[str, int]
    by_country: dict[str, int]
    by_day: list[dict]


class LinkRecord(Schema):
    id: int
    service_id: int
    service_public_id: str
    service_name: str
    right_holder_id: int | None = Field(description="null for a provider (it sees brand and product names only)")
    right_holder_name: str
    brand_id: int | None
    brand_name: str
    product_id: int | None
    product_name: str
    active: bool
    created_at: datetime


class LinkCreate(Schema):
    service_id: int
    brand_id: int | None = Field(None, description="Exactly one of brand_id and product_id")
    product_id: int | None = None


def _service_record(user, service: Service) -> dict:
    return {
        **{name: getattr(service, name) for name in ServiceRecord.model_fields if hasattr(service, name)},
        "provider_name": service.provider.name,
        "coverage": services.coverage_report(service),
        "has_secret": bool(service.secret),
        "secret_shown": service.secret_shown_at is not None,
    }


def _link_record(user, link: ServiceLink) -> dict:
    provider_view = policy.is_provider_member(user)
    product = link.product
    return {
        "id": link.pk,
        "service_id": link.service_id,
        "service_public_id": link.service.public_id,
        "service_name": link.service.name,
        "right_holder_id": None if provider_view else link.right_holder_id,
        "right_holder_name": link.right_holder.name,
        "brand_id": None if provider_view else link.brand_id,
        "brand_name": link.brand.name if link.brand else (product.brand.name if product else ""),
        "product_id": None if provider_view else link.product_id,
        "product_name": str(product) if product else "",
        "active": link.active,
        "created_at": link.created_at,
    }


def _service(request, service_id: int) -> Service:
    return get_object_or_404(policy.visible_services(request.user).select_related("provider"), pk=service_id)


# --- Services ---------------------------------------------------------------------------------------------------


@router.get("/connected/services", response=list[ServiceRecord], summary="Connected services you may see")
@paginate(Pagination)
def list_services(request, status: ServiceStatus | None = None, provider_id: int | None = None):
    """Providers: their own; right holders, representatives, officers: approved ones; the secretariat: all (the
    approval queue is ``?status=pending``)."""
    require_two_factor(request)
    found = policy.visible_services(request.user).select_related("provider").prefetch_related("coverage")
    if status:
        found = found.filter(status=status)
    if provider_id:
        found = found.filter(provider_id=provider_id)
    return [_service_record(request.user, service) for service in found.order_by("pk")]


@router.post("/connected/services", response={201: ServiceRecord}, summary="Register a Connected service")
def create_service(request, payload: ServiceCreate):
    """A provider's administrators register a service; it waits for the secretariat's approval."""
    require_write(request)
    if payload.provider_id is None:
        provider = request.user.organisation
    else:
        provider = get_object_or_404(policy.visible_organisations(request.user), pk=payload.provider_id)
    fields = payload.dict(exclude_unset=True, exclude={"provider_id"})
    service = services.register_service(request.user, provider, request=request, **fields)
    return Status(201, _service_record(request.user, service))


@router.get("/connected/services/{service_id}", response=ServiceRecord, summary="One Connected service")
def get_service(request, service_id: int):
    require_two_factor(request)
    service = _service(request, service_id)
    return _service_record(request.user, service)


@router.patch("/connected/services/{service_id}", response=ServiceRecord, summary="Change a Connected service")
def update_service(request, service_id: int, payload: ServicePatch):
    require_write(request)
    service = services.update_service(
        request.user, _service(request, service_id), request=request, **payload.dict(exclude_unset=True)
    )
    return _service_record(request.user, service)


@router.post("/connected/services/{service_id}/approve", response=ServiceRecord, summary="Approve a service")
def approve_service(request, service_id: int):
    """Secretariat administrators. The first approval makes the shared secret, shown to the provider only."""
    require_write(request)
    service = services.approve_service(request.user, _service(request, service_id), request=request)
    return _service_record(request.user, service)


@router.post("/connected/services/{service_id}/reject", response=ServiceRecord, summary="Reject a pending service")
def reject_service(request, service_id: int, payload: Reason):
    require_write(request)
    service = services.reject_service(request.user, _service(request, service_id), payload.reason, request=request)
    return _service_record(request.user, service)


@router.post("/connected/services/{service_id}/suspend", response=ServiceRecord, summary="Suspend a service")
def suspend_service(request, service_id: int, payload: Reason):
    """IPM stops calling it at once; approving it again reinstates it with its secret and links."""
    require_write(request)
    service = services.suspend_service(request.user, _service(request, service_id), payload.reason, request=request)
    return _service_record(request.user, service)


@router.post("/connected/services/{service_id}/submit", response=ServiceRecord, summary="Submit a service again")
def submit_service(request, service_id: int):
    """After a rejection, once changed: back to the secretariat's queue."""
    require_write(request)
    service = services.submit_service(request.user, _service(request, service_id), request=request)
    return _service_record(request.user, service)


@router.post("/connected/services/{service_id}/rotate-secret", response=Secret, summary="Rotate the shared secret")
def rotate_secret(request, service_id: int):
    """The provider's administrators: a new secret, returned this once; the previous one stays valid 24 hours."""
    require_write(request)
    service = _service(request, service_id)
    secret = services.rotate_secret(request.user, service, request=request)
    service.refresh_from_db()
    return {
        "service": service.public_id,
        "secret": secret,
        "previous_secret_valid_until": service.previous_secret_valid_until,
    }


@router.post("/connected/services/{service_id}/secret", response=Secret, summary="Show the secret made at approval")
def reveal_secret(request, service_id: int):
    """The provider's administrators, once (422 afterwards: rotate it to get a new one)."""
    require_write(request)
    service = _service(request, service_id)
    secret = services.reveal_secret(request.user, service, request=request)
    return {"service": service.public_id, "secret": secret, "previous_secret_valid_until": None}


@router.get("/connected/services/{service_id}/figures", response=Figures, summary="Aggregate figures of a service")
def service_figures(request, service_id: int, days: int = 30):
    """Counts of the service's verifications by outcome, country and day: its provider's people and the
    secretariat (others who see the service get 403)."""
    require_two_factor(request)
    service = _service(request, service_id)
    if not (policy.is_secretariat(request.user) or service.provider_id == request.user.organisation_id):
        raise PermissionDenied
    return policy.provider_verification_figures(request.user, service, days=min(max(days, 1), 366))


# --- Links --------------------------------------------------------------------------------------------------------


@router.get("/connected/links", response=list[LinkRecord], summary="Which services secure which brands and products")
@paginate(Pagination)
def list_links(request, service_id: int | None = None, brand_id: int | None = None, product_id: int | None = None):
    """Right holders and representatives: their links; providers: the links to their services (names only); the
    secretariat: all. Active links only."""
    require_two_factor(request)
    found = policy.visible_service_links(request.user).filter(active=True)
    if service_id:
        found = found.filter(service_id=service_id)
    if brand_id:
        found = found.filter(brand_id=brand_id)
    if product_id:
        found = found.filter(product_id=product_id)
    found = found.select_related("service", "right_holder", "brand", "product__brand").order_by("pk")
    return [_link_record(request.user, link) for link in found]


@router.post("/connected/links", response={201: LinkRecord}, summary="Put a brand or product under a service")
def create_link(request, payload: LinkCreate):
    """A right holder's editors and admins (or its mandated representatives') choose an approved service for one
    of its brands or products."""
    require_write(request)
    if (payload.brand_id is None) == (payload.product_id is None):
        raise ValidationError({"brand_id": [_("Give exactly one of brand_id and product_id.")]})
    service = get_object_or_404(policy.visible_services(request.user), pk=payload.service_id)
    if payload.brand_id is not None:
        brand = get_object_or_404(policy.visible_brands(request.user), pk=payload.brand_id)
        link = services.link_brand(request.user, service, brand, request=request)
    else:
        product = get_object_or_404(
            policy.visible_products(request.user).select_related("brand"), pk=payload.product_id
        )
        link = services.link_product(request.user, service, product, request=request)
    return Status(201, _link_record(request.user, link))


@router.delete("/connected/links/{link_id}", response={204: None}, summary="Remove a link")
def delete_link(request, link_id: int):
    require_write(request)
    link = get_object_or_404(policy.visible_service_links(request.user).filter(active=True), pk=link_id)
    services.unlink(request.user, link, request=request)
    return Status(204, None)
