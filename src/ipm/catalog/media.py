"""The image pipeline of the catalogue: every picture a user gives IPM passes through here before it is stored.

Officers open these pictures on phones at border posts, and anybody with a right holder's account can upload one,
so a picture is trusted for nothing: it is identified by its content (never its name), decoded by Pillow with a
size cap and a decompression-bomb guard, turned upright, re-encoded as a plain JPEG without any metadata (camera
EXIF, GPS position, XMP, comments, ICC profiles), and stored under a random name with thumbnails beside it. The
names are random and never reused, which is what lets the files be cached for a year as immutable.

Storage goes through the field's storage (Django ``STORAGES["default"]``): local disk by default, an
S3-compatible store in production. The domain actions that attach pictures to records are in ``media_services``.
"""

import hashlib
import io
import posixpath
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageDraw, ImageOps

from ipm.catalog.models import Brand, Clue, CounterfeitVariant, ProductPhoto

try:  # HEIC/HEIF (iPhone photos) only when the optional pillow-heif is installed.
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - depends on the environment
    HEIF_FORMATS: tuple[str, ...] = ()
else:  # pragma: no cover - depends on the environment
    register_heif_opener()
    HEIF_FORMATS = ("HEIF",)

# Formats Pillow may even try: restricting the openers keeps it from parsing anything else (EPS would run
# Ghostscript, for instance). MPO is how Pillow names a JPEG with a second picture, as many cameras write.
OPENERS = ("JPEG", "PNG", "WEBP", "GIF", *HEIF_FORMATS)
ACCEPTED_FORMATS = frozenset({*OPENERS, "MPO"})

DEFAULT_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
MAX_SIDE = 2560  # the stored original's longest side: sharp on any screen, a few hundred KB
THUMBNAIL_SIZES = (160, 480, 1024)  # longest side of each thumbnail
CROP_SIZE = 480  # longest side of a clue's annotated crop
MAX_CROP_ZOOM = 4  # a tiny marked detail is enlarged at most this much; more only shows blur
JPEG_OPTIONS = {"format": "JPEG", "quality": 85, "optimize": True, "progressive": True}
MARK_COLOUR = (255, 214, 0)  # bright yellow, with a dark edge: visible on light and dark products alike
MARK_EDGE = (20, 20, 20)


@dataclass(frozen=True)
class ProcessedImage:
    """A picture ready to store: the re-encoded original and its thumbnails, all plain JPEG bytes."""

    data: bytes
    width: int
    height: int
    thumbnails: dict[int, bytes] = field(default_factory=dict)


def max_upload_bytes() -> int:
    return getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_image_pixels() -> int:
    return getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def _invalid(field_name: str, message: str, code: str) -> ValidationError:
    # A stable code with each message, so that other readers of pictures (the scan decoder) answer in the same words.
    return ValidationError({field_name: ValidationError(message, code=code)})


def _accepted_formats_text() -> str:
    return "JPEG, PNG, WebP, GIF" + (", HEIC" if HEIF_FORMATS else "")


# --- Reading and decoding ---------------------------------------------------------------------------------------


def read_upload(upload, field_name: str = "image") -> bytes:
    """The upload's bytes, refusing an empty or oversized file before anything tries to decode it.

    Accepts what callers have at hand: a Django ``UploadedFile`` or ``File``, any binary file object, or bytes
    (the importer fetches pictures itself). Never reads more than the limit plus one byte."""
    limit = max_upload_bytes()
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload[: limit + 1])
    else:
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_large(field_name, limit)
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1) or b""
    if len(data) > limit:
        raise _too_large(field_name, limit)
    if not data:
        raise _invalid(field_name, _("The file is empty."), "empty")
    return data


def _too_large(field_name: str, limit: int) -> ValidationError:
    message = _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
    return _invalid(field_name, message, "too_large")


def _not_a_picture(field_name: str) -> ValidationError:
    return _invalid(
        field_name,
        _("This file is not a picture IPM accepts. Upload a photo in one of these formats: %(formats)s.")
        % {"formats": _accepted_formats_text()},
        "not_an_image",
    )


def too_many_pixels_error(field_name: str, size: tuple[int, int] | None = None) -> ValidationError:
    limit = {"limit": f"{max_image_pixels() / 1_000_000:g}"}
    if size is None:
        message = _("The picture has too many pixels; the limit is %(limit)s megapixels.") % limit
        return _invalid(field_name, message, "too_many_pixels")
    return _invalid(
        field_name,
        _("The picture is too large (%(width)s × %(height)s pixels); the limit is %(limit)s megapixels.")
        % {"width": size[0], "height": size[1], **limit},
        "too_many_pixels",
    )


def damaged_error(field_name: str) -> ValidationError:
    return _invalid(field_name, _("The picture could not be read: the file is damaged or incomplete."), "damaged")


def open_header(data: bytes, field_name: str) -> Image.Image:
    """Identify the picture from its content and check its dimensions, reading the header only.

    Pillow raises ``DecompressionBombError`` by itself beyond twice its own limit; IPM's limit is lower and is
    checked here, before a single pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=OPENERS)
    except Image.DecompressionBombError as error:
        raise too_many_pixels_error(field_name) from error
    except Exception as error:  # any failure to parse untrusted bytes is the user's file, never a 500
        raise _not_a_picture(field_name) from error
    if image.format not in ACCEPTED_FORMATS:
        raise _not_a_picture(field_name)
    width, height = image.size
    if width < 1 or height < 1:
        raise damaged_error(field_name)
    if width * height > max_image_pixels():
        raise too_many_pixels_error(field_name, image.size)
    return image


def decode(data: bytes, field_name: str = "image") -> Image.Image:
    """The picture's first frame, fully decoded, or a ``ValidationError`` saying in plain words what is wrong.

    ``verify()`` checks the file's structure (chunk checksums, markers) without decoding; as Pillow requires, the
    file is then opened again to decode it. Big JPEGs are decoded at a reduced scale (``draft``), which is faster
    and uses less memory, since the stored picture is capped anyway."""
    header = open_header(data, field_name)
    try:
        header.verify()
    except Image.DecompressionBombError as error:
        raise too_many_pixels_error(field_name) from error
    except Exception as error:
        raise damaged_error(field_name) from error
    try:
        image = Image.open(io.BytesIO(data), formats=OPENERS)
        image.seek(0)  # GIF, WebP, APNG, MPO: the first frame
        if image.format in {"JPEG", "MPO"}:
            image.draft(image.mode, (MAX_SIDE, MAX_SIDE))
        image.load()
    except Image.DecompressionBombError as error:
        raise too_many_pixels_error(field_name) from error
    except Exception as error:  # truncated data, corrupt streams, odd modes: the file, not IPM, is at fault
        raise damaged_error(field_name) from error
    return image


# --- Normalising and encoding -----------------------------------------------------------------------------------


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded colour profile (Display P3, Adobe RGB…) to sRGB, so the picture
    looks the same once the profile is dropped. A broken profile is ignored rather than refusing the photo."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: a JPEG has no transparency, and a product on white is what a catalogue photo looks like."""
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        # 16-bit and float greyscale: scale to 8 bits first, Pillow's RGB conversion would clip.
        image = image.convert("F").point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation. A malformed EXIF block (cameras and editors write many) leaves the picture as
    it was stored rather than refusing it."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # the EXIF parser on untrusted bytes
        return image


def normalise(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), sRGB, flattened to RGB, capped to ``MAX_SIDE``, and a new image that
    carries no ``info`` at all — Pillow copies some metadata (JPEG comments) from ``info`` when saving."""
    image = _flatten(_to_srgb(_upright(image)))
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def encode_jpeg(image: Image.Image) -> bytes:
    """A progressive, optimised JPEG with no metadata: nothing is passed for EXIF, ICC or XMP."""
    buffer = io.BytesIO()
    image.save(buffer, **JPEG_OPTIONS)
    return buffer.getvalue()


def make_thumbnails(image: Image.Image, sizes: Iterable[int] = THUMBNAIL_SIZES) -> dict[int, bytes]:
    """One JPEG per size, longest side at most ``size``. Every size exists even for a small picture, so a page
    can name a thumbnail without asking the storage whether it exists (a request per picture on S3)."""
    thumbnails = {}
    source = image
    for size in sorted(sizes, reverse=True):  # each from the previous, larger one: faster, as sharp
        source = source.copy()
        source.thumbnail((size, size), Image.Resampling.LANCZOS)
        thumbnails[size] = encode_jpeg(source)
    return dict(sorted(thumbnails.items()))


def process_upload(upload, field_name: str = "image") -> ProcessedImage:
    """The whole pipeline for one upload, touching no storage: raises ``ValidationError`` keyed by
    ``field_name`` for anything that is not an acceptable picture."""
    decoded = decode(read_upload(upload, field_name), field_name)
    try:
        image = normalise(decoded)
    except Exception as error:  # an odd mode or palette Pillow cannot convert: the file's fault, not a 500
        raise damaged_error(field_name) from error
    return ProcessedImage(
        data=encode_jpeg(image), width=image.width, height=image.height, thumbnails=make_thumbnails(image)
    )


# --- Names and storage ------------------------------------------------------------------------------------------


def thumbnail_name(name: str, size: int) -> str:
    """``catalog/photos/<uuid>.jpg`` → ``catalog/photos/<uuid>_480.jpg``: derived, so nothing else is stored."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}_{size}{extension or '.jpg'}"


def mark_key(mark: dict) -> str:
    """A short digest of a mark's rectangle: a crop's name changes whenever its content would."""
    text = ",".join(f"{float(mark[key]):.4f}" for key in ("x", "y", "w", "h"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def mark_crop_name(name: str, mark: dict) -> str:
    """``catalog/clues/<uuid>.jpg`` → ``catalog/clues/<uuid>_crop_<digest>.jpg``. The digest (not a position)
    keeps names immutable: moving a mark makes a new file rather than changing a cached one."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}_crop_{mark_key(mark)}{extension or '.jpg'}"


def derived_names(name: str, marks: Iterable[dict] = ()) -> list[str]:
    """Every file stored for a picture: the original, its thumbnails and the crops of its marks."""
    return [name, *(thumbnail_name(name, size) for size in THUMBNAIL_SIZES), *mark_crop_names(name, marks)]


def mark_crop_names(name: str, marks: Iterable[dict]) -> list[str]:
    return list(dict.fromkeys(mark_crop_name(name, mark) for mark in marks))


@contextmanager
def files_removed_on_error(storage) -> Iterator[list[str]]:
    """Collects the names written inside the block and deletes them if the block fails, so that a refused or
    failed action leaves no file behind (a database rollback cannot take back a file)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def attach(field_file: FieldFile, processed: ProcessedImage, written: list[str]) -> str:
    """Store the picture under a fresh name from the field's ``upload_to``, its thumbnails beside it, and point
    the field at it (the record itself is not saved). Names written are appended to ``written``."""
    instance, model_field, storage = field_file.instance, field_file.field, field_file.storage
    name = storage.save(model_field.generate_filename(instance, "upload.jpg"), ContentFile(processed.data))
    written.append(name)
    for size, data in processed.thumbnails.items():
        written.append(storage.save(thumbnail_name(name, size), ContentFile(data)))
    stored = ImageFieldFile(instance, model_field, name)
    stored._dimensions_cache = (processed.width, processed.height)  # spares reading the file back from storage
    setattr(instance, model_field.attname, stored)
    return name


def delete_files(storage, names: Iterable[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def delete_after_commit(storage, names: Iterable[str]) -> None:
    """Delete files once the transaction that stopped using them commits; on a rollback they are still used."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete_files(storage, names))


def thumbnail_url(field_file: FieldFile | None, size: int) -> str:
    """The URL of the smallest thumbnail at least ``size`` pixels on its longest side; the original when none is
    that big or the original is no bigger; "" without a picture. Asks the storage nothing but the URL."""
    if not field_file:
        return ""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return field_file.url
    chosen = next((s for s in THUMBNAIL_SIZES if s >= size), None)
    width_field = getattr(field_file.field, "width_field", None)  # ProductPhoto knows its size: use it
    height_field = getattr(field_file.field, "height_field", None)
    if chosen is not None and width_field and height_field:
        longest = max(getattr(field_file.instance, width_field) or 0, getattr(field_file.instance, height_field) or 0)
        if 0 < longest <= chosen:
            chosen = None
    if chosen is None:
        return field_file.url
    return field_file.storage.url(thumbnail_name(field_file.name, chosen))


# --- Annotated crops of clue marks ------------------------------------------------------------------------------


def _mark_box(mark: dict, width: int, height: int) -> tuple[int, int, int, int]:
    left, top = round(mark["x"] * width), round(mark["y"] * height)
    right, bottom = round((mark["x"] + mark["w"]) * width), round((mark["y"] + mark["h"]) * height)
    return left, top, max(right, left + 1), max(bottom, top + 1)


def _crop_box(box: tuple[int, int, int, int], width: int, height: int) -> tuple[int, int, int, int]:
    """The mark with a margin of context around it (a fifth of its larger side, at least 16 px), inside the
    picture: officers must see where on the product the detail is, not only the detail."""
    left, top, right, bottom = box
    pad = max(16, round(0.2 * max(right - left, bottom - top)))
    return max(0, left - pad), max(0, top - pad), min(width, right + pad), min(height, bottom + pad)


def render_mark_crop(image: Image.Image, mark: dict, size: int = CROP_SIZE) -> bytes:
    """A zoomed JPEG of one marked detail, the mark outlined, longest side ``size`` (up to ``MAX_CROP_ZOOM``
    times enlarged). ``mark`` is ``{"x", "y", "w", "h"}`` in fractions of the picture, already validated."""
    image = image.convert("RGB")
    mark_box = _mark_box(mark, image.width, image.height)
    crop_box = _crop_box(mark_box, image.width, image.height)
    crop = image.crop(crop_box)
    scale = min(size / max(crop.width, crop.height), MAX_CROP_ZOOM)
    zoomed = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
    crop = crop.resize(zoomed, Image.Resampling.LANCZOS)
    outline = [
        round((mark_box[0] - crop_box[0]) * scale),
        round((mark_box[1] - crop_box[1]) * scale),
        round((mark_box[2] - crop_box[0]) * scale) - 1,
        round((mark_box[3] - crop_box[1]) * scale) - 1,
    ]
    line = max(2, max(crop.size) // 120)
    draw = ImageDraw.Draw(crop)
    draw.rectangle(outline, outline=MARK_EDGE, width=line * 2)  # a dark band inside the yellow one
    draw.rectangle(outline, outline=MARK_COLOUR, width=line)
    return encode_jpeg(crop)


def store_mark_crops(storage, name: str, marks: Iterable[dict], written: list[str], image=None) -> list[str]:
    """Store the annotated crop of each mark beside the picture ``name`` (decoded once from ``image`` bytes, or
    read from storage), skipping crops already stored: the same rectangle always gives the same file."""
    marks = list(marks)
    wanted = [(mark, mark_crop_name(name, mark)) for mark in marks]
    missing = [(mark, crop) for mark, crop in wanted if crop not in written and not storage.exists(crop)]
    if not missing:
        return [crop for _mark, crop in wanted]
    if image is None:
        with storage.open(name, "rb") as stored:
            image = stored.read()
    picture = Image.open(io.BytesIO(image), formats=OPENERS)
    picture.load()
    for mark, crop in missing:
        written.append(storage.save(crop, ContentFile(render_mark_crop(picture, mark))))
    return [crop for _mark, crop in wanted]


def mark_crop_url(field_file: FieldFile | None, mark: dict) -> str:
    """The URL of a mark's annotated crop (stored with the clue's picture); "" without a picture or for a
    malformed mark, so that a bad record never breaks the page an officer needs."""
    if not field_file:
        return ""
    try:
        return field_file.storage.url(mark_crop_name(field_file.name, mark))
    except (KeyError, TypeError, ValueError):
        return ""


# --- Files follow their records ---------------------------------------------------------------------------------
# However a record goes (a service, a cascade from its product, the admin), its files go with it once the deletion
# commits. These receivers are connected when this module is imported; ``CatalogConfig.ready()`` should import it.


@receiver(post_delete, sender=ProductPhoto, dispatch_uid="ipm.catalog.media.photo_deleted")
def _photo_deleted(sender, instance, **kwargs):
    delete_after_commit(instance.image.storage, derived_names(instance.image.name) if instance.image else [])


@receiver(post_delete, sender=Clue, dispatch_uid="ipm.catalog.media.clue_deleted")
def _clue_deleted(sender, instance, **kwargs):
    sides = ((instance.genuine_image, instance.genuine_marks), (instance.counterfeit_image, instance.counterfeit_marks))
    for image, marks in sides:
        if image:
            delete_after_commit(image.storage, derived_names(image.name, stored_marks(marks)))


@receiver(post_delete, sender=CounterfeitVariant, dispatch_uid="ipm.catalog.media.variant_deleted")
def _variant_deleted(sender, instance, **kwargs):
    delete_after_commit(instance.photo.storage, derived_names(instance.photo.name) if instance.photo else [])


@receiver(post_delete, sender=Brand, dispatch_uid="ipm.catalog.media.brand_deleted")
def _brand_deleted(sender, instance, **kwargs):
    delete_after_commit(instance.logo.storage, derived_names(instance.logo.name) if instance.logo else [])


def stored_marks(marks) -> list[dict]:
    """Marks as stored; anything malformed (written around the services) is skipped rather than crashing."""
    valid = []
    for mark in marks if isinstance(marks, list) else []:
        try:
            mark_key(mark)
        except (KeyError, TypeError, ValueError):
            continue
        valid.append(mark)
    return valid
