"""Scanning: a code (typed, sent by a scanner or an API client, or read from a photo) → parsed → looked up → logged.

The look-up is the officer's main path, so it is kept to one query for the answer and one insert for the log:

* the exact GTIN-14 among the sheets the user may read (``policy.visible_products``), by the indexed
  ``ProductIdentifier`` (kind, value), with the product's name in the reader's language, its brand, right holder
  and first photo read in that same query — never a full-text search;
* only when no readable sheet has the GTIN, the GS1 company prefix it starts with: "the brand is in IPM, the
  product is not", naming the right holder (``policy.scan_company_prefixes``), the brands of it the user knows
  and how to reach it (``policy.scan_contacts``);
* otherwise "none": an answer, not an error — the officer learns IPM has nothing on this code.

The look-ups and the insert are built by the ORM from the policy's querysets but compiled once per reading scope and
language (``scans.prepared``): compiling them on every request cost more than everything else the request did.

A code the parser finds problems in is not looked up: it is logged as "invalid" and refused with the parser's
explanations (``InvalidCode``). Every code is logged (``ScanLog``), one row per code, whatever the answer.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import Organisation
from ipm.catalog import presentation
from ipm.catalog.media import thumbnail_name
from ipm.catalog.models import (
    Brand,
    CompanyPrefix,
    Contact,
    IdentifierKind,
    Product,
    ProductIdentifier,
    ProductPhoto,
)
from ipm.connected.models import ServiceLink, ServiceStatus
from ipm.gs1 import ParsedCode, parse_code
from ipm.gs1.problems import EMPTY
from ipm.scans import decoding, log_writer, prepared
from ipm.scans.models import MAX_RAW_CODE_LENGTH, ScanLog, ScanResult, ScanSource

THUMBNAIL_SIZE = 160
_PRODUCT_TRANSLATION = Product._parler_meta.root_model


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
    secured: bool = False  # an IPM Connected service may secure it: a right holder linked it or its brand to one

    def stand_in_product(self) -> Product:
        """An unsaved ``Product`` with what the scan read of the sheet (id, brand, right holder): enough for
        the Connected look-ups, without reading the sheet again."""
        brand = Brand(pk=self.brand_id, name=self.brand, right_holder_id=self.right_holder_id)
        return Product(pk=self.id, brand=brand)


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
    secured: bool = False  # it linked one of its brands to an IPM Connected service


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
    log_id: int | None = None  # the log row, when it is written in the request (not SCAN_LOG_DEFERRED)

    @property
    def invalid(self) -> bool:
        return self.match == ScanResult.INVALID

    @property
    def may_be_secured(self) -> bool:
        """Whether an IPM Connected service may secure this item, as the look-up found (the same query, an EXISTS
        on the right holders' links): only then is the costlier ``connected.services.services_for`` asked. A code
        that is not GS1 (a URL in a QR code, a provider's own format) is matched by the services' patterns."""
        if self.invalid:
            return False
        if self.product is not None:
            return self.product.secured
        if self.right_holder is not None:
            return self.right_holder.secured
        return self.parsed.gtin is None


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


def _name_in(language: str) -> Subquery:
    """The sheet's name in ``language``, else in its source language, as one subquery (one index range)."""
    names = (
        _PRODUCT_TRANSLATION.objects.filter(master_id=OuterRef("product_id"))
        .filter(Q(language_code=language) | Q(language_code=OuterRef("product__source_language")))
        .exclude(name="")
        .order_by(Case(When(language_code=language, then=Value(0)), default=Value(1)))
    )
    return Subquery(names.values("name")[:1])


_GTIN = prepared.stand_in("gtin")
_PRODUCT_COLUMNS = (
    "product_id",
    "product__brand_id",
    "product__brand__name",
    "product__brand__right_holder_id",
    "product__brand__right_holder__name",
    "name",
    "photo",
    "secured",
)


def _linked_to_a_service(**link_filters) -> Exists:
    """Whether a right holder linked (``link_filters``) to an approved IPM Connected service."""
    return Exists(ServiceLink.objects.filter(active=True, service__status=ServiceStatus.APPROVED, **link_filters))


def _product_lookup(user, language: str):
    """The identifier with this GTIN-14 whose sheet ``user`` may read (an EXISTS on the policy's queryset, evaluated
    for that one sheet), with brand, right holder, the name in ``language`` (else the source language) and the
    first photo: one statement."""
    first_photo = ProductPhoto.objects.filter(product_id=OuterRef("product_id")).order_by("position", "pk")
    return (
        ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=_GTIN)
        .filter(Exists(policy.visible_products(user).filter(pk=OuterRef("product_id"))))
        .annotate(
            name=_name_in(language),
            photo=Subquery(first_photo.values("image")[:1]),
            secured=_linked_to_a_service(product_id=OuterRef("product_id"))
            | _linked_to_a_service(brand_id=OuterRef("product__brand_id")),
        )
        .values_list(*_PRODUCT_COLUMNS)
        .order_by()[:1]  # the GTIN is unique: no sort
    )


def find_product(user, gtin14: str, language: str) -> ProductMatch | None:
    """The sheet with this GTIN-14 that ``user`` may read, or None: one query, compiled once per reading scope and
    language (see ``scans.prepared``)."""
    alias = router.db_for_read(ProductIdentifier)
    key = ("product", policy.product_search_scope(user), language)
    rows = prepared.prepared(key, alias, lambda: _product_lookup(user, language)).run({_GTIN: gtin14})
    if not rows:
        return None
    product_id, brand_id, brand, right_holder_id, right_holder, name, photo, secured = rows[0]
    # Every thumbnail size is stored beside each photo (catalog.media.make_thumbnails): name it without asking.
    thumbnail = _photo_storage().url(thumbnail_name(photo, THUMBNAIL_SIZE)) if photo else ""
    return ProductMatch(
        id=product_id,
        name=name or f"#{product_id}",
        brand_id=brand_id,
        brand=brand,
        right_holder_id=right_holder_id,
        right_holder=right_holder,
        thumbnail_url=thumbnail,
        url=product_url(product_id),
        secured=bool(secured),
    )


_URL_ID = 987654321987  # an id no sheet has, to be replaced in the path reverse() builds


@functools.lru_cache(maxsize=16)
def _product_url_template(script_prefix: str) -> str:
    return reverse("catalog:product_detail", args=[_URL_ID])


def product_url(product_id: int) -> str:
    """``reverse("catalog:product_detail", args=[product_id])``, without paying reverse() on every scan (a quarter
    of the look-up's own time): the path is built once per script prefix and the id put in its place."""
    return _product_url_template(get_script_prefix()).replace(str(_URL_ID), str(product_id))


def _photo_storage():
    return ProductPhoto._meta.get_field("image").storage


def company_prefix_candidates(gtin14: str) -> list[str]:
    """The GS1 company prefixes (4 to 12 digits) a GTIN-14 may start with. A company prefix begins the GTIN-13
    (GTIN-14 without its indicator digit); a UPC-A's begins with the 0 that makes it a GTIN-13."""
    body = gtin14[1:]
    return [body[:length] for length in range(12, 3, -1)]


_PREFIXES = [prepared.stand_in(f"prefix-{length}") for length in range(12, 3, -1)]
_HOLDER = prepared.stand_in_id()
_CONTACT_FIELDS = (
    "name",
    "function",
    "organisation_name",
    "phone",
    "emergency_phone",
    "email",
    "countries",
    "languages",
)


def _prefix_lookup(user):
    return (
        policy.scan_company_prefixes(user)
        .filter(prefix__in=_PREFIXES)
        .order_by(Length("prefix").desc())
        .annotate(secured=_linked_to_a_service(right_holder_id=OuterRef("right_holder_id"), brand__isnull=False))
        .values_list(
            "prefix", "right_holder_id", "right_holder__name", "right_holder__email", "right_holder__website", "secured"
        )[:1]
    )


def _brands_lookup(user):
    holder = Organisation(pk=_HOLDER)
    return policy.visible_brands(user).filter(right_holder=holder).order_by("name", "pk").values_list("pk", "name")


def _contacts_lookup(user):
    holder = Organisation(pk=_HOLDER)
    return policy.scan_contacts(user, holder).order_by("name", "pk").values_list(*_CONTACT_FIELDS)


def find_prefix_owner(user, gtin14: str, language: str) -> RightHolderMatch | None:
    """The right holder that registered the GS1 company prefix this GTIN starts with, if the user may learn it, with
    the brands of it the user knows and its contacts for the user. Registered prefixes never overlap; the longest
    match wins all the same. Each query is compiled once (see ``scans.prepared``)."""
    alias = router.db_for_read(CompanyPrefix)
    # scan_company_prefixes depends on whether the user may scan, nothing else (tests/scans/test_prepared.py)
    statement = prepared.prepared(("prefix", policy.may_scan(user)), alias, lambda: _prefix_lookup(user))
    rows = statement.run(dict(zip(_PREFIXES, company_prefix_candidates(gtin14), strict=True)))
    if not rows:
        return None
    prefix, holder_id, name, email, website, secured = rows[0]
    scope = policy.product_search_scope(user)
    brands = prepared.prepared(("brands", scope), alias, lambda: _brands_lookup(user)).run({_HOLDER: holder_id})
    contacts = prepared.prepared(("contacts", scope), alias, lambda: _contacts_lookup(user)).run({_HOLDER: holder_id})
    return RightHolderMatch(
        id=holder_id,
        name=name,
        email=email,
        website=website,
        company_prefix=prefix,
        brands=[BrandRef(pk, brand_name) for pk, brand_name in brands],
        contacts=_contact_items(
            user, [Contact(**dict(zip(_CONTACT_FIELDS, row, strict=True))) for row in contacts], language
        ),
        secured=bool(secured),
    )


def _contact_items(user, contacts: list[Contact], language: str) -> list[presentation.ContactItem]:
    """The contacts for the officer's country (a contact without countries answers for all), those speaking the
    reader's language first."""
    country = presentation.officer_country(user)
    items = []
    for contact in contacts:
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
    """One row per code: queued for the log writer (``scans.log_writer``) when ``SCAN_LOG_DEFERRED`` is on, else
    inserted now by an INSERT compiled once (see ``scans.prepared``), which gives each item its ``log_id``."""
    if not items:
        return
    alias = router.db_for_write(ScanLog)
    deferred = getattr(settings, "SCAN_LOG_DEFERRED", False)
    insert = None if deferred else prepared.prepared_insert(ScanLog, alias)
    country = presentation.officer_country(user)
    now = timezone.now()
    for item in items:
        parsed, product, holder = item.parsed, item.product, item.right_holder
        values = {
            "user_id": user.pk,
            "organisation_id": user.organisation_id,
            "country": country,
            "created_at": now,
            "source": source,
            "symbology": loggable(parsed.symbology, 3),
            "raw_code": loggable(parsed.raw, MAX_RAW_CODE_LENGTH),
            "gtin": parsed.gtin or "",
            "lot": loggable(parsed.lot, 20),
            "serial": loggable(parsed.serial, 20),
            "result": item.match,
            "product_id": product.id if product else None,
            "brand_id": item.brand.id if item.brand else None,
            "right_holder_id": product.right_holder_id if product else (holder.id if holder else None),
            "problems": [problem.code for problem in parsed.problems],
        }
        if deferred and not _verifiable(user, item):
            log_writer.writer_for(ScanLog, alias).submit(values)
        else:
            insert = insert or prepared.prepared_insert(ScanLog, alias)
            item.log_id = insert.run(values)


def _verifiable(user, item: ScanItem) -> bool:
    """With the deferred log, whether this code's row is written now all the same: an IPM Connected service secures
    the item and the user may ask it (the verification names the scan by its row's id, which a queued row has not
    got yet). Officers' scans of secured products only; the services found are cached for the verification."""
    if not item.may_be_secured or not policy.may_verify_scans(user):
        return False
    from ipm.connected.verification import secured_by

    product = item.product.stand_in_product() if item.product is not None else None
    return bool(secured_by(product=product, gtin=item.parsed.gtin, raw_code=item.parsed.raw))


def scan_history(user, *, mine_only: bool = False):
    """The scans ``user`` may read (``policy.visible_scan_logs``), newest first; ``mine_only``: their own."""
    logs = policy.visible_scan_logs(user)
    if mine_only:
        logs = logs.filter(user=user)
    return logs.order_by("-created_at", "-pk")
