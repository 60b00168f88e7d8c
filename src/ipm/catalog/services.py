"""Domain actions on the catalogue. Every write to brands and product sheets goes through a function here.

Each action checks the access policy first (``PermissionDenied``), validates (``ValidationError`` with translated
messages, keyed by field), writes in one transaction and, for product sheets, records a revision: a snapshot of
the whole sheet with who changed what and when. On any error nothing is written.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from babel.numbers import list_currencies
from biip import ParseError
from biip.gtin import Gtin
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ipm.access import policy
from ipm.accounts.models import Organisation, User
from ipm.catalog.models import (
    Brand,
    Clue,
    ClueKind,
    IdentifierKind,
    Product,
    ProductIdentifier,
    ProductRevision,
    ProductStatus,
    ProductVisibility,
)
from ipm.search import indexing as search_index

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# HS chapters 01–97; chapter 77 is reserved for future use by the WCO.
HS_CHAPTERS = {f"{n:02d}" for n in range(1, 98)} - {"77"}
CURRENCIES = set(list_currencies())
PRODUCT_TEXT_FIELDS = ("name", "description", "packaging")
CLUE_TEXT_FIELDS = ("title", "explanation", "where_to_look")


# --- Validation of codes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalisedGtin:
    gtin14: str
    printed: str
    company_prefix: str | None


def normalise_gtin(raw: str) -> NormalisedGtin:
    """A GTIN in any printed length (8, 12, 13, 14 digits), check digit verified, as GTIN-14."""
    digits = "".join((raw or "").split())
    if not digits.isdigit():
        raise ValidationError(_("“%(value)s” is not a GTIN: a GTIN has only digits.") % {"value": raw})
    try:
        gtin = Gtin.parse(digits)
    except ParseError as error:
        if "check digit" in str(error):
            raise ValidationError(
                _("“%(value)s” has a wrong check digit: it is not a valid GTIN.") % {"value": raw}
            ) from error
        raise ValidationError(
            _("“%(value)s” is not a GTIN: a GTIN has 8, 12, 13 or 14 digits.") % {"value": raw}
        ) from error
    if set(digits) == {"0"}:
        raise ValidationError(_("“%(value)s” is not a valid GTIN.") % {"value": raw})
    prefix = gtin.company_prefix.value if gtin.company_prefix else None
    return NormalisedGtin(gtin14=gtin.as_gtin_14(), printed=digits, company_prefix=prefix)


def validate_hs_code(code: str) -> str:
    code = (code or "").replace(".", "").replace(" ", "")
    if not code:
        return ""
    if len(code) != 6 or not code.isdigit() or code[:2] not in HS_CHAPTERS:
        raise ValidationError(
            {"hs_code": _("“%(value)s” is not an HS code (6 digits, chapter 01–97).") % {"value": code}}
        )
    return code


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (built once: iterating django-countries translates every name)."""
    return frozenset(code for code, _name in countries)


def validate_country(code: str, field: str) -> str:
    code = (code or "").strip().upper()
    if code and code not in country_codes():
        raise ValidationError({field: _("“%(value)s” is not an ISO 3166 country code.") % {"value": code}})
    return code


def validate_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code and code not in CURRENCIES:
        raise ValidationError({"currency": _("“%(value)s” is not an ISO 4217 currency code.") % {"value": code}})
    return code


def validate_language(code: str, field: str = "language") -> str:
    if code not in LANGUAGE_CODES:
        raise ValidationError({field: _("“%(value)s” is not one of IPM's languages.") % {"value": code}})
    return code


# --- Revisions --------------------------------------------------------------------------------------------------


def snapshot(product: Product) -> dict:
    """The whole sheet as plain data, for the history and for "see a previous version"."""
    translations = {
        t.language_code: {f: getattr(t, f) for f in PRODUCT_TEXT_FIELDS} for t in product.translations.all()
    }
    return {
        "brand": product.brand.name,
        "status": product.status,
        "source_language": product.source_language,
        "translations": translations,
        "hs_code": product.hs_code,
        "country_of_manufacture": str(product.country_of_manufacture or ""),
        "intended_markets": [str(c) for c in product.intended_markets],
        "price_min": str(product.price_min) if product.price_min is not None else None,
        "price_max": str(product.price_max) if product.price_max is not None else None,
        "currency": product.currency,
        "visible_to_all_countries": product.visible_to_all_countries,
        "visible_countries": sorted(str(v.country) for v in product.visibility.all()),
        "last_reviewed_at": product.last_reviewed_at.isoformat(),
        "identifiers": [
            {"kind": i.kind, "value": i.value, "printed": i.printed_value, "variant": i.variant}
            for i in product.identifiers.all()
        ],
        "clues": [
            {
                "kind": clue.kind,
                "translations": {
                    t.language_code: {f: getattr(t, f) for f in CLUE_TEXT_FIELDS} for t in clue.translations.all()
                },
                "genuine_image": clue.genuine_image.name,
                "counterfeit_image": clue.counterfeit_image.name,
            }
            for clue in product.clues.all()
        ],
        "photos": [{"view": p.view, "image": p.image.name} for p in product.photos.all()],
    }


def _changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return sorted(after)
    return sorted(key for key in after if before.get(key) != after.get(key))


def record_revision(product: Product, actor: User | None, summary: str, before: dict | None = None) -> ProductRevision:
    product.revision += 1
    now = timezone.now()
    Product.objects.filter(pk=product.pk).update(revision=product.revision, updated_at=now)
    product.updated_at = now
    after = snapshot(product)
    revision = ProductRevision.objects.create(
        product=product,
        number=product.revision,
        author=actor if actor is not None and actor.is_authenticated else None,
        summary=summary[:300],
        changed_fields=_changed_fields(before, after),
        snapshot=after,
    )
    # Every change to a sheet comes through here: its search document is rewritten in the same transaction.
    search_index.index_product(product)
    return revision


def _editable(actor: User, product: Product) -> None:
    if not policy.editable_products(actor).filter(pk=product.pk).exists():
        raise PermissionDenied


# --- Brands -----------------------------------------------------------------------------------------------------


@transaction.atomic
def create_brand(actor: User, right_holder: Organisation, *, name: str, description: str = "", language="en") -> Brand:
    if not policy.may_author_catalogue(actor, right_holder):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A brand needs a name.")})
    if Brand.objects.filter(right_holder=right_holder, name__iexact=name).exists():
        raise ValidationError({"name": _("You already have a brand with this name.")})
    brand = Brand(right_holder=right_holder, name=name)
    brand.set_current_language(validate_language(language))
    brand.description = description
    brand.save()
    return brand


@transaction.atomic
def update_brand(actor: User, brand: Brand, *, name: str | None = None, description: str | None = None, language="en"):
    if not policy.editable_brands(actor).filter(pk=brand.pk).exists():
        raise PermissionDenied
    renamed = False
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("A brand needs a name.")})
        if Brand.objects.filter(right_holder=brand.right_holder, name__iexact=name).exclude(pk=brand.pk).exists():
            raise ValidationError({"name": _("You already have a brand with this name.")})
        renamed = name != brand.name
        brand.name = name
    if description is not None:
        brand.set_current_language(validate_language(language))
        brand.description = description
    brand.save()
    if renamed:
        search_index.brand_changed(brand)  # the brand's name is in each of its sheets' search documents
    return brand


# --- Product sheets ---------------------------------------------------------------------------------------------


def _clean_sheet_fields(fields: dict) -> dict:
    """Validate the language-independent fields of a sheet; returns them cleaned."""
    cleaned = dict(fields)
    if "hs_code" in cleaned:
        cleaned["hs_code"] = validate_hs_code(cleaned["hs_code"])
    if "country_of_manufacture" in cleaned:
        cleaned["country_of_manufacture"] = validate_country(
            cleaned["country_of_manufacture"], "country_of_manufacture"
        )
    if "intended_markets" in cleaned:
        cleaned["intended_markets"] = [
            validate_country(c, "intended_markets") for c in cleaned["intended_markets"] if c
        ]
    if "currency" in cleaned:
        cleaned["currency"] = validate_currency(cleaned["currency"])
    for key in ("price_min", "price_max"):
        if cleaned.get(key) not in (None, ""):
            try:
                cleaned[key] = Decimal(str(cleaned[key]))
            except ArithmeticError as error:
                raise ValidationError({key: _("Enter a number.")}) from error
            if cleaned[key] < 0:
                raise ValidationError({key: _("A price cannot be negative.")})
        elif key in cleaned:
            cleaned[key] = None
    return cleaned


SHEET_FIELDS = {
    "hs_code",
    "country_of_manufacture",
    "intended_markets",
    "price_min",
    "price_max",
    "currency",
    "source_language",
}


def _check_prices(product: Product) -> None:
    if product.price_min is not None and product.price_max is not None and product.price_min > product.price_max:
        raise ValidationError({"price_max": _("The highest price is below the lowest price.")})
    if (product.price_min is not None or product.price_max is not None) and not product.currency:
        raise ValidationError({"currency": _("Give the currency of the prices.")})


@transaction.atomic
def create_product(
    actor: User,
    brand: Brand,
    *,
    name: str,
    language: str = "en",
    description: str = "",
    packaging: str = "",
    gtins: list[str] = (),
    visible_countries: list[str] | None = None,
    **fields,
) -> Product:
    """A new draft sheet in ``language`` (its source language)."""
    if not policy.editable_brands(actor).filter(pk=brand.pk).exists():
        raise PermissionDenied
    unknown = set(fields) - SHEET_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not (name or "").strip():
        raise ValidationError({"name": _("A product needs a name.")})
    fields = _clean_sheet_fields(fields)
    fields.setdefault("source_language", validate_language(language))
    product = Product(brand=brand, **fields)
    _check_prices(product)
    product.set_current_language(validate_language(language))
    product.name = name.strip()
    product.description = description or ""
    product.packaging = packaging or ""
    product.text_updated_at = timezone.now()
    product.save()
    for raw in gtins:
        _add_identifier(product, IdentifierKind.GTIN, raw)
    if visible_countries is not None:
        _set_visibility(product, all_countries=False, countries_=visible_countries)
    record_revision(product, actor, _("Created"))
    return product


@transaction.atomic
def update_product(actor: User, product: Product, *, summary: str = "", **fields) -> Product:
    """Change language-independent fields of a sheet."""
    _editable(actor, product)
    unknown = set(fields) - SHEET_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "source_language" in fields:
        validate_language(fields["source_language"], "source_language")
    before = snapshot(product)
    for key, value in _clean_sheet_fields(fields).items():
        setattr(product, key, value)
    _check_prices(product)
    product.save()
    return _after_change(actor, product, before, summary or _("Details changed"))


def _after_change(actor, product, before, summary):
    after = snapshot(product)
    if after != before:
        record_revision(product, actor, summary, before)
    return product


@transaction.atomic
def set_product_text(actor: User, product: Product, language: str, **texts) -> Product:
    """Write the sheet's texts in one language (the source language or a translation)."""
    _editable(actor, product)
    validate_language(language)
    unknown = set(texts) - set(PRODUCT_TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    existing = product.has_translation(language)
    if not existing and not (texts.get("name") or "").strip():
        raise ValidationError({"name": _("A translation needs at least the product name.")})
    if "name" in texts and not (texts["name"] or "").strip():
        raise ValidationError({"name": _("A product needs a name.")})
    before = snapshot(product)
    product.set_current_language(language)
    for key, value in texts.items():
        setattr(product, key, (value or "").strip())
    product.text_updated_at = timezone.now()
    product.save_translations()
    return _after_change(actor, product, before, _("Text changed (%(language)s)") % {"language": language})


@transaction.atomic
def remove_product_translation(actor: User, product: Product, language: str) -> Product:
    _editable(actor, product)
    if language == product.source_language:
        raise ValidationError({"language": _("The source language cannot be removed.")})
    before = snapshot(product)
    product.delete_translation(language)
    return _after_change(actor, product, before, _("Translation removed (%(language)s)") % {"language": language})


def translation_status(product: Product) -> dict[str, str]:
    """For each UI language: "source", "current", "outdated" (older than the source text) or "missing"."""
    return _text_status(product.translations.all(), product.source_language)


def clue_translation_status(clue: Clue, source_language: str) -> dict[str, str]:
    """The same for one clue's texts, against the sheet's source language (``clue.product.source_language``)."""
    return _text_status(clue.translations.all(), source_language)


def _text_status(translations, source_language: str) -> dict[str, str]:
    by_language = {t.language_code: t for t in translations}
    source = by_language.get(source_language)
    status = {}
    for code in LANGUAGE_CODES:
        if code == source_language:
            status[code] = "source"
        elif code not in by_language:
            status[code] = "missing"
        elif source is not None and by_language[code].text_updated_at < source.text_updated_at:
            status[code] = "outdated"
        else:
            status[code] = "current"
    return status


# --- Identifiers ------------------------------------------------------------------------------------------------


def _add_identifier(product: Product, kind: str, raw: str, variant: str = "") -> ProductIdentifier:
    right_holder_id = product.brand.right_holder_id
    if kind not in IdentifierKind.values:
        raise ValidationError({"kind": _("Unknown kind of code.")})
    if kind == IdentifierKind.GTIN:
        try:
            gtin = normalise_gtin(raw)
        except ValidationError as error:
            raise ValidationError({"gtins": error.messages}) from error
        value, printed = gtin.gtin14, gtin.printed
        owner = (
            ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=value).select_related("product").first()
        )
        if owner is not None:
            if owner.right_holder_id != right_holder_id:
                # Says only that it is taken, never by whom: another right holder's drafts must not leak.
                raise ValidationError({"gtins": _("The GTIN %(value)s is already registered in IPM.") % {"value": raw}})
            if owner.product_id != product.pk:
                raise ValidationError(
                    {"gtins": _("The GTIN %(value)s already identifies another of your products.") % {"value": raw}}
                )
            return owner
    else:
        value = printed = (raw or "").strip()
        if not value or len(value) > 64:
            raise ValidationError({"codes": _("A code must have 1 to 64 characters.")})
        if (
            ProductIdentifier.objects.filter(right_holder_id=right_holder_id, kind=kind, value=value)
            .exclude(product=product)
            .exists()
        ):
            raise ValidationError(
                {"codes": _("The code %(value)s already identifies another of your products.") % {"value": value}}
            )
    try:
        with transaction.atomic():
            identifier, _created = ProductIdentifier.objects.get_or_create(
                product=product,
                kind=kind,
                value=value,
                defaults={"printed_value": printed, "variant": variant, "right_holder_id": right_holder_id},
            )
    except IntegrityError as error:  # a concurrent registration of the same GTIN
        raise ValidationError(
            {"gtins": _("The GTIN %(value)s is already registered in IPM.") % {"value": raw}}
        ) from error
    return identifier


@transaction.atomic
def add_identifier(actor: User, product: Product, kind: str, value: str, variant: str = "") -> ProductIdentifier:
    _editable(actor, product)
    before = snapshot(product)
    identifier = _add_identifier(product, kind, value, variant)
    _after_change(actor, product, before, _("Code added: %(code)s") % {"code": value})
    return identifier


@transaction.atomic
def remove_identifier(actor: User, identifier: ProductIdentifier) -> None:
    product = identifier.product
    _editable(actor, product)
    before = snapshot(product)
    identifier.delete()
    _after_change(actor, product, before, _("Code removed: %(code)s") % {"code": identifier.printed_value})


# --- Visibility -------------------------------------------------------------------------------------------------


def _set_visibility(product: Product, *, all_countries: bool, countries_: list[str]) -> None:
    codes = sorted({validate_country(c, "visible_countries") for c in countries_ if c})
    if not all_countries and not codes:
        raise ValidationError(
            {"visible_countries": _("Choose at least one country, or make the sheet visible to all.")}
        )
    product.visible_to_all_countries = all_countries
    product.save(update_fields=["visible_to_all_countries"])
    ProductVisibility.objects.filter(product=product).exclude(country__in=codes).delete()
    existing = set(ProductVisibility.objects.filter(product=product).values_list("country", flat=True))
    ProductVisibility.objects.bulk_create(
        [ProductVisibility(product=product, country=c) for c in codes if c not in existing]
    )


@transaction.atomic
def set_visibility(actor: User, product: Product, *, all_countries: bool, countries_: list[str] = ()) -> Product:
    """Which countries' administrations may see the sheet. Countries kept while "all" is on are remembered."""
    _editable(actor, product)
    before = snapshot(product)
    _set_visibility(product, all_countries=all_countries, countries_=list(countries_))
    return _after_change(actor, product, before, _("Visibility changed"))


# --- Clues ------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_clue(
    actor: User, product: Product, *, language: str, title: str, kind: str = ClueKind.PRODUCT, **texts
) -> Clue:
    _editable(actor, product)
    if kind not in ClueKind.values:
        raise ValidationError({"kind": _("Unknown kind of clue.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("A clue needs a title.")})
    unknown = set(texts) - set(CLUE_TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(product)
    position = (product.clues.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    clue = Clue(product=product, kind=kind, position=position)
    clue.set_current_language(validate_language(language))
    clue.title = title.strip()
    for key, value in texts.items():
        setattr(clue, key, (value or "").strip())
    clue.text_updated_at = timezone.now()
    clue.save()
    _after_change(actor, product, before, _("Clue added: %(title)s") % {"title": clue.title})
    return clue


@transaction.atomic
def update_clue(actor: User, clue: Clue, *, language: str | None = None, kind: str | None = None, **texts) -> Clue:
    product = clue.product
    _editable(actor, product)
    before = snapshot(product)
    if kind is not None:
        if kind not in ClueKind.values:
            raise ValidationError({"kind": _("Unknown kind of clue.")})
        clue.kind = kind
    if texts:
        unknown = set(texts) - set(CLUE_TEXT_FIELDS)
        if unknown:
            raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
        clue.set_current_language(validate_language(language or product.source_language))
        if "title" in texts and not (texts["title"] or "").strip():
            raise ValidationError({"title": _("A clue needs a title.")})
        for key, value in texts.items():
            setattr(clue, key, (value or "").strip())
        clue.text_updated_at = timezone.now()
    clue.save()
    _after_change(actor, product, before, _("Clue changed"))
    return clue


@transaction.atomic
def remove_clue(actor: User, clue: Clue) -> None:
    product = clue.product
    _editable(actor, product)
    before = snapshot(product)
    clue.delete()
    _after_change(actor, product, before, _("Clue removed"))


@transaction.atomic
def reorder_clues(actor: User, product: Product, clue_ids: list[int]) -> list[Clue]:
    """Put the sheet's clues in the given order (officers see the first one first). The list must name each of
    the sheet's clues exactly once, so a stale page cannot lose or duplicate a position."""
    _editable(actor, product)
    clues = {clue.pk: clue for clue in product.clues.all()}
    try:
        ordered_ids = [int(pk) for pk in clue_ids]
    except (TypeError, ValueError) as error:
        raise ValidationError({"clues": _("The new order names clues that are not on this sheet.")}) from error
    if sorted(ordered_ids) != sorted(clues):
        raise ValidationError({"clues": _("The new order must name each clue of the sheet once.")})
    before = snapshot(product)
    for position, pk in enumerate(ordered_ids, start=1):
        clues[pk].position = position
    Clue.objects.bulk_update(clues.values(), ["position"])
    _after_change(actor, product, before, _("Clues reordered"))
    return [clues[pk] for pk in ordered_ids]


# --- Publication ------------------------------------------------------------------------------------------------


def publication_problems(product: Product) -> list[str]:
    """What stops a sheet from being published: officers need a name, a way to find it and something to look at."""
    problems = []
    if not product.has_translation(product.source_language):
        problems.append(_("The sheet has no text in its source language."))
    if not product.identifiers.exists():
        problems.append(_("Add at least one GTIN or other code, so officers can find the product."))
    if not product.clues.exists() and not product.photos.exists():
        problems.append(_("Add at least one photo or one genuine-versus-counterfeit clue."))
    return problems


@transaction.atomic
def publish_product(actor: User, product: Product) -> Product:
    _editable(actor, product)
    problems = publication_problems(product)
    if problems:
        raise ValidationError(problems)
    if product.status == ProductStatus.PUBLISHED:
        return product
    before = snapshot(product)
    now = timezone.now()
    product.status = ProductStatus.PUBLISHED
    product.published_at = product.published_at or now
    product.last_reviewed_at = now
    product.save(update_fields=["status", "published_at", "last_reviewed_at"])
    return _after_change(actor, product, before, _("Published"))


@transaction.atomic
def archive_product(actor: User, product: Product) -> Product:
    _editable(actor, product)
    if product.status == ProductStatus.ARCHIVED:
        return product
    before = snapshot(product)
    product.status = ProductStatus.ARCHIVED
    product.save(update_fields=["status"])
    return _after_change(actor, product, before, _("Archived"))


@transaction.atomic
def return_to_draft(actor: User, product: Product) -> Product:
    """Withdraw a published or archived sheet from officers, to work on it."""
    _editable(actor, product)
    if product.status == ProductStatus.DRAFT:
        return product
    before = snapshot(product)
    product.status = ProductStatus.DRAFT
    product.save(update_fields=["status"])
    return _after_change(actor, product, before, _("Returned to draft"))


@transaction.atomic
def mark_reviewed(actor: User, product: Product) -> Product:
    """The right holder confirms the sheet is still accurate; officers see how fresh the data is."""
    _editable(actor, product)
    product.last_reviewed_at = timezone.now()
    product.save(update_fields=["last_reviewed_at"])
    record_revision(product, actor, _("Reviewed: still accurate"), snapshot(product))
    return product


# --- Freshness --------------------------------------------------------------------------------------------------

DEFAULT_REVIEW_MONTHS = 12


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the last day of the month when that day does not
    exist: 31 March minus one month is 28 or 29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def review_months() -> int:
    return int(getattr(settings, "IPM_REVIEW_REMINDER_MONTHS", DEFAULT_REVIEW_MONTHS))


def review_cutoff(now: datetime | None = None) -> datetime:
    """Published sheets last reviewed before this moment are stale."""
    return months_before(now or timezone.now(), review_months())
