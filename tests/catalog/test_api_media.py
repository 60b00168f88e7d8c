"""The catalogue API's uploads: a sheet's photos, a clue's photos and marks, bulk imports, and GS1 company
prefixes; with the access policy (404 for a rival, 403 for a read-only token) and the API's stable error shape."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token
from ipm.catalog import services
from ipm.catalog.models import CompanyPrefix, ImportJob, ProductPhoto
from tests.catalog.test_import import ROWS, csv_bytes

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg(name="photo.jpg", size=(64, 48), colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def not_a_picture() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture at all", content_type="image/jpeg")


class Caller:
    def __init__(self, user, scope=ApiScope.WRITE):
        _token, key = create_api_token(user, name="tests", scope=scope)
        self.client = Client(headers={"authorization": f"Bearer {key}"})

    def __call__(self, method, path, body=None, *, files=None):
        send = getattr(self.client, method.lower())
        if files is not None:
            if method == "PUT":  # the test client sends a multipart PUT only when asked to encode it
                from django.test.client import MULTIPART_CONTENT, encode_multipart

                boundary = "BoUnDaRy"
                return send(
                    BASE + path,
                    encode_multipart(boundary, files),
                    content_type=MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", boundary),
                )
            return send(BASE + path, files)
        if body is not None:
            return send(BASE + path, json.dumps(body), content_type="application/json")
        return send(BASE + path)


@pytest.fixture
def as_user(world):
    callers = {}

    def get(key, scope=ApiScope.WRITE):
        if (key, scope) not in callers:
            callers[key, scope] = Caller(world.users[key], scope)
        return callers[key, scope]

    return get


@pytest.fixture
def sheet(world):
    editor = world.users["brand_editor"]
    brand = services.create_brand(editor, world.orgs["brand"], name="Aurelia")
    product = services.create_product(editor, brand, name="Silk scarf")
    services.add_clue(editor, product, language="en", title="Stitching")
    return product


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    return body["error"]


# --- Photos -------------------------------------------------------------------------------------------------------


def test_add_then_remove_a_photo(as_user, sheet):
    editor = as_user("brand_editor")
    response = editor(
        "POST", f"/products/{sheet.pk}/photos", files={"image": jpeg(), "view": "back", "caption": "The back"}
    )
    assert response.status_code == 201, response.content
    photo = response.json()
    assert photo["view"] == "back" and photo["caption"] == "The back"
    assert (photo["width"], photo["height"]) == (64, 48)
    assert photo["url"].startswith("http://testserver/media/")
    assert set(photo["thumbnails"]) == {"160", "480", "1024"}
    assert all(url.startswith("http://testserver/media/") for url in photo["thumbnails"].values())
    sheet_out = editor("GET", f"/products/{sheet.pk}").json()
    assert [p["id"] for p in sheet_out["photos"]] == [photo["id"]]

    response = editor("DELETE", f"/products/{sheet.pk}/photos/{photo['id']}")
    assert response.status_code == 204
    assert not ProductPhoto.objects.exists()
    error_of(editor("DELETE", f"/products/{sheet.pk}/photos/{photo['id']}"), 404)


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored(as_user, sheet, media_root):
    error = error_of(
        as_user("brand_editor")("POST", f"/products/{sheet.pk}/photos", files={"image": not_a_picture()}), 422
    )
    assert error["code"] == "invalid_input"
    assert any(detail["location"] == ["image"] for detail in error["details"])
    assert not ProductPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_a_photo_without_a_file_is_refused_with_the_error_shape(as_user, sheet):
    error = error_of(as_user("brand_editor")("POST", f"/products/{sheet.pk}/photos", files={"view": "front"}), 422)
    assert error["code"] == "invalid_input"


def test_a_rival_gets_404_and_a_read_only_token_403(world, as_user, sheet, media_root):
    photo = as_user("brand_editor")("POST", f"/products/{sheet.pk}/photos", files={"image": jpeg()}).json()
    files_before = stored_files(media_root)
    rival = as_user("rival_editor")
    error_of(rival("POST", f"/products/{sheet.pk}/photos", files={"image": jpeg()}), 404)
    error_of(rival("DELETE", f"/products/{sheet.pk}/photos/{photo['id']}"), 404)
    clue = sheet.clues.get()
    error_of(rival("PUT", f"/products/{sheet.pk}/clues/{clue.pk}/images", files={"genuine_image": jpeg()}), 404)
    read_only = as_user("brand_editor", ApiScope.READ)
    assert error_of(read_only("POST", f"/products/{sheet.pk}/photos", files={"image": jpeg()}), 403)["code"] == (
        "forbidden"
    )
    error_of(read_only("DELETE", f"/products/{sheet.pk}/photos/{photo['id']}"), 403)
    error_of(read_only("PUT", f"/products/{sheet.pk}/clues/{clue.pk}/images", files={"genuine_image": jpeg()}), 403)
    error_of(as_user("brand_viewer")("POST", f"/products/{sheet.pk}/photos", files={"image": jpeg()}), 403)
    assert ProductPhoto.objects.count() == 1
    assert stored_files(media_root) == files_before


# --- Clue photos --------------------------------------------------------------------------------------------------


def test_set_a_clues_photos_and_marks(as_user, sheet):
    editor = as_user("brand_editor")
    clue = sheet.clues.get()
    path = f"/products/{sheet.pk}/clues/{clue.pk}/images"
    marks = [{"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}]
    response = editor(
        "PUT",
        path,
        files={
            "genuine_image": jpeg(),
            "counterfeit_image": jpeg(colour=(0, 0, 0)),
            "genuine_marks": json.dumps(marks),
        },
    )
    assert response.status_code == 200, response.content
    images = response.json()
    assert images["id"] == clue.pk
    assert images["genuine_image_url"].startswith("http://testserver/media/")
    assert images["counterfeit_image_url"].startswith("http://testserver/media/")
    assert images["genuine_marks"] == marks and images["counterfeit_marks"] == []

    # A photo left out is kept, with its marks; one asked to be removed goes.
    response = editor("PUT", path, files={"remove_counterfeit_image": "true"})
    assert response.status_code == 200, response.content
    images = response.json()
    assert images["genuine_image_url"] and images["genuine_marks"] == marks
    assert images["counterfeit_image_url"] == ""

    error = error_of(editor("PUT", path, files={"genuine_marks": "not json"}), 422)
    assert any(detail["location"] == ["genuine_marks"] for detail in error["details"])


def test_a_clue_photo_that_is_not_a_picture_stores_nothing(as_user, sheet, media_root):
    clue = sheet.clues.get()
    path = f"/products/{sheet.pk}/clues/{clue.pk}/images"
    error = error_of(as_user("brand_editor")("PUT", path, files={"genuine_image": not_a_picture()}), 422)
    assert any(detail["location"] == ["genuine_image"] for detail in error["details"])
    clue.refresh_from_db()
    assert not clue.genuine_image
    assert stored_files(media_root) == []


# --- GS1 company prefixes -----------------------------------------------------------------------------------------


def test_company_prefixes_are_written_by_authors_and_read_by_officers(world, as_user, sheet):
    editor = as_user("brand_editor")
    response = editor("POST", "/company-prefixes", {"prefix": "761234"})
    assert response.status_code == 201, response.content
    prefix = response.json()
    assert prefix["prefix"] == "761234" and prefix["right_holder_id"] == world.orgs["brand"].pk

    error = error_of(editor("POST", "/company-prefixes", {"prefix": "7612345"}), 422)  # extends the first
    assert error["details"][0]["location"] == ["prefix"]
    error_of(editor("POST", "/company-prefixes", {"prefix": "12"}), 422)

    assert [p["id"] for p in editor("GET", "/company-prefixes").json()["items"]] == [prefix["id"]]
    assert as_user("rival_editor")("GET", "/company-prefixes").json()["items"] == []
    officer = as_user("fr_officer")
    assert officer("GET", "/company-prefixes").json()["items"] == []  # no sheet of the right holder visible yet
    services.add_identifier(world.users["brand_editor"], sheet, "gtin", "4006381333931")
    services.publish_product(world.users["brand_editor"], sheet)
    assert [p["id"] for p in officer("GET", "/company-prefixes").json()["items"]] == [prefix["id"]]

    error_of(officer("DELETE", f"/company-prefixes/{prefix['id']}"), 403)
    error_of(as_user("rival_editor")("DELETE", f"/company-prefixes/{prefix['id']}"), 404)
    error_of(as_user("brand_editor", ApiScope.READ)("DELETE", f"/company-prefixes/{prefix['id']}"), 403)
    assert editor("DELETE", f"/company-prefixes/{prefix['id']}").status_code == 204
    assert not CompanyPrefix.objects.exists()


# --- Bulk imports -------------------------------------------------------------------------------------------------


def test_an_import_through_the_api_runs_and_reports(world, as_user, django_capture_on_commit_callbacks):
    services.create_brand(world.users["brand_admin"], world.orgs["brand"], name="Aurelia")
    editor = as_user("brand_editor")
    upload = SimpleUploadedFile("catalogue.csv", csv_bytes(ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor("POST", "/imports", files={"file": upload})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["right_holder_id"] == world.orgs["brand"].pk
    job = editor("GET", f"/imports/{job['id']}").json()
    assert job["status"] == "succeeded"
    assert (job["total_rows"], job["created_count"], job["error_count"], job["errors"]) == (2, 2, 0, [])

    bad = SimpleUploadedFile("bad.csv", csv_bytes([{"gtins": "1", "brand": "Aurelia", "name": "X"}]))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor("POST", "/imports", files={"file": bad, "dry_run": "true"})
    assert response.status_code == 202, response.content
    job = editor("GET", f"/imports/{response.json()['id']}").json()
    assert job["status"] == "failed" and job["dry_run"] is True
    assert job["error_count"] >= 1
    assert job["errors"][0]["row"] == 2 and job["errors"][0]["column"] == "gtins" and job["errors"][0]["message"]

    # Others' imports stay hidden; a read-only token starts none.
    error_of(as_user("rival_editor")("GET", f"/imports/{job['id']}"), 404)
    error_of(as_user("fr_officer")("GET", f"/imports/{job['id']}"), 404)
    assert as_user("brand_viewer")("GET", f"/imports/{job['id']}").status_code == 200
    error_of(as_user("brand_editor", ApiScope.READ)("POST", "/imports", files={"file": jpeg("x.csv")}), 403)
    error_of(
        as_user("rival_editor")(
            "POST", "/imports", files={"file": jpeg("x.csv"), "right_holder_id": world.orgs["brand"].pk}
        ),
        404,
    )
    assert ImportJob.objects.count() == 2


def test_an_import_of_an_unknown_format_is_refused(as_user):
    error = error_of(as_user("brand_editor")("POST", "/imports", files={"file": jpeg("photo.jpg")}), 422)
    assert error["details"][0]["location"] == ["file"]
    assert not ImportJob.objects.exists()
