"""The media pipeline: real picture files made with Pillow, stored in a temporary MEDIA_ROOT, read back and
served through the /media/ view. No mocks: what is asserted is what lands on disk and what a browser receives."""

import io
import json
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image, ImageCms, TiffImagePlugin

from ipm.catalog import media, media_services, services
from ipm.catalog.models import Brand, Clue, CounterfeitVariant, ProductPhoto, ProductRevision

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MODEL = 0x0110


# --- Pictures made for the tests --------------------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """As a browser sends it: the name and type are the sender's claims, which IPM must not believe."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def two_colours(size=(200, 100), left="red", right="blue") -> Image.Image:
    """Left half one colour, right half another: shows which way a picture was turned."""
    image = Image.new("RGB", size, left)
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def spy_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[MODEL] = "SpyCam 3000"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[3] = "N", "E"
    gps[2] = (TiffImagePlugin.IFDRational(48), TiffImagePlugin.IFDRational(51), TiffImagePlugin.IFDRational(24))
    gps[4] = (TiffImagePlugin.IFDRational(2), TiffImagePlugin.IFDRational(21), TiffImagePlugin.IFDRational(7))
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def jpeg_with_metadata(image=None, orientation=None, icc=True) -> bytes:
    """A camera-like JPEG: EXIF with a model and a GPS position, a comment, XMP and (unless told) an ICC
    profile — converting colours makes a new image, which would hide metadata copied along otherwise."""
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>creator-secret</rdf:RDF></x:xmpmeta>'
    options = {"exif": spy_exif(orientation), "comment": b"comment-secret", "xmp": xmp}
    if icc:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(image or two_colours(), "JPEG", **options)


def png_claiming(width: int, height: int) -> bytes:
    """An image bomb: a tiny PNG whose header claims ``width`` × ``height`` pixels (IHDR patched, CRC fixed)."""
    data = encode(Image.new("1", (8, 8)), "PNG")
    assert data[12:16] == b"IHDR"
    body = struct.pack(">II", width, height) + data[24:29]
    return data[:16] + body + struct.pack(">I", zlib.crc32(b"IHDR" + body)) + data[33:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# --- Fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def editor(world):
    return world.users["brand_editor"]


@pytest.fixture
def brand(world, editor):
    return services.create_brand(editor, world.orgs["brand"], name="Aurelia")


@pytest.fixture
def product(editor, brand):
    return services.create_product(editor, brand, name="Silk scarf", gtins=["4006381333931"])


@pytest.fixture
def clue(editor, product):
    return services.add_clue(editor, product, language="en", title="Stitching")


def read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def open_stored(name: str) -> Image.Image:
    image = Image.open(io.BytesIO(read_stored(name)))
    image.load()
    return image


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


# --- What is stored ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("icc", [True, False])
def test_exif_gps_and_every_other_metadata_are_stripped(media_root, editor, product, icc):
    source = jpeg_with_metadata(icc=icc)
    original = Image.open(io.BytesIO(source))
    assert original.getexif().get_ifd(GPS_IFD)[1] == "N"  # the test file really carries a position
    assert {"xmp", "comment"} <= set(original.info) and ("icc_profile" in original.info) == icc

    photo = media_services.add_product_photo(editor, product, upload(source))

    raw = read_stored(photo.image.name)
    stored = open_stored(photo.image.name)
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert len(stored.getexif()) == 0
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(stored.info)
    for secret in (b"Exif\x00\x00", b"SpyCam", b"comment-secret", b"creator-secret", b"xmpmeta"):
        assert secret not in raw
    for size in media.THUMBNAIL_SIZES:
        thumbnail = read_stored(media.thumbnail_name(photo.image.name, size))
        assert b"Exif\x00\x00" not in thumbnail and b"SpyCam" not in thumbnail


def test_exif_orientation_is_applied(media_root, editor, product):
    # Orientation 6: the camera was held turned; the picture must be turned 90° clockwise to stand upright.
    photo = media_services.add_product_photo(editor, product, upload(jpeg_with_metadata(orientation=6)))

    stored = open_stored(photo.image.name)
    assert stored.size == (100, 200)
    assert (photo.width, photo.height) == (100, 200)
    assert near(stored.getpixel((50, 20)), (255, 0, 0))  # the left half (red) is now on top
    assert near(stored.getpixel((50, 180)), (0, 0, 255))


def test_the_original_is_capped_and_thumbnails_are_stored_beside_it(media_root, editor, product):
    photo = media_services.add_product_photo(editor, product, upload(encode(two_colours((3000, 2000)), "PNG")))

    assert photo.image.name.startswith("catalog/photos/") and photo.image.name.endswith(".jpg")
    assert open_stored(photo.image.name).size == (2560, 1707)
    assert (photo.width, photo.height) == (2560, 1707)
    expected = {160: (160, 107), 480: (480, 320), 1024: (1024, 683)}
    for size, dimensions in expected.items():
        name = media.thumbnail_name(photo.image.name, size)
        assert name == photo.image.name.replace(".jpg", f"_{size}.jpg")
        assert open_stored(name).size == dimensions
    assert stored_files(media_root) == sorted(
        [photo.image.name] + [media.thumbnail_name(photo.image.name, s) for s in expected]
    )
    assert open_stored(photo.image.name).info.get("progressive") == 1


def test_thumbnail_url_names_a_size_and_falls_back_to_the_original(media_root, editor, product):
    big = media_services.add_product_photo(editor, product, upload(encode(two_colours((1600, 1200)), "JPEG")))
    small = media_services.add_product_photo(editor, product, upload(encode(two_colours((300, 200)), "JPEG")))
    stem = big.image.name[: -len(".jpg")]

    assert media.thumbnail_url(big.image, 480) == f"/media/{stem}_480.jpg"
    assert media.thumbnail_url(big.image, 200) == f"/media/{stem}_480.jpg"  # the next size up
    assert media.thumbnail_url(big.image, 160) == f"/media/{stem}_160.jpg"
    assert media.thumbnail_url(big.image, 2000) == big.image.url  # bigger than any thumbnail
    assert media.thumbnail_url(small.image, 480) == small.image.url  # the original is no bigger
    assert media.thumbnail_url(small.image, 160).endswith("_160.jpg")
    assert media.thumbnail_url(ProductPhoto().image, 160) == ""

    page = Template("{% load media_tags %}{{ photo.image|thumbnail_url:1024 }}").render(Context({"photo": big}))
    assert page == f"/media/{stem}_1024.jpg"


def test_transparency_is_flattened_on_white(media_root, editor, product):
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # transparent black on the left
    image.paste(Image.new("RGBA", (100, 100), (0, 160, 0, 255)), (100, 0))
    photo = media_services.add_product_photo(editor, product, upload(encode(image, "PNG"), "logo.png", "image/png"))

    stored = open_stored(photo.image.name)
    assert near(stored.getpixel((20, 50)), (255, 255, 255))
    assert near(stored.getpixel((180, 50)), (0, 160, 0))


RED = (255, 0, 0)
OTHER_PICTURES = {
    "webp": (lambda: encode(Image.new("RGB", (120, 80), "red"), "WEBP"), RED),
    "gif": (lambda: encode(Image.new("RGB", (120, 80), "red"), "GIF"), RED),
    "jpeg with a broken colour profile": (
        lambda: encode(Image.new("RGB", (120, 80), "red"), "JPEG", icc_profile=b"not a colour profile"),
        RED,
    ),
    "jpeg with a broken exif block": (
        lambda: encode(Image.new("RGB", (120, 80), "red"), "JPEG", exif=b"Exif\x00\x00MM\x00*\xff\xff\xff\xff"),
        RED,
    ),
    "a print shop's cmyk jpeg": (lambda: encode(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG"), RED),
    "16-bit greyscale png": (lambda: encode(Image.new("I;16", (120, 80), 65535), "PNG"), (255, 255, 255)),
    "palette png": (lambda: encode(Image.new("RGB", (120, 80), "red").convert("P"), "PNG"), RED),
}


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@pytest.mark.parametrize("case", list(OTHER_PICTURES))
def test_other_accepted_pictures_become_plain_jpegs(media_root, editor, product, case):
    make, colour = OTHER_PICTURES[case]
    photo = media_services.add_product_photo(editor, product, upload(make(), "x.bin", "application/octet-stream"))

    stored = open_stored(photo.image.name)
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (120, 80))
    assert not {"exif", "icc_profile"} & set(stored.info)
    assert near(stored.getpixel((60, 40)), colour, tolerance=60)


def test_an_animated_gif_keeps_its_first_frame(media_root, editor, product):
    frames = [Image.new("RGB", (60, 60), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2

    photo = media_services.add_product_photo(editor, product, upload(data))
    assert near(open_stored(photo.image.name).getpixel((30, 30)), (255, 0, 0))


def test_anything_hidden_after_the_picture_is_dropped(media_root, editor, product):
    polyglot = encode(two_colours(), "JPEG") + HTML
    photo = media_services.add_product_photo(editor, product, upload(polyglot))
    assert b"<script>" not in read_stored(photo.image.name)


# --- Bad input: a clear error, nothing stored -------------------------------------------------------------------


BAD_UPLOADS = {
    "svg": (SVG, "logo.svg", "is not a picture IPM accepts"),
    "html renamed .jpg": (HTML, "photo.jpg", "is not a picture IPM accepts"),
    "pdf": (PDF, "sheet.jpg", "is not a picture IPM accepts"),
    "empty": (b"", "photo.jpg", "The file is empty"),
    "truncated jpeg": (encode(two_colours((800, 600)), "JPEG")[:-2000], "photo.jpg", "damaged or incomplete"),
    "bomb beyond Pillow's own limit": (png_claiming(50_000, 50_000), "bomb.png", "too many pixels"),
    "bomb within Pillow's limit, beyond IPM's": (png_claiming(8000, 6000), "bomb.png", "8000 × 6000 pixels"),
}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_uploads_are_refused_clearly_and_store_nothing(media_root, editor, product, case):
    data, name, message = BAD_UPLOADS[case]
    revisions = ProductRevision.objects.filter(product=product).count()

    with pytest.raises(ValidationError) as error:
        media_services.add_product_photo(editor, product, upload(data, name))

    assert message in " ".join(error.value.message_dict["image"])
    assert stored_files(media_root) == []
    assert not ProductPhoto.objects.exists()
    assert ProductRevision.objects.filter(product=product).count() == revisions


def test_an_oversized_file_is_refused_before_it_is_decoded(media_root, settings, editor, product):
    settings.MAX_UPLOAD_BYTES = 50_000
    data = encode(Image.effect_noise((400, 400), 100).convert("RGB"), "PNG")
    assert len(data) > 50_000

    for given in (upload(data), io.BytesIO(data), data):  # an upload, a file, bytes: all capped
        with pytest.raises(ValidationError) as error:
            media_services.add_product_photo(editor, product, given)
        assert "too large" in error.value.message_dict["image"][0]
        assert "48.8\xa0KB" in error.value.message_dict["image"][0]
    assert stored_files(media_root) == []


def test_the_pixel_limit_is_a_setting(media_root, settings, editor, product):
    settings.MAX_IMAGE_PIXELS = 10_000
    with pytest.raises(ValidationError) as error:
        media_services.add_product_photo(editor, product, upload(encode(two_colours((200, 100)), "JPEG")))
    assert "200 × 100 pixels" in error.value.message_dict["image"][0]
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["rival_admin", "rival_editor", "brand_viewer", "fr_officer", "other_counsel_admin"])
def test_only_the_right_holders_authors_may_add_photos(media_root, world, product, who):
    with pytest.raises(PermissionDenied):
        media_services.add_product_photo(world.users[who], product, upload(jpeg_with_metadata()))
    # The policy is asked before the file is read: a bomb from an outsider is refused as an outsider.
    with pytest.raises(PermissionDenied):
        media_services.add_product_photo(world.users[who], product, upload(png_claiming(50_000, 50_000)))
    assert stored_files(media_root) == []
    assert not ProductPhoto.objects.exists()


def test_a_mandated_representative_may_add_photos(media_root, world, product):
    photo = media_services.add_product_photo(world.users["counsel_editor"], product, upload(jpeg_with_metadata()))
    assert photo.product == product


# --- Photo actions ----------------------------------------------------------------------------------------------


def test_adding_a_photo_records_a_revision_and_a_caption(media_root, editor, product):
    photo = media_services.add_product_photo(
        editor, product, upload(jpeg_with_metadata()), view="back", caption=" Back label ", language="fr"
    )
    revision = ProductRevision.objects.filter(product=product).first()
    assert revision.summary == "Photo added" and "photos" in revision.changed_fields
    assert revision.snapshot["photos"] == [{"view": "back", "image": photo.image.name}]
    assert photo.safe_translation_getter("caption", language_code="fr") == "Back label"


def test_removing_a_photo_deletes_its_files_once_committed(
    media_root, editor, product, django_capture_on_commit_callbacks
):
    photo = media_services.add_product_photo(editor, product, upload(jpeg_with_metadata()))
    assert len(stored_files(media_root)) == 1 + len(media.THUMBNAIL_SIZES)

    with django_capture_on_commit_callbacks(execute=True):
        media_services.remove_product_photo(editor, photo)

    assert stored_files(media_root) == []
    assert ProductRevision.objects.filter(product=product).first().summary == "Photo removed"


def test_a_rival_cannot_remove_a_photo(media_root, world, editor, product):
    photo = media_services.add_product_photo(editor, product, upload(jpeg_with_metadata()))
    with pytest.raises(PermissionDenied):
        media_services.remove_product_photo(world.users["rival_admin"], photo)
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert len(stored_files(media_root)) == 1 + len(media.THUMBNAIL_SIZES)


def test_deleting_a_sheet_deletes_its_pictures(media_root, editor, product, clue, django_capture_on_commit_callbacks):
    media_services.add_product_photo(editor, product, upload(jpeg_with_metadata()))
    media_services.set_clue_images(
        editor, clue, genuine_image=upload(jpeg_with_metadata()), genuine_marks=[{"x": 0, "y": 0, "w": 0.5, "h": 0.5}]
    )
    assert stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        product.delete()  # cascades to photos and clues, around the services

    assert stored_files(media_root) == []


def test_photos_are_reordered_and_captioned(media_root, editor, product):
    first, second, third = (
        media_services.add_product_photo(editor, product, upload(jpeg_with_metadata())) for _ in range(3)
    )
    assert [first.position, second.position, third.position] == [1, 2, 3]

    media_services.reorder_product_photos(editor, product, [third.pk, first.pk, second.pk])
    assert list(product.photos.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    assert ProductRevision.objects.filter(product=product).first().summary == "Photos reordered"

    for stale in ([first.pk, second.pk], [first.pk, first.pk, second.pk, third.pk], ["x"]):
        with pytest.raises(ValidationError):
            media_services.reorder_product_photos(editor, product, stale)
    assert list(product.photos.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]

    revisions = ProductRevision.objects.filter(product=product).count()
    media_services.update_product_photo(editor, first, caption="Hologram on the tag", view="detail")
    first.refresh_from_db()
    assert (first.view, first.safe_translation_getter("caption", language_code="en")) == (
        "detail",
        "Hologram on the tag",
    )
    assert ProductRevision.objects.filter(product=product).count() == revisions + 1
    media_services.update_product_photo(editor, first, caption="Hologram on the tag")  # no change, no revision
    assert ProductRevision.objects.filter(product=product).count() == revisions + 1

    with pytest.raises(ValidationError) as error:
        media_services.update_product_photo(editor, first, caption="x" * 201)
    assert "caption" in error.value.message_dict
    with pytest.raises(ValidationError):
        media_services.update_product_photo(editor, first, view="sideways")


# --- Clue photos, marks and their annotated crops ---------------------------------------------------------------


def detail_picture() -> Image.Image:
    """Blue, with one red square where the detail is: 400×200, the square from (300, 50) to (340, 90)."""
    image = Image.new("RGB", (400, 200), "blue")
    image.paste(Image.new("RGB", (40, 40), "red"), (300, 50))
    return image


DETAIL_MARK = {"x": 0.75, "y": 0.25, "w": 0.1, "h": 0.2}


def test_clue_photos_get_marks_and_annotated_crops(media_root, editor, product, clue):
    media_services.set_clue_images(
        editor,
        clue,
        genuine_image=upload(encode(detail_picture(), "PNG")),
        counterfeit_image=upload(jpeg_with_metadata()),
        genuine_marks=[DETAIL_MARK],
    )
    clue.refresh_from_db()
    assert clue.genuine_marks == [DETAIL_MARK] and clue.counterfeit_marks == []
    assert b"SpyCam" not in read_stored(clue.counterfeit_image.name)

    crop_name = media.mark_crop_name(clue.genuine_image.name, DETAIL_MARK)
    assert media.mark_crop_url(clue.genuine_image, DETAIL_MARK) == f"/media/{crop_name}"
    assert media.mark_crop_url(clue.genuine_image, {"x": 0.1}) == ""  # a malformed mark breaks no page
    page = Template("{% load media_tags %}{{ clue.genuine_image|mark_crop_url:mark }}")
    assert page.render(Context({"clue": clue, "mark": DETAIL_MARK})) == f"/media/{crop_name}"
    crop = open_stored(crop_name)
    # 40 px of detail and 16 px of context each side, zoomed at most 4×: 72×72 → 288×288.
    assert crop.size == (288, 288)
    assert near(crop.getpixel((144, 144)), (255, 0, 0))  # the detail, in the middle
    assert near(crop.getpixel((10, 10)), (0, 0, 255))  # the context around it
    red, green, blue = crop.getpixel((64, 144))  # the yellow outline on the detail's edge (JPEG blurs its hue)
    assert red > 200 and green > 170 and blue < 120
    assert ProductRevision.objects.filter(product=product).first().summary == "Clue photos changed"


def test_a_large_photo_gives_a_crop_of_the_standard_size(media_root, editor, clue):
    mark = {"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.5}
    media_services.set_clue_images(
        editor, clue, genuine_image=upload(encode(two_colours((2000, 1000)), "JPEG")), genuine_marks=[mark]
    )
    crop = open_stored(media.mark_crop_name(clue.genuine_image.name, mark))
    assert max(crop.size) == media.CROP_SIZE


def test_moving_marks_replaces_crops_and_keeps_the_photo(media_root, editor, clue, django_capture_on_commit_callbacks):
    media_services.set_clue_images(
        editor, clue, genuine_image=upload(encode(detail_picture(), "PNG")), genuine_marks=[DETAIL_MARK]
    )
    photo_name = clue.genuine_image.name
    moved = {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}

    with django_capture_on_commit_callbacks(execute=True):
        media_services.set_clue_images(editor, clue, genuine_marks=json.dumps([moved]))

    assert clue.genuine_image.name == photo_name
    files = stored_files(media_root)
    assert media.mark_crop_name(photo_name, moved) in files
    assert media.mark_crop_name(photo_name, DETAIL_MARK) not in files
    assert ProductRevision.objects.filter(product=clue.product).first().summary == "Clue photos changed"


def test_a_new_photo_clears_old_marks_and_old_files(media_root, editor, clue, django_capture_on_commit_callbacks):
    media_services.set_clue_images(
        editor, clue, genuine_image=upload(encode(detail_picture(), "PNG")), genuine_marks=[DETAIL_MARK]
    )
    old = media.derived_names(clue.genuine_image.name, [DETAIL_MARK])

    with django_capture_on_commit_callbacks(execute=True):
        media_services.set_clue_images(editor, clue, genuine_image=upload(jpeg_with_metadata()))

    clue.refresh_from_db()
    assert clue.genuine_marks == []
    assert stored_files(media_root) == sorted(media.derived_names(clue.genuine_image.name))
    assert not set(old) & set(stored_files(media_root))

    with django_capture_on_commit_callbacks(execute=True):
        media_services.set_clue_images(editor, clue, genuine_image=None)
    clue.refresh_from_db()
    assert not clue.genuine_image and stored_files(media_root) == []


BAD_MARKS = {
    "too many": [DETAIL_MARK] * 11,
    "outside": [{"x": 0.9, "y": 0.1, "w": 0.5, "h": 0.1}],
    "negative": [{"x": -0.1, "y": 0.1, "w": 0.5, "h": 0.1}],
    "empty rectangle": [{"x": 0.1, "y": 0.1, "w": 0, "h": 0.1}],
    "not a number": [{"x": "0.1", "y": 0.1, "w": 0.5, "h": 0.1}],
    "a boolean": [{"x": True, "y": 0.1, "w": 0.5, "h": 0.1}],
    "not finite": [{"x": float("nan"), "y": 0.1, "w": 0.5, "h": 0.1}],
    "missing a side": [{"x": 0.1, "y": 0.1, "w": 0.5}],
    "an unknown key": [{**DETAIL_MARK, "label": "<b>"}],
    "not a list": {"x": 0.1},
    "not JSON": "[{x: 1",
}


@pytest.mark.parametrize("case", list(BAD_MARKS))
def test_bad_marks_are_refused_and_store_nothing(media_root, editor, clue, case):
    with pytest.raises(ValidationError) as error:
        media_services.set_clue_images(
            editor, clue, genuine_image=upload(encode(detail_picture(), "PNG")), genuine_marks=BAD_MARKS[case]
        )
    assert "genuine_marks" in error.value.message_dict
    assert stored_files(media_root) == []
    clue.refresh_from_db()
    assert not clue.genuine_image


def test_marks_on_a_photo_whose_file_is_gone_ask_for_it_again(media_root, editor, clue):
    media_services.set_clue_images(editor, clue, genuine_image=upload(encode(detail_picture(), "PNG")))
    (media_root / clue.genuine_image.name).unlink()  # lost from the disk, e.g. a partial restore
    with pytest.raises(ValidationError) as error:
        media_services.set_clue_images(editor, clue, genuine_marks=[DETAIL_MARK])
    assert "upload it again" in error.value.message_dict["genuine_image"][0]


def test_marks_need_a_photo(media_root, editor, clue):
    with pytest.raises(ValidationError) as error:
        media_services.set_clue_images(editor, clue, counterfeit_marks=[DETAIL_MARK])
    assert "counterfeit_marks" in error.value.message_dict


def test_a_bad_second_picture_leaves_no_first_picture_behind(media_root, editor, clue):
    with pytest.raises(ValidationError) as error:
        media_services.set_clue_images(
            editor, clue, genuine_image=upload(jpeg_with_metadata()), counterfeit_image=upload(SVG, "fake.svg")
        )
    assert "counterfeit_image" in error.value.message_dict
    assert stored_files(media_root) == []


def test_a_clue_removed_meanwhile_is_not_revived_and_keeps_no_file(media_root, editor, clue):
    Clue.objects.filter(pk=clue.pk).delete()  # another editor, a moment ago; this one still has the page open
    with pytest.raises(ValidationError) as error:
        media_services.set_clue_images(editor, clue, genuine_image=upload(jpeg_with_metadata()))
    assert "removed this meanwhile" in error.value.messages[0]
    assert not Clue.objects.exists()
    assert stored_files(media_root) == []  # the photo and thumbnails written before the failure are gone


def test_a_rival_cannot_set_clue_photos(media_root, world, clue):
    with pytest.raises(PermissionDenied):
        media_services.set_clue_images(world.users["rival_editor"], clue, genuine_image=upload(jpeg_with_metadata()))
    assert stored_files(media_root) == []


def test_marks_on_the_edge_are_accepted_and_normalised():
    assert media_services.validate_marks([{"x": 0.5, "y": 0, "w": 0.5000004, "h": 1}]) == [
        {"x": 0.5, "y": 0.0, "w": 0.5, "h": 1.0}
    ]
    assert media_services.validate_marks("") == [] and media_services.validate_marks(None) == []


# --- Logos and counterfeit photos -------------------------------------------------------------------------------


def test_brand_logo_is_set_replaced_and_removed(media_root, world, editor, brand, django_capture_on_commit_callbacks):
    logo = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    media_services.set_brand_logo(editor, brand, upload(encode(logo, "PNG"), "logo.png", "image/png"))
    first = Brand.objects.get(pk=brand.pk).logo.name
    assert first.startswith("catalog/logos/")
    assert stored_files(media_root) == sorted(media.derived_names(first))

    with django_capture_on_commit_callbacks(execute=True):
        media_services.set_brand_logo(editor, brand, upload(jpeg_with_metadata()))
    second = Brand.objects.get(pk=brand.pk).logo.name
    assert second != first and stored_files(media_root) == sorted(media.derived_names(second))

    with pytest.raises(PermissionDenied):
        media_services.set_brand_logo(world.users["rival_admin"], brand, None)
    with pytest.raises(ValidationError) as error:
        media_services.set_brand_logo(editor, brand, upload(HTML, "logo.png"))
    assert "logo" in error.value.message_dict
    assert stored_files(media_root) == sorted(media.derived_names(second))

    with django_capture_on_commit_callbacks(execute=True):
        media_services.set_brand_logo(editor, brand, None)
    assert not Brand.objects.get(pk=brand.pk).logo and stored_files(media_root) == []


def test_a_known_counterfeit_gets_a_photo_and_a_revision(media_root, world, editor, product):
    variant = CounterfeitVariant(product=product)
    variant.set_current_language("en")
    variant.name = "Market copy"
    variant.save()
    revisions = ProductRevision.objects.filter(product=product).count()

    media_services.set_variant_photo(editor, variant, upload(jpeg_with_metadata()))

    variant.refresh_from_db()
    assert variant.photo.name.startswith("catalog/variants/")
    assert b"SpyCam" not in read_stored(variant.photo.name)
    assert ProductRevision.objects.filter(product=product).count() == revisions + 1
    with pytest.raises(PermissionDenied):
        media_services.set_variant_photo(world.users["fr_officer"], variant, None)


# --- Serving ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
def test_pictures_are_served_with_long_immutable_caching(media_root, settings, client, editor, product, debug):
    settings.DEBUG = debug
    photo = media_services.add_product_photo(editor, product, upload(jpeg_with_metadata()))

    for url in (photo.image.url, media.thumbnail_url(photo.image, 160)):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        assert body == read_stored(url.removeprefix("/media/"))

    assert client.head(photo.image.url).status_code == 200
    assert client.post(photo.image.url).status_code == 405


def test_only_pipeline_pictures_are_served(media_root, client, editor, product):
    photo = media_services.add_product_photo(editor, product, upload(jpeg_with_metadata()))
    secret = default_storage.save("imports/" + "a" * 32 + ".csv", ContentFile(b"gtin,name\n"))
    (media_root.parent / "outside.jpg").write_bytes(b"private")

    refused = [
        f"/media/{secret}",
        "/media/../outside.jpg",
        "/media/%2e%2e/outside.jpg",
        "/media/catalog/photos/..%2f..%2f..%2foutside.jpg",
        f"/media/{photo.image.name}/../../../outside.jpg",
        f"/media/{photo.image.name.replace('.jpg', '.svg')}",
        f"/media/{photo.image.name.upper()}",
        "/media/catalog/photos/" + "0" * 32 + ".jpg",  # well formed, but no such file
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"private" not in response.content and b"gtin,name" not in response.content
