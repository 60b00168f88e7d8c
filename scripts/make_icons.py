"""Draws the web app icons (src/ipm/web/static/ipm/icons/) — run again if the design changes."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "src/ipm/web/static/ipm/icons"
BLUE = (11, 61, 145, 255)


def draw(size: int, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    pad = size * (0.2 if maskable else 0.04)
    if not maskable:
        d.rounded_rectangle([pad, pad, size - pad, size - pad], radius=size * 0.18, fill=BLUE)
    s = size - 2 * pad
    cx = size / 2
    top, bottom = pad + s * 0.16, pad + s * 0.86
    shield = [
        (cx - s * 0.3, top),
        (cx + s * 0.3, top),
        (cx + s * 0.3, pad + s * 0.52),
        (cx, bottom),
        (cx - s * 0.3, pad + s * 0.52),
    ]
    d.polygon(shield, fill=(255, 255, 255, 255))
    w = max(2, int(s * 0.07))
    d.line(
        [(cx - s * 0.15, pad + s * 0.48), (cx - s * 0.03, pad + s * 0.6), (cx + s * 0.17, pad + s * 0.36)],
        fill=(255, 191, 71, 255),
        width=w,
        joint="curve",
    )
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, False).save(OUT / "icon-192.png")
    draw(512, False).save(OUT / "icon-512.png")
    draw(512, True).save(OUT / "icon-maskable-512.png")
    print("icons written to", OUT)
