"""``POST /api/v1/scans`` (JSON and multipart) and ``GET /api/v1/scans``, over HTTP with bearer tokens and sessions:
answers, the stable error shape, what is logged and what is not, history paging and who reads which scans."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ipm.scans.api import ScanAnswer
from ipm.scans.models import ScanLog, ScanResult
from tests.api.helpers import api_client, assert_error
from tests.scans.conftest import CODES, photo_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/scans"


def checked(response):
    """A 200 answer must have its documented shape: the endpoint sends it without validating it itself."""
    if response.status_code == 200:
        ScanAnswer.model_validate(response.json())
    return response


def post_code(client, code, **headers):
    return checked(client.post(URL, json.dumps({"code": code}), content_type="application/json", headers=headers))


def post_photo(client, data, name="photo.jpg", content_type="image/jpeg"):
    return checked(client.post(URL, {"image": SimpleUploadedFile(name, data, content_type=content_type)}))


# --- Answers ------------------------------------------------------------------------------------------------------


def test_a_known_code_answers_the_product_with_absolute_urls(world, catalogue):
    response = post_code(api_client(world.users["fr_officer"]), f"]E0{CODES['published']}")
    assert response.status_code == 200
    (result,) = response.json()["results"]
    product = catalogue.products["published"]
    assert result["match"] == "product"
    assert result["product"]["id"] == product.pk and result["product"]["name"] == "Scarf published"
    assert result["product"]["url"] == f"http://testserver/products/{product.pk}/"
    assert result["product"]["api_url"] == f"http://testserver/api/v1/products/{product.pk}"
    assert result["product"]["thumbnail_url"].startswith("http://testserver/media/catalog/photos/")
    assert result["brand"] == {"id": catalogue.brands["aurelia"].pk, "name": "Aurelia"}
    assert result["right_holder"] is None and result["alerts"] == [] and result["barcode"] is None
    assert result["parsed"]["gtin"] == "0" + CODES["published"] and result["parsed"]["symbology"] == "]E0"
    assert ScanLog.objects.get().product_id == product.pk


def test_the_brand_owner_with_its_contacts_when_the_product_is_unknown(world, catalogue):
    response = post_code(api_client(world.users["fr_officer"]), CODES["in_prefix"])
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["match"] == "brand" and result["product"] is None
    holder = result["right_holder"]
    assert holder["name"] == "Brand A" and holder["company_prefix"] == "4006381"
    assert holder["brands"] == [{"id": catalogue.brands["aurelia"].pk, "name": "Aurelia"}]
    assert {contact["name"] for contact in holder["contacts"]} == {"Paris counsel", "Brand protection desk"}


def test_an_unknown_code_is_a_200_not_a_404(world, catalogue):
    response = post_code(api_client(world.users["ma_officer"]), CODES["unknown"])
    assert response.status_code == 200
    assert response.json()["results"][0]["match"] == "none"
    assert ScanLog.objects.get().result == ScanResult.NONE


def test_a_photo_with_several_barcodes(world, catalogue):
    data = photo_of(
        (CODES["published"], "EAN13", False),
        (f"(01)0{CODES['in_prefix']}(10)LOT-7", "DataMatrix", True),
    )
    response = post_photo(api_client(world.users["fr_officer"]), data)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["match"] for r in results] == ["product", "brand"]
    assert results[0]["barcode"] == {"format": "EAN-13", "symbology": "]E0"}
    assert results[1]["barcode"]["symbology"] == "]d2" and results[1]["parsed"]["lot"] == "LOT-7"
    assert ScanLog.objects.filter(source="photo").count() == 2


def test_a_session_scans_too_with_its_csrf_token(world, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["fr_officer"])
    assert_error(post_code(client, CODES["published"]), 403, "forbidden")
    assert not ScanLog.objects.exists()
    client.get("/scan/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = post_code(client, CODES["published"], **{"X-CSRFToken": token})
    assert response.status_code == 200 and response.json()["results"][0]["match"] == "product"


def test_a_read_only_token_may_scan(world, catalogue):
    """A scan reads the catalogue; its log row is a record of the read, not a change a read-only token refuses."""
    response = post_code(api_client(world.users["fr_officer"], scope="read"), CODES["published"])
    assert response.status_code == 200


# --- Bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, problem",
    [
        ("4006381333932", "bad_check_digit"),
        ("(01)09506000134352(17)3012", "truncated"),
        ("9" * 5000, "too_long"),
        ("\u0000\u0007binary", "binary"),
    ],
)
def test_an_invalid_code_answers_400_and_is_logged_as_invalid_never_as_a_match(world, catalogue, code, problem):
    error = assert_error(post_code(api_client(world.users["fr_officer"]), code), 400, "invalid_code")
    assert error["details"][0]["problem"] == problem and error["details"][0]["location"] == ["code"]
    assert error["details"][0]["message"]
    log = ScanLog.objects.get()
    assert log.result == ScanResult.INVALID and log.product_id is None and log.right_holder_id is None
    assert len(log.raw_code) <= 512


@pytest.mark.parametrize(
    "data, status, code",
    [
        (b"GIF89a but not really", 400, "invalid_image"),
        (b"%PDF-1.7\n", 400, "invalid_image"),
        (photo_of(), 400, "no_barcode"),
    ],
)
def test_a_photo_that_cannot_be_used(world, catalogue, data, status, code):
    error = assert_error(post_photo(api_client(world.users["fr_officer"]), data), status, code)
    assert error["details"][0]["location"] == ["image"] and error["message"]
    assert not ScanLog.objects.exists()


def test_an_oversized_photo_answers_413(world, catalogue, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    error = assert_error(post_photo(api_client(world.users["fr_officer"]), photo_of()), 413, "too_large")
    assert error["details"][0]["problem"] == "too_large"
    assert not ScanLog.objects.exists()


@pytest.mark.parametrize(
    "body, content_type, status, code",
    [
        ("{not json", "application/json", 400, "bad_request"),
        ('{"code": 4006381333931}', "application/json", 422, "invalid_input"),
        ('{"gtin": "4006381333931"}', "application/json", 422, "invalid_input"),
        ("[]", "application/json", 422, "invalid_input"),
        ("code=4006381333931", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_a_malformed_request(world, catalogue, body, content_type, status, code):
    client = api_client(world.users["fr_officer"])
    assert_error(client.post(URL, body, content_type=content_type), status, code)
    assert not ScanLog.objects.exists()


def test_a_body_over_the_request_size_limit(world, catalogue, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_client(world.users["fr_officer"])
    assert_error(post_code(client, "4" * 20_000), 413, "too_large")
    assert not ScanLog.objects.exists()


def test_a_multipart_form_without_the_image(world, catalogue):
    client = api_client(world.users["fr_officer"])
    error = assert_error(client.post(URL, {"code": CODES["published"]}), 422, "invalid_input")
    assert error["details"][0]["location"] == ["image"]


def test_who_may_not_scan(world, catalogue):
    assert_error(post_code(Client(), CODES["published"]), 401, "not_authenticated")
    assert_error(post_code(api_client(world.users["provider_admin"]), CODES["published"]), 403, "forbidden")
    assert not ScanLog.objects.exists()


# --- History ------------------------------------------------------------------------------------------------------


def test_the_history_is_paged_newest_first(world, catalogue):
    client = api_client(world.users["fr_officer"])
    for key in ("published", "fr_only", "unknown"):
        post_code(client, CODES[key])
    response = client.get(URL, {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["code"] for item in body["items"]] == [CODES["unknown"], CODES["fr_only"]]
    first = body["items"][0]
    assert first["result"] == "none" and first["country"] == "FR" and first["user"] == "fr_officer"
    assert [item["code"] for item in client.get(URL, {"limit": 2, "offset": 2}).json()["items"]] == [CODES["published"]]
    assert client.get(URL, {"result": "product"}).json()["count"] == 2
    assert_error(client.get(URL, {"limit": 1000}), 422, "invalid_input")


def test_the_history_follows_the_access_policy(world, catalogue):
    for role in ("fr_officer", "fr_viewer", "ma_officer", "brand_editor"):
        post_code(api_client(world.users[role]), CODES["published"])

    def seen(role, **query):
        items = api_client(world.users[role]).get(URL, query).json()["items"]
        return sorted(item["user"] for item in items)

    assert seen("fr_officer") == ["fr_officer"]
    assert seen("fr_admin") == ["fr_officer", "fr_viewer"]  # the administration's admins: their officers' scans
    assert seen("fr_admin", mine="true") == []
    assert seen("ma_admin") == ["ma_officer"]
    assert seen("brand_admin") == []  # a right holder never reads officers' scans, nor its colleagues'
    assert seen("brand_editor") == ["brand_editor"]
    assert seen("secretariat_viewer") == ["brand_editor", "fr_officer", "fr_viewer", "ma_officer"]
    assert seen("provider_admin") == []


def test_the_operations_are_documented_with_examples(world):
    schema = Client().get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/scans"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert post["requestBody"]["content"]["application/json"]["examples"]
    assert set(post["responses"]) >= {"200", "400", "413"}
    assert post["responses"]["200"]["content"]["application/json"]["examples"]["brand"]
    assert "get" in schema["paths"]["/api/v1/scans"]
