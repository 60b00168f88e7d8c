"""``connected.verification``: verifying a scan against the real reference provider records what was asked and what
was answered, never the officer's identity in what is sent; faults are recorded as "unavailable"; app launch and
Digital Link services give the address to open."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipm.connected import verification as verifying
from ipm.connected.models import Reach, Verification, VerificationOutcome
from ipm.gs1 import parse_code
from ipm.resolver.models import LinkType, ResolverLink
from tests.connected.verification_setup import (
    GTIN,
    LOT,
    NEVER,
    code_for,
    make_service,
    secure_brand,
)


def test_an_authentic_item_is_recorded_with_its_inputs(secured):
    scan = secured.scan("SN-OK-1")
    verification = verifying.verify_scan(secured.officer, scan, secured.service, "frleh", language="fr")
    verification.refresh_from_db()
    assert verification.outcome == VerificationOutcome.AUTHENTIC
    assert (verification.gtin, verification.serial, verification.lot) == (GTIN, "SN-OK-1", LOT)
    assert (verification.country, verification.location_unlocode) == ("FR", "FRLEH")
    assert verification.user == secured.officer and verification.scan == scan
    assert verification.product == secured.catalogue.products["published"]
    assert verification.right_holder == secured.world.orgs["brand"]
    assert verification.attempts == 1 and verification.latency_ms is not None and verification.finished_at
    assert verification.message_language == "fr" and verification.message
    body = verification.request_body
    assert body["requestId"] == str(verification.request_id) and body["service"] == secured.service.public_id
    assert body["gs1"]["serial"] == "SN-OK-1" and body["gs1"]["expiry"] == "2030-12-31"
    assert body["gs1"]["ais"] == {"01": GTIN, "10": LOT, "21": "SN-OK-1", "17": "301231"}
    assert body["context"] == {
        "country": "FR",
        "location": {"unlocode": "FRLEH"},
        "scannedAt": scan.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": "fr",
    }


def test_the_officer_s_identity_never_reaches_the_provider(secured):
    officer = secured.officer
    verification = verifying.verify_scan(officer, secured.scan("SN-OK-2"), secured.service)
    received = [r for r in secured.provider.received() if str(verification.request_id) in json.dumps(r)]
    assert received, "the provider stored the request"
    sent = json.dumps(received) + json.dumps(verification.request_body)
    for secret in (officer.email, officer.full_name, officer.organisation.name, f'"{officer.pk}"'):
        assert secret not in sent, secret
    assert "user" not in json.dumps(verification.request_body).lower()


def test_each_verdict_of_the_demo_kinds(secured):
    expected = {
        "SN-OK-3": ("authentic", []),
        NEVER: ("counterfeit", ["No_match_GTIN_Serial"]),
        "SN-GONE": ("counterfeit", ["Decommissioned"]),
    }
    for serial, (outcome, reasons) in expected.items():
        verification = verifying.verify_scan(secured.officer, secured.scan(serial), secured.service)
        assert (verification.outcome, verification.reasons) == (outcome, reasons), serial
    lot = verifying.verify_scan(secured.officer, secured.scan("SN-OK-3", lot="OTHER"), secured.service)
    assert lot.outcome == "counterfeit" and lot.reasons[0].startswith("No_match_GTIN_Serial_Lot")


def test_a_scan_already_answered_is_not_asked_again(secured):
    scan = secured.scan("SN-OK-4")
    first = verifying.verify_scan(secured.officer, scan, secured.service)
    before = len(secured.provider.received(1000))
    again = verifying.verify_scan(secured.officer, scan, secured.service)
    assert again.pk == first.pk and Verification.objects.count() == 1
    assert len(secured.provider.received(1000)) == before


def test_a_fault_is_recorded_unavailable_and_tried_again_later(secured):
    scan = secured.scan("SN-OK-4")
    secured.provider.faults("bad_signature")
    failed = verifying.verify_scan(secured.officer, scan, secured.service)
    assert (failed.outcome, failed.fault) == ("unavailable", "signature")
    assert not Verification.objects.filter(outcome__in=["authentic", "counterfeit", "suspect"]).exists()
    secured.provider.faults("none")
    retried = verifying.verify_scan(secured.officer, scan, secured.service)
    assert retried.pk != failed.pk and retried.outcome == "authentic"


def test_only_the_scanning_officer_verifies_and_only_a_securing_service(secured, world):
    scan = secured.scan("SN-OK-1")
    for other in ("ma_officer", "fr_admin", "brand_editor", "secretariat_admin"):
        with pytest.raises(PermissionDenied):
            verifying.verify_scan(world.users[other], scan, secured.service)
    stranger = make_service(world, secured.provider, name="Not linked")
    with pytest.raises(PermissionDenied):
        verifying.verify_scan(secured.officer, scan, stranger)
    secured.service.status = "suspended"
    secured.service.save()
    with pytest.raises(PermissionDenied):
        verifying.verify_scan(secured.officer, scan, secured.service)
    assert not Verification.objects.exists()


def test_a_bad_location_is_refused_before_any_call(secured):
    with pytest.raises(ValidationError) as refused:
        verifying.verify_scan(secured.officer, secured.scan("SN-OK-1"), secured.service, "Le Havre")
    assert "UN/LOCODE" in str(refused.value)
    assert not Verification.objects.exists()


def test_an_app_launch_fills_its_template_percent_encoded(secured, world):
    app = make_service(
        world,
        secured.provider,
        name="App",
        reach=Reach.APP_LAUNCH,
        verification_url="",
        app_link_template="providerapp://verify?c={code}&g={gtin}&s={serial}&x={expiry}&k={country}&n={nothing}",
    )
    parsed = parse_code(code_for("A/B&C"))
    url = verifying.launch_url(app, parsed, country="FR")
    assert url == (
        "providerapp://verify?c=%5Dd201" + GTIN + "1730123110LOT1%1D21A%2FB%26C"
        f"&g={GTIN}&s=A%2FB%26C&x=2030-12-31&k=FR&n={{nothing}}"
    )
    secure_brand(app, world, secured.catalogue)
    scan = secured.scan("SN-OK-1")
    target, verification = verifying.launch(secured.officer, scan, app)
    assert target.startswith("providerapp://verify?c=") and verification.outcome == VerificationOutcome.LAUNCHED
    assert verification.request_body == {"launch": target}


def test_a_digital_link_service_offers_the_resolver_s_verification_link(secured, world):
    dl_service = make_service(
        world, secured.provider, name="DL", reach=Reach.DIGITAL_LINK, verification_url="", link_hosts="verify.example"
    )
    secure_brand(dl_service, world, secured.catalogue)
    product = secured.catalogue.products["published"]
    parsed = parse_code(code_for("SN-OK-1"))
    assert verifying.digital_link_url(dl_service, product, parsed) == ""  # the right holder published no link yet
    ResolverLink.objects.create(
        right_holder=world.orgs["brand"],
        product=product,
        link_type=LinkType.VERIFICATION_SERVICE,
        target_url="https://elsewhere.example/check",
        title="Another host",
    )
    ResolverLink.objects.create(
        right_holder=world.orgs["brand"],
        product=product,
        link_type=LinkType.VERIFICATION_SERVICE,
        target_url="https://verify.example/check?brand=aurelia",
        title="Verify",
    )
    link = verifying.digital_link_url(dl_service, product, parsed)
    assert link.startswith("https://verify.example/check?brand=aurelia&dl=https%3A%2F%2Fid.gs1.org%2F01%2F" + GTIN)
    offers = {
        offer.service.name: offer for offer in verifying.offers_for(secured.officer, product=product, parsed=parsed)
    }
    assert offers["DL"].link == link and offers["Test registry"].reach == Reach.VERIFICATION_API


def test_nothing_is_offered_to_who_may_not_verify(secured, world):
    product = secured.catalogue.products["published"]
    parsed = parse_code(code_for("SN-OK-1"))
    assert verifying.offers_for(secured.officer, product=product, parsed=parsed)
    assert verifying.offers_for(world.users["brand_editor"], product=product, parsed=parsed) == []
    assert verifying.offers_for(world.users["provider_admin"], product=product, parsed=parsed) == []


def test_history_checks_are_stored_for_a_serialised_item(secured):
    history = pytest.importorskip("ipm.epcis.history")
    verification = verifying.verify_scan(secured.officer, secured.scan("SN-OK-1"), secured.service)
    assert verification.history.get("events") == 0  # no EPCIS data for this GTIN: said so, no finding
    assert history is not None
