"""Scanning: a code (typed, sent by a scanner or an API client, or read from a photo) → parsed → looked up → logged.

The look-up is the officer's main path, so it is kept to one query for the answer and one insert for the log:

* the exact GTIN-14 among the sheets the user may read (``policy.visible_products``), by the indexed
  ``ProductIdentifier`` (kind, value), with the product's name in the reader's language, its brand, right holder
  and first photo read in that same query — never a full-text search;
* only when no readable sheet has the GTIN, the GS1 company prefix it starts with: "the brand is in IPM, the
  product is not", naming the right holder (``policy.scan_company_prefixes``), the brands of it the user knows
  and how to reach it (``policy.scan_contacts``);
* otherwise "none": an answer, not an error — the officer learns IPM has nothing on this code.

A code the parser finds problems in is not looked up: it is logged as "invalid" and refused with the parser's
explanations (``InvalidCode``). Every code is logged (``ScanLog``), one row per code, whatever the answer.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog.media import thumbnail_url
from ipm.catalog.models import IdentifierKind, Product, ProductIdentifier, ProductPhoto
from ipm.gs1 import ParsedCode, parse_code
from ipm.gs1.problems import EMPTY
from ipm.scans import decoding
from ipm.scans.models import MAX_RAW_CODE_LENGTH, ScanLog, ScanResult, ScanSource

THUMBNAIL_SIZE = 160
_PRODUCT_TRANSLATION = Product._parler_meta.root_model
_PHOTO_IMAGE_FIELD = ProductPhoto._meta.get_field("image")


@dataclass(frozen=True)
class ProductMatch:
    id: int
    name: str
    brand_id: int
    brand: str
    right_holder_id: int
    right_holder: str
    thumbnail_url: str
    url: str


@dataclass(frozen=True)
class BrandRef:
    id: int
    name: str


@dataclass(frozen=True)
class RightHolderMatch:
    """The owner of the GS1 company prefix a code starts with, and how an officer reaches it."""

    id: int
    name: str
    email: str
    website: str
    company_prefix: str
    brands: list[BrandRef]
    contacts: list[presentation.ContactItem]


@dataclass
class ScanItem:
    """The answer for one code. ``match``: a ``ScanResult`` value."""

    parsed: ParsedCode
    match: str
    product: ProductMatch | None = None
    brand: BrandRef | None = None
    right_holder: RightHolderMatch | None = None
    alerts: list = field(default_factory=list)  # alerts arrive with their own issue
    barcode: decoding.DecodedBarcode | None = None  # when the code was read from a photo
    log_id: int | None = None

    @property
    def invalid(self) -> bool:
        return self.match == ScanResult.INVALID


@dataclass
class ScanOutcome:
    results: list[ScanItem]

    @property
    def single_product(self) -> ProductMatch | None:
        """The product when the scan found exactly one code and it matched a sheet: the page goes straight to it."""
        if len(self.results) == 1 and self.results[0].product is not None:
            return self.results[0].product
        return None


class InvalidCode(ValidationError):
    """Every code of the scan had problems. ``items`` keeps what was parsed (the page shows the problems)."""

    def __init__(self, items: list[ScanItem]):
        self.items = items
        messages = [str(problem.message) for item in items for problem in item.parsed.problems]
        super().__init__(messages or [_("This code cannot be read.")], code="invalid_code")


def scan(user, *, code: str | None = None, image=None, source: str) -> ScanOutcome:
    """Look up one code, or every barcode of a photo (``image``), as ``user`` may see it, and log each code.

    Raises ``PermissionDenied`` for who may not scan, ``decoding.PhotoError`` for a photo that cannot be read or
    holds no barcode (nothing is logged then: there is no code), and ``InvalidCode`` when every code has problems
    (those are logged, as "invalid", except an empty code)."""
    if not policy.may_scan(user):
        raise PermissionDenied(_("Your organisation does not look products up in IPM."))
    if source not in ScanSource.values:
        raise ValueError(f"unknown scan source {source!r}")
    if image is not None:
        barcodes = decoding.decode_photo(image)
        items = [ScanItem(parsed=parse_code(barcode.code), match="", barcode=barcode) for barcode in barcodes]
    else:
        items = [ScanItem(parsed=parse_code(code if isinstance(code, str) else ""), match="")]
    language = presentation.reader_language()
    for item in items:
        _look_up(user, item, language)
    # Nothing typed is not a scan: an empty field is refused but not logged.
    _log(user, [item for item in items if [p.code for p in item.parsed.problems] != [EMPTY]], source)
    if all(item.invalid for item in items):
        raise InvalidCode(items)
    return ScanOutcome(results=items)


def _look_up(user, item: ScanItem, language: str) -> None:
    parsed = item.parsed
    if parsed.problems:
        item.match = ScanResult.INVALID
        return
    if parsed.gtin is None:  # a URL or text: nothing to look up
        item.match = ScanResult.NONE
        return
    item.product = find_product(user, parsed.gtin, language)
    if item.product is not None:
        item.match = ScanResult.PRODUCT
        item.brand = BrandRef(item.product.brand_id, item.product.brand)
        return
    item.right_holder = find_prefix_owner(user, parsed.gtin, language)
    if item.right_holder is not None:
        item.match = ScanResult.BRAND
        if len(item.right_holder.brands) == 1:
            item.brand = item.right_holder.brands[0]
        return
    item.match = ScanResult.NONE


# --- Look-ups -----------------------------------------------------------------------------------------------------


def _translated_name(language) -> Subquery:
    return Subquery(
        _PRODUCT_TRANSLATION.objects.filter(master_id=OuterRef("product_id"), language_code=language).values("name")[:1]
    )


def find_product(user, gtin14: str, language: str) -> ProductMatch | None:
    """The sheet with this GTIN-14 that ``user`` may read, in one query: the indexed identifier, the sheet's
    visibility (an EXISTS on the policy's queryset, evaluated for that one sheet), brand, right holder, the name in
    ``language`` and in the source language, and the first photo."""
    photos = ProductPhoto.objects.filter(product_id=OuterRef("product_id")).order_by("position", "pk")
    identifier = (
        ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=gtin14)
        .filter(Exists(policy.visible_products(user).filter(pk=OuterRef("product_id"))))
        .select_related("product__brand__right_holder")
        .only(
            "product_id",
            "product__source_language",
            "product__brand__name",
            "product__brand__right_holder__name",
        )
        .annotate(
            name_requested=_translated_name(language),
            name_source=_translated_name(OuterRef("product__source_language")),
            photo_name=Subquery(photos.values("image")[:1]),
            photo_width=Subquery(photos.values("width")[:1]),
            photo_height=Subquery(photos.values("height")[:1]),
        )
        .first()
    )
    if identifier is None:
        return None
    product = identifier.product
    thumbnail = ""
    if identifier.photo_name:
        photo = ProductPhoto(width=identifier.photo_width or 0, height=identifier.photo_height or 0)
        thumbnail = thumbnail_url(
            _PHOTO_IMAGE_FIELD.attr_class(photo, _PHOTO_IMAGE_FIELD, identifier.photo_name), THUMBNAIL_SIZE
        )
    return ProductMatch(
        id=product.pk,
        name=identifier.name_requested or identifier.name_source or f"#{product.pk}",
        brand_id=product.brand_id,
        brand=product.brand.name,
        right_holder_id=product.brand.right_holder_id,
        right_holder=product.brand.right_holder.name,
        thumbnail_url=thumbnail,
        url=reverse("catalog:product_detail", args=[product.pk]),
    )


def company_prefix_candidates(gtin14: str) -> list[str]:
    """The GS1 company prefixes (4 to 12 digits) a GTIN-14 may start with. A company prefix begins the GTIN-13
    (GTIN-14 without its indicator digit); a UPC-A's begins with the 0 that makes it a GTIN-13."""
    body = gtin14[1:]
    return [body[:length] for length in range(12, 3, -1)]


def find_prefix_owner(user, gtin14: str, language: str) -> RightHolderMatch | None:
    """The right holder that registered the GS1 company prefix this GTIN starts with, if the user may learn it.
    Registered prefixes never overlap; the longest match wins all the same."""
    prefix = (
        policy.scan_company_prefixes(user)
        .filter(prefix__in=company_prefix_candidates(gtin14))
        .select_related("right_holder")
        .order_by(Length("prefix").desc())
        .first()
    )
    if prefix is None:
        return None
    holder = prefix.right_holder
    brands = [
        BrandRef(brand.pk, brand.name)
        for brand in policy.visible_brands(user).filter(right_holder=holder).order_by("name", "pk")
    ]
    return RightHolderMatch(
        id=holder.pk,
        name=holder.name,
        email=holder.email,
        website=holder.website,
        company_prefix=prefix.prefix,
        brands=brands,
        contacts=_contacts(user, holder, language),
    )


def _contacts(user, holder, language: str) -> list[presentation.ContactItem]:
    """The prefix owner's contacts for the officer's country (a contact without countries answers for all), those
    speaking the reader's language first."""
    country = presentation.officer_country(user)
    items = []
    for contact in policy.scan_contacts(user, holder).order_by("name", "pk"):
        codes = [c.code for c in contact.countries]
        if country and codes and country not in codes:
            continue
        languages = [code.strip().lower() for code in contact.languages.replace(";", ",").split(",") if code.strip()]
        speaks = any(code.split("-")[0] == language.split("-")[0] for code in languages)
        items.append(presentation.ContactItem(contact, languages, speaks))
    items.sort(key=lambda item: (not item.speaks_reader_language, not item.contact.emergency_phone))
    return items


# --- The log ------------------------------------------------------------------------------------------------------


def loggable(text: str | None, limit: int) -> str:
    """``text`` as a database column takes it: lone surrogates and NUL (which PostgreSQL refuses) replaced, and cut
    to ``limit`` characters."""
    if not text:
        return ""
    text = text[: limit * 2]  # anything longer is cut anyway: do not re-encode megabytes
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")[:limit]


def _log(user, items: list[ScanItem], source: str) -> None:
    if not items:
        return
    country = presentation.officer_country(user)
    rows = []
    for item in items:
        parsed = item.parsed
        product, holder = item.product, item.right_holder
        rows.append(
            ScanLog(
                user=user,
                organisation_id=user.organisation_id,
                country=country,
                source=source,
                symbology=loggable(parsed.symbology, 3),
                raw_code=loggable(parsed.raw, MAX_RAW_CODE_LENGTH),
                gtin=parsed.gtin or "",
                lot=loggable(parsed.lot, 20),
                serial=loggable(parsed.serial, 20),
                result=item.match,
                product_id=product.id if product else None,
                brand_id=item.brand.id if item.brand else None,
                right_holder_id=product.right_holder_id if product else (holder.id if holder else None),
                problems=[problem.code for problem in parsed.problems],
            )
        )
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    else:
        ScanLog.objects.bulk_create(rows)
    for item, row in zip(items, rows, strict=True):
        item.log_id = row.pk


def scan_history(user, *, mine_only: bool = False):
    """The scans ``user`` may read (``policy.visible_scan_logs``), newest first; ``mine_only``: their own."""
    logs = policy.visible_scan_logs(user)
    if mine_only:
        logs = logs.filter(user=user)
    return logs.order_by("-created_at", "-pk")
