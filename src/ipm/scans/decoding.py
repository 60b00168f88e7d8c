"""Server-side decoding of a photo of barcodes: the fallback when the browser cannot decode live.

A phone photo is large (12 megapixels and more) and the barcode in it small, tilted, sometimes upside down, so the
photo is read in greyscale at full resolution (a JPEG is decoded straight to greyscale, which also skips its
colour planes) and searched in two cheap passes, each limited to the symbologies that carry product codes:

* 1D codes (EAN/UPC, ITF-14, GS1-128, GS1 DataBar) in every direction (``try_rotate``): a photo taken upright of
  a pack lying down turns the bars by 90°, and looking for them is cheap;
* 2D codes (GS1 DataMatrix, QR) as they are: their finder patterns are found at any angle without rotating.

Only when neither finds anything does a third pass look for light-on-dark codes with another binarizer, so a photo
with a code costs two passes and an empty one three. ``bench/photo_decode.py`` measures it.

The picture is trusted for nothing, as in the catalogue's pipeline (``ipm.catalog.media``): the same size and
pixel limits (``IPM_MAX_UPLOAD_BYTES``, ``IPM_MAX_IMAGE_PIXELS``), the same accepted formats, identified by
content, and the pixel count checked from the header before anything is decoded. Nothing of it is stored.

What the parser (``ipm.gs1.parse_code``) is given is what a scanner in "AIM identifier" mode sends: the symbology
identifier followed by the content, with GS (0x1D) separating GS1 fields (``]d2010950…\\x1d21…``). That form
is unambiguous, unlike the bracketed text zxing can also give (a serial number may itself hold brackets).
"""

import io
from dataclasses import dataclass

import zxingcpp
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from ipm.catalog.media import ACCEPTED_FORMATS, HEIF_FORMATS, OPENERS, max_image_pixels, max_upload_bytes

# Symbologies that carry a GTIN, GS1 data or a GS1 Digital Link; anything else on a pack (a PDF417 on a shipping
# label, a Code 39 part number) would only add noise and time.
LINEAR_FORMATS = zxingcpp.barcode_formats_from_str(
    "EAN13,EAN8,UPCA,UPCE,ITF,Code128,DataBar,DataBarExpanded,DataBarLimited"
)
MATRIX_FORMATS = zxingcpp.barcode_formats_from_str("DataMatrix,QRCode")
# A bigger photo is decoded at a reduced scale: a barcode that needs more than 16 megapixels to be read would be
# unreadable to the eye as well, and time grows with the pixel count.
DECODE_PIXELS = 16_000_000
MAX_BARCODES = 20  # a photo of a whole shelf: the first twenty, in reading order
_TRANSPARENT_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


@dataclass(frozen=True)
class DecodedBarcode:
    """One barcode found in a photo. ``text`` is its content (GS1 fields separated by GS), ``format`` the
    symbology's name ("EAN-13", "Data Matrix"), ``symbology`` its AIM identifier ("]E0", "]d2")."""

    text: str
    format: str
    symbology: str

    @property
    def code(self) -> str:
        """What the parser reads: the symbology identifier, then the content, as a scanner sends it."""
        return f"{self.symbology}{self.text}"


class PhotoError(ValidationError):
    """A photo that cannot be decoded, with a translated message and a stable ``code``: ``empty``, ``too_large``,
    ``too_many_pixels``, ``not_an_image``, ``damaged`` or ``no_barcode``."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)


def decode_photo(file) -> list[DecodedBarcode]:
    """Every product barcode in the photo, in reading order (top to bottom, then left to right), without
    duplicates. ``file`` is an uploaded file, any binary file object, or bytes. Raises ``PhotoError``."""
    image = load_greyscale(read_bytes(file))
    barcodes = _read(image)
    if not barcodes:
        raise PhotoError(
            _(
                "No barcode was found in the photo. Take it again closer, with the whole barcode in the picture, "
                "sharp and without glare, or type the number printed under the barcode."
            ),
            "no_barcode",
        )
    return barcodes


def read_bytes(file) -> bytes:
    """The file's bytes, refusing an empty or oversized one before anything looks at its content."""
    limit = max_upload_bytes()
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file[: limit + 1])
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_large(limit)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1) or b""
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise PhotoError(_("The file is empty."), "empty")
    return data


def load_greyscale(data: bytes) -> Image.Image:
    """The photo's first frame in 8-bit greyscale, at most ``DECODE_PIXELS`` large. The pixel limit is checked on
    the header, before a single pixel is decoded (Pillow's own bomb guard only acts at twice its limit)."""
    try:
        image = Image.open(io.BytesIO(data), formats=OPENERS)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except Exception as error:  # any failure to parse untrusted bytes is the file's fault, never a 500
        raise _not_a_picture() from error
    if image.format not in ACCEPTED_FORMATS:
        raise _not_a_picture()
    width, height = image.size
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > max_image_pixels():
        raise _too_many_pixels(image.size)
    factor = 1
    while (width // factor) * (height // factor) > DECODE_PIXELS and factor < 8:
        factor *= 2
    try:
        image.seek(0)  # GIF, WebP, MPO: the first frame
        if image.format in {"JPEG", "MPO"}:
            # libjpeg decodes straight to greyscale, and to 1/2, 1/4 or 1/8 of the size when asked: far cheaper
            # than decoding the colour photo and converting it.
            image.draft("L", (-(-width // factor), -(-height // factor)))
            factor = 1
        image.load()
        image = _greyscale(image)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except Exception as error:  # truncated data, corrupt streams, odd modes
        raise _damaged() from error
    if factor > 1:
        image = image.reduce(factor)
    return image


def _greyscale(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in _TRANSPARENT_MODES or (image.mode == "P" and "transparency" in image.info):
        # Dark bars on a transparent background: transparent pixels are often black, so lay them on white.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("L")
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        return image.convert("F").point(lambda v: v / 256).convert("L")
    return image.convert("L")


def _read(image: Image.Image) -> list[DecodedBarcode]:
    text = zxingcpp.TextMode.Plain
    found = zxingcpp.read_barcodes(
        image, formats=LINEAR_FORMATS, text_mode=text, try_rotate=True, try_downscale=True, try_invert=False
    )
    found += zxingcpp.read_barcodes(
        image, formats=MATRIX_FORMATS, text_mode=text, try_rotate=False, try_downscale=True, try_invert=False
    )
    if not found:  # light on dark, or lighting the local binarizer could not cope with
        second_chance = {"text_mode": text, "try_invert": True, "binarizer": zxingcpp.Binarizer.GlobalHistogram}
        found = zxingcpp.read_barcodes(image, formats=LINEAR_FORMATS, try_rotate=True, **second_chance)
        found += zxingcpp.read_barcodes(image, formats=MATRIX_FORMATS, try_rotate=False, **second_chance)
    found.sort(key=_reading_order)
    barcodes, seen = [], set()
    for barcode in found:
        decoded = DecodedBarcode(
            text=barcode.text, format=str(barcode.format), symbology=barcode.symbology_identifier or ""
        )
        key = (decoded.symbology, decoded.text)
        if decoded.text and key not in seen:  # the same code twice (two identical packs) is one code
            seen.add(key)
            barcodes.append(decoded)
    return barcodes[:MAX_BARCODES]


def _reading_order(barcode) -> tuple[int, int]:
    position = barcode.position
    corners = (position.top_left, position.top_right, position.bottom_left, position.bottom_right)
    return min(point.y for point in corners), min(point.x for point in corners)


# --- Messages (the catalogue's words, so that translations are shared) -----------------------------------------


def _too_large(limit: int) -> PhotoError:
    return PhotoError(
        _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}, "too_large"
    )


def _not_a_picture() -> PhotoError:
    formats = "JPEG, PNG, WebP, GIF" + (", HEIC" if HEIF_FORMATS else "")
    return PhotoError(
        _("This file is not a picture IPM accepts. Upload a photo in one of these formats: %(formats)s.")
        % {"formats": formats},
        "not_an_image",
    )


def _too_many_pixels(size: tuple[int, int] | None = None) -> PhotoError:
    limit = {"limit": f"{max_image_pixels() / 1_000_000:g}"}
    if size is None:
        message = _("The picture has too many pixels; the limit is %(limit)s megapixels.") % limit
    else:
        message = _("The picture is too large (%(width)s × %(height)s pixels); the limit is %(limit)s megapixels.") % {
            "width": size[0],
            "height": size[1],
            **limit,
        }
    return PhotoError(message, "too_many_pixels")


def _damaged() -> PhotoError:
    return PhotoError(_("The picture could not be read: the file is damaged or incomplete."), "damaged")
