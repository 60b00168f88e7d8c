"""Pictures in bulk imports: by URL (a real HTTP server on loopback, started here) and in a ZIP file; checked
before anything is written, all-or-nothing, idempotent by content, and exported as URLs that import back.

No mocks: pictures are real files made with Pillow, fetched over real sockets, stored in a temporary MEDIA_ROOT
and read back from disk."""

import csv
import datetime
import io
import ipaddress
import ssl
import threading
import time
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ipm.catalog import import_images, importing, media_services, services
from ipm.catalog.import_images import ImageStore
from ipm.catalog.models import Clue, ImportStatus, Product, ProductIdentifier, ProductPhoto, ProductRevision
from tests.catalog.test_media import GPS_IFD, encode, jpeg_with_metadata, two_colours

RED = jpeg_with_metadata(two_colours(left="red", right="white"))  # a camera JPEG: EXIF model, GPS, XMP, comment
BLUE = encode(two_colours(left="blue", right="yellow"), "PNG")
GREEN = encode(two_colours(left="green", right="black"), "JPEG")
PURPLE = encode(two_colours(left="purple", right="orange"), "WEBP")


# --- A picture server on loopback -------------------------------------------------------------------------------


class PictureServer:
    """Serves the test's pictures and its misbehaving endpoints on 127.0.0.1, counting the requests per path."""

    def __init__(self):
        self.hits: Counter[str] = Counter()
        self.media_root: Path | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server.hits[self.path] += 1
                server.respond(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.handle_error = lambda request, address: None  # a client that gave up is not the test's concern
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def respond(self, handler):
        path = handler.path
        pictures = {"/red.jpg": RED, "/blue.png": BLUE, "/green.jpg": GREEN, "/purple.webp": PURPLE}
        if path in pictures:
            return self._send(handler, 200, pictures[path], "image/jpeg")
        if path == "/text.jpg":
            return self._send(handler, 200, b"Just some text, not a picture.", "image/jpeg")
        if path == "/big.jpg":
            return self._send(handler, 200, RED + b"\0" * 300_000, "image/jpeg")
        if path == "/big-unannounced.jpg":  # no Content-Length: the cap must hold while reading
            handler.send_response(200)
            handler.end_headers()
            for _ in range(40):
                handler.wfile.write(b"\0" * 10_000)
            return None
        if path == "/slow.jpg":
            time.sleep(3)
            return self._send(handler, 200, RED, "image/jpeg")
        if path == "/trickle.jpg":  # a byte now and then: each read is quick, the whole never ends
            handler.send_response(200)
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            for _ in range(50):
                handler.wfile.write(b"\0")
                handler.wfile.flush()
                time.sleep(0.1)
            return None
        if path == "/loop":
            return self._redirect(handler, "/loop")
        if path == "/hop":
            return self._redirect(handler, "/red.jpg")
        if path == "/to-localhost":
            return self._redirect(handler, self.url("/red.jpg", host="localhost"))
        if path.startswith("/media/") and self.media_root is not None:
            file = self.media_root / path.removeprefix("/media/")
            if file.is_file():
                return self._send(handler, 200, file.read_bytes(), "image/jpeg")
        return self._send(handler, 404, b"Not found", "text/plain")

    @staticmethod
    def _send(handler, status, body, content_type):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _redirect(handler, location):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def picture_server():
    server = PictureServer()
    yield server
    server.stop()


@pytest.fixture
def server(picture_server, settings):
    """The picture server, allowed although it is on loopback, with a short time limit to keep tests quick."""
    settings.IPM_IMPORT_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.IPM_IMPORT_URL_TIMEOUT = 1
    picture_server.hits.clear()
    picture_server.media_root = None
    return picture_server


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_admin"], world.orgs["brand"], name="Aurelia")


# --- Helpers ----------------------------------------------------------------------------------------------------


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def run(world, data: bytes, fmt="csv", dry_run=False, org="brand", user="brand_admin"):
    return importing.import_file(world.users[user], world.orgs[org], io.BytesIO(data), fmt, dry_run=dry_run)


def stored_files(media_root) -> list[str]:
    folder = Path(media_root) / "catalog"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def errors_of(report) -> dict[tuple[int, str], str]:
    return {(e.row, e.column): e.message for e in report.errors}


def scarf(**columns):
    return {"gtins": "4006381333931", "brand": "Aurelia", "name": "Silk scarf", **columns}


def belt(**columns):
    return {"gtins": "036000291452", "brand": "Aurelia", "name": "Belt", **columns}


def sheet(gtin="04006381333931") -> Product:
    return ProductIdentifier.objects.get(value=gtin).product


# --- By URL -----------------------------------------------------------------------------------------------------


def test_photos_and_clue_pictures_by_url_are_fetched_once_checked_and_stored(
    world, brand, server, media_root, django_capture_on_commit_callbacks
):
    red, blue, green = server.url("/red.jpg"), server.url("/blue.png"), server.url("/hop")
    rows = [
        scarf(
            photos=f"{red}|{blue}",
            photo_views="front|label",
            clue1_title="Hem",
            clue1_genuine_image=green,
            clue1_counterfeit_image=red,
            status="published",
        ),
        belt(photos=red, photo_views="", clue1_title="", clue1_genuine_image="", clue1_counterfeit_image=""),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = run(world, csv_bytes(rows))
    assert report.ok, report.errors
    assert server.hits == {"/red.jpg": 2, "/blue.png": 1, "/hop": 1}  # /hop redirects to /red.jpg: two URLs
    photos = list(sheet().photos.order_by("position"))
    assert [(p.position, p.view) for p in photos] == [(1, "front"), (2, "label")]
    assert all(p.source_sha256 and p.width and p.height for p in photos)
    clue = sheet().clues.get()
    assert clue.genuine_image and clue.counterfeit_image and clue.genuine_source_sha256
    assert [p.view for p in sheet("00036000291452").photos.all()] == ["front"]
    # Three photos and two clue pictures, each as an original and three thumbnails.
    assert len(stored_files(media_root)) == 5 * 4
    assert len(sheet().revisions.get().snapshot["photos"]) == 2
    assert sheet().status == "published"  # photos and a clue from the same row allow publishing


def test_metadata_of_imported_photos_is_stripped(world, brand, server, media_root):
    assert Image.open(io.BytesIO(RED)).getexif().get_ifd(GPS_IFD)  # the source really carries a position
    assert run(world, csv_bytes([scarf(photos=server.url("/red.jpg"))])).ok
    stored = Path(media_root) / sheet().photos.get().image.name
    data = stored.read_bytes()
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"SpyCam" not in data and b"creator-secret" not in data and b"comment-secret" not in data


def test_bad_pictures_are_reported_by_row_and_column_and_nothing_is_written(world, brand, server, media_root):
    rows = [
        scarf(photos=server.url("/red.jpg")),  # good, but the import fails as a whole
        belt(photos=server.url("/missing.jpg")),
        {"gtins": "5012345678900", "brand": "Aurelia", "name": "Bag", "photos": server.url("/text.jpg")},
        {"skus": "W-1", "brand": "Aurelia", "name": "Wallet", "clue1_title": "Logo"},
        {"skus": "W-2", "brand": "Aurelia", "name": "Watch", "photos": server.url("/loop")},
        {"skus": "W-3", "brand": "Aurelia", "name": "Ring", "photos": "ftp://example.com/a.jpg|file:///etc/passwd"},
        {"skus": "W-4", "brand": "Aurelia", "name": "Pen", "photos": "front.jpg"},  # no ZIP file
    ]
    rows[3]["clue1_genuine_image"] = server.url("/slow.jpg")
    started = time.monotonic()
    report = run(world, csv_bytes(rows))
    assert time.monotonic() - started < 2.5  # the 3-second endpoint was given up after 1 second
    errors = errors_of(report)
    assert errors[(3, "photos")].endswith("/missing.jpg: not found (404)")
    assert "not a picture IPM accepts" in errors[(4, "photos")]
    assert "no answer within 1 seconds" in errors[(5, "clue1_genuine_image")]
    assert errors[(6, "photos")].endswith("/loop: too many redirects")
    assert "only http and https" in errors[(7, "photos")]
    assert "import a ZIP file" in errors[(8, "photos")]
    assert (2, "photos") not in errors
    assert Product.objects.count() == 0 and ProductPhoto.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_server_that_trickles_is_cut_off_at_the_time_limit(world, brand, server, media_root):
    started = time.monotonic()
    report = run(world, csv_bytes([scarf(photos=server.url("/trickle.jpg"))]))
    assert time.monotonic() - started < 2.5  # it would take 5 seconds to send 50 bytes
    assert "no answer within" in errors_of(report)[(2, "photos")]


def test_downloads_larger_than_a_picture_may_be_are_refused(world, brand, server, media_root, settings):
    settings.MAX_UPLOAD_BYTES = 200_000
    rows = [scarf(photos=server.url("/big.jpg")), belt(photos=server.url("/big-unannounced.jpg"))]
    errors = errors_of(run(world, csv_bytes(rows)))
    assert "larger than" in errors[(2, "photos")] and "larger than" in errors[(3, "photos")]


def test_loopback_and_private_hosts_are_refused_unless_allowed(world, brand, server, media_root, settings):
    settings.IPM_IMPORT_URL_ALLOWED_HOSTS = []
    report = run(world, csv_bytes([scarf(photos=server.url("/red.jpg"))]))
    assert "host not allowed" in errors_of(report)[(2, "photos")]
    assert server.hits == {}  # refused before connecting
    # Allowing 127.0.0.1 does not allow another name for it, nor a redirect to one.
    settings.IPM_IMPORT_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    rows = [scarf(photos=server.url("/red.jpg", host="localhost")), belt(photos=server.url("/to-localhost"))]
    errors = errors_of(run(world, csv_bytes(rows)))
    assert "host not allowed" in errors[(2, "photos")] and "host not allowed" in errors[(3, "photos")]
    assert server.hits == {"/to-localhost": 1}


def test_certificates_are_verified(world, brand, server, media_root, tmp_path):
    """An https server on loopback with a self-signed certificate: the download is refused."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    tls = PictureServer()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    tls.httpd.socket = context.wrap_socket(tls.httpd.socket, server_side=True)
    try:
        report = run(world, csv_bytes([scarf(photos=f"https://127.0.0.1:{tls.port}/red.jpg")]))
    finally:
        tls.stop()
    assert "the secure connection failed" in errors_of(report)[(2, "photos")]
    assert not tls.hits  # no request was sent


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata services
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
        "ff02::1",
    ],
)
def test_non_public_addresses_are_recognised(address):
    assert not import_images.is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_recognised(address):
    assert import_images.is_public_address(address)


def test_a_dry_run_checks_pictures_but_stores_nothing(world, brand, server, media_root):
    report = run(world, csv_bytes([scarf(photos=server.url("/red.jpg"))]), dry_run=True)
    assert report.ok and report.created == 1
    assert server.hits == {"/red.jpg": 1}
    assert Product.objects.count() == 0 and stored_files(media_root) == []
    report = run(world, csv_bytes([scarf(photos=server.url("/text.jpg"))]), dry_run=True)
    assert "not a picture" in errors_of(report)[(2, "photos")]


@pytest.mark.parametrize(
    ("columns", "column", "message"),
    [
        ({"photos": "a.jpg|b.jpg", "photo_views": "front"}, "photo_views", "one view per photo"),
        ({"photos": "a.jpg", "photo_views": "sideways"}, "photo_views", "Unknown view"),
        ({"photo_views": "front"}, "photo_views", "photos"),
        ({"clue1_title": "Hem", "clue1_genuine_image": "a.jpg|b.jpg"}, "clue1_genuine_image", "one picture"),
        ({"clue2_genuine_image": "a.jpg"}, "clue2_title", "needs a title"),
        ({"photos": "|".join(f"p{n}.jpg" for n in range(31))}, "photos", "at most 30 photos"),
    ],
)
def test_picture_columns_are_checked(world, brand, media_root, columns, column, message):
    report = run(world, csv_bytes([scarf(**columns)]))
    assert message in errors_of(report)[(2, column)]


# --- All or nothing, and idempotency ----------------------------------------------------------------------------


def test_reimporting_the_same_pictures_adds_nothing_and_changes_nothing(
    world, brand, server, media_root, django_capture_on_commit_callbacks
):
    red, blue = server.url("/red.jpg"), server.url("/blue.png")
    data = csv_bytes([scarf(photos=f"{red}|{blue}", clue1_title="Hem", clue1_genuine_image=red)])
    with django_capture_on_commit_callbacks(execute=True):
        assert run(world, data).ok
    photos = list(ProductPhoto.objects.order_by("position").values_list("pk", "image"))
    clue_image = Clue.objects.get().genuine_image.name
    files, revisions = stored_files(media_root), ProductRevision.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        report = run(world, data)
    assert report.ok and report.created == 0 and report.updated == 0
    assert list(ProductPhoto.objects.order_by("position").values_list("pk", "image")) == photos
    assert Clue.objects.get().genuine_image.name == clue_image
    assert stored_files(media_root) == files and ProductRevision.objects.count() == revisions

    # Another order, one photo fewer: the photo kept is the same record and file, the other goes with its files.
    with django_capture_on_commit_callbacks(execute=True):
        report = run(world, csv_bytes([scarf(photos=blue, photo_views="back")]))
    assert report.ok and report.updated == 1
    kept = ProductPhoto.objects.get()
    assert (kept.pk, kept.image.name, kept.position, kept.view) == (photos[1][0], photos[1][1], 1, "back")
    assert len(stored_files(media_root)) == len(files) - 4
    assert Clue.objects.get().genuine_image.name == clue_image  # no clue columns: the clue is untouched


def test_a_photo_added_in_the_authoring_pages_is_recognised_by_an_import(world, brand, server, media_root):
    product = services.create_product(world.users["brand_admin"], brand, name="Silk scarf", gtins=["4006381333931"])
    photo = media_services.add_product_photo(world.users["brand_admin"], product, RED, view="detail")
    report = run(world, csv_bytes([scarf(photos=server.url("/red.jpg"))]))
    assert report.ok and report.updated == 0
    assert list(ProductPhoto.objects.values_list("pk", "view")) == [(photo.pk, "detail")]


def test_clue_pictures_are_kept_when_the_file_says_nothing_about_them(
    world, brand, server, media_root, django_capture_on_commit_callbacks
):
    row = scarf(clue1_title="Hem", clue1_genuine_image=server.url("/red.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        assert run(world, csv_bytes([row])).ok
    Clue.objects.update(genuine_marks=[{"x": 0.1, "y": 0.1, "w": 0.5, "h": 0.5}])
    name, files = Clue.objects.get().genuine_image.name, stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        report = run(world, csv_bytes([scarf(clue1_title="Hem", clue1_explanation="Rolled by hand")]))
    assert report.ok and report.updated == 1
    clue = Clue.objects.get()
    assert clue.genuine_image.name == name and clue.genuine_marks  # the picture and its marks stay
    assert stored_files(media_root) == files
    with django_capture_on_commit_callbacks(execute=True):  # an empty cell removes the picture, and its files
        assert run(world, csv_bytes([scarf(clue1_title="Hem", clue1_genuine_image="")])).ok
    assert not Clue.objects.get().genuine_image and stored_files(media_root) == []


def test_a_write_that_fails_leaves_no_file_and_no_row(world, brand, server, media_root):
    """Between the check and the write, someone removes the photo the file keeps: the write stores the new
    picture, then finds the kept one gone, rolls back — and the new picture's files are deleted again."""
    editor, holder = world.users["brand_admin"], world.orgs["brand"]
    assert run(world, csv_bytes([scarf(photos=server.url("/red.jpg"))])).ok
    before = stored_files(media_root)
    data = csv_bytes([scarf(name="Renamed", photos=f"{server.url('/blue.png')}|{server.url('/red.jpg')}")])
    with ImageStore(holder) as images:
        rows, report = importing.check_rows(holder, importing.read_rows(io.BytesIO(data), "csv"), images=images)
        assert report.ok
        ProductPhoto.objects.all().delete()  # its files would go once this commits (never, in this test)
        importing.apply_rows(holder, editor, rows, report, images, "Imported")
    assert [(e.row, e.column) for e in report.errors] == [(2, "photos")]
    assert "changed while the import ran" in report.errors[0].message
    assert stored_files(media_root) == before  # the blue picture's four files were deleted
    assert sheet().name == "Silk scarf" and not ProductPhoto.objects.exists()


# --- ZIP files --------------------------------------------------------------------------------------------------


def test_a_zip_file_with_its_pictures_in_folders_imports(
    world, brand, media_root, settings, django_capture_on_commit_callbacks
):
    rows = [scarf(photos="images/front.jpg|./images/labels/label.png", clue1_title="Hem", clue1_genuine_image="g.webp")]
    data = zip_bytes(
        {
            "products.csv": csv_bytes(rows),
            "images/front.jpg": RED,
            "images/labels/label.png": BLUE,
            "g.webp": PURPLE,
            "__MACOSX/._products.csv": b"resource fork",
            "images/": b"",
        }
    )
    upload = SimpleUploadedFile("catalogue.zip", data, content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        job = importing.start_import_job(world.users["brand_admin"], world.orgs["brand"], upload)
    job.refresh_from_db()
    assert job.file_format == "zip"
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert [p.width for p in sheet().photos.all()] == [200, 200]
    assert Clue.objects.get().genuine_image
    with django_capture_on_commit_callbacks(execute=True):  # the same ZIP again: nothing changes
        assert run(world, data, fmt="zip").updated == 0
    assert ProductPhoto.objects.count() == 2


@pytest.mark.parametrize("data_name", ["products.json", "export/products.xlsx"])
def test_the_data_file_in_a_zip_may_be_json_or_xlsx(world, brand, media_root, data_name):
    out = io.BytesIO()
    importing.write_rows([scarf(photos="front.jpg", photo_views="front")], data_name.rsplit(".")[-1], out)
    report = run(world, zip_bytes({data_name: out.getvalue(), "front.jpg": GREEN}), fmt="zip")
    assert report.ok, report.errors
    assert sheet().photos.count() == 1


def test_a_picture_missing_from_the_zip_or_outside_it_is_a_row_error(world, brand, media_root):
    rows = [scarf(photos="front.jpg|missing.jpg"), belt(photos="../front.jpg"), belt(gtins="5012345678900")]
    rows[2]["photos"] = "/etc/passwd"
    report = run(world, zip_bytes({"products.csv": csv_bytes(rows), "front.jpg": RED}), fmt="zip")
    errors = errors_of(report)
    assert errors[(2, "photos")] == "missing.jpg: not found in the ZIP file"
    assert errors[(3, "photos")] == "../front.jpg: not a safe path inside the ZIP file"
    assert errors[(4, "photos")] == "/etc/passwd: not a safe path inside the ZIP file"
    assert Product.objects.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"products.csv": b"", "../evil.jpg": RED}, "unsafe path: ../evil.jpg"),
        ({"products.csv": b"", "/etc/cron.d/evil": b"x"}, "unsafe path"),
        ({"products.csv": b"", "images/../../evil.jpg": RED}, "unsafe path"),
        ({"products.csv": b"", "C:/evil.jpg": RED}, "unsafe path"),
        ({"front.jpg": RED}, "no data file"),
        ({"a.csv": b"", "b.json": b""}, "several data files"),
        ({"products.csv": b"", "bomb.jpg": b"\0" * 2_000_000}, "bomb.jpg in the ZIP file is larger than"),
        ({"products.csv": b"", **{f"{n}.jpg": b"\0" * 200_000 for n in range(4)}}, "unpack to more than"),
        ({"products.csv": b"", **{f"{n}.jpg": b"" for n in range(10)}}, "more than 8 files"),
    ],
)
def test_unsafe_or_oversized_zip_files_are_refused_as_a_whole(world, brand, media_root, settings, files, message):
    settings.MAX_UPLOAD_BYTES = 1_000_000
    settings.IPM_IMPORT_ZIP_MAX_TOTAL_BYTES = 700_000
    settings.IPM_IMPORT_ZIP_MAX_MEMBERS = 8
    data = zip_bytes(files)
    assert len(data) < 50_000 or "unpack" not in message  # the bomb is small packed
    with pytest.raises(importing.ImportFileError, match=message):
        run(world, data, fmt="zip")
    with pytest.raises(ValidationError) as refused:  # refused at upload, before any job is queued
        importing.start_import_job(
            world.users["brand_admin"], world.orgs["brand"], SimpleUploadedFile("pictures.zip", data)
        )
    assert message.split(":")[0] in " ".join(refused.value.message_dict["file"])


def test_a_zip_that_is_not_one_is_refused(world, brand, media_root):
    with pytest.raises(importing.ImportFileError, match="not a readable ZIP"):
        run(world, b"PK\x03\x04 not really", fmt="zip")


# --- Export -----------------------------------------------------------------------------------------------------


def export(world, fmt="csv", base_url="http://testserver/") -> bytes:
    out = io.BytesIO()
    importing.write_rows(importing.export_rows(world.orgs["brand"], base_url=base_url), fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", importing.FORMATS)
def test_an_export_names_the_pictures_by_url_and_imports_back_unchanged(
    world, brand, server, media_root, fmt, django_capture_on_commit_callbacks
):
    rows = [
        scarf(
            photos=f"{server.url('/red.jpg')}|{server.url('/blue.png')}",
            photo_views="front|label",
            clue1_title="Hem",
            clue1_genuine_image=server.url("/green.jpg"),
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert run(world, csv_bytes(rows)).ok
    row = next(importing.export_rows(world.orgs["brand"], base_url="http://testserver/"))
    names = list(ProductPhoto.objects.order_by("position").values_list("image", flat=True))
    assert row["photos"] == "|".join(f"http://testserver/media/{name}" for name in names)
    assert row["photo_views"] == "front|label"
    assert row["clue1_genuine_image"] == f"http://testserver/media/{Clue.objects.get().genuine_image.name}"
    files, revisions, hits = stored_files(media_root), ProductRevision.objects.count(), sum(server.hits.values())

    with django_capture_on_commit_callbacks(execute=True):  # testserver does not exist: nothing is downloaded
        report = run(world, export(world, fmt), fmt=fmt)
    assert report.ok, report.errors
    assert report.updated == 0 and ProductRevision.objects.count() == revisions
    assert stored_files(media_root) == files and sum(server.hits.values()) == hits


def test_another_catalogue_imports_an_export_by_downloading_its_pictures(
    world, brand, server, media_root, django_capture_on_commit_callbacks
):
    """As another IPM would: the pictures are downloaded from the exporting site, stored anew."""
    with django_capture_on_commit_callbacks(execute=True):
        assert run(world, csv_bytes([scarf(photos=server.url("/red.jpg"), photo_views="detail")])).ok
    server.media_root = Path(media_root)
    row = next(importing.export_rows(world.orgs["brand"], base_url=server.url("/")))
    services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Aurelia")
    row = {**row, "gtins": "5012345678900"}
    report = run(world, csv_bytes([row]), org="rival", user="rival_admin")
    assert report.ok, report.errors
    theirs = sheet("05012345678900").photos.get()
    assert theirs.view == "detail" and theirs.image.name != sheet().photos.get().image.name
    assert server.hits[f"/media/{sheet().photos.get().image.name}"] == 1
