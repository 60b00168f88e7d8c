"""The scan page (``/scan/``) and the scan history (``/scan/history/``) as rendered by the server."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipm.scans.models import ScanLog, ScanResult, ScanSource
from tests.scans.conftest import CODES, photo_of

pytestmark = pytest.mark.django_db

SCAN = "/scan/"
HISTORY = "/scan/history/"


def text(response) -> str:
    return response.content.decode()


def test_the_page_has_the_form_the_camera_script_expects(world, client_for):
    response = client_for(world.users["fr_officer"]).get(SCAN)
    assert response.status_code == 200
    html = text(response)
    assert 'id="scan-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="code"' in html and "autofocus" in html and 'inputmode="text"' in html and 'dir="ltr"' in html
    assert 'name="image"' in html and 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'id="camera"' in html  # scans/_camera.html, included near the top
    assert html.index('id="camera"') < html.index('id="scan-form"')


def test_a_code_of_a_readable_sheet_goes_straight_to_it(world, catalogue, client_for):
    response = client_for(world.users["fr_officer"]).post(SCAN, {"code": CODES["fr_only"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_detail", args=[catalogue.products["fr_only"].pk])
    assert ScanLog.objects.get().source == ScanSource.PAGE


def test_the_camera_marks_its_reads(world, catalogue, client_for):
    client = client_for(world.users["fr_officer"])
    client.post(SCAN, {"code": CODES["published"], "source": "camera"})
    client.post(SCAN, {"code": CODES["published"], "source": "api"})  # a page cannot claim any other source
    assert list(ScanLog.objects.order_by("pk").values_list("source", flat=True)) == ["camera", "page"]


def test_brand_only_shows_the_right_holder_and_how_to_reach_it(world, catalogue, client_for):
    response = client_for(world.users["fr_officer"]).post(SCAN, {"code": CODES["in_prefix"]})
    assert response.status_code == 200
    html = text(response)
    assert 'data-match="brand"' in html
    assert "The brand owner is in IPM, this product is not" in html
    assert "Brand A" in html and "4006381" in html and "Aurelia" in html
    assert 'href="tel:+33123456789"' in html and 'href="mailto:desk@brand.test"' in html
    assert "Scarf specialist" not in html  # the contact tied to one sheet
    assert f'value="{CODES["in_prefix"]}"' in html  # the code stays in the field


def test_an_unknown_code_says_what_to_do_next(world, catalogue, client_for):
    html = text(client_for(world.users["ma_officer"]).post(SCAN, {"code": CODES["unknown"]}))
    assert 'data-match="none"' in html and "IPM knows nothing of this code" in html
    assert f'href="{reverse("catalog:product_list")}"' in html
    assert "Number issued by" in html and "not the country of origin" in html


def test_a_web_address_is_shown_but_not_linked(world, catalogue, client_for):
    html = text(client_for(world.users["fr_officer"]).post(SCAN, {"code": "https://fake.example/promo"}))
    assert "This is not a product code" in html and "https://fake.example/promo" in html
    assert 'href="https://fake.example/promo"' not in html


def test_an_invalid_code_shows_the_problems_and_keeps_the_code(world, catalogue, client_for):
    code = "(01)09506000134352(17)3012"
    response = client_for(world.users["fr_officer"]).post(SCAN, {"code": code})
    assert response.status_code == 200
    html = text(response)
    assert "This code cannot be read" in html and 'data-problem="truncated"' in html
    assert 'value="(01)09506000134352(17)3012"' in html and "is-invalid" in html
    assert ScanLog.objects.get().result == ScanResult.INVALID


def test_a_gs_separator_is_put_back_visibly_and_still_reads(world, catalogue, client_for):
    client = client_for(world.users["fr_officer"])
    code = f"]d2010{CODES['in_prefix']}10LOT\x1d21SN"
    html = text(client.post(SCAN, {"code": code}))
    assert f'value="]d2010{CODES["in_prefix"]}10LOT&lt;GS&gt;21SN"' in html
    again = text(client.post(SCAN, {"code": f"]d2010{CODES['in_prefix']}10LOT<GS>21SN"}))
    assert 'data-match="brand"' in again
    assert list(ScanLog.objects.values_list("serial", flat=True)) == ["SN", "SN"]


def test_an_empty_field_asks_for_a_code_and_logs_nothing(world, catalogue, client_for):
    html = text(client_for(world.users["fr_officer"]).post(SCAN, {"code": "  "}))
    assert "Type or scan a code first." in html
    assert not ScanLog.objects.exists()


def test_a_photo_of_one_known_product_goes_straight_to_it(world, catalogue, client_for):
    photo = SimpleUploadedFile("p.jpg", photo_of((CODES["published"], "EAN13", False)), content_type="image/jpeg")
    response = client_for(world.users["fr_officer"]).post(SCAN, {"code": "", "image": photo})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_detail", args=[catalogue.products["published"].pk])
    assert ScanLog.objects.get().source == ScanSource.PHOTO


def test_a_photo_with_several_barcodes_lists_them_to_choose_from(world, catalogue, client_for):
    data = photo_of((CODES["published"], "EAN13", False), (CODES["fr_only"], "EAN13", False))
    photo = SimpleUploadedFile("p.jpg", data, content_type="image/jpeg")
    html = text(client_for(world.users["fr_officer"]).post(SCAN, {"image": photo}))
    assert "2 barcodes in the photo" in html
    for key in ("published", "fr_only"):
        assert f'href="{reverse("catalog:product_detail", args=[catalogue.products[key].pk])}"' in html


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a picture", "This file is not a picture IPM accepts."),
        (photo_of(), "No barcode was found in the photo."),
    ],
)
def test_a_photo_that_cannot_be_used_is_explained(world, catalogue, client_for, data, message):
    photo = SimpleUploadedFile("p.jpg", data, content_type="image/jpeg")
    response = client_for(world.users["fr_officer"]).post(SCAN, {"code": "", "image": photo})
    assert response.status_code == 200 and message in text(response)
    assert not ScanLog.objects.exists()


def test_service_providers_have_no_scan_page_nor_entry(world, client_for):
    provider = client_for(world.users["provider_admin"])
    assert provider.get(SCAN).status_code == 403
    assert f'href="{SCAN}"' not in text(provider.get("/"))
    officer_home = text(client_for(world.users["fr_officer"]).get("/"))
    assert f'href="{SCAN}"' in officer_home and 'id="home-scan"' in officer_home
    assert f'href="{SCAN}"' in text(client_for(world.users["brand_viewer"]).get("/"))


# --- History ------------------------------------------------------------------------------------------------------


def test_the_history_shows_own_scans_with_the_product(world, catalogue, client_for):
    client = client_for(world.users["fr_officer"])
    client.post(SCAN, {"code": CODES["published"]})
    client.post(SCAN, {"code": CODES["in_prefix"]})
    client_for(world.users["fr_viewer"]).post(SCAN, {"code": CODES["unknown"]})
    html = text(client.get(HISTORY))
    assert html.count("data-result=") == 2
    assert "Scarf published" in html and "Brand A" in html
    assert CODES["unknown"] not in html


def test_an_administrations_admin_sees_its_officers_scans_and_may_narrow_to_its_own(world, catalogue, client_for):
    client_for(world.users["fr_officer"]).post(SCAN, {"code": CODES["unknown"]})
    client_for(world.users["ma_officer"]).post(SCAN, {"code": CODES["unknown"]})
    admin = client_for(world.users["fr_admin"])
    html = text(admin.get(HISTORY))
    assert html.count("data-result=") == 1 and "fr_officer" in html and "(FR)" in html
    assert text(admin.get(HISTORY, {"mine": "1"})).count("data-result=") == 0


def test_a_product_no_longer_readable_is_not_named(world, catalogue, client_for):
    client = client_for(world.users["fr_officer"])
    client.post(SCAN, {"code": CODES["fr_only"]})
    product = catalogue.products["fr_only"]
    type(product).objects.filter(pk=product.pk).update(status="archived")
    html = text(client.get(HISTORY))
    assert "Scarf fr_only" not in html and "A product sheet you may no longer read" in html


def test_the_history_is_paged(world, catalogue, client_for):
    officer = world.users["fr_officer"]
    ScanLog.objects.bulk_create(
        ScanLog(
            user=officer, organisation=officer.organisation, country="FR", source="api", raw_code=str(n), result="none"
        )
        for n in range(30)
    )
    client = client_for(officer)
    first, second = text(client.get(HISTORY)), text(client.get(HISTORY, {"page": 2}))
    assert first.count("data-result=") == 25 and second.count("data-result=") == 5
    assert "Page 1 of 2" in first
