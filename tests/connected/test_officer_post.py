"""The officer's post (a UN/LOCODE given on the scan page, kept in the session) goes with their verifications as the
protocol's ``context.location``; a post that is not a UN/LOCODE refuses the scan and changes nothing."""

import json

from django.urls import reverse

from ipm.connected.models import Verification
from ipm.connected.verification import OFFICER_POST_SESSION_KEY
from ipm.scans.models import ScanLog
from tests.connected.verification_setup import code_for


def verify(client, scan, service, **extra):
    return client.post(
        reverse("connected_officer:verify"),
        {"scan": scan.pk, "service": service.public_id, **extra},
        headers={"IPM-Fragment": "1"},
    )


def test_the_post_given_on_the_scan_page_is_the_location_of_the_verification(secured, client_for):
    client = client_for(secured.officer)
    response = client.post(reverse("scans:scan"), {"code": code_for("SN-POST-1"), "post": " frleh "})
    assert response.status_code == 302
    assert client.session[OFFICER_POST_SESSION_KEY] == "FRLEH"
    assert 'value="FRLEH"' in client.get(reverse("scans:scan")).content.decode()  # shown again, to change it
    scan = ScanLog.objects.get(serial="SN-POST-1")
    assert verify(client, scan, secured.service).status_code == 200
    verification = Verification.objects.get(scan=scan)
    assert verification.location_unlocode == "FRLEH"
    assert verification.request_body["context"]["location"] == {"unlocode": "FRLEH"}
    received = [r for r in secured.provider.received() if str(verification.request_id) in json.dumps(r)]
    assert received and "FRLEH" in json.dumps(received)


def test_a_location_in_the_request_wins_and_an_empty_post_forgets_it(secured, client_for):
    client = client_for(secured.officer)
    client.post(reverse("scans:scan"), {"code": code_for("SN-POST-2"), "post": "FRLEH"})
    scan = ScanLog.objects.get(serial="SN-POST-2")
    verify(client, scan, secured.service, location="FRCDG")
    assert Verification.objects.get(scan=scan).location_unlocode == "FRCDG"
    client.post(reverse("scans:scan"), {"code": code_for("SN-POST-3"), "post": ""})
    assert OFFICER_POST_SESSION_KEY not in client.session
    scan = ScanLog.objects.get(serial="SN-POST-3")
    verify(client, scan, secured.service)
    assert Verification.objects.get(scan=scan).location_unlocode == ""


def test_a_post_that_is_not_a_unlocode_refuses_the_scan_and_keeps_the_input(secured, client_for):
    client = client_for(secured.officer)
    client.post(reverse("scans:scan"), {"code": code_for("SN-POST-4"), "post": "FRLEH"})
    response = client.post(reverse("scans:scan"), {"code": code_for("SN-POST-5"), "post": "Le Havre"})
    page = response.content.decode()
    assert response.status_code == 200 and "is not a UN/LOCODE" in page
    assert 'value="Le Havre"' in page and "SN-POST-5" in page  # nothing typed is lost
    assert not ScanLog.objects.filter(serial="SN-POST-5").exists()
    assert client.session[OFFICER_POST_SESSION_KEY] == "FRLEH"  # the post given before is kept
