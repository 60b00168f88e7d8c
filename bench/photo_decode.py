"""Server-side photo decoding (``ipm.scans.decoding.decode_photo``) on 12-megapixel phone-like photos.

    .venv/bin/python bench/photo_decode.py [--runs 15] [--save DIR]

Each photo is 4000 × 3000 pixels, a JPEG as a phone writes it (quality 90, about 2–4 MB): a cluttered, noisy,
unevenly lit background (a cardboard-like texture with edges and print-like marks) and, pasted small and tilted on
a white label, the barcode(s) of the scenario, blurred a little as a hand-held photo is. The barcodes are made by
zxing-cpp itself (``create_barcode``), so the bench needs no image files. Times are for the whole call: reading
the bytes, decoding the JPEG, finding and decoding the barcodes. Prints the median and p95 per scenario and over
all photos that hold a barcode, and checks that each photo gives back exactly the codes pasted on it.
"""

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import setup_django  # noqa: E402

WIDTH, HEIGHT = 4000, 3000

# (name, [(content, format, gs1, module size in pixels, angle in degrees, where as fractions of the photo)])
SCENARIOS = [
    ("EAN-13, small, tilted 7°", [("4006381333931", "EAN13", False, 4, 7, (0.42, 0.45))]),
    ("EAN-13, pack turned 90° (portrait photo)", [("7612345001012", "EAN13", False, 5, 88, (0.3, 0.2))]),
    (
        "GS1 DataMatrix with expiry, lot, serial, tilted -12°",
        [("(01)09506000134352(17)301231(10)ABC123(21)S12345", "DataMatrix", True, 9, -12, (0.6, 0.55))],
    ),
    (
        "GS1 Digital Link QR, tilted 20°",
        [("https://id.gs1.org/01/09506000134352/10/ABC123", "QRCode", False, 8, 20, (0.15, 0.6))],
    ),
    (
        "EAN-13 and GS1 DataMatrix on one pack",
        [
            ("7612345002019", "EAN13", False, 4, -4, (0.2, 0.3)),
            ("(01)07612345002019(21)A1B2C3D4", "DataMatrix", True, 8, 5, (0.65, 0.35)),
        ],
    ),
    ("GS1-128 (ITF-14 carton label)", [("(01)17612345002016(10)L2026", "Code128", True, 4, 3, (0.25, 0.4))]),
    ("no barcode", []),
]


def barcode_picture(content: str, format_name: str, gs1: bool, module: int) -> Image.Image:
    options = {"gs1": True} if gs1 else {}
    barcode = zxingcpp.create_barcode(content, zxingcpp.barcode_format_from_str(format_name), **options)
    bitmap = memoryview(zxingcpp.write_barcode_to_image(barcode, scale=module))
    return Image.frombytes("L", (bitmap.shape[1], bitmap.shape[0]), bytes(bitmap))


def background(rng: random.Random) -> Image.Image:
    """Cardboard-brown, noisy, lit from one side, with edges and print-like marks a detector must reject."""
    noise = Image.effect_noise((WIDTH // 2, HEIGHT // 2), 50).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    fine = Image.effect_noise((WIDTH, HEIGHT), 18)
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize((WIDTH, HEIGHT))
    grey = Image.blend(Image.blend(noise, fine, 0.5), light, 0.45)
    draw = ImageDraw.Draw(grey)
    for _ in range(60):  # box edges, tape, printed lines
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.line((x, y, x + rng.randint(-900, 900), y + rng.randint(-900, 900)), fill=rng.randint(20, 230), width=6)
    for _ in range(400):  # print-like specks and glyphs
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        size = rng.randint(6, 30)
        draw.rectangle((x, y, x + size, y + size // 2), fill=rng.randint(0, 90))
    return Image.merge("RGB", (grey, grey.point(lambda v: int(v * 0.82)), grey.point(lambda v: int(v * 0.6))))


def photo(codes, seed: int) -> bytes:
    rng = random.Random(seed)
    picture = background(rng)
    for content, format_name, gs1, module, angle, (fx, fy) in codes:
        code = barcode_picture(content, format_name, gs1, module)
        margin = 12 * module
        label = Image.new("L", (code.width + 2 * margin, code.height + 2 * margin), 242)
        label.paste(code, (margin, margin))
        mask = Image.new("L", label.size, 255).rotate(angle, expand=True)
        label = label.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=0)
        picture.paste(label.convert("RGB"), (int(fx * WIDTH), int(fy * HEIGHT)), mask)
    picture = picture.filter(ImageFilter.GaussianBlur(1.1))  # hand-held, slightly out of focus
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def expected_text(content: str, gs1: bool) -> str:
    """What the decoder gives back for a pasted code: GS1 content without brackets, GS between variable fields."""
    if not gs1:
        return content
    barcode = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    bitmap = memoryview(zxingcpp.write_barcode_to_image(barcode, scale=2))
    image = Image.frombytes("L", (bitmap.shape[1], bitmap.shape[0]), bytes(bitmap))
    return zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)[0].text


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="decodes of each photo (default 15)")
    parser.add_argument("--save", help="directory to write the generated photos to, to look at them")
    args = parser.parse_args()
    setup_django()
    from django.core.exceptions import ValidationError

    from ipm.scans.decoding import decode_photo

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} ", end="")
    print(f"{platform.python_version()}, zxing-cpp {metadata.version('zxing-cpp')}, Pillow {Image.__version__}")
    with_codes, failures = [], 0
    for number, (name, codes) in enumerate(SCENARIOS):
        data = photo(codes, seed=number)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            (Path(args.save) / f"photo-{number}.jpg").write_bytes(data)
        wanted = sorted(expected_text(content, gs1) for content, _f, gs1, *_rest in codes)
        times, found = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            try:
                found = sorted(barcode.text for barcode in decode_photo(data))
            except ValidationError:
                found = []
            times.append((time.perf_counter() - start) * 1000)
        ok = found == wanted
        failures += not ok
        if codes:
            with_codes += times
        print(
            f"{name:55} {len(data) / 1e6:4.1f} MB  median {statistics.median(times):4.0f} ms  "
            f"p95 {percentile(times, 0.95):4.0f} ms  {'found' if codes else 'none found'}: "
            f"{'yes' if ok else f'NO, got {found!r}'}"
        )
    print(
        f"\nAll {len(SCENARIOS) - 1} photos with barcodes, {len(with_codes)} decodes of {WIDTH}×{HEIGHT} JPEGs: "
        f"median {statistics.median(with_codes):.0f} ms, p95 {percentile(with_codes, 0.95):.0f} ms"
    )
    if failures:
        print(f"{failures} scenario(s) did not give back exactly the codes on the photo")
        sys.exit(1)


if __name__ == "__main__":
    main()
