"""Pictures and videos of barcodes for the scanning tests: what a phone camera would film or photograph.

Chromium's fake camera (``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m``) plays a
YUV4MPEG2 file in a loop to ``getUserMedia``. The format is simple: one text header line, then for each frame the
line ``FRAME`` and the raw planes, here 4:2:0 — the full-size luma (Y) plane, then the two chroma planes (Cb, Cr)
at half the width and half the height.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from ipm.scans.printable_codes import barcode_image

FRAME_SIZE = (640, 480)
TABLE = (150, 140, 128)  # a brownish desk under the pack
PAPER = (246, 244, 238)


def scene(picture: Image.Image | None, size: tuple[int, int] = FRAME_SIZE, *, share: float = 0.55) -> Image.Image:
    """A camera's view of a label on a desk: the barcode (``picture``, None for a label without one) covering about
    ``share`` of the frame's width, a little soft, as through a phone lens."""
    width, height = size
    frame = Image.new("RGB", size, TABLE)
    draw = ImageDraw.Draw(frame)
    label = (int(width * 0.12), int(height * 0.1), int(width * 0.88), int(height * 0.9))
    draw.rounded_rectangle(label, radius=12, fill=PAPER)
    if picture is not None:
        code = picture.convert("RGB")
        scale = min(width * share / code.width, height * 0.7 / code.height)
        code = code.resize((round(code.width * scale), round(code.height * scale)), Image.Resampling.NEAREST)
        frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    return frame.filter(ImageFilter.GaussianBlur(0.6))


def write_y4m(path: Path, frame: Image.Image, *, frames: int = 8, fps: int = 15) -> Path:
    """A video of ``frames`` identical frames of ``frame`` (width and height even, as 4:2:0 needs)."""
    width, height = frame.size
    if width % 2 or height % 2:
        raise ValueError("4:2:0 video needs an even width and height")
    luma, blue, red = frame.convert("RGB").convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = luma.tobytes() + blue.resize(half, Image.Resampling.BOX).tobytes()
    planes += red.resize(half, Image.Resampling.BOX).tobytes()
    with path.open("wb") as video:
        # C420jpeg: 4:2:0 with chroma sited between the luma samples, as Pillow's JPEG-style YCbCr is.
        video.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _frame in range(frames):
            video.write(b"FRAME\n")
            video.write(planes)
    return path


def barcode_video(path: Path, content: str, format_name: str, *, gs1: bool = False) -> Path:
    return write_y4m(path, scene(barcode_image(content, format_name, gs1=gs1)))


def photo(content: str, format_name: str, *, gs1: bool = False, size=(1600, 1200)) -> bytes:
    """A JPEG photo of a label with the barcode on it, as a phone takes it."""
    buffer = io.BytesIO()
    scene(barcode_image(content, format_name, gs1=gs1), size, share=0.4).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
