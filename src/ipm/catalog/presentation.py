"""The officer's view of a product sheet: what the product page and the API show, built once for both.

A sheet is read in one language: the reader's when the right holder wrote it, otherwise the sheet's source
language — and the view says so (``fallback``), so the page can show "Shown in English: no French translation
yet". Contacts and applications for action are those for one country: the officer's own, or the country a right
holder previews the sheet as. Everything comes from querysets the access policy hands out, and from a bounded
number of queries whatever the size of the sheet (``sheet_queryset`` prefetches what the view reads).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django_countries import countries

from ipm.access import policy
from ipm.catalog import services
from ipm.catalog.media import mark_crop_url, thumbnail_url
from ipm.catalog.models import (
    ApplicationForAction,
    Clue,
    Contact,
    CounterfeitVariant,
    IdentifierKind,
    IPRight,
    Product,
    ProductPhoto,
    ProductStatus,
    Route,
    TransportMode,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PHOTO_SIZE = 1024  # longest side of the photos in the strip (sharp on a phone held upright)
CLUE_SIZE = 480  # each side of a genuine/counterfeit pair takes half the width at most
VARIANT_SIZE = 480
SHEET_FIELDS = ("name", "description", "packaging")
CLUE_FIELDS = ("title", "explanation", "where_to_look")


def reader_language(requested: str | None = None) -> str:
    """The language to read a sheet in: ``requested`` when it is one of IPM's, else the active UI language."""
    if requested in LANGUAGE_CODES:
        return requested
    active = get_language() or settings.LANGUAGE_CODE
    return active if active in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """The language's name in the reader's language ("anglais" for ``en`` to a French reader)."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def officer_country(user) -> str | None:
    """The ISO code of the officer's administration; None for everyone else."""
    if policy.is_officer(user) and user.organisation.country:
        return user.organisation.country.code
    return None


def reading_country(user, as_country: str = "", *, may_preview: bool) -> tuple[str | None, bool]:
    """(country, preview): whose contacts and applications for action the reader sees. An officer sees their own
    country's; who may preview the sheet (``policy.may_preview_as_officer``) may ask to see it as an officer of
    ``as_country`` would. Others asking for a preview get the ordinary view."""
    as_country = (as_country or "").strip().upper()
    if as_country and may_preview:
        if as_country not in countries:
            raise ValidationError(
                {"as_country": _("“%(value)s” is not an ISO 3166 country code.") % {"value": as_country[:10]}}
            )
        return as_country, True
    return officer_country(user), False


# --- Texts in one language ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """An object's texts as shown: in ``language``, the requested one when it was written. ``fallback_language``
    names the language shown where the requested one is missing (all the texts when ``missing``, the fields left
    blank otherwise); ``outdated``: a translation older than the source text."""

    values: dict
    requested: str
    language: str
    fallback_language: str
    missing: bool
    outdated: bool

    def __getattr__(self, name):
        # The texts themselves read as attributes (``texts.name``), in Python and in templates alike.
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def fallback(self) -> bool:
        return bool(self.fallback_language)

    @property
    def fallback_language_name(self) -> str:
        return language_name(self.fallback_language)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def requested_name(self) -> str:
        return language_name(self.requested)


def pick_texts(translations, requested: str, source_language: str, fields: tuple[str, ...]) -> Texts:
    """Texts in ``requested``, field by field falling back to the source language (then any language) where the
    translation is missing or left blank. ``translations`` is the object's prefetched translations."""
    by_language = {t.language_code: t for t in translations}
    source = by_language.get(source_language) or next(iter(by_language.values()), None)
    chosen = by_language.get(requested)
    primary = chosen or source
    values, filled = {}, False
    for name in fields:
        value = getattr(primary, name, "") if primary is not None else ""
        if not value and chosen is not None and source is not None and getattr(source, name, ""):
            value, filled = getattr(source, name), True
        values[name] = value or ""
    fallback_language = ""
    if source is not None and (chosen is None or filled):
        fallback_language = source.language_code
    outdated = bool(
        chosen is not None
        and source is not None
        and chosen is not source
        and hasattr(chosen, "text_updated_at")
        and chosen.text_updated_at < source.text_updated_at
    )
    return Texts(
        values=values,
        requested=requested,
        language=primary.language_code if primary is not None else requested,
        fallback_language=fallback_language,
        missing=chosen is None,
        outdated=outdated,
    )


# --- Parts of a sheet ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    id: int
    url: str
    full_url: str
    width: int
    height: int
    view: str
    view_label: str
    caption: str


@dataclass(frozen=True)
class ClueSide:
    url: str
    full_url: str
    crop_urls: list[str]


@dataclass(frozen=True)
class ClueItem:
    id: int
    kind: str
    kind_label: str
    position: int
    texts: Texts
    genuine: ClueSide | None
    counterfeit: ClueSide | None
    genuine_marks: list
    counterfeit_marks: list
    language_marker: bool  # its texts are not in the language the rest of the sheet is shown in


@dataclass(frozen=True)
class Variant:
    id: int
    texts: Texts
    photo_url: str
    first_seen: date | None
    language_marker: bool


@dataclass(frozen=True)
class ContactItem:
    contact: Contact
    languages: list[str]
    speaks_reader_language: bool

    @property
    def phone_href(self) -> str:
        return tel_href(self.contact.phone)

    @property
    def emergency_href(self) -> str:
        return tel_href(self.contact.emergency_phone)


@dataclass(frozen=True)
class RouteItem:
    route: Route
    modes: list[str]
    ports: list[str]


def tel_href(number: str) -> str:
    """A ``tel:`` URI from a number as people write it ("+33 (0)1 23 45 67 89" → "tel:+33123456789")."""
    number = (number or "").replace("(0)", "")
    digits = "".join(c for c in number if c.isdigit())
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}" if digits else ""


def _route_item(route: Route) -> RouteItem:
    labels = dict(TransportMode.choices)
    return RouteItem(route, [str(labels.get(m.strip(), m.strip())) for m in route.mode_list], route.port_list)


@dataclass
class Sheet:
    """Everything the officer's page shows about one product sheet."""

    product: Product
    texts: Texts
    photos: list[Photo]
    clues: list[ClueItem]
    gtins: list
    other_codes: list
    contacts: list[ContactItem]
    ip_rights: list[IPRight]
    applications: list[ApplicationForAction]
    variants: list[Variant]
    routes: list[RouteItem]
    country: str | None  # contacts and applications are those for this country; None: all of them
    preview: bool = False  # a right holder seeing the sheet as an officer of ``country`` would
    visible_in_country: bool | None = None  # in a preview: would that officer see the sheet at all?
    available_languages: list[tuple[str, str]] = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)

    @property
    def brand(self):
        return self.product.brand

    @property
    def right_holder(self):
        return self.product.brand.right_holder

    @property
    def name(self) -> str:
        return self.texts.name

    @property
    def reviewed_at(self) -> datetime:
        return self.product.last_reviewed_at

    @property
    def age_days(self) -> int:
        return max(0, (self.now - self.product.last_reviewed_at).days)

    @property
    def stale(self) -> bool:
        return self.product.last_reviewed_at < services.review_cutoff(self.now)

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


# --- Building the view ------------------------------------------------------------------------------------------


def sheet_queryset(products):
    """``products`` (a policy queryset) with what ``build_sheet`` reads, in a fixed number of queries."""
    return products.select_related("brand__right_holder").prefetch_related(
        "translations",
        "identifiers",
        "routes",
        Prefetch("photos", queryset=ProductPhoto.objects.prefetch_related("translations")),
        Prefetch("clues", queryset=Clue.objects.prefetch_related("translations")),
        Prefetch("counterfeit_variants", queryset=CounterfeitVariant.objects.prefetch_related("translations")),
    )


def listing_queryset(products):
    """``products`` with what a list of sheets shows (name in the reader's language, brand), newest first: an
    order the database follows along the primary key, which stays fast on a large catalogue."""
    return products.select_related("brand").prefetch_related("translations").order_by("-pk")


def brands_with_sheets(brands, products):
    """The ``brands`` that have at least one of ``products`` (for a filter by brand)."""
    return brands.filter(Exists(products.filter(brand=OuterRef("pk")))).order_by("name")


def list_name(product: Product, language: str) -> Texts:
    return pick_texts(product.translations.all(), language, product.source_language, ("name",))


def _image_side(image, marks) -> ClueSide | None:
    if not image:
        return None
    return ClueSide(
        url=thumbnail_url(image, CLUE_SIZE),
        full_url=image.url,
        crop_urls=[mark_crop_url(image, mark) for mark in marks or [] if isinstance(mark, dict)],
    )


def _contact_languages(contact: Contact) -> list[str]:
    return [code.strip().lower() for code in contact.languages.replace(";", ",").split(",") if code.strip()]


def _speaks(languages: list[str], language: str) -> bool:
    primary = language.split("-")[0]
    return any(code == language or code.split("-")[0] == primary for code in languages)


def sheet_contacts(user, product: Product, country: str | None, language: str) -> list[ContactItem]:
    """The right holder's contacts for this product and this country (a contact without countries answers for
    every country; one without products for every product), those speaking the reader's language first."""
    contacts = (
        policy.visible_sheet_records(user, Contact, product)
        .filter(Q(products=None) | Q(products=product))
        .distinct()
        .order_by("name", "pk")
    )
    items = []
    for contact in contacts:
        codes = [c.code for c in contact.countries]
        if country and codes and country not in codes:
            continue
        languages = _contact_languages(contact)
        items.append(ContactItem(contact, languages, _speaks(languages, language)))
    items.sort(key=lambda item: (not item.speaks_reader_language, not item.contact.emergency_phone))
    return items


def sheet_ip_rights(user, product: Product) -> list[IPRight]:
    """Registrations covering the product: those linked to it, and the right holder's registrations linked to no
    product in particular (for its brand, or for no brand)."""
    general = Q(products=None) & (Q(brand=None) | Q(brand_id=product.brand_id))
    return list(
        policy.visible_sheet_records(user, IPRight, product)
        .filter(Q(products=product) | general)
        .distinct()
        .order_by("kind", "office", "number")
    )


def sheet_applications(user, product: Product, country: str | None) -> list[ApplicationForAction]:
    """The right holder's applications for customs action in ``country`` (all countries when None), newest
    validity first, with the registrations they cover."""
    applications = policy.visible_sheet_records(user, ApplicationForAction, product).prefetch_related("ip_rights")
    if country:
        applications = applications.filter(country=country)
    return list(applications.order_by("country", "-valid_until"))


def _marker(item_texts: Texts, sheet_texts: Texts | None) -> bool:
    """Whether a part of the sheet needs its own language marker: its texts fell back, to a language other than
    the one the sheet's own marker already announces."""
    if sheet_texts is None:
        return item_texts.fallback
    return item_texts.fallback and (
        item_texts.fallback_language != sheet_texts.fallback_language or not sheet_texts.fallback
    )


def clue_item(clue: Clue, language: str, source_language: str, sheet_texts: Texts | None = None) -> ClueItem:
    texts = pick_texts(clue.translations.all(), language, source_language, CLUE_FIELDS)
    return ClueItem(
        id=clue.pk,
        kind=clue.kind,
        kind_label=clue.get_kind_display(),
        position=clue.position,
        texts=texts,
        genuine=_image_side(clue.genuine_image, clue.genuine_marks),
        counterfeit=_image_side(clue.counterfeit_image, clue.counterfeit_marks),
        genuine_marks=clue.genuine_marks or [],
        counterfeit_marks=clue.counterfeit_marks or [],
        language_marker=_marker(texts, sheet_texts),
    )


def build_sheet(user, product: Product, *, language: str, country: str | None = None, preview: bool = False) -> Sheet:
    """The view of ``product`` (fetched through ``sheet_queryset``) for ``user``, read in ``language``.

    ``country``: whose contacts and applications for action to show; for an officer, their own. ``preview``: a
    right holder sees the sheet as an officer of ``country`` would, including whether such an officer may see
    it at all."""
    source = product.source_language
    texts = pick_texts(product.translations.all(), language, source, SHEET_FIELDS)

    photos = [
        Photo(
            id=photo.pk,
            url=thumbnail_url(photo.image, PHOTO_SIZE),
            full_url=photo.image.url,
            width=photo.width,
            height=photo.height,
            view=photo.view,
            view_label=photo.get_view_display(),
            caption=pick_texts(photo.translations.all(), language, source, ("caption",)).caption,
        )
        for photo in product.photos.all()
        if photo.image
    ]
    clues = [clue_item(clue, language, source, texts) for clue in product.clues.all()]
    variants = []
    for variant in product.counterfeit_variants.all():
        variant_texts = pick_texts(variant.translations.all(), language, source, ("name", "description"))
        variants.append(
            Variant(
                id=variant.pk,
                texts=variant_texts,
                photo_url=thumbnail_url(variant.photo, VARIANT_SIZE),
                first_seen=variant.first_seen,
                language_marker=_marker(variant_texts, texts),
            )
        )
    identifiers = list(product.identifiers.all())
    visible_in_country = None
    if preview and country:
        visible_in_country = policy.products_visible_in_country(country).filter(pk=product.pk).exists()
    written = {t.language_code for t in product.translations.all()}
    return Sheet(
        product=product,
        texts=texts,
        photos=photos,
        clues=clues,
        gtins=[i for i in identifiers if i.kind == IdentifierKind.GTIN],
        other_codes=[i for i in identifiers if i.kind != IdentifierKind.GTIN],
        contacts=sheet_contacts(user, product, country, language),
        ip_rights=sheet_ip_rights(user, product),
        applications=sheet_applications(user, product, country),
        variants=variants,
        routes=[_route_item(route) for route in product.routes.all()],
        country=country,
        preview=preview,
        visible_in_country=visible_in_country,
        available_languages=[(code, language_name(code)) for code in LANGUAGE_CODES if code in written],
    )


def invisible_reason(sheet: Sheet) -> str:
    """Why officers of the previewed country would not see the sheet."""
    if sheet.product.status != ProductStatus.PUBLISHED:
        return _("It is not published.")
    return _("It is not shared with this country's customs administration.")
