"""Bulk import and export of product sheets, in one documented format for CSV, XLSX and JSON
(``docs/catalogue-import.md``; ``COLUMNS`` below is its source of truth).

An import is all-or-nothing: every row is checked first, and when any row has an error nothing is written and
the report names row, column and reason. Rows are upserts keyed by their codes (GTINs, then SKUs and model
numbers), so importing the same file twice changes nothing the second time. Writes are done in bulk (not through
one service call per sheet) so that a catalogue of 100,000 sheets imports in about a minute; each touched sheet
still gets a revision with its full snapshot, as a change made in the browser does.
"""

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipm.accounts.models import Organisation, User
from ipm.catalog import import_images, media, services
from ipm.catalog.import_images import ImageRefError, ImageStore, Picture
from ipm.catalog.media_services import MAX_PHOTOS_PER_PRODUCT
from ipm.catalog.models import (
    Brand,
    Clue,
    ClueKind,
    IdentifierKind,
    PhotoView,
    Product,
    ProductIdentifier,
    ProductPhoto,
    ProductRevision,
    ProductStatus,
    ProductVisibility,
)
from ipm.search import indexing as search_index

FORMAT_VERSION = 1
LIST_SEPARATOR = "|"
MAX_CLUES = 5
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TEXT_FIELDS = services.PRODUCT_TEXT_FIELDS
CLUE_FIELDS = ("title", "explanation", "where_to_look", "kind", "genuine_image", "counterfeit_image")
SIDES = ("genuine", "counterfeit")
CHUNK = 2000

# (column, meaning) — the documented format. Translations: name_fr, description_fr, packaging_fr, … for every
# UI language; clues: clue1_title … clue5_counterfeit_image.
BASE_COLUMNS = [
    ("gtins", gettext_lazy("GTINs as printed (8, 12, 13 or 14 digits), separated by |")),
    ("skus", gettext_lazy("SKUs / article numbers, separated by |")),
    ("model_numbers", gettext_lazy("Model numbers, separated by |")),
    ("brand", gettext_lazy("Name of one of your brands (required)")),
    ("language", gettext_lazy("Source language of the texts: en, fr, es, ar, ru, zh-hans or pt (default en)")),
    ("name", gettext_lazy("Product name in the source language (required)")),
    ("description", gettext_lazy("Description in the source language")),
    ("packaging", gettext_lazy("Packaging in the source language")),
    ("hs_code", gettext_lazy("HS code, 6 digits")),
    ("country_of_manufacture", gettext_lazy("ISO 3166 country code, e.g. IT")),
    ("intended_markets", gettext_lazy("ISO 3166 country codes, separated by |")),
    ("price_min", gettext_lazy("Lowest usual price, e.g. 120.00")),
    ("price_max", gettext_lazy("Highest usual price")),
    ("currency", gettext_lazy("ISO 4217 currency code, e.g. EUR")),
    (
        "visible_countries",
        gettext_lazy("Only these countries' customs see the sheet (codes separated by |); empty: all"),
    ),
    ("status", gettext_lazy("draft, published or archived; empty keeps the current status (new sheets: draft)")),
    (
        "photos",
        gettext_lazy(
            "Photos of the product, in order, separated by |: http(s) addresses, or paths of pictures inside the "
            "ZIP file imported; the sheet's photos become exactly these (leave the column out to keep them)"
        ),
    ),
    (
        "photo_views",
        gettext_lazy(
            "What each photo shows, in the same order, separated by |: front, back, side, top, detail, packaging, "
            "label or other"
        ),
    ),
]
TRANSLATION_COLUMNS = [f"{f}_{lang}" for lang in LANGUAGES for f in TEXT_FIELDS]
CLUE_COLUMNS = [f"clue{n}_{f}" for n in range(1, MAX_CLUES + 1) for f in CLUE_FIELDS]
COLUMNS = [name for name, _meaning in BASE_COLUMNS] + TRANSLATION_COLUMNS + CLUE_COLUMNS
KNOWN_COLUMNS = set(COLUMNS)
FORMATS = ("csv", "xlsx", "json")  # data files: the import format, the export and the template
UPLOAD_FORMATS = (*FORMATS, "zip")  # a ZIP file holds one data file and the pictures it names


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the format it claims, no header, unknown columns…)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ParsedRow:
    number: int
    brand: Brand
    language: str
    gtins: list[services.NormalisedGtin]
    codes: list[tuple[str, str]]  # (kind, value) for SKUs and model numbers
    texts: dict[str, dict[str, str]]
    fields: dict
    visible_countries: list[str] | None
    status: str
    clues: list[dict] | None  # None: the row says nothing about clues (keep them)
    product_id: int | None = None
    is_new: bool = False
    photos: list[str] | None = None  # references; None: the row says nothing about photos (keep them)
    photo_views: list[str] | None = None
    photo_items: list[tuple[Picture, str]] = field(default_factory=list)  # resolved: (picture, view or "")


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    updated: int = 0  # before writing: rows matching an existing sheet; after: sheets that actually changed
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


# --- Reading ----------------------------------------------------------------------------------------------------


def _check_header(header: list[str]) -> list[str]:
    header = [(h or "").strip() for h in header]
    if not any(header):
        raise ImportFileError(_("The file has no header row."))
    unknown = [h for h in header if h and h not in KNOWN_COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Download the template to see the columns IPM reads.")
            % {"columns": ", ".join(unknown[:10])}
        )
    if "name" not in header or "brand" not in header:
        raise ImportFileError(_("The columns “brand” and “name” are required."))
    return header


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store GTINs typed as numbers as floats
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    return str(value).strip()


def read_rows(stream, file_format: str) -> Iterator[dict[str, str]]:
    """Rows as {column: text}. Raises ImportFileError when the file cannot be read as that format."""
    if file_format == "csv":
        yield from _read_csv(stream)
    elif file_format == "xlsx":
        yield from _read_xlsx(stream)
    elif file_format == "json":
        yield from _read_json(stream)
    else:
        raise ImportFileError(_("Unsupported format: use CSV, XLSX or JSON."))


def _read_csv(stream):
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        sample = text.read(64 * 1024)
        text.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        reader = csv.reader(text, dialect)
        header = _check_header(next(reader, []))
        for values in reader:
            if len(values) > len(header):
                raise ImportFileError(_("A row has more cells than the header (%(n)d).") % {"n": len(header)})
            yield {name: _cell(value) for name, value in zip(header, values, strict=False) if name}
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The CSV file is not UTF-8 text.")) from error
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(reason)s") % {"reason": error}) from error


def _read_xlsx(stream):
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = _check_header([_cell(v) for v in next(rows, [])])
        for values in rows:
            if values is None or all(v is None for v in values):
                continue
            yield {name: _cell(value) for name, value in zip(header, values, strict=False) if name}
    finally:
        workbook.close()


def _read_json(stream):
    try:
        data = json.load(io.TextIOWrapper(stream, encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(_("The file is not valid JSON: %(reason)s") % {"reason": error}) from error
    if isinstance(data, dict):
        data = data.get("products")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFileError(_('The JSON must be a list of objects, or {"products": [...]}.'))
    if data:
        _check_header(sorted({key for item in data for key in item}))
    for item in data:
        yield {key: _cell(value) for key, value in item.items()}


# --- Checking ---------------------------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(key, message) for key, messages in error.message_dict.items() for message in messages]
    return [("", message) for message in error.messages]


def parse_row(number: int, raw: dict[str, str], brands: dict[str, Brand]) -> ParsedRow | list[RowError]:
    errors: list[RowError] = []

    def fail(column, message):
        errors.append(RowError(number, column, message))

    brand = brands.get((raw.get("brand") or "").strip().casefold())
    if brand is None:
        fail(
            "brand",
            _("Unknown brand “%(value)s”: create it first, or check its spelling.") % {"value": raw.get("brand", "")},
        )
    language = raw.get("language") or "en"
    if language not in LANGUAGES:
        fail("language", _("“%(value)s” is not one of IPM's languages.") % {"value": language})
    if not raw.get("name"):
        fail("name", _("A product needs a name."))
    gtins = []
    for value in _split(raw.get("gtins", "")):
        try:
            gtins.append(services.normalise_gtin(value))
        except ValidationError as error:
            fail("gtins", " ".join(error.messages))
    codes = [(IdentifierKind.SKU, v) for v in _split(raw.get("skus", ""))]
    codes += [(IdentifierKind.MODEL, v) for v in _split(raw.get("model_numbers", ""))]
    for _kind, value in codes:
        if len(value) > 64:
            fail("skus", _("A code must have 1 to 64 characters."))
    if not gtins and not codes and not errors:
        fail("gtins", _("Give at least one GTIN, SKU or model number: it is how the sheet is matched."))

    # Only the columns present in the file are touched: a file without a price column keeps the prices.
    fields = {key: raw[key] for key in ("hs_code", "country_of_manufacture", "currency") if key in raw}
    if "intended_markets" in raw:
        fields["intended_markets"] = _split(raw["intended_markets"])
    for key in ("price_min", "price_max"):
        if key in raw:
            fields[key] = raw[key] or None
    for key in ("price_min", "price_max"):
        if fields.get(key):
            try:
                Decimal(fields[key])
            except InvalidOperation:
                fail(key, _("“%(value)s” is not a number (use a dot for decimals).") % {"value": fields[key]})
                fields.pop(key)
    try:
        fields = services._clean_sheet_fields(fields)
    except ValidationError as error:
        for column, message in _messages(error):
            fail(column, message)
    visible = None
    if raw.get("visible_countries"):
        visible = []
        for code in _split(raw["visible_countries"]):
            try:
                visible.append(services.validate_country(code, "visible_countries"))
            except ValidationError as error:
                fail("visible_countries", " ".join(e for _c, e in _messages(error)))

    status = (raw.get("status") or "").strip().lower()
    if status and status not in ProductStatus.values:
        fail("status", _("Status must be draft, published or archived."))

    texts = {language: {f: raw.get(f, "") for f in TEXT_FIELDS if f in raw}}
    for lang in LANGUAGES:
        translated = {f: raw[f"{f}_{lang}"] for f in TEXT_FIELDS if raw.get(f"{f}_{lang}")}
        if translated:
            if lang == language:
                fail(f"name_{lang}", _("Texts in the source language go in the name/description/packaging columns."))
            elif "name" not in translated:
                fail(f"name_{lang}", _("A translation needs at least the product name."))
            texts[lang] = translated

    clues = None
    has_clues = any(f"clue{n}_title" in raw for n in range(1, MAX_CLUES + 1))
    if has_clues:
        clues = []
    for n in range(1, MAX_CLUES + 1):
        title = raw.get(f"clue{n}_title", "")
        other = [raw.get(f"clue{n}_{f}", "") for f in ("explanation", "where_to_look")]
        # A side whose column is absent keeps the picture of the clue at this place; an empty cell removes it.
        images = {side: raw.get(f"clue{n}_{side}_image") for side in SIDES}
        for side, reference in images.items():
            if reference and len(_split(reference)) > 1:
                fail(f"clue{n}_{side}_image", _("Give one picture per cell."))
        if not title:
            if any(other) or any(images.values()):
                fail(f"clue{n}_title", _("A clue needs a title."))
            continue
        if not has_clues:
            continue
        kind = raw.get(f"clue{n}_kind") or ClueKind.PRODUCT
        if kind not in ClueKind.values:
            fail(
                f"clue{n}_kind",
                _("Unknown kind of clue: use one of %(kinds)s.") % {"kinds": ", ".join(ClueKind.values)},
            )
        clues.append(
            {
                "number": n,
                "title": title[:200],
                "explanation": other[0],
                "where_to_look": other[1][:300],
                "kind": kind,
                "images": images,
                "pictures": {},
            }
        )

    photos = photo_views = None
    if "photos" in raw:
        photos = _split(raw["photos"])
        if len(photos) > MAX_PHOTOS_PER_PRODUCT:
            fail("photos", _("A sheet has at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_PRODUCT})
    if raw.get("photo_views"):
        photo_views = _split(raw["photo_views"])
        unknown = [view for view in photo_views if view not in PhotoView.values]
        if photos is None:
            fail("photo_views", _("Views need the photos they describe, in a “photos” column."))
        elif unknown:
            fail(
                "photo_views",
                _("Unknown view “%(value)s”: use one of %(views)s.")
                % {"value": unknown[0], "views": ", ".join(PhotoView.values)},
            )
        elif len(photo_views) != len(photos):
            fail(
                "photo_views",
                _("Give one view per photo, in the same order (%(photos)d photos, %(views)d views).")
                % {"photos": len(photos), "views": len(photo_views)},
            )

    if errors:
        return errors
    row = ParsedRow(number, brand, language, gtins, codes, texts, fields, visible, status, clues)
    row.photos, row.photo_views = photos, photo_views
    return row


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match_existing(right_holder: Organisation, rows: list[ParsedRow]) -> list[RowError]:
    """Find each row's existing sheet by its codes; refuse codes owned by another right holder or repeated."""
    errors = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for key in [("gtin", g.gtin14) for g in row.gtins] + list(row.codes):
            if key in seen:
                errors.append(
                    RowError(
                        row.number,
                        "gtins" if key[0] == "gtin" else "skus",
                        _("The code %(code)s is also in row %(row)d.") % {"code": key[1], "row": seen[key]},
                    )
                )
            seen[key] = row.number
    gtin_owner: dict[str, tuple[int, int]] = {}
    all_gtins = [g.gtin14 for row in rows for g in row.gtins]
    for chunk in _chunks(all_gtins, 5000):
        for value, product_id, holder_id in ProductIdentifier.objects.filter(kind="gtin", value__in=chunk).values_list(
            "value", "product_id", "right_holder_id"
        ):
            gtin_owner[value] = (product_id, holder_id)
    code_owner: dict[tuple[str, str], int] = {}
    all_codes = [value for row in rows for _kind, value in row.codes]
    for chunk in _chunks(all_codes, 5000):
        for kind, value, product_id in ProductIdentifier.objects.filter(
            right_holder=right_holder, kind__in=[IdentifierKind.SKU, IdentifierKind.MODEL], value__in=chunk
        ).values_list("kind", "value", "product_id"):
            code_owner[(kind, value)] = product_id
    for row in rows:
        matches = set()
        for gtin in row.gtins:
            owner = gtin_owner.get(gtin.gtin14)
            if owner is None:
                continue
            if owner[1] != right_holder.pk:
                errors.append(
                    RowError(
                        row.number,
                        "gtins",
                        _("The GTIN %(value)s is already registered in IPM.") % {"value": gtin.printed},
                    )
                )
            else:
                matches.add(owner[0])
        matches |= {code_owner[c] for c in row.codes if c in code_owner}
        if len(matches) > 1:
            errors.append(
                RowError(row.number, "gtins", _("These codes belong to different sheets in IPM; split the row."))
            )
        elif matches:
            row.product_id = matches.pop()
    return errors


def _check_prices(rows: list[ParsedRow]) -> list[RowError]:
    """Prices and currency as they will be after the row is applied (an update keeps what the file omits)."""
    existing = {}
    for chunk in _chunks([row.product_id for row in rows if row.product_id]):
        values = Product.objects.filter(pk__in=chunk).values_list("pk", "price_min", "price_max", "currency")
        existing.update({pk: (low, high, currency) for pk, low, high, currency in values})
    errors = []
    for row in rows:
        low, high, currency = existing.get(row.product_id, (None, None, ""))
        low = row.fields.get("price_min", low)
        high = row.fields.get("price_max", high)
        currency = row.fields.get("currency", currency)
        if low is not None and high is not None and low > high:
            errors.append(RowError(row.number, "price_max", _("The highest price is below the lowest price.")))
        if (low is not None or high is not None) and not currency:
            errors.append(RowError(row.number, "currency", _("Give the currency of the prices.")))
    return errors


def _check_publishable(rows: list[ParsedRow]) -> list[RowError]:
    """A row may publish a sheet only when officers would have a way to find it and something to look at: clues
    or photos the row gives, or those the sheet has and the row keeps."""
    wanting = [row for row in rows if row.status == ProductStatus.PUBLISHED and not row.clues and not row.photos]
    has_clues, has_photos = set(), set()
    for chunk in _chunks([row.product_id for row in wanting if row.product_id]):
        has_clues |= set(Clue.objects.filter(product_id__in=chunk).values_list("product_id", flat=True))
        has_photos |= set(ProductPhoto.objects.filter(product_id__in=chunk).values_list("product_id", flat=True))
    return [
        RowError(
            row.number, "status", _("Add at least one photo or one genuine-versus-counterfeit clue before publishing.")
        )
        for row in wanting
        if not (row.clues is None and row.product_id in has_clues)
        and not (row.photos is None and row.product_id in has_photos)
    ]


# --- Pictures ---------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Stored:
    """A picture a sheet holds now: one of its photos, or one side of one of its clues."""

    pk: int
    name: str
    sha256: str | None
    side: str = ""  # clues: "genuine" or "counterfeit"
    marks: list = field(default_factory=list)
    view: str = ""
    position: int = 0


def _stored_photos(product_ids: list[int]) -> dict[int, list[_Stored]]:
    result = defaultdict(list)
    for chunk in _chunks(product_ids):
        photos = (
            ProductPhoto.objects.filter(product_id__in=chunk)
            .order_by("product_id", "position", "pk")
            .values_list("pk", "product_id", "image", "source_sha256", "view", "position")
        )
        for pk, product_id, name, sha, view, position in photos:
            result[product_id].append(_Stored(pk, name, sha, view=view, position=position))
    return result


def _stored_clues(product_ids: list[int]) -> dict[int, list[dict[str, _Stored | None]]]:
    """Each sheet's clues in order, as {side: its picture, or None}."""
    result = defaultdict(list)
    for chunk in _chunks(product_ids):
        clues = (
            Clue.objects.filter(product_id__in=chunk)
            .order_by("product_id", "position", "pk")
            .values_list(
                "pk", "product_id", *(f"{side}_{f}" for side in SIDES for f in ("image", "marks", "source_sha256"))
            )
        )
        for pk, product_id, *values in clues:
            entry = {}
            for index, side in enumerate(SIDES):
                name, marks, sha = values[3 * index : 3 * index + 3]
                entry[side] = _Stored(pk, name, sha, side=side, marks=media.stored_marks(marks)) if name else None
            result[product_id].append(entry)
    return result


def _same(picture: Picture, stored: _Stored) -> bool:
    return picture.same_as(stored.name, stored.sha256)


def _plan_photos(pictures: list[Picture], stored: list[_Stored]) -> list[_Stored | None]:
    """Pair each wanted photo with the sheet's photo that already holds that picture (None: to be stored)."""
    free, plan = list(stored), []
    for picture in pictures:
        match = next((s for s in free if _same(picture, s)), None)
        if match is not None:
            free.remove(match)
        plan.append(match)
    return plan


def _plan_clue_images(items: list[dict], stored: list[dict[str, _Stored | None]]) -> list[dict[str, tuple | None]]:
    """For each clue of a row and each side: ("keep", a picture the sheet's clues hold), ("new", a picture to
    store) or None (no picture). A side the file says nothing of keeps the picture of the clue at the same place;
    a side that names a picture reuses any of the sheet's clue pictures that is the same picture. A stored picture
    is reused once at most: two clues never share a file."""
    free = [picture for entry in stored for picture in entry.values() if picture is not None]
    plan: list[dict[str, tuple | None]] = [{} for _item in items]
    for index, item in enumerate(items):
        for side in SIDES:
            if item["images"][side] is None:
                old = stored[index][side] if index < len(stored) else None
                if old is not None:
                    free.remove(old)
                plan[index][side] = ("keep", old) if old is not None else None
    for index, item in enumerate(items):
        for side in SIDES:
            if item["images"][side] is None:
                continue
            picture = item["pictures"].get(side)
            if picture is None:
                plan[index][side] = None
                continue
            match = next((s for s in free if _same(picture, s)), None)
            if match is not None:
                free.remove(match)
            plan[index][side] = ("keep", match) if match is not None else ("new", picture)
    return plan


def _same_picture(a: Picture, b: Picture) -> bool:
    return a is b or bool(a.sha256 and a.sha256 == b.sha256) or bool(a.local_name and a.local_name == b.local_name)


def _check_images(rows: list[ParsedRow], store: ImageStore) -> list[RowError]:
    """Read every picture the rows name (each reference once) and check it with the media pipeline, as the rows
    are checked: a bad picture is an error of its row and column. A picture the sheet already holds (same content)
    is only hashed; the others are processed now and wait on disk for the write."""
    uses: dict[str, list[tuple[ParsedRow, str, str]]] = defaultdict(list)
    for row in rows:
        for reference in row.photos or []:
            uses[reference].append((row, "photos", "photo"))
        for item in row.clues or []:
            for side in SIDES:
                if item["images"][side]:
                    uses[item["images"][side]].append((row, f"clue{item['number']}_{side}_image", "clue"))
    if not uses:
        return []
    photos = _stored_photos([row.product_id for row in rows if row.product_id and row.photos])
    clues = _stored_clues([row.product_id for row in rows if row.product_id and row.clues])
    clue_pictures = {pk: [p for entry in entries for p in entry.values() if p] for pk, entries in clues.items()}

    def wanted(reference_uses):
        def decide(picture: Picture) -> bool:
            per_sheet = Counter((row.product_id, kind) for row, _column, kind in reference_uses)
            for (product_id, kind), count in per_sheet.items():
                if product_id is None:
                    return True
                held = photos.get(product_id, []) if kind == "photo" else clue_pictures.get(product_id, [])
                if sum(1 for s in held if _same(picture, s)) < (1 if kind == "photo" else count):
                    return True
            return False

        return decide

    errors = []

    def fail(reference, error):
        message = _("%(reference)s: %(reason)s") % {"reference": reference[:300], "reason": error}
        errors.extend(RowError(row.number, column, message) for row, column, _kind in uses[reference])

    resolved: dict[str, Picture] = {}
    for reference, reference_uses in uses.items():
        try:
            resolved[reference] = store.resolve(reference, wanted(reference_uses))
        except ImageRefError as error:
            fail(reference, error)

    # Plan as the write will, and process any picture that is to be stored after all (the same picture named
    # twice for one sheet's clues, under two names, say).
    needed: list[Picture] = []
    for row in rows:
        if row.photos is not None:
            items: list[tuple[Picture, str]] = []
            for index, reference in enumerate(row.photos):
                picture = resolved.get(reference)
                if picture is not None and not any(_same_picture(picture, p) for p, _view in items):
                    items.append((picture, row.photo_views[index] if row.photo_views else ""))
            row.photo_items = items
            plan = _plan_photos([p for p, _view in items], photos.get(row.product_id, []))
            needed += [picture for (picture, _view), match in zip(items, plan, strict=True) if match is None]
        for item in row.clues or []:
            item["pictures"] = {
                side: resolved[item["images"][side]] for side in SIDES if item["images"][side] in resolved
            }
        if row.clues:
            for entry in _plan_clue_images(row.clues, clues.get(row.product_id, [])):
                needed += [side[1] for side in entry.values() if side is not None and side[0] == "new"]
    for picture in dict.fromkeys(needed):
        try:
            store.ensure_processed(picture)
        except ImageRefError as error:
            fail(picture.reference, error)
    return errors


def check_rows(
    right_holder: Organisation,
    raw_rows: Iterable[dict[str, str]],
    progress: Callable[[int], None] | None = None,
    images: ImageStore | None = None,
) -> tuple[list[ParsedRow], ImportReport]:
    """Parse and check every row, and the pictures they name (read through ``images``; without it, a store of
    this call's own checks them and forgets them)."""
    brands = {b.name.casefold(): b for b in Brand.objects.filter(right_holder=right_holder)}
    report = ImportReport()
    parsed: list[ParsedRow] = []
    for index, raw in enumerate(raw_rows, start=2):  # row 1 is the header
        report.total_rows += 1
        result = parse_row(index, raw, brands)
        if isinstance(result, list):
            report.errors.extend(result)
        else:
            parsed.append(result)
        if progress and report.total_rows % 1000 == 0:
            progress(report.total_rows)
    report.errors.extend(_match_existing(right_holder, parsed))
    report.errors.extend(_check_prices(parsed))
    report.errors.extend(_check_publishable(parsed))
    if images is None:
        with ImageStore(right_holder) as own:
            report.errors.extend(_check_images(parsed, own))
    else:
        report.errors.extend(_check_images(parsed, images))
    report.errors.sort(key=lambda e: e.row)
    report.created = sum(1 for row in parsed if row.product_id is None)
    report.updated = len(parsed) - report.created
    return parsed, report


# --- Writing ----------------------------------------------------------------------------------------------------


def _translation_model(model):
    return model._parler_meta.root_model


def _write_texts(owner_model, items: list[tuple[int, str, dict]], now) -> None:
    """Upsert translation rows: items are (master_id, language, {field: value})."""
    translation_model = _translation_model(owner_model)
    existing = {}
    for chunk in _chunks(sorted({master for master, _lang, _values in items})):
        for row in translation_model.objects.filter(master_id__in=chunk):
            existing[(row.master_id, row.language_code)] = row
    to_create, to_update, changed_fields = [], [], set()
    for master_id, language, values in items:
        row = existing.get((master_id, language))
        if row is None:
            to_create.append(
                translation_model(master_id=master_id, language_code=language, text_updated_at=now, **values)
            )
            continue
        changes = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changes:
            for key, value in changes.items():
                setattr(row, key, value)
            row.text_updated_at = now
            changed_fields |= set(changes)
            to_update.append(row)
    translation_model.objects.bulk_create(to_create, batch_size=CHUNK)
    if to_update:
        translation_model.objects.bulk_update(to_update, [*changed_fields, "text_updated_at"], batch_size=CHUNK)


def _differs(current, wanted) -> bool:
    if isinstance(current, list) or hasattr(current, "code"):  # CountryField values
        current = [str(c) for c in current] if isinstance(current, list) else str(current or "")
    return current != wanted


SHEET_COLUMNS = ("hs_code", "country_of_manufacture", "intended_markets", "price_min", "price_max", "currency")


class _PicturesChanged(Exception):
    """A sheet's pictures changed between the check and the write, so a picture the check found already stored
    (and did not process) is not there any more. The import is rolled back; running it again works."""

    def __init__(self, row: int, column: str):
        super().__init__(row, column)
        self.error = RowError(row, column, _("The sheet's pictures changed while the import ran; run it again."))


def _apply(
    right_holder: Organisation,
    actor: User,
    rows: list[ParsedRow],
    summary: str,
    images: ImageStore | None = None,
    written: list[str] | None = None,
) -> int:
    """Write the checked rows; returns how many existing sheets actually changed. Pictures are stored once the
    rows exist; the names of the files written are added to ``written`` (for the caller to delete on failure)."""
    written = [] if written is None else written
    now = timezone.now()
    # Kept as compact JSON text: a dict per sheet would cost several times the memory on a large re-import.
    before = {
        pk: json.dumps(snap, sort_keys=True, default=str)
        for pk, snap in _snapshots([row.product_id for row in rows if row.product_id is not None]).items()
    }
    for row in rows:
        row.is_new = row.product_id is None
    new_rows = [row for row in rows if row.is_new]
    products = []
    for row in new_rows:
        product = Product(
            brand=row.brand,
            source_language=row.language,
            status=row.status or ProductStatus.DRAFT,
            created_at=now,
            updated_at=now,
            last_reviewed_at=now,
            published_at=now if row.status == ProductStatus.PUBLISHED else None,
            visible_to_all_countries=row.visible_countries is None,
            **row.fields,
        )
        products.append(product)
    Product.objects.bulk_create(products, batch_size=CHUNK)
    for row, product in zip(new_rows, products, strict=True):
        row.product_id = product.pk

    updates = [row for row in rows if not row.is_new]
    for chunk in _chunks(updates):
        by_id = Product.objects.in_bulk([row.product_id for row in chunk])
        changed = []
        for row in chunk:
            product = by_id[row.product_id]
            wanted = dict(row.fields)
            if row.status:
                wanted["status"] = row.status
                if row.status == ProductStatus.PUBLISHED and product.published_at is None:
                    wanted["published_at"] = now
            if row.visible_countries is not None:
                wanted["visible_to_all_countries"] = False
            differs = {key: value for key, value in wanted.items() if _differs(getattr(product, key), value)}
            if differs:  # bulk_update is costly per row: only rows that really change are sent
                for key, value in differs.items():
                    setattr(product, key, value)
                product.updated_at = now
                changed.append(product)
        Product.objects.bulk_update(
            changed,
            [*SHEET_COLUMNS, "status", "published_at", "visible_to_all_countries", "updated_at"],
            batch_size=CHUNK,
        )

    _write_texts(
        Product,
        [(row.product_id, lang, values) for row in rows for lang, values in row.texts.items() if values],
        now,
    )

    identifiers = []
    existing_codes = set()
    for chunk in _chunks([row.product_id for row in updates]):
        existing_codes |= set(
            ProductIdentifier.objects.filter(product_id__in=chunk).values_list("product_id", "kind", "value")
        )
    for row in rows:
        for gtin in row.gtins:
            if (row.product_id, "gtin", gtin.gtin14) not in existing_codes:
                identifiers.append(
                    ProductIdentifier(
                        product_id=row.product_id,
                        kind="gtin",
                        value=gtin.gtin14,
                        printed_value=gtin.printed,
                        right_holder=right_holder,
                    )
                )
        for kind, value in row.codes:
            if (row.product_id, kind, value) not in existing_codes:
                identifiers.append(
                    ProductIdentifier(
                        product_id=row.product_id,
                        kind=kind,
                        value=value,
                        printed_value=value,
                        right_holder=right_holder,
                    )
                )
    ProductIdentifier.objects.bulk_create(identifiers, batch_size=CHUNK)

    with_visibility = [row for row in rows if row.visible_countries is not None]
    for chunk in _chunks([row.product_id for row in with_visibility]):
        ProductVisibility.objects.filter(product_id__in=chunk).delete()
    ProductVisibility.objects.bulk_create(
        [
            ProductVisibility(product_id=row.product_id, country=c)
            for row in with_visibility
            for c in sorted(set(row.visible_countries))
        ],
        batch_size=CHUNK,
    )

    _apply_photos(rows, images, written)

    with_clues = [row for row in rows if row.clues is not None]
    old_clues = _stored_clues([row.product_id for row in with_clues if not row.is_new])
    clues, clue_texts = [], []
    reused = {side: [] for side in SIDES}
    for row in with_clues:
        plan = _plan_clue_images(row.clues, old_clues.get(row.product_id, []))
        for position, (item, sides) in enumerate(zip(row.clues, plan, strict=True), start=1):
            clue = Clue(product_id=row.product_id, kind=item["kind"], position=position)
            for side, entry in sides.items():
                if entry is None:
                    continue
                how, what = entry
                if how == "keep":
                    setattr(clue, f"{side}_image", what.name)
                    setattr(clue, f"{side}_marks", what.marks)
                    setattr(clue, f"{side}_source_sha256", what.sha256)
                    reused[what.side].append(what.pk)
                    continue
                processed = images.processed(what) if images else None
                if processed is None:
                    raise _PicturesChanged(row.number, f"clue{item['number']}_{side}_image")
                media.attach(getattr(clue, f"{side}_image"), processed, written)
                setattr(clue, f"{side}_source_sha256", what.sha256)
            clues.append(clue)
            clue_texts.append((row.language, {k: item[k] for k in ("title", "explanation", "where_to_look")}))
    # The old clues go (the new ones replace them), and their files with them once the import commits — except
    # the pictures the new clues keep, taken off the old clues first.
    for side, pks in reused.items():
        for chunk in _chunks(pks):
            Clue.objects.filter(pk__in=chunk).update(**{f"{side}_image": "", f"{side}_marks": []})
    for chunk in _chunks([row.product_id for row in with_clues if not row.is_new]):
        Clue.objects.filter(product_id__in=chunk).delete()
    Clue.objects.bulk_create(clues, batch_size=CHUNK)
    _translation_model(Clue).objects.bulk_create(
        [
            _translation_model(Clue)(master_id=clue.pk, language_code=lang, text_updated_at=now, **values)
            for clue, (lang, values) in zip(clues, clue_texts, strict=True)
        ],
        batch_size=CHUNK,
    )
    changed = _record_revisions(before, [row.product_id for row in rows], actor, summary)
    return changed - len(new_rows)


def _apply_photos(rows: list[ParsedRow], images: ImageStore | None, written: list[str]) -> None:
    """Make each sheet's photos exactly the row's, in its order: photos already held (same picture) are kept with
    their captions, the others stored, and the sheet's other photos removed (their files once the import commits)."""
    with_photos = [row for row in rows if row.photos is not None]
    if not with_photos:
        return
    stored = _stored_photos([row.product_id for row in with_photos if not row.is_new])
    languages = {}
    for chunk in _chunks([row.product_id for row in with_photos]):
        languages.update(Product.objects.filter(pk__in=chunk).values_list("pk", "source_language"))
    to_delete, to_update, to_create = [], [], []
    for row in with_photos:
        current = stored.get(row.product_id, [])
        plan = _plan_photos([picture for picture, _view in row.photo_items], current)
        for position, ((picture, view), match) in enumerate(zip(row.photo_items, plan, strict=True), start=1):
            if match is not None:
                view = view or match.view
                if (match.position, match.view) != (position, view):
                    to_update.append(ProductPhoto(pk=match.pk, position=position, view=view))
                continue
            processed = images.processed(picture) if images else None
            if processed is None:
                raise _PicturesChanged(row.number, "photos")
            photo = ProductPhoto(
                product_id=row.product_id,
                view=view or (PhotoView.FRONT if position == 1 else PhotoView.OTHER),
                position=position,
                source_sha256=picture.sha256,
            )
            media.attach(photo.image, processed, written)
            to_create.append(photo)
        kept = {id(match) for match in plan if match is not None}
        to_delete += [photo.pk for photo in current if id(photo) not in kept]
    for chunk in _chunks(to_delete):
        ProductPhoto.objects.filter(pk__in=chunk).delete()  # the files follow once the import commits
    ProductPhoto.objects.bulk_update(to_update, ["position", "view"], batch_size=CHUNK)
    ProductPhoto.objects.bulk_create(to_create, batch_size=CHUNK)
    # An empty caption in the sheet's source language, as a photo added in the authoring pages has.
    translation_model = _translation_model(ProductPhoto)
    translation_model.objects.bulk_create(
        [
            translation_model(master_id=photo.pk, language_code=languages[photo.product_id], caption="")
            for photo in to_create
        ],
        batch_size=CHUNK,
    )


def _group(rows, key_index=0):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key_index]].append(row)
    return grouped


def _snapshots(product_ids: list[int]) -> dict[int, dict]:
    """``services.snapshot`` of many sheets at once, from flat queries (seven per thousand sheets): building
    model instances and prefetch caches for 100,000 sheets would cost minutes. A test keeps the two identical."""
    result = {}
    for chunk in _chunks(product_ids):
        texts = _group(
            _translation_model(Product)
            .objects.filter(master_id__in=chunk)
            .values_list("master_id", "language_code", *TEXT_FIELDS)
        )
        visibility = _group(ProductVisibility.objects.filter(product_id__in=chunk).values_list("product_id", "country"))
        codes = _group(
            ProductIdentifier.objects.filter(product_id__in=chunk)
            .order_by("kind", "value")
            .values_list("product_id", "kind", "value", "printed_value", "variant")
        )
        clues = _group(
            Clue.objects.filter(product_id__in=chunk)
            .order_by("position", "pk")
            .values_list("product_id", "pk", "kind", "genuine_image", "counterfeit_image")
        )
        clue_texts = _group(
            _translation_model(Clue)
            .objects.filter(master__product_id__in=chunk)
            .values_list("master_id", "language_code", *services.CLUE_TEXT_FIELDS)
        )
        photos = _group(
            ProductPhoto.objects.filter(product_id__in=chunk)
            .order_by("position", "pk")
            .values_list("product_id", "view", "image")
        )
        for product in Product.objects.filter(pk__in=chunk).select_related("brand"):
            pk = product.pk
            result[pk] = {
                "brand": product.brand.name,
                "status": product.status,
                "source_language": product.source_language,
                "translations": {lang: dict(zip(TEXT_FIELDS, values, strict=True)) for _pk, lang, *values in texts[pk]},
                "hs_code": product.hs_code,
                "country_of_manufacture": str(product.country_of_manufacture or ""),
                "intended_markets": [str(c) for c in product.intended_markets],
                "price_min": str(product.price_min) if product.price_min is not None else None,
                "price_max": str(product.price_max) if product.price_max is not None else None,
                "currency": product.currency,
                "visible_to_all_countries": product.visible_to_all_countries,
                "visible_countries": sorted(str(country) for _pk, country in visibility[pk]),
                "last_reviewed_at": product.last_reviewed_at.isoformat(),
                "identifiers": [
                    {"kind": kind, "value": value, "printed": printed, "variant": variant}
                    for _pk, kind, value, printed, variant in codes[pk]
                ],
                "clues": [
                    {
                        "kind": kind,
                        "translations": {
                            lang: dict(zip(services.CLUE_TEXT_FIELDS, values, strict=True))
                            for _clue, lang, *values in clue_texts[clue_pk]
                        },
                        "genuine_image": genuine or "",
                        "counterfeit_image": counterfeit or "",
                    }
                    for _pk, clue_pk, kind, genuine, counterfeit in clues[pk]
                ],
                "photos": [{"view": view, "image": image} for _pk, view, image in photos[pk]],
            }
    return result


def _record_revisions(before: dict[int, str], product_ids: list[int], actor: User, summary: str) -> int:
    """A revision for each sheet the import created or changed (an unchanged sheet gets none, so importing the
    same file twice leaves no trace the second time). Built and written a chunk at a time, so memory stays flat
    however large the catalogue. Returns the number of sheets changed."""
    changed_count = 0
    for chunk in _chunks(product_ids):
        after = _snapshots(chunk)
        changed = [pk for pk in chunk if before.get(pk) != json.dumps(after[pk], sort_keys=True, default=str)]
        if not changed:
            continue
        Product.objects.filter(pk__in=changed).update(revision=F("revision") + 1)
        numbers = dict(Product.objects.filter(pk__in=changed).values_list("pk", "revision"))
        ProductRevision.objects.bulk_create(
            [
                ProductRevision(
                    product_id=pk,
                    number=numbers[pk],
                    author=actor,
                    summary=summary[:300],
                    changed_fields=services._changed_fields(
                        json.loads(before[pk]) if pk in before else None, after[pk]
                    ),
                    snapshot=after[pk],
                )
                for pk in changed
            ],
            batch_size=CHUNK,
        )
        search_index.index_products(changed)  # in bulk, in the import's transaction
        changed_count += len(changed)
    return changed_count


def import_rows(
    actor: User,
    right_holder: Organisation,
    raw_rows: Iterable[dict[str, str]],
    *,
    dry_run: bool = False,
    summary: str = "",
    progress: Callable[[int], None] | None = None,
    archive: import_images.ImportArchive | None = None,
) -> ImportReport:
    """Check every row and the pictures it names, then (unless a dry run, or any row has an error) write them all
    in one transaction. Pictures are read from ``archive`` (a ZIP import) or fetched by URL: call this from a
    background job, never while a request waits. Files stored by a write that fails are deleted again."""
    from ipm.access import policy

    if not policy.may_author_catalogue(actor, right_holder):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    with ImageStore(right_holder, archive) as images:
        rows, report = check_rows(right_holder, raw_rows, progress, images)
        if report.ok and not dry_run and rows:
            apply_rows(right_holder, actor, rows, report, images, summary or _("Imported"))
    return report


def apply_rows(
    right_holder: Organisation,
    actor: User,
    rows: list[ParsedRow],
    report: ImportReport,
    images: ImageStore,
    summary: str,
) -> None:
    """Write rows checked by ``check_rows`` (with the same ``images``) in one transaction. If the write fails,
    the transaction rolls back and the picture files it stored are deleted: nothing is half-imported."""
    storage = ProductPhoto._meta.get_field("image").storage
    try:
        with media.files_removed_on_error(storage) as written, transaction.atomic():
            report.updated = _apply(right_holder, actor, rows, summary, images, written)
    except _PicturesChanged as changed:
        report.errors = [changed.error]


def import_file(actor: User, right_holder: Organisation, stream, file_format: str, **options) -> ImportReport:
    """Import a file: CSV, XLSX or JSON, or a ZIP file holding one of those and the pictures its rows name.
    Raises ``ImportFileError`` when the file as a whole cannot be read."""
    if file_format != "zip":
        return import_rows(actor, right_holder, read_rows(stream, file_format), **options)
    try:
        archive = import_images.ImportArchive(stream)
        data = archive.data_file()
    except import_images.ArchiveError as error:
        raise ImportFileError(str(error)) from error
    with data:
        try:
            return import_rows(actor, right_holder, read_rows(data, archive.data_format), archive=archive, **options)
        finally:
            archive.close()


# --- Export and template ----------------------------------------------------------------------------------------


def export_rows(right_holder: Organisation, base_url: str = "") -> Iterator[dict[str, str]]:
    """The right holder's whole catalogue in the import format (re-importing it changes nothing). Pictures are
    given by URL, made absolute with ``base_url`` (the site's address) when the storage gives a path: another IPM
    can then import the file, and this one recognises its own pictures without downloading them."""
    ids = list(Product.objects.filter(brand__right_holder=right_holder).order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        sheets = (
            Product.objects.filter(pk__in=chunk)
            .order_by("pk")
            .select_related("brand")
            .prefetch_related(
                "translations",
                "visibility",
                "identifiers",
                Prefetch("clues", queryset=Clue.objects.prefetch_related("translations")),
                "photos",
            )
        )
        for sheet in sheets:
            yield sheet_to_row(sheet, base_url)


def _picture_url(field_file, base_url: str) -> str:
    if not field_file:
        return ""
    url = field_file.url
    return urljoin(base_url, url) if base_url else url


def sheet_to_row(sheet: Product, base_url: str = "") -> dict[str, str]:
    identifiers = list(sheet.identifiers.all())
    texts = {t.language_code: t for t in sheet.translations.all()}
    source = texts.get(sheet.source_language)
    row = {
        "gtins": LIST_SEPARATOR.join(i.printed_value or i.value for i in identifiers if i.kind == IdentifierKind.GTIN),
        "skus": LIST_SEPARATOR.join(i.value for i in identifiers if i.kind == IdentifierKind.SKU),
        "model_numbers": LIST_SEPARATOR.join(i.value for i in identifiers if i.kind == IdentifierKind.MODEL),
        "brand": sheet.brand.name,
        "language": sheet.source_language,
        "hs_code": sheet.hs_code,
        "country_of_manufacture": str(sheet.country_of_manufacture or ""),
        "intended_markets": LIST_SEPARATOR.join(str(c) for c in sheet.intended_markets),
        "price_min": "" if sheet.price_min is None else str(sheet.price_min),
        "price_max": "" if sheet.price_max is None else str(sheet.price_max),
        "currency": sheet.currency,
        "visible_countries": ""
        if sheet.visible_to_all_countries
        else LIST_SEPARATOR.join(sorted(str(v.country) for v in sheet.visibility.all())),
        "status": sheet.status,
    }
    photos = list(sheet.photos.all())
    row["photos"] = LIST_SEPARATOR.join(_picture_url(photo.image, base_url) for photo in photos)
    row["photo_views"] = LIST_SEPARATOR.join(photo.view for photo in photos)
    for f in TEXT_FIELDS:
        row[f] = getattr(source, f, "") if source else ""
    for lang, translation in texts.items():
        if lang != sheet.source_language:
            for f in TEXT_FIELDS:
                row[f"{f}_{lang}"] = getattr(translation, f)
    for n, clue in enumerate(list(sheet.clues.all())[:MAX_CLUES], start=1):
        clue_text = next((t for t in clue.translations.all() if t.language_code == sheet.source_language), None)
        clue_text = clue_text or next(iter(clue.translations.all()), None)
        row[f"clue{n}_title"] = getattr(clue_text, "title", "")
        row[f"clue{n}_explanation"] = getattr(clue_text, "explanation", "")
        row[f"clue{n}_where_to_look"] = getattr(clue_text, "where_to_look", "")
        row[f"clue{n}_kind"] = clue.kind
        for side in SIDES:
            row[f"clue{n}_{side}_image"] = _picture_url(getattr(clue, f"{side}_image"), base_url)
    return row


def write_rows(rows: Iterable[dict[str, str]], file_format: str, out) -> None:
    """Write rows in a format to a binary stream."""
    if file_format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.DictWriter(text, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        text.detach()
    elif file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("products")
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append([row.get(column, "") for column in COLUMNS])
        workbook.save(out)
    elif file_format == "json":
        data = {
            "format": f"ipm-products/{FORMAT_VERSION}",
            "products": [{k: v for k, v in r.items() if v} for r in rows],
        }
        out.write(json.dumps(data, ensure_ascii=False, indent=1).encode())
    else:
        raise ImportFileError(_("Unsupported format: use CSV, XLSX or JSON."))


def template_rows() -> list[dict[str, str]]:
    """One example row, for the downloadable template."""
    return [
        {
            "gtins": "4006381333931",
            "skus": "SC-001",
            "brand": "Your brand",
            "language": "en",
            "name": "Silk scarf 90 × 90",
            "description": "Hand-rolled edges; printed label sewn in the corner.",
            "packaging": "Orange box with embossed logo",
            "hs_code": "621410",
            "country_of_manufacture": "IT",
            "intended_markets": "FR|DE|US",
            "price_min": "250.00",
            "price_max": "420.00",
            "currency": "EUR",
            "status": "draft",
            "name_fr": "Carré de soie 90 × 90",
            "clue1_title": "Hand-rolled hem",
            "clue1_explanation": "Genuine hems are rolled towards the printed side and stitched by hand.",
            "clue1_where_to_look": "Edges",
            "clue1_kind": "product",
        }
    ]


# --- Import jobs (run in the background) ------------------------------------------------------------------------

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_ZIP_IMPORT_BYTES = 1024**3  # a ZIP file with pictures


def format_of(file_name: str) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in UPLOAD_FORMATS:
        raise ValidationError({"file": _("Upload a .csv, .xlsx, .json or .zip file.")})
    return suffix


@transaction.atomic
def start_import_job(actor: User, right_holder: Organisation, upload, *, dry_run: bool = False):
    """Store the file and queue the import. The job (and its task, with the database backend) commit together."""
    from ipm.access import policy
    from ipm.catalog.models import ImportJob
    from ipm.catalog.tasks import run_import_job

    if not policy.may_author_catalogue(actor, right_holder):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    file_format = format_of(upload.name)
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if file_format == "zip":
        if upload.size > MAX_ZIP_IMPORT_BYTES:
            raise ValidationError({"file": _("The ZIP file is larger than 1 GB; split it.")})
        try:  # reads the ZIP's table of contents only: a file IPM would refuse is refused now, not in an hour
            import_images.ImportArchive(upload).close()
        except import_images.ArchiveError as error:
            raise ValidationError({"file": str(error)}) from error
        upload.seek(0)
    elif upload.size > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 200 MB; split it.")})
    job = ImportJob.objects.create(
        right_holder=right_holder,
        created_by=actor,
        file=upload,
        original_name=upload.name[:255],
        file_format=file_format,
        dry_run=dry_run,
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def run_import_job(job_id: int) -> None:
    from ipm.catalog.models import ImportJob, ImportStatus

    job = ImportJob.objects.select_related("created_by", "right_holder").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return  # already run (a task delivered twice must not import twice)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())

    def progress(rows_checked):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows_checked)

    try:
        with job.file.open("rb") as stream:
            report = import_file(
                job.created_by,
                job.right_holder,
                stream,
                job.file_format,
                dry_run=job.dry_run,
                summary=_("Imported from %(file)s") % {"file": job.original_name},
                progress=progress,
            )
    except ImportFileError as error:
        report = ImportReport(errors=[RowError(0, "", str(error))])
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CRASHED, finished_at=timezone.now())
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.SUCCEEDED if report.ok else ImportStatus.FAILED,
        total_rows=report.total_rows,
        processed_rows=report.total_rows,
        created_count=report.created if report.ok else 0,
        updated_count=report.updated if report.ok else 0,
        error_count=len(report.errors),
        errors=[e.as_dict() for e in report.errors[:1000]],
        finished_at=timezone.now(),
    )
