"""Pictures for the demo catalogue, drawn with Pillow: product photos, brand logos, and genuine/counterfeit detail
pairs whose differences are the kind officers are trained to spot (a misspelt logo, blurred print, a wrong colour,
uneven stitching, a missing hologram, a look-alike CE mark…).

Everything is deterministic: the same arguments give the same pixels on the same machine (randomness comes from a
``random.Random`` seeded with the arguments). Each function returns JPEG bytes, which the demo hands to the
catalogue's media services like any upload, so thumbnails and mark crops are made by the real pipeline.

The texts drawn *into* the pictures (brand names, "Made in Italy", a composition label) are part of the pictured
product, like the print on a real photo, so they are not translated.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SIZE = 800
Colour = tuple[int, int, int]

WHITE: Colour = (250, 250, 248)
INK: Colour = (28, 28, 30)
GOLD: Colour = (196, 160, 82)
SILVER: Colour = (192, 196, 202)


# --- Basics -----------------------------------------------------------------------------------------------------


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))  # noqa: S311 - drawing, not secrets


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _lighter(colour: Colour, t: float) -> Colour:
    return _mix(colour, (255, 255, 255), t)


def _darker(colour: Colour, t: float) -> Colour:
    return _mix(colour, (0, 0, 0), t)


def _shift(colour: Colour, amount: tuple[int, int, int]) -> Colour:
    return tuple(max(0, min(255, c + d)) for c, d in zip(colour, amount, strict=True))


FONT_FILES = {
    ("sans", True): ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf"),
    ("sans", False): ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf"),
    ("serif", True): ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf", "NotoSerif-Bold.ttf"),
    ("serif", False): ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf"),
    ("mono", False): ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "NotoSansMono-Regular.ttf"),
}


@lru_cache(maxsize=256)
def font(size: int, face: str = "sans", bold: bool = False) -> ImageFont.ImageFont:
    """A system font when one is installed, else Pillow's own scalable font: the demo must run anywhere."""
    for name in FONT_FILES.get((face, bold), FONT_FILES[("sans", bold)]):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _text_centered(draw: ImageDraw.ImageDraw, xy, text: str, fnt, fill, spacing: int = 0) -> tuple[int, ...]:
    """Draw ``text`` centred on ``xy`` (optionally letter-spaced); returns its bounding box."""
    x, y = xy
    if not spacing:
        box = draw.textbbox((x, y), text, font=fnt, anchor="mm")
        draw.text((x, y), text, font=fnt, fill=fill, anchor="mm")
        return box
    widths = [draw.textlength(ch, font=fnt) for ch in text]
    total = sum(widths) + spacing * (len(text) - 1)
    left = x - total / 2
    for ch, width in zip(text, widths, strict=True):
        draw.text((left, y), ch, font=fnt, fill=fill, anchor="lm")
        left += width + spacing
    height = fnt.size if hasattr(fnt, "size") else 12
    return (round(x - total / 2), round(y - height / 2), round(x + total / 2), round(y + height / 2))


def _background(tint: Colour, seed: str, grain: bool = True) -> Image.Image:
    """A studio backdrop: a soft vertical gradient, with a little grain for the product photos (close-ups go
    without: grain costs the picture pipeline a fifth more time for detail nobody looks at)."""
    gradient = Image.linear_gradient("L").resize((SIZE, SIZE))
    top, bottom = _lighter(tint, 0.93), _lighter(tint, 0.72)
    channels = [gradient.point(lambda v, a=top[i], b=bottom[i]: a + (b - a) * v // 255) for i in range(3)]
    image = Image.merge("RGB", channels)
    return _grain(image, seed, 0.05) if grain else image


def _grain(image: Image.Image, seed: str, amount: float) -> Image.Image:
    rng = _rng("grain", seed)
    noise = Image.frombytes("L", (200, 200), rng.randbytes(200 * 200)).resize(image.size, Image.Resampling.BILINEAR)
    return Image.blend(image, Image.merge("RGB", [noise] * 3), amount)


def _shadow(image: Image.Image, box: tuple[int, int, int, int], strength: int = 110) -> None:
    """A blurred floor shadow under the object's box (drawn small and scaled up: blurring is cheap that way)."""
    small = Image.new("L", (SIZE // 4, SIZE // 4), 0)
    left, top, right, bottom = (v // 4 for v in box)
    ImageDraw.Draw(small).ellipse((left, top, right, bottom), fill=strength)
    small = small.filter(ImageFilter.GaussianBlur(6))
    mask = small.resize(image.size, Image.Resampling.BILINEAR)
    image.paste((40, 40, 40), (0, 0), mask)


def _jpeg(image: Image.Image, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _fraction(box) -> dict:
    """A pixel box as a mark: fractions of the picture, rounded, inside the picture."""
    left, top, right, bottom = (max(0, min(SIZE, v)) for v in box)
    return {
        "x": round(left / SIZE, 4),
        "y": round(top / SIZE, 4),
        "w": round((right - left) / SIZE, 4),
        "h": round((bottom - top) / SIZE, 4),
    }


def _pad(box, by: int):
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def misspell(word: str) -> str:
    """A plausible counterfeiter's misspelling: a doubled, swapped or replaced letter (AURELIA → AURELLA)."""
    letters = list(word)
    swaps = {"I": "L", "O": "0", "E": "F", "A": "R", "N": "M", "V": "U", "W": "VV", "T": "I", "R": "P", "X": "K"}
    for index in range(len(letters) - 2, 0, -1):
        replacement = swaps.get(letters[index].upper())
        if replacement and letters[index] != " ":
            letters[index] = replacement if letters[index].isupper() else replacement.lower()
            return "".join(letters)
    return word[::-1]


# --- EAN-13 (a real, scannable barcode on labels and packaging) -------------------------------------------------

EAN_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
EAN_G = tuple(code.translate(str.maketrans("01", "10"))[::-1] for code in EAN_L)
EAN_R = tuple(code.translate(str.maketrans("01", "10")) for code in EAN_L)
EAN_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def ean13_modules(gtin: str) -> str:
    """The 95 modules (1 = bar) of an EAN-13 symbol."""
    if len(gtin) != 13 or not gtin.isdigit():
        raise ValueError("an EAN-13 has 13 digits")
    parity = EAN_PARITY[int(gtin[0])]
    left = "".join((EAN_L if p == "L" else EAN_G)[int(d)] for p, d in zip(parity, gtin[1:7], strict=True))
    right = "".join(EAN_R[int(d)] for d in gtin[7:])
    return "101" + left + "01010" + right + "101"


def draw_ean13(draw: ImageDraw.ImageDraw, gtin: str, left: int, top: int, module: int = 3, height: int = 120) -> tuple:
    """Draw an EAN-13 with its human-readable digits, quiet zones included (on white); returns its box."""
    modules = ean13_modules(gtin)
    quiet = 11 * module
    width = quiet * 2 + 95 * module
    digits = font(max(12, int(module * 6.5)), "mono")
    draw.rectangle((left, top, left + width, top + height + module * 9), fill=(255, 255, 255))
    guards = {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}
    for index, bit in enumerate(modules):
        if bit == "1":
            x = left + quiet + index * module
            bottom = top + height + (module * 5 if index in guards else 0)
            draw.rectangle((x, top, x + module - 1, bottom), fill=(0, 0, 0))
    text_y = top + height + module * 5
    draw.text((left + quiet - module * 4, text_y), gtin[0], font=digits, fill=(0, 0, 0), anchor="mt")
    for index, digit in enumerate(gtin[1:]):  # each digit centred under its 7 modules
        start = 3 + index * 7 + (5 if index >= 6 else 0)
        x = left + quiet + (start + 3.5) * module
        draw.text((x, text_y), digit, font=digits, fill=(0, 0, 0), anchor="mt")
    return (left, top, left + width, top + height + module * 9)


# --- Products ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """How one product is drawn: its shape, colours and the name printed on it."""

    shape: str
    label: str
    colour: Colour
    accent: Colour = GOLD
    subtitle: str = ""
    fake: bool = False  # a seized counterfeit: misspelt name, off colours, cruder finish
    small_print: tuple = ()  # lines of a care or rating label, for close-ups of the print

    @property
    def printed_label(self) -> str:
        return misspell(self.label) if self.fake else self.label

    @property
    def body(self) -> Colour:
        return _shift(self.colour, (18, -10, -22)) if self.fake else self.colour


def _stitches(draw, points, colour, length=10, gap=7, width=3, jitter=0.0, rng=None):
    """A dashed seam along a polyline; ``jitter`` makes it uneven like a counterfeit's."""
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        distance = math.hypot(x2 - x1, y2 - y1)
        if distance == 0:
            continue
        ux, uy = (x2 - x1) / distance, (y2 - y1) / distance
        position = 0.0
        while position < distance:
            step = length * (1 + (rng.uniform(-jitter, jitter) if rng and jitter else 0))
            off = rng.uniform(-jitter, jitter) * 8 if rng and jitter else 0
            sx, sy = x1 + ux * position - uy * off, y1 + uy * position + ux * off
            ex, ey = sx + ux * step, sy + uy * step
            draw.line((sx, sy, ex, ey), fill=colour, width=width)
            position += step + gap * (1 + (rng.uniform(-jitter, jitter) * 1.5 if rng and jitter else 0))


def _scarf(image, draw, look: Look, rng):
    layer = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.rectangle((160, 160, 640, 640), fill=look.body + (255,))
    d.rectangle((160, 160, 640, 640), outline=look.accent + (255,), width=34)
    motif = _lighter(look.accent, 0.2)
    for row in range(5):
        for col in range(5):
            cx, cy = 230 + col * 85, 230 + row * 85
            if (row + col) % 2:
                d.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), outline=motif + (255,), width=6)
            else:
                d.regular_polygon((cx, cy, 20), 4, rotation=45, fill=_lighter(look.body, 0.35) + (255,))
    d.rectangle((160, 160, 640, 640), outline=_darker(look.accent, 0.35) + (255,), width=4)
    d.text((600, 612), look.printed_label, font=font(20, "serif", True), fill=INK + (255,), anchor="rm")
    layer = layer.rotate(rng.uniform(8, 14), resample=Image.Resampling.BICUBIC)
    _shadow(image, (170, 600, 650, 690))
    image.paste(layer, (0, 0), layer)


def _handbag(image, draw, look: Look, rng):
    _shadow(image, (150, 620, 650, 700))
    draw.arc((250, 140, 550, 440), 180, 360, fill=_darker(look.body, 0.25), width=26)
    draw.polygon([(170, 300), (630, 300), (680, 650), (120, 650)], fill=look.body)
    draw.polygon([(170, 300), (630, 300), (650, 430), (150, 430)], fill=_darker(look.body, 0.12))
    _stitches(draw, [(182, 312), (618, 312), (636, 420), (164, 420), (182, 312)], _lighter(look.body, 0.45))
    _stitches(draw, [(136, 636), (664, 636)], _lighter(look.body, 0.45))
    draw.rounded_rectangle((360, 395, 440, 455), 10, fill=look.accent, outline=_darker(look.accent, 0.3), width=3)
    draw.ellipse((388, 414, 412, 438), fill=_darker(look.accent, 0.35))
    _text_centered(draw, (400, 560), look.printed_label, font(34, "serif", True), _lighter(look.body, 0.55), 6)


def _wallet(image, draw, look: Look, rng):
    _shadow(image, (170, 560, 640, 640))
    draw.rounded_rectangle((170, 250, 630, 590), 28, fill=look.body)
    draw.rounded_rectangle((170, 250, 630, 400), 28, fill=_darker(look.body, 0.12))
    _stitches(draw, [(190, 270), (610, 270), (610, 570), (190, 570), (190, 270)], _lighter(look.body, 0.4))
    draw.line((172, 400, 628, 400), fill=_darker(look.body, 0.3), width=3)
    _text_centered(draw, (400, 485), look.printed_label, font(30, "serif", True), look.accent, 5)


def _belt(image, draw, look: Look, rng):
    _shadow(image, (80, 520, 720, 620))
    draw.rounded_rectangle((60, 430, 560, 520), 20, fill=look.body)
    _stitches(draw, [(80, 442), (560, 442)], _lighter(look.body, 0.4), width=2)
    _stitches(draw, [(80, 508), (560, 508)], _lighter(look.body, 0.4), width=2)
    for x in (150, 200, 250, 300):
        draw.ellipse((x - 8, 467, x + 8, 483), fill=_darker(look.body, 0.55))
    draw.rounded_rectangle((540, 380, 740, 570), 30, outline=look.accent, width=26)
    draw.rectangle((560, 465, 690, 485), fill=_darker(look.accent, 0.2))
    _text_centered(draw, (640, 610), look.printed_label, font(22, "serif", True), INK, 4)


def _sneaker(image, draw, look: Look, rng):
    _shadow(image, (110, 560, 700, 640))
    draw.rounded_rectangle((100, 520, 700, 590), 30, fill=(245, 245, 240), outline=(200, 200, 195), width=3)
    draw.polygon([(130, 525), (150, 400), (330, 330), (460, 330), (560, 420), (690, 470), (690, 525)], fill=look.body)
    draw.polygon([(330, 330), (460, 330), (500, 380), (300, 400)], fill=_lighter(look.body, 0.25))
    for i in range(5):
        x = 330 + i * 34
        draw.line((x, 340 + i * 6, x + 40, 372 + i * 6), fill=WHITE, width=7)
    draw.polygon([(250, 470), (560, 440), (600, 470), (260, 500)], fill=look.accent)
    _stitches(draw, [(140, 512), (690, 512)], _darker(look.body, 0.35), length=8, gap=6, width=2)
    _text_centered(draw, (410, 555), look.printed_label, font(24, "sans", True), (120, 120, 118), 8)


def _watch(image, draw, look: Look, rng, date_window=True):
    _shadow(image, (230, 640, 570, 720))
    strap = _darker(look.body, 0.1) if look.shape == "watch" else look.body
    draw.rounded_rectangle((320, 40, 480, 260), 30, fill=_darker(strap, 0.2))
    draw.rounded_rectangle((320, 540, 480, 760), 30, fill=_darker(strap, 0.2))
    metal = look.accent
    draw.ellipse((190, 190, 610, 610), fill=_darker(metal, 0.25))
    draw.ellipse((205, 205, 595, 595), fill=metal)
    draw.rectangle((604, 380, 640, 420), fill=_darker(metal, 0.15))
    dial = _lighter(look.colour, 0.05)
    draw.ellipse((235, 235, 565, 565), fill=dial)
    for hour in range(12):
        angle = math.radians(hour * 30)
        inner, outer = (130, 155) if hour % 3 else (118, 155)
        x1, y1 = 400 + inner * math.sin(angle), 400 - inner * math.cos(angle)
        x2, y2 = 400 + outer * math.sin(angle), 400 - outer * math.cos(angle)
        draw.line((x1, y1, x2, y2), fill=metal, width=8 if hour % 3 == 0 else 4)
    offset = 14 if look.fake else 0
    _text_centered(draw, (400 + offset, 318), look.printed_label, font(22, "serif", True), _lighter(metal, 0.2), 3)
    if look.subtitle:
        _text_centered(draw, (400, 470), look.subtitle, font(14, "sans"), _lighter(metal, 0.4), 2)
    if date_window:
        draw.rectangle((500, 385 + (6 if look.fake else 0), 540, 415 + (6 if look.fake else 0)), fill=WHITE)
        draw.text((520, 400 + (6 if look.fake else 0)), "14", font=font(20, "sans", True), fill=INK, anchor="mm")
    draw.line((400, 400, 400 + 100 * math.sin(1.0), 400 - 100 * math.cos(1.0)), fill=_lighter(metal, 0.3), width=9)
    draw.line((400, 400, 400 + 140 * math.sin(4.2), 400 - 140 * math.cos(4.2)), fill=_lighter(metal, 0.3), width=6)
    draw.ellipse((390, 390, 410, 410), fill=metal)


def _strap(image, draw, look: Look, rng):
    _shadow(image, (160, 620, 640, 700))
    draw.rounded_rectangle((200, 120, 330, 640), 40, fill=look.body)
    draw.rounded_rectangle((470, 160, 600, 680), 40, fill=look.body)
    for x0 in (200, 470):
        _stitches(draw, [(x0 + 14, 150), (x0 + 14, 620)], _lighter(look.body, 0.45), width=2)
        _stitches(draw, [(x0 + 116, 150), (x0 + 116, 620)], _lighter(look.body, 0.45), width=2)
    for y in (330, 390, 450, 510):
        draw.ellipse((523, y, 547, y + 24), fill=_darker(look.body, 0.55))
    draw.rounded_rectangle((180, 560, 350, 660), 20, outline=look.accent, width=20)
    _text_centered(draw, (265, 260), look.printed_label[:1], font(60, "serif", True), look.accent)


def _perfume(image, draw, look: Look, rng):
    _shadow(image, (230, 660, 570, 730))
    glass = _lighter(look.colour, 0.35)
    draw.rounded_rectangle((250, 280, 550, 690), 40, fill=glass, outline=_darker(glass, 0.25), width=6)
    draw.rounded_rectangle((268, 360, 532, 672), 30, fill=look.body)
    draw.rectangle((275, 300, 300, 640), fill=_lighter(glass, 0.5))
    draw.rectangle((360, 230, 440, 285), fill=_darker(look.accent, 0.1))
    draw.rounded_rectangle((320, 130, 480, 235), 16, fill=look.accent, outline=_darker(look.accent, 0.3), width=4)
    draw.rectangle((300, 450, 500, 580), fill=(248, 244, 236), outline=_darker(look.accent, 0.2), width=3)
    _text_centered(draw, (400, 490), look.printed_label, font(26, "serif", True), INK, 4)
    if look.subtitle:
        _text_centered(draw, (400, 540), look.subtitle, font(16, "serif"), (90, 80, 70), 1)


def _candle(image, draw, look: Look, rng):
    _shadow(image, (200, 640, 600, 720))
    draw.rounded_rectangle((220, 260, 580, 680), 24, fill=_lighter(look.body, 0.15), outline=_darker(look.body, 0.3))
    draw.ellipse((220, 230, 580, 300), fill=(240, 232, 214), outline=_darker(look.body, 0.2), width=4)
    draw.line((400, 265, 400, 235), fill=INK, width=5)
    draw.rectangle((250, 420, 550, 560), fill=(248, 244, 236))
    _text_centered(draw, (400, 470), look.printed_label, font(26, "serif", True), INK, 4)
    if look.subtitle:
        _text_centered(draw, (400, 520), look.subtitle, font(16, "serif"), (90, 80, 70))


def _lotion(image, draw, look: Look, rng):
    _shadow(image, (260, 660, 540, 730))
    draw.rounded_rectangle((280, 250, 520, 690), 60, fill=look.body, outline=_darker(look.body, 0.2), width=4)
    draw.rectangle((355, 160, 445, 255), fill=look.accent)
    draw.rectangle((385, 110, 415, 160), fill=_darker(look.accent, 0.2))
    draw.rectangle((300, 110, 400, 135), fill=_darker(look.accent, 0.2))
    for index, word in enumerate(look.printed_label.split()):
        _text_centered(draw, (400, 400 + index * 36), word, font(26, "serif", True), (255, 255, 255), 4)
    if look.subtitle:
        _text_centered(draw, (400, 490), look.subtitle, font(16, "serif"), _lighter(look.body, 0.7))


def _carton(image, draw, look: Look, rng):
    _shadow(image, (160, 620, 680, 700))
    draw.polygon([(160, 260), (560, 260), (660, 190), (260, 190)], fill=(232, 234, 236))
    draw.polygon([(560, 260), (660, 190), (660, 600), (560, 670)], fill=(205, 208, 212))
    draw.rectangle((160, 260, 560, 670), fill=(250, 251, 252))
    draw.rectangle((160, 260, 560, 330), fill=look.body)
    draw.polygon([(160, 600), (560, 560), (560, 670), (160, 670)], fill=look.accent)
    _text_centered(draw, (360, 295), look.printed_label, font(30, "sans", True), (255, 255, 255), 3)
    lines = (look.subtitle or "").split("|")
    for index, line in enumerate(lines):
        _text_centered(draw, (360, 400 + index * 46), line, font(32 if index == 0 else 24, "sans", index == 0), INK)
    draw.rectangle((580, 300, 640, 360), fill=_lighter(look.body, 0.3))


def _blister(image, draw, look: Look, rng):
    _shadow(image, (170, 620, 640, 700))
    draw.rounded_rectangle((170, 180, 630, 640), 24, fill=SILVER, outline=(150, 154, 160), width=4)
    for row in range(3):
        for col in range(4):
            cx, cy = 240 + col * 107, 270 + row * 140
            if look.shape == "blister-capsule":
                draw.rounded_rectangle((cx - 28, cy - 52, cx + 28, cy + 52), 28, fill=(236, 238, 240))
                draw.rounded_rectangle((cx - 20, cy - 44, cx + 20, cy + 2), 20, fill=look.body)
                draw.rounded_rectangle((cx - 20, cy - 2, cx + 20, cy + 44), 20, fill=_lighter(look.body, 0.6))
            else:
                draw.ellipse((cx - 42, cy - 42, cx + 42, cy + 42), fill=(236, 238, 240))
                draw.ellipse((cx - 32, cy - 32, cx + 32, cy + 32), fill=_lighter(look.body, 0.85))
            draw.arc((cx - 40, cy - 50, cx + 10, cy), 200, 280, fill=(255, 255, 255), width=5)
    _text_centered(draw, (400, 615), look.printed_label, font(18, "sans", True), (70, 74, 80), 4)


def _pen(image, draw, look: Look, rng):
    _shadow(image, (110, 480, 700, 560))
    draw.rounded_rectangle((100, 360, 560, 450), 40, fill=(240, 242, 244), outline=(180, 184, 190), width=3)
    draw.rounded_rectangle((540, 350, 720, 460), 30, fill=look.body)
    draw.rectangle((360, 380, 430, 430), fill=(40, 44, 52))
    draw.text((395, 405), "40", font=font(24, "mono"), fill=(240, 240, 240), anchor="mm")
    draw.rectangle((150, 372, 330, 438), fill=look.accent)
    _text_centered(draw, (240, 405), look.printed_label, font(22, "sans", True), (255, 255, 255), 2)
    draw.rounded_rectangle((60, 385, 110, 425), 10, fill=look.body)


def _sachets(image, draw, look: Look, rng):
    _shadow(image, (150, 620, 650, 700))
    for index, (dx, dy, angle) in enumerate(((-60, 20, -8), (40, -10, 5), (0, 0, 0))):
        layer = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        d.rectangle((250, 190, 550, 610), fill=(250, 250, 250, 255), outline=(200, 200, 200, 255), width=3)
        d.rectangle((250, 190, 550, 300), fill=look.body + (255,))
        for y in (196, 604):
            d.line((254, y, 546, y), fill=(210, 210, 210, 255), width=8)
        if index == 2:
            _text_centered(d, (400, 245), look.printed_label, font(28, "sans", True), (255, 255, 255, 255), 3)
            for row, line in enumerate((look.subtitle or "").split("|")):
                _text_centered(d, (400, 380 + row * 40), line, font(24, "sans", row == 0), INK + (255,))
        layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, translate=(dx, dy))
        image.paste(layer, (0, 0), layer)


def _charger(image, draw, look: Look, rng):
    _shadow(image, (220, 620, 600, 700))
    draw.rectangle((320, 120, 340, 230), fill=SILVER)
    draw.rectangle((460, 120, 480, 230), fill=SILVER)
    draw.ellipse((318, 110, 342, 134), fill=SILVER)
    draw.ellipse((458, 110, 482, 134), fill=SILVER)
    draw.rounded_rectangle((220, 220, 580, 660), 60, fill=look.body, outline=_darker(look.body, 0.12), width=4)
    draw.rounded_rectangle((240, 240, 560, 300), 30, fill=_lighter(look.body, 0.3))
    for y in (520, 585):
        draw.rounded_rectangle((350, y, 450, y + 30), 15, fill=(40, 42, 46))
        draw.rounded_rectangle((368, y + 10, 432, y + 20), 5, fill=(120, 124, 130))
    _text_centered(draw, (400, 420), look.printed_label, font(40, "sans", True), look.accent, 6)
    if look.subtitle:
        _text_centered(draw, (400, 470), look.subtitle, font(20, "sans"), _darker(look.body, 0.45), 2)


def _powerbank(image, draw, look: Look, rng):
    _shadow(image, (180, 640, 620, 720))
    draw.rounded_rectangle((230, 120, 570, 680), 50, fill=look.body, outline=_darker(look.body, 0.3), width=4)
    for index in range(4):
        colour = look.accent if index < 3 else _darker(look.body, 0.4)
        draw.ellipse((350 + index * 28, 600, 366 + index * 28, 616), fill=colour)
    draw.rounded_rectangle((355, 640, 445, 662), 11, fill=(30, 30, 34))
    _text_centered(draw, (400, 360), look.printed_label, font(40, "sans", True), look.accent, 6)
    if look.subtitle:
        _text_centered(draw, (400, 410), look.subtitle, font(22, "sans"), _lighter(look.body, 0.55), 2)


def _cable(image, draw, look: Look, rng):
    _shadow(image, (150, 600, 650, 700))
    for index in range(5):
        inset = index * 28
        draw.ellipse((170 + inset, 170 + inset, 630 - inset, 630 - inset), outline=look.body, width=16)
    draw.line((630, 400, 700, 220), fill=look.body, width=16)
    draw.line((170, 400, 110, 600), fill=look.body, width=16)
    for x, y in ((700, 220), (110, 600)):
        draw.rounded_rectangle((x - 26, y - 50, x + 26, y + 50), 14, fill=(200, 204, 210), outline=(120, 124, 130))
        draw.rounded_rectangle((x - 14, y - 82, x + 14, y - 48), 8, fill=SILVER)
    _text_centered(draw, (400, 400), look.printed_label, font(30, "sans", True), look.accent, 6)


def _earbuds(image, draw, look: Look, rng):
    _shadow(image, (200, 620, 600, 700))
    draw.rounded_rectangle((230, 300, 570, 650), 90, fill=look.body, outline=_darker(look.body, 0.18), width=4)
    draw.line((236, 420, 564, 420), fill=_darker(look.body, 0.2), width=4)
    draw.ellipse((390, 540, 410, 560), fill=look.accent)
    for x in (300, 500):
        draw.ellipse((x - 45, 140, x + 45, 230), fill=look.body, outline=_darker(look.body, 0.2), width=3)
        draw.rounded_rectangle((x - 14, 200, x + 14, 320), 14, fill=look.body, outline=_darker(look.body, 0.2))
    _text_centered(draw, (400, 500), look.printed_label, font(28, "sans", True), _darker(look.body, 0.45), 6)


SHAPES: dict[str, Callable] = {
    "scarf": _scarf,
    "handbag": _handbag,
    "wallet": _wallet,
    "belt": _belt,
    "sneaker": _sneaker,
    "watch": _watch,
    "strap": _strap,
    "perfume": _perfume,
    "candle": _candle,
    "lotion": _lotion,
    "carton": _carton,
    "blister": _blister,
    "blister-capsule": _blister,
    "pen": _pen,
    "sachets": _sachets,
    "charger": _charger,
    "powerbank": _powerbank,
    "cable": _cable,
    "earbuds": _earbuds,
}


def product_photo(
    look: Look, *, view: str = "front", name: str = "", gtin: str = "", code: str = "", details: tuple = ()
) -> bytes:
    """A photo of the product: ``front`` (the product itself), ``packaging`` (its box, with the barcode) or
    ``label`` (a close-up of the label: name, the ``details`` lines of small print, code and barcode)."""
    seed = (look.shape, look.label, look.colour, view, name, gtin, look.fake)
    rng = _rng(*seed)
    image = _background(look.colour if view == "front" else (222, 220, 214), str(seed))
    draw = ImageDraw.Draw(image)
    if view == "packaging":
        _packaging(image, draw, look, name, gtin)
    elif view == "label":
        _label(image, draw, look, name, gtin, code, details)
    else:
        SHAPES[look.shape](image, draw, look, rng)
    if look.fake:
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    return _jpeg(image)


def _packaging(image, draw, look: Look, name: str, gtin: str) -> None:
    _shadow(image, (130, 640, 690, 720))
    box = look.body if look.shape not in {"carton", "blister", "blister-capsule", "pen", "sachets"} else WHITE
    draw.polygon([(130, 250), (570, 250), (690, 170), (250, 170)], fill=_lighter(box, 0.2))
    draw.polygon([(570, 250), (690, 170), (690, 600), (570, 680)], fill=_darker(box, 0.2))
    draw.rectangle((130, 250, 570, 680), fill=box)
    draw.rectangle((130, 250, 570, 680), outline=look.accent, width=8)
    ink = (255, 255, 255) if sum(box) < 380 else INK
    _text_centered(draw, (350, 330), look.printed_label, font(40, "serif", True), look.accent, 6)
    for index, line in enumerate(_wrap(name, 24)[:2]):
        _text_centered(draw, (350, 392 + index * 34), line, font(24, "serif"), ink)
    if gtin:
        draw_ean13(draw, gtin, 190, 470, module=3, height=120)


def _label(image, draw, look: Look, name: str, gtin: str, code: str, details: tuple) -> None:
    _shadow(image, (110, 650, 700, 720))
    draw.rounded_rectangle((100, 110, 700, 690), 12, fill=(252, 251, 247), outline=(190, 188, 180), width=3)
    draw.rectangle((100, 110, 700, 190), fill=look.body)
    _text_centered(draw, (400, 150), look.printed_label, font(38, "serif", True), look.accent, 8)
    for index, line in enumerate(_wrap(name, 36)[:2]):
        draw.text((140, 220 + index * 34), line, font=font(26, "sans", True), fill=INK)
    small = font(20, "sans")
    for row, text in enumerate(details[:5]):
        draw.text((140, 300 + row * 32), text, font=small, fill=(70, 70, 72))
    if code:
        draw.text((140, 600), code, font=font(22, "mono"), fill=INK)
    if gtin:
        draw_ean13(draw, gtin, 370, 470, module=3, height=130)


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def logo(name: str, colour: Colour, accent: Colour = GOLD, *, face: str = "serif") -> bytes:
    """A brand's wordmark with a monogram, on white."""
    image = Image.new("RGB", (SIZE, SIZE // 2), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 70, 300, 330), fill=colour)
    draw.ellipse((58, 88, 282, 312), outline=accent, width=6)
    _text_centered(draw, (170, 200), name[:1].upper(), font(140, face, True), accent)
    words = name.upper().split()
    size = 64 if len(name) <= 10 else 44
    _text_centered(draw, (550, 180 if len(words) > 1 else 200), words[0], font(size, face, True), colour, 6)
    if len(words) > 1:
        _text_centered(draw, (550, 250), " ".join(words[1:]), font(size - 16, face), accent, 8)
    return _jpeg(image, 92)


# --- Genuine / counterfeit detail pairs -------------------------------------------------------------------------


@dataclass(frozen=True)
class CluePair:
    genuine: bytes
    counterfeit: bytes
    genuine_marks: list
    counterfeit_marks: list


def clue_pair(detail: str, look: Look, *, marks: bool = True) -> CluePair:
    """A close-up of the same detail on a genuine article and on a counterfeit. ``detail``: one of ``DETAILS``."""
    rng = _rng("clue", detail, look.label, look.colour)
    pictures, boxes = [], []
    for genuine in (True, False):
        image = _background(_lighter(look.colour, 0.3), f"{detail}{look.label}{genuine}", grain=False)
        draw = ImageDraw.Draw(image)
        box = DETAILS[detail](image, draw, look, genuine, random.Random(rng.random()))  # noqa: S311
        if isinstance(box, tuple) and isinstance(box[0], Image.Image):
            image, box = box
        pictures.append(_jpeg(image))
        boxes.append([_fraction(_pad(box, 14))] if marks and box else [])
    return CluePair(pictures[0], pictures[1], boxes[0], boxes[1])


def _detail_logo(image, draw, look: Look, genuine: bool, rng):
    """The name on the product: misspelt, and in a slightly different typeface, on the fake."""
    draw.rectangle((0, 220, SIZE, 580), fill=look.colour)
    text = look.label if genuine else misspell(look.label)
    face, spacing = ("serif", 14) if genuine else ("sans", 8)
    size = 96
    while size > 24 and draw.textlength(text, font=font(size, face, True)) + spacing * len(text) > SIZE - 100:
        size -= 6  # long names (MAISON VERRE) must fit in the picture
    return _text_centered(draw, (400, 400), text, font(size, face, True), look.accent, spacing)


_MEDICINE_PRINT = ["LOT NW24A117", "EXP 2027-09", "STORE BELOW 25 °C", "Rx ONLY"]
_ELECTRONICS_PRINT = ["INPUT 100-240V~ 50/60Hz 1.5A", "OUTPUT 5V 3A / 20V 3.25A", "MODEL VX-65C", "S/N VX2407118842"]
_COSMETICS_PRINT = ["GRASSE - FRANCE", "LOT MV24-0917", "FLAMMABLE", "KEEP AWAY FROM HEAT"]
_LEATHER_PRINT = ["GENUINE LEATHER", "MADE IN FRANCE", "N° 0A2417-118", "AURELIA GENEVE"]
DEFAULT_SMALL_PRINT = {
    "scarf": ["100% SILK - SOIE - SEDA", "MADE IN ITALY", "LOT 24-1187 B", "DRY CLEAN ONLY"],
    **dict.fromkeys(("handbag", "wallet", "belt", "sneaker", "strap"), _LEATHER_PRINT),
    "watch": ["SWISS MADE", "REF 2046", "WATER RESISTANT 100 M", "SAPPHIRE CRYSTAL"],
    **dict.fromkeys(("perfume", "candle", "lotion"), _COSMETICS_PRINT),
    **dict.fromkeys(("carton", "blister", "blister-capsule", "pen", "sachets"), _MEDICINE_PRINT),
    **dict.fromkeys(("charger", "powerbank", "cable", "earbuds"), _ELECTRONICS_PRINT),
}


def _detail_print(image, draw, look: Look, genuine: bool, rng):
    """Small print (a care label, a batch code): crisp on the genuine, blurred and smudged on the fake."""
    draw.rounded_rectangle((120, 160, 680, 640), 10, fill=(250, 249, 244), outline=(200, 196, 186), width=3)
    _text_centered(draw, (400, 230), look.label, font(46, "serif", True), INK, 6)
    lines = [*look.small_print][:4] or DEFAULT_SMALL_PRINT.get(look.shape, DEFAULT_SMALL_PRINT["scarf"])
    for index, line in enumerate(lines):
        draw.text((170, 310 + index * 72), line, font=font(34, "sans", index == 0), fill=INK)
    box = (160, 290, 660, 610)
    if not genuine:
        region = image.crop(box).filter(ImageFilter.GaussianBlur(3.2))
        region = ImageChops.multiply(region, Image.new("RGB", region.size, (235, 225, 215)))
        image.paste(region, box[:2])
    return box


def _detail_colour(image, draw, look: Look, genuine: bool, rng):
    """The printed pattern: in the genuine colours, or hue-shifted and duller on the fake."""
    body = look.colour if genuine else _mix(_shift(look.colour, (40, 10, -40)), (128, 128, 128), 0.35)
    accent = look.accent if genuine else _mix(_shift(look.accent, (-30, 20, 40)), (128, 128, 128), 0.3)
    draw.rectangle((60, 60, 740, 740), fill=body)
    draw.rectangle((60, 60, 740, 740), outline=accent, width=60)
    for row in range(4):
        for col in range(4):
            cx, cy = 205 + col * 130, 205 + row * 130
            draw.ellipse((cx - 40, cy - 40, cx + 40, cy + 40), outline=accent, width=12)
    return (150, 150, 390, 390)


def _detail_stitching(image, draw, look: Look, genuine: bool, rng):
    """A seam: even, straight and parallel on the genuine; uneven, wavy and in the wrong thread on the fake."""
    draw.rectangle((0, 180, SIZE, 620), fill=look.body)
    draw.rectangle((0, 395, SIZE, 405), fill=_darker(look.body, 0.35))
    thread = _lighter(look.body, 0.55) if genuine else _shift(_lighter(look.body, 0.4), (30, 30, -20))
    for y in (300, 500):
        _stitches(draw, [(40, y), (760, y)], thread, 28, 16, 8, 0.0 if genuine else 0.35, rng)
    return (40, 270, 760, 530)


def _detail_hologram(image, draw, look: Look, genuine: bool, rng):
    """The holographic security label: rainbow foil with a crisp emblem; a flat grey sticker on the fake."""
    draw.rounded_rectangle((100, 150, 700, 650), 20, fill=(250, 250, 250), outline=(200, 200, 200), width=3)
    _text_centered(draw, (400, 210), look.label, font(40, "serif", True), INK, 6)
    box = (270, 290, 530, 550)
    if genuine:
        hues = Image.linear_gradient("L").rotate(35).resize((260, 260))
        rainbow = Image.merge("HSV", (hues, Image.new("L", (260, 260), 150), Image.new("L", (260, 260), 235)))
        mask = Image.new("L", (260, 260), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, 259, 259), fill=255)
        image.paste(rainbow.convert("RGB"), box[:2], mask)
        draw.ellipse(box, outline=(160, 160, 170), width=4)
        _text_centered(draw, (400, 420), look.label[:1], font(120, "serif", True), (255, 255, 255))
        draw.text((400, 600), "AUTHENTIC", font=font(22, "sans", True), fill=(90, 90, 96), anchor="mm")
    else:
        draw.ellipse(box, fill=(178, 180, 184), outline=(150, 150, 150), width=2)
        _text_centered(draw, (400, 420), look.label[:1], font(110, "sans", True), (205, 205, 208))
        draw.text((400, 600), "AUTHENTIC", font=font(22, "sans"), fill=(130, 130, 134), anchor="mm")
    return box


def _detail_engraving(image, draw, look: Look, genuine: bool, rng):
    """Engraved metal (a clasp, a buckle, a caseback): deep and centred, or shallow, blurred and off-centre."""
    metal = look.accent if look.accent != GOLD or look.shape != "watch" else GOLD
    draw.ellipse((120, 120, 680, 680), fill=_darker(metal, 0.2))
    draw.ellipse((140, 140, 660, 660), fill=metal)
    for radius in range(250, 40, -18):
        draw.ellipse((400 - radius, 400 - radius, 400 + radius, 400 + radius), outline=_lighter(metal, 0.08), width=1)
    offset = (0, 0) if genuine else (26, -18)
    fnt = font(62, "serif", True) if genuine else font(54, "serif")
    colour = _darker(metal, 0.45) if genuine else _darker(metal, 0.22)
    box = _text_centered(draw, (400 + offset[0], 380 + offset[1]), look.label, fnt, colour, 6)
    ref = "REF 2046 · N° 018842" if genuine else "REF 2046 · N° 000001"
    draw.text((400 + offset[0], 470 + offset[1]), ref, font=font(26, "mono"), fill=colour, anchor="mm")
    if not genuine:
        region = (180, 300, 620, 520)
        image.paste(image.crop(region).filter(ImageFilter.GaussianBlur(2.2)), region[:2])
    return (box[0], box[1], box[2], box[3] + 110)


def _detail_dial(image, draw, look: Look, genuine: bool, rng):
    """The watch dial: the logo centred under 12 and the date window square to the indices; on the fake, the
    logo is off-centre and the date sits low in its window, in a different typeface."""
    _watch(image, draw, Look("watch", look.label, look.colour, look.accent, look.subtitle, fake=not genuine), rng)
    left, top, side = 215, 215, 370
    crop = image.crop((left, top, left + side, top + side)).resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    scale = SIZE / side  # the logo under 12 and the date at 3, in the enlarged picture's coordinates
    box = tuple(round((v - o) * scale) for v, o in zip((310, 295, 550, 430), (left, top, left, top), strict=True))
    return crop, box


def _detail_ce(image, draw, look: Look, genuine: bool, rng):
    """The rating label of a charger: a true CE mark (letters on two circles) and correct spelling; the fake's
    letters touch ("China Export" look-alike) and the label has typos."""
    draw.rounded_rectangle((80, 120, 720, 680), 40, fill=_lighter(look.body, 0.1), outline=(190, 190, 190), width=4)
    lines = (
        ["Input: 100-240V~ 50/60Hz 1.7A", "Output: 5V⎓3A 9V⎓3A 20V⎓3.25A", "Model: VX-65C"]
        if genuine
        else ["Imput: 100-240V~ 50/60Hz 1.7A", "Ouptut: 5V⎓3A 9V⎓3A 20V⎓3.25A", "Model: VX-65C"]
    )
    for index, line in enumerate(lines):
        draw.text((130, 170 + index * 56), line.replace("⎓", "="), font=font(32, "sans"), fill=(70, 70, 72))
    ink = (60, 60, 62)
    top, height = 400, 180
    radius = height // 2
    if genuine:
        # CE per Regulation 765/2008: each letter is a half-circle; their circles are a radius apart.
        c_centre, e_centre = 250 + radius, 250 + radius * 3
    else:
        c_centre, e_centre = 250 + radius, 250 + int(radius * 2.1)
    for centre in (c_centre, e_centre):
        draw.arc((centre - radius, top, centre + radius, top + height), 90, 270, fill=ink, width=26)
    draw.line((e_centre - radius + 10, top + radius, e_centre - 6, top + radius), fill=ink, width=22)
    draw.rectangle((560, 420, 660, 560), outline=ink, width=8)
    draw.line((560, 420, 660, 560), fill=ink, width=8)
    box = (c_centre - radius - 10, top - 10, e_centre + 10, top + height + 10)
    return box


def _detail_foil(image, draw, look: Look, genuine: bool, rng):
    """The blister's foil: the brand repeated in a regular pattern with an embossed batch code; the fake's
    pattern is irregular and the batch code missing."""
    draw.rectangle((60, 60, 740, 740), fill=SILVER)
    small = font(28, "sans", True)
    for row in range(7):
        for col in range(3):
            dx = 0 if genuine else rng.randint(-24, 24)
            dy = 0 if genuine else rng.randint(-10, 10)
            text = look.label if genuine else misspell(look.label)
            x = 90 + col * 220 + (90 if row % 2 else 0) + dx
            draw.text((x, 100 + row * 64 + dy), text, font=small, fill=(120, 124, 132))
    box = (200, 560, 600, 660)
    if genuine:
        draw.rectangle(box, fill=_lighter(SILVER, 0.2))
        draw.text((400, 610), "LOT NW24A117  EXP 09/2027", font=font(26, "mono"), fill=(70, 72, 78), anchor="mm")
    else:
        draw.rectangle(box, fill=_darker(SILVER, 0.05))
    return box


def _detail_seal(image, draw, look: Look, genuine: bool, rng):
    """The carton's tamper-evident seal: a perforated seal printed with the brand; a plain sticker on the fake."""
    draw.rectangle((0, 0, SIZE, SIZE), fill=(248, 249, 250))
    draw.rectangle((0, 0, SIZE, 160), fill=look.body)
    _text_centered(draw, (400, 80), look.label, font(54, "sans", True), (255, 255, 255), 6)
    box = (220, 300, 580, 520)
    if genuine:
        draw.rectangle(box, fill=look.accent)
        for x in range(box[0] + 10, box[2] - 10, 22):
            draw.ellipse((x, box[1] + 16, x + 8, box[1] + 24), fill=(248, 249, 250))
            draw.ellipse((x, box[3] - 24, x + 8, box[3] - 16), fill=(248, 249, 250))
        _text_centered(draw, (400, 400), "SEALED", font(30, "sans", True), (255, 255, 255), 4)
        _text_centered(draw, (400, 440), look.label, font(20, "sans", True), (255, 255, 255), 2)
    else:
        draw.rectangle(box, fill=_mix(look.accent, (200, 200, 200), 0.5))
        _text_centered(draw, (400, 410), "SEALED", font(30, "sans"), (255, 255, 255))
    return box


DETAILS: dict[str, Callable] = {
    "logo": _detail_logo,
    "print": _detail_print,
    "colour": _detail_colour,
    "stitching": _detail_stitching,
    "hologram": _detail_hologram,
    "engraving": _detail_engraving,
    "dial": _detail_dial,
    "ce": _detail_ce,
    "foil": _detail_foil,
    "seal": _detail_seal,
}
