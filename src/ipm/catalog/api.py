"""API for the catalogue: officers read sheets (by id or by GTIN), right holders and their representatives write
them. Objects are fetched through the access policy (another organisation's sheet answers 404); every write goes
through ``catalog.services``, which checks that the caller may make it (403 when they may only read)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor, require_write
from ipm.catalog import presentation, services
from ipm.catalog.models import ClueKind, IdentifierKind, ProductIdentifier, ProductStatus
from ipm.search import services as search

router = Router(tags=["Catalogue"])

NAME = Field(max_length=200)


# --- Schemas ------------------------------------------------------------------------------------------------------


class BrandOut(Schema):
    id: int
    name: str
    right_holder_id: int
    right_holder: str

    @staticmethod
    def resolve_right_holder(brand):
        return brand.right_holder.name


class BrandIn(Schema):
    name: str = NAME
    description: str = ""
    language: str = "en"
    right_holder_id: int | None = Field(
        None, description="The right holder the brand belongs to; default: your own organisation"
    )


class ProductSummaryOut(Schema):
    id: int
    status: ProductStatus
    brand_id: int
    brand: str
    name: str
    language: str = Field(description="The language the name is shown in")
    fallback: bool = Field(description="True when the name is not in the language asked for")
    source_language: str
    thumbnail_url: str = Field(description="A small photo (160 px on its longest side); empty without photos")
    last_reviewed_at: datetime
    updated_at: datetime


class ReferenceOut(Schema):
    id: int
    name: str


class IdentifierOut(Schema):
    id: int
    kind: IdentifierKind
    value: str = Field(description="Normalised: a GTIN is given as GTIN-14")
    printed_value: str
    variant: str


class PhotoOut(Schema):
    id: int
    url: str = Field(description="A size fit for a phone screen")
    full_url: str
    width: int
    height: int
    view: str
    caption: str


class ClueOut(Schema):
    id: int
    kind: ClueKind
    position: int
    title: str
    explanation: str
    where_to_look: str
    language: str
    fallback: bool
    genuine_image_url: str
    counterfeit_image_url: str
    genuine_marks: list
    counterfeit_marks: list


class VariantOut(Schema):
    id: int
    name: str
    description: str
    language: str
    fallback: bool
    photo_url: str
    first_seen: date | None


class RouteOut(Schema):
    origin: str
    transit: list[str]
    destination: str
    ports: list[str]
    modes: list[str]


class ContactOut(Schema):
    id: int
    name: str
    function: str
    organisation_name: str
    is_legal_representative: bool
    phone: str
    emergency_phone: str
    email: str
    countries: list[str] = Field(description="Empty: every country")
    languages: list[str]
    speaks_reader_language: bool


class IPRightOut(Schema):
    id: int
    kind: str
    office: str
    number: str
    classes: str
    holder_name: str
    registered_on: date | None
    expires_on: date | None
    expired: bool


class ApplicationOut(Schema):
    id: int
    country: str
    reference: str
    valid_from: date
    valid_until: date
    expired: bool
    ip_right_ids: list[int]


class ProductOut(Schema):
    id: int
    status: ProductStatus
    revision: int
    brand: ReferenceOut
    right_holder: ReferenceOut
    source_language: str
    requested_language: str
    language: str = Field(description="The language the sheet's texts are shown in")
    fallback: bool = Field(description="True when some or all texts are not in the requested language")
    translation_missing: bool
    translation_outdated: bool
    available_languages: list[str]
    name: str
    description: str
    packaging: str
    hs_code: str
    country_of_manufacture: str
    intended_markets: list[str]
    price_min: Decimal | None
    price_max: Decimal | None
    currency: str
    visible_to_all_countries: bool | None = Field(description="Given to those who may edit the sheet only")
    visible_countries: list[str] | None = Field(description="Given to those who may edit the sheet only")
    identifiers: list[IdentifierOut]
    photos: list[PhotoOut]
    clues: list[ClueOut]
    counterfeit_variants: list[VariantOut]
    routes: list[RouteOut]
    country: str | None = Field(description="Contacts and applications for action are those for this country")
    preview: bool
    visible_in_country: bool | None = Field(description="In a preview: whether that country's officers see it")
    contacts: list[ContactOut]
    ip_rights: list[IPRightOut]
    applications_for_action: list[ApplicationOut]
    last_reviewed_at: datetime
    data_age_days: int
    stale: bool = Field(description="Not reviewed for more than a year")
    published_at: datetime | None
    updated_at: datetime


def _price():
    return Field(None, ge=0, max_digits=12, decimal_places=2)


class SheetFields(Schema):
    """The language-independent fields of a sheet; those left out are not changed."""

    hs_code: str = Field("", description="6 digits")
    country_of_manufacture: str = Field("", description="ISO 3166-1 alpha-2")
    intended_markets: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes")
    price_min: Decimal | None = _price()
    price_max: Decimal | None = _price()
    currency: str = Field("", description="ISO 4217")


class ProductIn(SheetFields):
    brand_id: int
    name: str = NAME
    language: str = Field("en", description="The language of the texts, which becomes the source language")
    description: str = ""
    packaging: str = ""
    gtins: list[str] = Field(default_factory=list, max_length=100)
    visible_countries: list[str] | None = Field(None, description="Omitted: visible to every country")


class ProductPatch(SheetFields):
    source_language: str = "en"


class TextsIn(Schema):
    name: str = Field("", max_length=200)
    description: str = ""
    packaging: str = ""


class IdentifierIn(Schema):
    kind: IdentifierKind = IdentifierKind.GTIN
    value: str = Field(max_length=64)
    variant: str = Field("", max_length=120)


class ClueIn(Schema):
    language: str
    title: str = NAME
    kind: ClueKind = ClueKind.PRODUCT
    explanation: str = ""
    where_to_look: str = Field("", max_length=300)


class CluePatch(Schema):
    language: str | None = Field(None, description="The language of the texts given; default: the source language")
    kind: ClueKind | None = None
    title: str | None = Field(None, max_length=200)
    explanation: str | None = None
    where_to_look: str | None = Field(None, max_length=300)


class VisibilityIn(Schema):
    all_countries: bool
    countries: list[str] = Field(default_factory=list, description="Remembered even while all_countries is on")


# --- Reading ------------------------------------------------------------------------------------------------------


def _url(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def _clue_dict(request, clue: presentation.ClueItem) -> dict:
    return {
        "id": clue.id,
        "kind": clue.kind,
        "position": clue.position,
        "title": clue.texts.title,
        "explanation": clue.texts.explanation,
        "where_to_look": clue.texts.where_to_look,
        "language": clue.texts.language,
        "fallback": clue.texts.fallback,
        "genuine_image_url": _url(request, clue.genuine.url if clue.genuine else ""),
        "counterfeit_image_url": _url(request, clue.counterfeit.url if clue.counterfeit else ""),
        "genuine_marks": clue.genuine_marks,
        "counterfeit_marks": clue.counterfeit_marks,
    }


def _sheet_out(request, sheet: presentation.Sheet) -> dict:
    product = sheet.product
    editable = policy.editable_products(request.user).filter(pk=product.pk).exists()
    texts = sheet.texts
    return {
        "id": product.pk,
        "status": product.status,
        "revision": product.revision,
        "brand": {"id": sheet.brand.pk, "name": sheet.brand.name},
        "right_holder": {"id": sheet.right_holder.pk, "name": sheet.right_holder.name},
        "source_language": product.source_language,
        "requested_language": texts.requested,
        "language": texts.language,
        "fallback": texts.fallback,
        "translation_missing": texts.missing,
        "translation_outdated": texts.outdated,
        "available_languages": [code for code, _name in sheet.available_languages],
        "name": texts.name,
        "description": texts.description,
        "packaging": texts.packaging,
        "hs_code": product.hs_code,
        "country_of_manufacture": str(product.country_of_manufacture or ""),
        "intended_markets": [c.code for c in product.intended_markets],
        "price_min": product.price_min,
        "price_max": product.price_max,
        "currency": product.currency,
        "visible_to_all_countries": product.visible_to_all_countries if editable else None,
        "visible_countries": (sorted(product.visibility.values_list("country", flat=True)) if editable else None),
        "identifiers": [*sheet.gtins, *sheet.other_codes],
        "photos": [
            {
                "id": p.id,
                "url": _url(request, p.url),
                "full_url": _url(request, p.full_url),
                "width": p.width,
                "height": p.height,
                "view": p.view,
                "caption": p.caption,
            }
            for p in sheet.photos
        ],
        "clues": [_clue_dict(request, clue) for clue in sheet.clues],
        "counterfeit_variants": [
            {
                "id": v.id,
                "name": v.texts.name,
                "description": v.texts.description,
                "language": v.texts.language,
                "fallback": v.texts.fallback,
                "photo_url": _url(request, v.photo_url),
                "first_seen": v.first_seen,
            }
            for v in sheet.variants
        ],
        "routes": [
            {
                "origin": r.route.origin.code,
                "transit": [c.code for c in r.route.transit],
                "destination": r.route.destination.code,
                "ports": r.ports,
                "modes": r.route.mode_list,
            }
            for r in sheet.routes
        ],
        "country": sheet.country,
        "preview": sheet.preview,
        "visible_in_country": sheet.visible_in_country,
        "contacts": [
            {
                "id": item.contact.pk,
                "name": item.contact.name,
                "function": item.contact.function,
                "organisation_name": item.contact.organisation_name,
                "is_legal_representative": item.contact.is_legal_representative,
                "phone": item.contact.phone,
                "emergency_phone": item.contact.emergency_phone,
                "email": item.contact.email,
                "countries": [c.code for c in item.contact.countries],
                "languages": item.languages,
                "speaks_reader_language": item.speaks_reader_language,
            }
            for item in sheet.contacts
        ],
        "ip_rights": [
            {
                "id": right.pk,
                "kind": right.kind,
                "office": right.office,
                "number": right.number,
                "classes": right.classes,
                "holder_name": right.holder_name,
                "registered_on": right.registered_on,
                "expires_on": right.expires_on,
                "expired": right.expires_on is not None and right.expires_on < sheet.today,
            }
            for right in sheet.ip_rights
        ],
        "applications_for_action": [
            {
                "id": application.pk,
                "country": application.country.code,
                "reference": application.reference,
                "valid_from": application.valid_from,
                "valid_until": application.valid_until,
                "expired": application.valid_until < sheet.today,
                "ip_right_ids": [right.pk for right in application.ip_rights.all()],
            }
            for application in sheet.applications
        ],
        "last_reviewed_at": product.last_reviewed_at,
        "data_age_days": sheet.age_days,
        "stale": sheet.stale,
        "published_at": product.published_at,
        "updated_at": product.updated_at,
    }


def _language(language: str | None) -> str:
    if language:
        services.validate_language(language)
    return presentation.reader_language(language)


def _sheet(request, product_id: int, language: str | None = None, as_country: str = "") -> dict:
    """The full sheet as the caller reads it: fetched through the policy, in their language."""
    user = request.user
    product = get_object_or_404(presentation.sheet_queryset(policy.visible_products(user)), pk=product_id)
    may_preview = policy.may_preview_as_officer(user, product)
    country, preview = presentation.reading_country(user, as_country, may_preview=may_preview)
    sheet = presentation.build_sheet(user, product, language=_language(language), country=country, preview=preview)
    return _sheet_out(request, sheet)


def _visible_product(request, product_id: int):
    return get_object_or_404(policy.visible_products(request.user), pk=product_id)


@router.get("/brands", response=list[BrandOut], summary="Brands visible to you")
@paginate(Pagination)
def list_brands(request, right_holder_id: int | None = None):
    require_two_factor(request)
    brands = policy.visible_brands(request.user).select_related("right_holder").order_by("name", "pk")
    return brands.filter(right_holder_id=right_holder_id) if right_holder_id else brands


@router.post("/brands", response={201: BrandOut}, summary="Create a brand (right holders and their representatives)")
def create_brand(request, payload: BrandIn):
    require_write(request)
    if payload.right_holder_id is None:
        right_holder = request.user.organisation
    else:
        right_holder = get_object_or_404(policy.visible_organisations(request.user), pk=payload.right_holder_id)
    brand = services.create_brand(
        request.user,
        right_holder,
        name=payload.name,
        description=payload.description,
        language=payload.language,
    )
    return Status(201, brand)


class SearchPagination(Pagination):
    """``?limit=&offset=`` over the sheets a search found, with what the search says about them."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many sheets match (at least this many when `truncated`)")
        mode: str = Field(description='"text" (words searched), "gtin" (q is a GTIN: exact look-up), "browse" (no q)')
        truncated: bool = Field(description="More sheets match than the search ranks: add a word to q")
        partial: bool = Field(description="No sheet has all the words of q: these have some of them")
        corrected: list[str] = Field(description="Words of q also matched by close spellings (typos)")
        gtin: str = Field(description='In "gtin" mode, the GTIN-14 looked up')

    def paginate_queryset(self, queryset, pagination, request, **params):
        return {**super().paginate_queryset(queryset, pagination, request, **params), **queryset.details()}


@router.get("/products", response=list[ProductSummaryOut], summary="Product sheets visible to you, or a search")
@paginate(SearchPagination)
def list_products(
    request,
    brand_id: int | None = None,
    q: str = "",
    language: str | None = None,
    hs_chapter: str | None = Query(None, description="Two digits: the HS chapter (category), e.g. 33"),
    country: str | None = Query(None, description="Country of manufacture, ISO 3166-1 alpha-2"),
):
    """Without ``q``: the sheets you may read, newest first. With ``q``: a full-text search of names, brands,
    descriptions, packaging, clues, known counterfeits and codes in every language, forgiving typos, accents and
    case, best matches first; a ``q`` that is a valid GTIN is looked up exactly instead (``mode`` says which).
    ``brand_id``, ``hs_chapter`` and ``country`` (of manufacture) narrow either."""
    require_two_factor(request)
    reader = _language(language)
    hits = search.find(request.user, q, brand_id=brand_id, hs_chapter=hs_chapter, country=country)
    return _Summaries(request, hits, reader)


class _Summaries:
    """A lazy list the paginator slices: only the page's sheets are read and turned into summaries."""

    def __init__(self, request, hits, language):
        self.request, self.hits, self.language = request, hits, language

    def __len__(self):
        return self.hits.count

    def __getitem__(self, index):
        start = index.start or 0
        return [self._summary(result) for result in self.hits.results(start, index.stop - start, self.language)]

    def details(self) -> dict:
        hits = self.hits
        return {
            "mode": hits.mode,
            "truncated": hits.truncated,
            "partial": hits.partial,
            "corrected": hits.corrected,
            "gtin": hits.gtin,
        }

    def _summary(self, result):
        product, texts = result.product, result.texts
        return {
            "id": product.pk,
            "status": product.status,
            "brand_id": product.brand_id,
            "brand": result.brand,
            "name": texts.name,
            "language": texts.language,
            "fallback": texts.fallback,
            "source_language": product.source_language,
            "thumbnail_url": _url(self.request, result.thumbnail_url),
            "last_reviewed_at": product.last_reviewed_at,
            "updated_at": product.updated_at,
        }


@router.get(
    "/products/by-gtin/{gtin}",
    response=ProductOut,
    summary="The sheet of a product by its barcode number (EAN-8, UPC-A, EAN-13 or GTIN-14)",
)
def product_by_gtin(request, gtin: str, language: str | None = None, as_country: str = ""):
    require_two_factor(request)
    gtin14 = services.normalise_gtin(gtin).gtin14
    # An exact, indexed look-up of the GTIN-14, never a search; a sheet the caller may not see answers 404.
    identifier = get_object_or_404(ProductIdentifier, kind=IdentifierKind.GTIN, value=gtin14)
    return _sheet(request, identifier.product_id, language, as_country)


@router.get("/products/{product_id}", response=ProductOut, summary="A whole sheet, in your language")
def get_product(request, product_id: int, language: str | None = None, as_country: str = ""):
    """Texts are in ``language`` (default: yours) where the right holder wrote them, otherwise in the sheet's
    source language (``fallback`` says so). ``as_country``: who may edit the sheet sees it as an officer of that
    country would (contacts and applications for action for that country, and whether they see it at all)."""
    require_two_factor(request)
    return _sheet(request, product_id, language, as_country)


# --- Writing ------------------------------------------------------------------------------------------------------


@router.post("/products", response={201: ProductOut}, summary="Create a draft sheet")
def create_product(request, payload: ProductIn):
    require_write(request)
    brand = get_object_or_404(policy.visible_brands(request.user), pk=payload.brand_id)
    fields = payload.dict(exclude={"brand_id", "name"}, exclude_unset=True)
    product = services.create_product(request.user, brand, name=payload.name, **fields)
    return Status(201, _sheet(request, product.pk, payload.language))


@router.patch("/products/{product_id}", response=ProductOut, summary="Change a sheet's details")
def update_product(request, product_id: int, payload: ProductPatch):
    require_write(request)
    product = _visible_product(request, product_id)
    services.update_product(request.user, product, **payload.dict(exclude_unset=True))
    return _sheet(request, product.pk)


@router.put(
    "/products/{product_id}/texts/{language}",
    response=ProductOut,
    summary="Write the sheet's texts in one language (the source language or a translation)",
)
def set_texts(request, product_id: int, language: str, payload: TextsIn):
    require_write(request)
    product = _visible_product(request, product_id)
    services.set_product_text(request.user, product, language, **payload.dict(exclude_unset=True))
    return _sheet(request, product.pk, language)


@router.delete("/products/{product_id}/texts/{language}", response=ProductOut, summary="Remove a translation")
def remove_texts(request, product_id: int, language: str):
    require_write(request)
    product = _visible_product(request, product_id)
    services.remove_product_translation(request.user, product, language)
    return _sheet(request, product.pk)


def _change_status(request, product_id: int, action) -> dict:
    require_write(request)
    action(request.user, _visible_product(request, product_id))
    return _sheet(request, product_id)


@router.post("/products/{product_id}/publish", response=ProductOut, summary="Publish: officers see the sheet")
def publish_product(request, product_id: int):
    """Refused (422, with the reasons) while the sheet lacks a name, a code, or a photo or clue."""
    return _change_status(request, product_id, services.publish_product)


@router.post("/products/{product_id}/archive", response=ProductOut, summary="Archive: withdraw it from officers")
def archive_product(request, product_id: int):
    return _change_status(request, product_id, services.archive_product)


@router.post("/products/{product_id}/draft", response=ProductOut, summary="Return to draft, to work on it")
def return_to_draft(request, product_id: int):
    return _change_status(request, product_id, services.return_to_draft)


@router.post("/products/{product_id}/review", response=ProductOut, summary="Confirm the sheet is still accurate")
def mark_reviewed(request, product_id: int):
    return _change_status(request, product_id, services.mark_reviewed)


@router.put(
    "/products/{product_id}/visibility",
    response=ProductOut,
    summary="Which countries' customs administrations see the sheet",
)
def set_visibility(request, product_id: int, payload: VisibilityIn):
    require_write(request)
    product = _visible_product(request, product_id)
    services.set_visibility(request.user, product, all_countries=payload.all_countries, countries_=payload.countries)
    return _sheet(request, product.pk)


@router.post("/products/{product_id}/identifiers", response={201: IdentifierOut}, summary="Add a GTIN or other code")
def add_identifier(request, product_id: int, payload: IdentifierIn):
    require_write(request)
    product = _visible_product(request, product_id)
    identifier = services.add_identifier(request.user, product, payload.kind, payload.value, payload.variant)
    return Status(201, identifier)


@router.delete("/products/{product_id}/identifiers/{identifier_id}", response={204: None}, summary="Remove a code")
def remove_identifier(request, product_id: int, identifier_id: int):
    require_write(request)
    product = _visible_product(request, product_id)
    services.remove_identifier(request.user, get_object_or_404(product.identifiers, pk=identifier_id))
    return Status(204, None)


def _clue_out(request, clue, language: str | None = None) -> dict:
    item = presentation.clue_item(clue, _language(language), clue.product.source_language)
    return _clue_dict(request, item)


@router.post("/products/{product_id}/clues", response={201: ClueOut}, summary="Add a genuine-versus-counterfeit clue")
def add_clue(request, product_id: int, payload: ClueIn):
    require_write(request)
    product = _visible_product(request, product_id)
    clue = services.add_clue(request.user, product, **payload.dict())
    return Status(201, _clue_out(request, clue, payload.language))


@router.patch("/products/{product_id}/clues/{clue_id}", response=ClueOut, summary="Change a clue")
def update_clue(request, product_id: int, clue_id: int, payload: CluePatch):
    require_write(request)
    product = _visible_product(request, product_id)
    clue = get_object_or_404(product.clues, pk=clue_id)
    services.update_clue(request.user, clue, **payload.dict(exclude_unset=True))
    return _clue_out(request, clue, payload.language)


@router.delete("/products/{product_id}/clues/{clue_id}", response={204: None}, summary="Remove a clue")
def remove_clue(request, product_id: int, clue_id: int):
    require_write(request)
    product = _visible_product(request, product_id)
    services.remove_clue(request.user, get_object_or_404(product.clues, pk=clue_id))
    return Status(204, None)
