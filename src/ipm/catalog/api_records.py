"""API for a right holder's logistics and legal records: IP rights, applications for action, contacts, trade
parties, and per sheet its usual routes and known counterfeits.

Read by whoever the access policy lets see them (officers: the records of right holders with a sheet visible to
them); written by the right holder's editors, its representatives and the secretariat. Objects are fetched through
the policy (404 when hidden); every write goes through ``catalog.records`` (403 when the caller may only read).
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor, require_write
from ipm.catalog import records
from ipm.catalog.media import thumbnail_url
from ipm.catalog.models import (
    ApplicationForAction,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IPRight,
    PartyRole,
    RightKind,
    Route,
    TradeParty,
)

router = Router(tags=["Logistics and legal records"])

HOLDER = Field(None, description="The right holder the record belongs to; default: your own organisation")
PRODUCTS = Field(None, description="Sheets of the same right holder; empty: all its products")
VARIANT_PHOTO_SIZE = 480


# --- Schemas ------------------------------------------------------------------------------------------------------


class IPRightRecord(Schema):
    id: int
    right_holder_id: int
    brand_id: int | None
    kind: RightKind
    office: str
    number: str
    classes: str
    holder_name: str
    registered_on: date | None
    expires_on: date | None
    is_expired: bool
    product_ids: list[int]

    @staticmethod
    def resolve_product_ids(record):
        return [p.pk for p in record.products.all()]


class IPRightPatch(Schema):
    kind: RightKind | None = None
    office: str | None = Field(None, max_length=100)
    number: str | None = Field(None, max_length=64)
    classes: str | None = Field(None, max_length=200)
    holder_name: str | None = Field(None, max_length=200)
    registered_on: date | None = None
    expires_on: date | None = None
    brand_id: int | None = None
    product_ids: list[int] | None = PRODUCTS


class IPRightCreate(IPRightPatch):
    right_holder_id: int | None = HOLDER
    kind: RightKind = RightKind.TRADEMARK
    office: str = Field(max_length=100)
    number: str = Field(max_length=64)


class ApplicationRecord(Schema):
    id: int
    right_holder_id: int
    country: str
    reference: str
    valid_from: date
    valid_until: date
    is_expired: bool
    ip_right_ids: list[int]

    @staticmethod
    def resolve_country(record):
        return str(record.country)

    @staticmethod
    def resolve_ip_right_ids(record):
        return [r.pk for r in record.ip_rights.all()]


class ApplicationPatch(Schema):
    country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2")
    reference: str | None = Field(None, max_length=100)
    valid_from: date | None = None
    valid_until: date | None = None
    ip_right_ids: list[int] | None = None


class ApplicationCreate(ApplicationPatch):
    right_holder_id: int | None = HOLDER
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    reference: str = Field(max_length=100)
    valid_from: date
    valid_until: date


class ContactRecord(Schema):
    id: int
    right_holder_id: int
    name: str
    function: str
    organisation_name: str
    is_legal_representative: bool
    phone: str
    emergency_phone: str = Field(description="Reachable 24/7")
    email: str
    countries: list[str] = Field(description="Empty: every country")
    languages: list[str]
    product_ids: list[int]

    @staticmethod
    def resolve_countries(record):
        return [str(c) for c in record.countries]

    @staticmethod
    def resolve_languages(record):
        return records._split(record.languages)

    @staticmethod
    def resolve_product_ids(record):
        return [p.pk for p in record.products.all()]


class ContactPatch(Schema):
    name: str | None = Field(None, max_length=200)
    function: str | None = Field(None, max_length=200)
    organisation_name: str | None = Field(None, max_length=200)
    is_legal_representative: bool | None = None
    phone: str | None = Field(None, max_length=40)
    emergency_phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    countries: list[str] | None = None
    languages: list[str] | None = None
    product_ids: list[int] | None = PRODUCTS


class ContactCreate(ContactPatch):
    right_holder_id: int | None = HOLDER
    name: str = Field(max_length=200)


class TradePartyRecord(Schema):
    id: int
    right_holder_id: int
    role: PartyRole
    shared_infringer: bool = Field(description="A known infringer the right holder shares with customs")
    name: str
    address: str
    country: str
    notes: str
    product_ids: list[int]

    @staticmethod
    def resolve_shared_infringer(record):
        return record.role == PartyRole.KNOWN_INFRINGER

    @staticmethod
    def resolve_country(record):
        return str(record.country)

    @staticmethod
    def resolve_product_ids(record):
        return [p.pk for p in record.products.all()]


class TradePartyPatch(Schema):
    role: PartyRole | None = None
    name: str | None = Field(None, max_length=200)
    address: str | None = None
    country: str | None = Field(None, max_length=2)
    notes: str | None = None
    product_ids: list[int] | None = PRODUCTS


class TradePartyCreate(TradePartyPatch):
    right_holder_id: int | None = HOLDER
    role: PartyRole
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)


class RouteRecord(Schema):
    id: int
    product_id: int
    origin: str
    transit: list[str]
    destination: str
    ports: list[str] = Field(description="UN/LOCODEs")
    modes: list[str]

    @staticmethod
    def resolve_origin(route):
        return str(route.origin)

    @staticmethod
    def resolve_destination(route):
        return str(route.destination)

    @staticmethod
    def resolve_transit(route):
        return [str(c) for c in route.transit]

    @staticmethod
    def resolve_ports(route):
        return route.port_list

    @staticmethod
    def resolve_modes(route):
        return route.mode_list


class RoutePatch(Schema):
    origin: str | None = Field(None, max_length=2)
    transit: list[str] | None = None
    destination: str | None = Field(None, max_length=2)
    ports: list[str] | None = Field(None, description="UN/LOCODEs, e.g. NLRTM")
    modes: list[str] | None = Field(None, description="sea, air, road, rail, post, courier")


class RouteCreate(RoutePatch):
    origin: str = Field(max_length=2)
    destination: str = Field(max_length=2)


class VariantRecord(Schema):
    id: int
    product_id: int
    language: str
    name: str
    description: str
    first_seen: date | None
    photo_url: str


class VariantPatch(Schema):
    language: str | None = Field(None, description="The language of name and description; default: the sheet's")
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    first_seen: date | None = None


class VariantCreate(VariantPatch):
    name: str = Field(max_length=200)


# --- Helpers ------------------------------------------------------------------------------------------------------

RENAMED = {"product_ids": "products", "ip_right_ids": "ip_rights", "brand_id": "brand"}


def _fields(payload) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"right_holder_id"})
    return {RENAMED.get(key, key): value for key, value in data.items()}


def _holder(request, payload):
    if payload.right_holder_id is None:
        return request.user.organisation
    return get_object_or_404(policy.visible_organisations(request.user), pk=payload.right_holder_id)


def _listed(request, model, right_holder_id):
    require_two_factor(request)
    found = policy.visible_catalogue_records(request.user, model).order_by("pk")
    return found.filter(right_holder_id=right_holder_id) if right_holder_id else found


def _record(request, model, pk):
    return get_object_or_404(policy.visible_catalogue_records(request.user, model), pk=pk)


def _visible_product(request, product_id):
    return get_object_or_404(policy.visible_products(request.user), pk=product_id)


def _variant_out(request, variant: CounterfeitVariant) -> dict:
    language = variant.get_current_language()
    if not variant.has_translation(language):
        language = variant.product.source_language
    if not variant.has_translation(language):
        language = variant.get_available_languages().first() or language
    url = thumbnail_url(variant.photo, VARIANT_PHOTO_SIZE)
    return {
        "id": variant.pk,
        "product_id": variant.product_id,
        "language": language,
        "name": variant.safe_translation_getter("name", language_code=language, default=""),
        "description": variant.safe_translation_getter("description", language_code=language, default=""),
        "first_seen": variant.first_seen,
        "photo_url": request.build_absolute_uri(url) if url else "",
    }


# --- IP rights ----------------------------------------------------------------------------------------------------


@router.get("/ip-rights", response=list[IPRightRecord], summary="IP rights (trademarks, designs …) visible to you")
@paginate(Pagination)
def list_ip_rights(request, right_holder_id: int | None = None):
    return _listed(request, IPRight, right_holder_id).prefetch_related("products")


@router.post("/ip-rights", response={201: IPRightRecord}, summary="Add an IP right")
def create_ip_right(request, payload: IPRightCreate):
    require_write(request)
    record = records.create_ip_right(request.user, _holder(request, payload), **_fields(payload))
    return Status(201, record)


@router.patch("/ip-rights/{ip_right_id}", response=IPRightRecord, summary="Change an IP right")
def update_ip_right(request, ip_right_id: int, payload: IPRightPatch):
    require_write(request)
    return records.update_ip_right(request.user, _record(request, IPRight, ip_right_id), **_fields(payload))


@router.delete("/ip-rights/{ip_right_id}", response={204: None}, summary="Remove an IP right")
def delete_ip_right(request, ip_right_id: int):
    require_write(request)
    records.delete_ip_right(request.user, _record(request, IPRight, ip_right_id))
    return Status(204, None)


# --- GS1 company prefixes -----------------------------------------------------------------------------------------


class CompanyPrefixRecord(Schema):
    id: int
    right_holder_id: int
    prefix: str


class CompanyPrefixCreate(Schema):
    right_holder_id: int | None = HOLDER
    prefix: str = Field(max_length=20, description="4 to 12 digits")


@router.get("/company-prefixes", response=list[CompanyPrefixRecord], summary="GS1 company prefixes visible to you")
@paginate(Pagination)
def list_company_prefixes(request, right_holder_id: int | None = None):
    return _listed(request, CompanyPrefix, right_holder_id)


@router.post("/company-prefixes", response={201: CompanyPrefixRecord}, summary="Register a GS1 company prefix")
def create_company_prefix(request, payload: CompanyPrefixCreate):
    """Refused (422) when the prefix equals, contains or extends one already registered."""
    require_write(request)
    record = records.create_company_prefix(request.user, _holder(request, payload), prefix=payload.prefix)
    return Status(201, record)


@router.delete("/company-prefixes/{prefix_id}", response={204: None}, summary="Remove a GS1 company prefix")
def delete_company_prefix(request, prefix_id: int):
    require_write(request)
    records.delete_company_prefix(request.user, _record(request, CompanyPrefix, prefix_id))
    return Status(204, None)


# --- Applications for action --------------------------------------------------------------------------------------


@router.get(
    "/applications-for-action", response=list[ApplicationRecord], summary="Applications for action visible to you"
)
@paginate(Pagination)
def list_applications(request, right_holder_id: int | None = None, country: str = ""):
    found = _listed(request, ApplicationForAction, right_holder_id).prefetch_related("ip_rights")
    return found.filter(country=country.upper()) if country else found


@router.post("/applications-for-action", response={201: ApplicationRecord}, summary="Add an application for action")
def create_application(request, payload: ApplicationCreate):
    require_write(request)
    record = records.create_application(request.user, _holder(request, payload), **_fields(payload))
    return Status(201, record)


@router.patch("/applications-for-action/{application_id}", response=ApplicationRecord, summary="Change an application")
def update_application(request, application_id: int, payload: ApplicationPatch):
    require_write(request)
    record = _record(request, ApplicationForAction, application_id)
    return records.update_application(request.user, record, **_fields(payload))


@router.delete("/applications-for-action/{application_id}", response={204: None}, summary="Remove an application")
def delete_application(request, application_id: int):
    require_write(request)
    records.delete_application(request.user, _record(request, ApplicationForAction, application_id))
    return Status(204, None)


# --- Contacts -----------------------------------------------------------------------------------------------------


@router.get("/contacts", response=list[ContactRecord], summary="Right holders' contacts visible to you")
@paginate(Pagination)
def list_contacts(request, right_holder_id: int | None = None):
    return _listed(request, Contact, right_holder_id).prefetch_related("products")


@router.post("/contacts", response={201: ContactRecord}, summary="Add a contact")
def create_contact(request, payload: ContactCreate):
    require_write(request)
    record = records.create_contact(request.user, _holder(request, payload), **_fields(payload))
    return Status(201, record)


@router.patch("/contacts/{contact_id}", response=ContactRecord, summary="Change a contact")
def update_contact(request, contact_id: int, payload: ContactPatch):
    require_write(request)
    return records.update_contact(request.user, _record(request, Contact, contact_id), **_fields(payload))


@router.delete("/contacts/{contact_id}", response={204: None}, summary="Remove a contact")
def delete_contact(request, contact_id: int):
    require_write(request)
    records.delete_contact(request.user, _record(request, Contact, contact_id))
    return Status(204, None)


# --- Trade parties ------------------------------------------------------------------------------------------------


@router.get(
    "/trade-parties",
    response=list[TradePartyRecord],
    summary="Manufacturers, licensees, importers, distributors … and shared known infringers",
)
@paginate(Pagination)
def list_trade_parties(request, right_holder_id: int | None = None, role: PartyRole | None = None):
    found = _listed(request, TradeParty, right_holder_id).prefetch_related("products")
    return found.filter(role=role) if role else found


@router.post("/trade-parties", response={201: TradePartyRecord}, summary="Add a trade party or known infringer")
def create_trade_party(request, payload: TradePartyCreate):
    require_write(request)
    record = records.create_trade_party(request.user, _holder(request, payload), **_fields(payload))
    return Status(201, record)


@router.patch("/trade-parties/{trade_party_id}", response=TradePartyRecord, summary="Change a trade party")
def update_trade_party(request, trade_party_id: int, payload: TradePartyPatch):
    require_write(request)
    return records.update_trade_party(request.user, _record(request, TradeParty, trade_party_id), **_fields(payload))


@router.delete("/trade-parties/{trade_party_id}", response={204: None}, summary="Remove a trade party")
def delete_trade_party(request, trade_party_id: int):
    require_write(request)
    records.delete_trade_party(request.user, _record(request, TradeParty, trade_party_id))
    return Status(204, None)


# --- Routes (per sheet) -------------------------------------------------------------------------------------------


@router.get("/products/{product_id}/routes", response=list[RouteRecord], summary="A sheet's usual routes")
def list_routes(request, product_id: int):
    require_two_factor(request)
    return _visible_product(request, product_id).routes.all()


@router.post("/products/{product_id}/routes", response={201: RouteRecord}, summary="Add a usual route")
def create_route(request, product_id: int, payload: RouteCreate):
    require_write(request)
    route = records.create_route(request.user, _visible_product(request, product_id), **_fields(payload))
    return Status(201, route)


@router.patch("/routes/{route_id}", response=RouteRecord, summary="Change a route")
def update_route(request, route_id: int, payload: RoutePatch):
    require_write(request)
    route = get_object_or_404(policy.visible_product_records(request.user, Route), pk=route_id)
    return records.update_route(request.user, route, **_fields(payload))


@router.delete("/routes/{route_id}", response={204: None}, summary="Remove a route")
def delete_route(request, route_id: int):
    require_write(request)
    records.delete_route(
        request.user, get_object_or_404(policy.visible_product_records(request.user, Route), pk=route_id)
    )
    return Status(204, None)


# --- Known counterfeits (per sheet) -------------------------------------------------------------------------------


def _variant(request, variant_id: int) -> CounterfeitVariant:
    found = policy.visible_product_records(request.user, CounterfeitVariant).select_related("product")
    return get_object_or_404(found, pk=variant_id)


@router.get("/products/{product_id}/counterfeits", response=list[VariantRecord], summary="A sheet's known counterfeits")
def list_variants(request, product_id: int):
    require_two_factor(request)
    product = _visible_product(request, product_id)
    return [_variant_out(request, v) for v in product.counterfeit_variants.prefetch_related("translations")]


@router.post("/products/{product_id}/counterfeits", response={201: VariantRecord}, summary="Add a known counterfeit")
def create_variant(request, product_id: int, payload: VariantCreate):
    require_write(request)
    variant = records.create_variant(request.user, _visible_product(request, product_id), **_fields(payload))
    return Status(201, _variant_out(request, variant))


@router.patch("/counterfeits/{variant_id}", response=VariantRecord, summary="Change a known counterfeit")
def update_variant(request, variant_id: int, payload: VariantPatch):
    require_write(request)
    variant = records.update_variant(request.user, _variant(request, variant_id), **_fields(payload))
    return _variant_out(request, variant)


@router.delete("/counterfeits/{variant_id}", response={204: None}, summary="Remove a known counterfeit")
def delete_variant(request, variant_id: int):
    require_write(request)
    records.delete_variant(request.user, _variant(request, variant_id))
    return Status(204, None)
