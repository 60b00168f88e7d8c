"""The officer's flow over HTTP, against the real reference provider: the scan's answer names the securing service
(API) or leads to the product page with the scan (page), the verification runs on request and answers the verdict;
the list shows right holders their products' verifications without who asked."""

import json

import pytest
from django.urls import reverse

from ipm.connected.models import Reach, Verification
from ipm.scans.models import ScanLog
from tests.api.helpers import api_client, assert_error
from tests.connected.verification_setup import (
    GTIN,
    NEVER,
    code_for,
    make_service,
    secure_brand,
)

VERIFY = "/api/v1/connected/verifications"


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_scan_answer_names_the_securing_service_and_how_to_verify(secured):
    client = api_client(secured.officer)
    response = post_json(client, "/api/v1/scans", {"code": code_for("SN-OK-1")})
    assert response.status_code == 200
    result = response.json()["results"][0]
    scan_id = result["scan_id"]
    assert ScanLog.objects.filter(pk=scan_id, serial="SN-OK-1").exists()
    [entry] = result["connected"]
    assert entry["service"] == {
        "id": secured.service.public_id,
        "name": "Test registry",
        "provider": secured.world.orgs["provider"].name,
    }
    assert entry["reach"] == Reach.VERIFICATION_API
    assert entry["verify"]["method"] == "POST" and entry["verify"]["url"].endswith(VERIFY)
    assert entry["verify"]["body"] == {"scan": scan_id, "service": secured.service.public_id}
    assert not Verification.objects.exists()  # the scan itself calls nobody

    verdict = post_json(client, VERIFY, {**entry["verify"]["body"], "location": "FRLEH"})
    assert verdict.status_code == 200, verdict.content
    body = verdict.json()
    assert (body["outcome"], body["reasons"], body["fault"]) == ("authentic", [], "")
    assert body["service"]["id"] == secured.service.public_id and body["location"] == "FRLEH"
    assert body["officer"] and body["scan_id"] == scan_id
    assert body["history"].get("events") == 0


def test_officers_of_unsecured_products_and_other_users_get_no_connected_entry(secured, world):
    from tests.scans.conftest import CODES

    officer = api_client(secured.officer)
    plain = post_json(officer, "/api/v1/scans", {"code": CODES["in_prefix"]}).json()["results"][0]
    assert plain["connected"] == []
    holder = post_json(api_client(world.users["brand_editor"]), "/api/v1/scans", {"code": code_for("SN-OK-1")})
    assert holder.json()["results"][0]["connected"] == []


def test_verification_requests_that_cannot_be_served(secured, world):
    scan = secured.scan("SN-OK-1")
    service = secured.service.public_id
    officer = api_client(secured.officer)
    assert_error(post_json(officer, VERIFY, {"scan": scan.pk + 1000, "service": service}), 404, "not_found")
    assert_error(post_json(officer, VERIFY, {"scan": scan.pk, "service": "svc_nothing"}), 404, "not_found")
    assert_error(
        post_json(officer, VERIFY, {"scan": scan.pk, "service": service, "location": "x"}), 422, "invalid_input"
    )
    assert_error(post_json(officer, VERIFY, {"scan": "one"}), 422, "invalid_input")
    # another officer's scan is not theirs to verify; a right holder does not verify at all
    assert_error(
        post_json(api_client(world.users["ma_officer"]), VERIFY, {"scan": scan.pk, "service": service}),
        404,
        "not_found",
    )
    assert_error(
        post_json(api_client(world.users["brand_editor"]), VERIFY, {"scan": scan.pk, "service": service}),
        403,
        "forbidden",
    )
    other = make_service(world, secured.provider, name="Not linked")
    assert_error(post_json(officer, VERIFY, {"scan": scan.pk, "service": other.public_id}), 403, "forbidden")
    assert not Verification.objects.exists()


def test_an_unavailable_provider_answers_unavailable_not_a_verdict(secured):
    scan = secured.scan("SN-OK-2")
    secured.provider.faults("malformed_json")
    body = post_json(api_client(secured.officer), VERIFY, {"scan": scan.pk, "service": secured.service.public_id})
    assert body.status_code == 200
    assert (body.json()["outcome"], body.json()["fault"]) == ("unavailable", "malformed")


def test_the_list_hides_who_asked_from_right_holders(secured, world):
    scan = secured.scan(NEVER)
    post_json(api_client(secured.officer), VERIFY, {"scan": scan.pk, "service": secured.service.public_id})
    own = api_client(secured.officer).get(VERIFY).json()
    assert own["count"] == 1 and own["items"][0]["officer"] and own["items"][0]["outcome"] == "counterfeit"
    holder = api_client(world.users["brand_admin"]).get(VERIFY)
    assert holder.status_code == 200
    [item] = holder.json()["items"]
    assert item["outcome"] == "counterfeit" and item["gtin"] == GTIN
    assert item["officer"] is None and item["scan_id"] is None
    assert secured.officer.email not in holder.content.decode()
    assert api_client(world.users["rival_admin"]).get(VERIFY).json()["count"] == 0


# --- Pages --------------------------------------------------------------------------------------------------------


def test_the_scan_page_leads_to_the_product_page_with_its_verification_panel(secured, client_for):
    client = client_for(secured.officer)
    response = client.post(reverse("scans:scan"), {"code": code_for("SN-OK-3")})
    assert response.status_code == 302
    scan = ScanLog.objects.get(serial="SN-OK-3")
    product_url = reverse("catalog:product_detail", args=[secured.catalogue.products["published"].pk])
    assert response["Location"] == f"{product_url}?scan={scan.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "data-connected-panel" in page and secured.service.public_id in page and "connected/verify.js" in page
    # the panel's script asks for the verdict card
    card = client.post(
        reverse("connected_officer:verify"),
        {"scan": scan.pk, "service": secured.service.public_id},
        headers={"IPM-Fragment": "1"},
    )
    html = card.content.decode()
    assert card.status_code == 200 and 'data-outcome="authentic"' in html and "<html" not in html
    assert "Track-and-trace history" in html  # part B's findings beside the verdict
    # without script: a whole page with a way back
    again = client.post(reverse("connected_officer:verify"), {"scan": scan.pk, "service": secured.service.public_id})
    assert "<html" in again.content.decode() and product_url in again.content.decode()


def test_the_panel_is_only_for_one_s_own_scan_of_that_product(secured, client_for, world):
    scan = secured.scan("SN-OK-3")
    product = secured.catalogue.products["published"]
    url = reverse("catalog:product_detail", args=[product.pk])
    assert (
        "data-connected-panel"
        not in client_for(world.users["ma_officer"]).get(f"{url}?scan={scan.pk}").content.decode()
    )
    other = reverse("catalog:product_detail", args=[secured.catalogue.products["fr_only"].pk])
    assert "data-connected-panel" not in client_for(secured.officer).get(f"{other}?scan={scan.pk}").content.decode()
    assert "data-connected-panel" not in client_for(secured.officer).get(f"{url}?scan=abc").content.decode()


def test_a_fault_card_offers_to_try_again(secured, client_for):
    scan = secured.scan("SN-OK-3")
    secured.provider.faults("http_500")
    html = (
        client_for(secured.officer)
        .post(
            reverse("connected_officer:verify"),
            {"scan": scan.pk, "service": secured.service.public_id},
            headers={"IPM-Fragment": "1"},
        )
        .content.decode()
    )
    assert (
        'data-outcome="unavailable"' in html and "data-connected-retry" in html and 'data-fault="http_status"' in html
    )


def test_several_codes_on_the_scan_page_each_get_their_panel(secured, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.scans.conftest import photo_of

    photo = photo_of(
        ("(01)" + GTIN + "(17)301231(10)LOT1(21)SN-OK-4", "DataMatrix", True),
        ("(01)" + GTIN + "(17)301231(10)LOT1(21)SN-OK-5", "DataMatrix", True),
    )
    response = client_for(secured.officer).post(
        reverse("scans:scan"), {"image": SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-connected-panel") == 2


@pytest.mark.parametrize("reach", [Reach.APP_LAUNCH])
def test_open_the_provider_s_app_is_recorded_then_opened(secured, client_for, world, reach):
    app = make_service(
        world,
        secured.provider,
        name="App",
        reach=reach,
        verification_url="",
        app_link_template="providerapp://verify?s={serial}",
    )
    secure_brand(app, world, secured.catalogue)
    scan = secured.scan("SN-OK-1")
    client = client_for(secured.officer)
    page = client.get(
        reverse("catalog:product_detail", args=[secured.catalogue.products["published"].pk]) + f"?scan={scan.pk}"
    )
    assert "Open the provider" in page.content.decode()
    response = client.post(reverse("connected_officer:launch"), {"scan": scan.pk, "service": app.public_id})
    assert response.status_code == 302 and response["Location"] == "providerapp://verify?s=SN-OK-1"
    assert Verification.objects.get(service=app).outcome == "launched"


def test_with_the_deferred_log_a_secured_scan_is_logged_at_once(secured, settings):
    """The verification names the scan by its row: the row of a secured item is not queued behind the answer."""
    from ipm.scans import log_writer

    settings.SCAN_LOG_DEFERRED = True
    writer = log_writer.writer_for(ScanLog, "default")
    try:
        client = api_client(secured.officer)
        result = post_json(client, "/api/v1/scans", {"code": code_for("SN-OK-2")}).json()["results"][0]
        assert result["scan_id"] is not None and writer.rows == []
        assert ScanLog.objects.filter(pk=result["scan_id"], serial="SN-OK-2").exists()
        body = result["connected"][0]["verify"]["body"]
        assert post_json(client, VERIFY, body).json()["outcome"] == "authentic"
    finally:
        writer.stop()


def test_the_history_findings_stand_beside_the_verdict(secured, world, client_for):
    """Part B's track-and-trace checks: the right holder captured the item's decommissioning in EPCIS; the card
    shows the provider's verdict and, beside it, the history finding."""
    from ipm.epcis import services as epcis
    from ipm.epcis.models import CaptureJob, CaptureStatus

    editor = world.users["brand_editor"]
    uri = f"https://id.gs1.org/01/{GTIN}/21/SN-GONE"
    events = [
        {
            "type": "ObjectEvent",
            "eventTime": f"2026-01-0{day}T10:00:00.000Z",
            "eventTimeZoneOffset": "+01:00",
            "action": action,
            "bizStep": step,
            "disposition": disposition,
            "epcList": [uri],
        }
        for day, action, step, disposition in (
            (1, "ADD", "commissioning", "active"),
            (2, "DELETE", "decommissioning", "inactive"),
        )
    ]
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-03T00:00:00Z",
        "epcisBody": {"eventList": events},
    }
    job = CaptureJob.objects.create(organisation=editor.organisation, created_by=editor)
    epcis.run_capture(job, document, editor)
    job.refresh_from_db()
    assert job.status == CaptureStatus.SUCCESS

    scan = secured.scan("SN-GONE")
    html = (
        client_for(secured.officer)
        .post(
            reverse("connected_officer:verify"),
            {"scan": scan.pk, "service": secured.service.public_id},
            headers={"IPM-Fragment": "1"},
        )
        .content.decode()
    )
    assert 'data-outcome="counterfeit"' in html
    assert 'data-finding="decommissioned"' in html
    verification = Verification.objects.get(scan=scan)
    assert verification.history["events"] == 2
    assert "decommissioned" in [finding["code"] for finding in verification.history["findings"]]
