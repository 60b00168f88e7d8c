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

from contextlib import contextmanager
from dataclasses import dataclass

import zxingcpp
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from ipm.catalog import media

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
    with _as_photo_error():
        return media.read_upload(file)


def load_greyscale(data: bytes) -> Image.Image:
    """The photo's first frame in 8-bit greyscale, at most ``DECODE_PIXELS`` large. The catalogue's checks apply
    (format by content, pixel limit from the header, before a single pixel is decoded)."""
    with _as_photo_error():
        image = media.open_header(data, "image")
        width, height = image.size
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
            raise media.too_many_pixels_error("image") from error
        except Exception as error:  # truncated data, corrupt streams, odd modes
            raise media.damaged_error("image") from error
    if factor > 1:
        image = image.reduce(factor)
    return image


@contextmanager
def _as_photo_error():
    """The catalogue's picture errors (same checks, same translated words) as a ``PhotoError`` with its code."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        (problem,) = error.error_dict["image"]
        raise PhotoError(problem.messages[0], problem.code) from error


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
