"""API for resolver links that right holders attach to their products or GTIN ranges:
``/api/v1/resolver-links``.

Read by those who read the right holder's catalogue in full (officers meet links through the resolver itself);
written by its editors and admins, its mandated representatives' and the secretariat's. Objects are fetched through
the access policy (404 when hidden); every write goes through ``resolver.services`` (403 when the caller may only
read).
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor, require_write
from ipm.resolver import services
from ipm.resolver.models import LinkLevel, LinkType

router = Router(tags=["Resolver links"])

RENAMED = {"product_id": "product", "company_prefix_id": "company_prefix"}


class ResolverLinkRecord(Schema):
    id: int
    right_holder_id: int
    product_id: int | None
    company_prefix_id: int | None
    gtin: str = Field(description="GTIN-14, when the link is for one GTIN")
    level: LinkLevel
    qualifier: str = Field(description="The batch/lot or serial number, for a link at that level")
    link_type: LinkType = Field(description="A term of the GS1 Web Vocabulary (https://ref.gs1.org/voc/)")
    link_type_uri: str
    target_url: str
    title: str
    language: str
    media_type: str
    customs_only: bool
    is_default: bool
    created_at: datetime
    updated_at: datetime


class ResolverLinkPatch(Schema):
    product_id: int | None = Field(None, description="A sheet of the right holder: the link is for all its GTINs")
    company_prefix_id: int | None = Field(None, description="One of the right holder's GS1 company prefixes")
    gtin: str | None = Field(None, max_length=20, description="One GTIN of the right holder (8 to 14 digits)")
    level: LinkLevel | None = None
    qualifier: str | None = Field(None, max_length=40)
    link_type: LinkType | None = None
    target_url: str | None = Field(None, max_length=2000, description="https:// only")
    title: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=10, description="e.g. en, fr, pt-BR")
    media_type: str | None = Field(None, max_length=100, description="An IANA media type, e.g. text/html")
    customs_only: bool | None = None
    is_default: bool | None = None


class ResolverLinkCreate(ResolverLinkPatch):
    right_holder_id: int | None = Field(
        None, description="The right holder the link belongs to; default: your own organisation"
    )
    link_type: LinkType
    target_url: str = Field(max_length=2000, description="https:// only")
    title: str = Field(max_length=200)


def _fields(payload) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"right_holder_id"})
    return {RENAMED.get(key, key): value for key, value in data.items()}


def _link(request, link_id: int):
    return get_object_or_404(policy.catalogue_resolver_links(request.user), pk=link_id)


@router.get("/resolver-links", response=list[ResolverLinkRecord], summary="Resolver links of the catalogues you read")
@paginate(Pagination)
def list_links(request, right_holder_id: int | None = None, product_id: int | None = None):
    require_two_factor(request)
    found = policy.catalogue_resolver_links(request.user).order_by("pk")
    if right_holder_id:
        found = found.filter(right_holder_id=right_holder_id)
    if product_id:
        found = found.filter(product_id=product_id)
    return found


@router.post("/resolver-links", response={201: ResolverLinkRecord}, summary="Add a resolver link")
def create_link(request, payload: ResolverLinkCreate):
    """Exactly one of ``product_id``, ``company_prefix_id`` and ``gtin`` says what the link is for. Making it the
    default replaces the previous default of the same target and level."""
    require_write(request)
    if payload.right_holder_id is None:
        holder = request.user.organisation
    else:
        holder = get_object_or_404(policy.visible_organisations(request.user), pk=payload.right_holder_id)
    link = services.create_link(request.user, holder, request=request, **_fields(payload))
    return Status(201, link)


@router.get("/resolver-links/{link_id}", response=ResolverLinkRecord, summary="One resolver link")
def get_link(request, link_id: int):
    require_two_factor(request)
    return _link(request, link_id)


@router.patch("/resolver-links/{link_id}", response=ResolverLinkRecord, summary="Change a resolver link")
def update_link(request, link_id: int, payload: ResolverLinkPatch):
    """Giving any of ``product_id``, ``company_prefix_id`` and ``gtin`` replaces the link's target."""
    require_write(request)
    return services.update_link(request.user, _link(request, link_id), request=request, **_fields(payload))


@router.delete("/resolver-links/{link_id}", response={204: None}, summary="Remove a resolver link")
def delete_link(request, link_id: int):
    require_write(request)
    services.delete_link(request.user, _link(request, link_id), request=request)
    return Status(204, None)
