"""POST /verify of the reference provider, a real process on loopback: every verdict, languages, idempotent
retries, signatures (missing, stale, mismatched, replayed, rotated) and malformed requests."""

import json
import subprocess
import sys
import threading
import time
import uuid

import pytest

from ipm.connected import signing
from ipm_reference_provider.demo import CODES_BY_KEY, DEMO_GTIN
from tests.reference_provider.process import request_body, start_reference_provider


def verdict_of(provider, **fields):
    status, answer, headers, raw = provider.verify(request_body(**fields))
    assert status == 200, answer
    provider.check_answer(raw, headers)  # every answer is signed over its exact bytes
    return answer


def test_the_package_imports_no_django():
    code = "import sys, ipm_reference_provider.cli, ipm_reference_provider.app; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("key", sorted(CODES_BY_KEY))
def test_each_demo_code_gets_its_verdict(provider, key):
    code = CODES_BY_KEY[key]
    answer = verdict_of(provider, gtin=code.gtin, serial=code.serial, lot=code.lot, expiry=code.expiry, country="FR")
    assert (answer["verdict"], answer["reasons"]) == (code.verdict, list(code.reasons))
    assert answer["protocol"] == "ipm-connected/1"
    assert answer["message"]["text"]
    assert "evidenceUrl" not in answer


def test_answer_shape_echoes_the_request(provider):
    body = request_body()
    status, answer, headers, raw = provider.verify(body)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert answer["requestId"] == body["requestId"]
    assert time.time() - time.mktime(time.strptime(answer["checkedAt"], "%Y-%m-%dT%H:%M:%SZ")) < 86400 + 60
    assert abs(provider.check_answer(raw, headers) - time.time()) < 5


def test_unknown_gtin_and_missing_serial(provider):
    other = verdict_of(provider, gtin="07612345001012")  # a demo GTIN this provider does not secure
    assert (other["verdict"], other["reasons"]) == ("unknown", ["No_match_GTIN"])
    no_serial = verdict_of(provider, serial=None)
    assert (no_serial["verdict"], no_serial["reasons"]) == ("unknown", [])
    bad_gtin = verdict_of(provider, gtin="07612345010015")  # wrong check digit: not a GTIN it secures
    assert bad_gtin["verdict"] == "unknown"


def test_lot_and_expiry_must_match_the_commissioned_ones(provider):
    serial = "AHC38-0005"
    assert verdict_of(provider, serial=serial, lot="X1")["reasons"] == ["No_match_GTIN_Serial_Lot"]
    assert verdict_of(provider, serial=serial, expiry="2031-01-31")["reasons"] == ["No_match_GTIN_Serial_Expiry"]
    both = verdict_of(provider, serial=serial, lot="X1", expiry="2031-01-31")
    assert (both["verdict"], both["reasons"]) == ("counterfeit", ["No_match_GTIN_Serial_Lot_Expiry"])
    # Absent lot and expiry are not checked (an EAN-13 plus a serial, say).
    assert verdict_of(provider, serial=serial, lot=None, expiry=None)["verdict"] == "authentic"


def test_a_serial_verified_in_another_country_within_the_window_is_cloned(provider):
    serial = CODES_BY_KEY["authentic_2"].serial
    assert verdict_of(provider, serial=serial, country="FR")["verdict"] == "authentic"
    assert verdict_of(provider, serial=serial, country="FR")["verdict"] == "authentic"  # same country: fine
    moroccan = verdict_of(provider, serial=serial, country="MA", language="ar")
    assert (moroccan["verdict"], moroccan["reasons"]) == ("suspect", ["Cloned_code"])
    assert "24" in moroccan["message"]["text"]
    history = provider.item(DEMO_GTIN, serial)["verifications"]
    assert [v["country"] for v in history] == ["MA", "FR", "FR"]


def test_sightings_outside_the_clone_window_do_not_count(tmp_path, secret):
    provider = start_reference_provider(tmp_path, secret, seed_demo=True, clone_window_hours=1)
    try:
        serial = "AHC38-0005"
        two_hours_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 7200))
        assert verdict_of(provider, serial=serial, country="BE", scanned_at=two_hours_ago)["verdict"] == "authentic"
        assert verdict_of(provider, serial=serial, country="FR")["verdict"] == "authentic"
        assert verdict_of(provider, serial=serial, country="ES")["reasons"] == ["Cloned_code"]
    finally:
        provider.stop()


def test_outside_market_and_cloned_together(provider):
    serial = CODES_BY_KEY["outside_market"].serial
    assert verdict_of(provider, serial=serial, country="US")["verdict"] == "authentic"  # one of its markets
    both = verdict_of(provider, serial=serial, country="FR")
    assert (both["verdict"], both["reasons"]) == ("suspect", ["Cloned_code", "Outside_intended_market"])


def test_a_serial_never_shipped_has_no_market_restriction(provider):
    provider.commission([{"gtin": DEMO_GTIN, "serial": "NEW-1", "lot": "", "expiry": ""}])
    assert verdict_of(provider, serial="NEW-1", country="BR")["verdict"] == "authentic"


@pytest.mark.parametrize(
    ("language", "accept", "expected_language", "expected_text"),
    [
        ("fr", None, "fr", "Cet article est enregistré et authentique."),
        ("es", None, "es", "Este artículo está registrado y es auténtico."),
        ("ar", None, "ar", "هذا المنتج مسجّل وأصلي."),
        ("pt-BR", None, "pt", "Este item está registrado e é autêntico."),
        ("de", "de-CH, es;q=0.9, en;q=0.5", "es", "Este artículo está registrado y es auténtico."),
        ("de", None, "en", "This item is registered and genuine."),
    ],
)
def test_message_in_the_officers_language(provider, language, accept, expected_language, expected_text):
    headers = {"Accept-Language": accept} if accept else None
    status, answer, _, _ = provider.verify(request_body(language=language), headers=headers)
    assert status == 200
    assert answer["message"] == {"language": expected_language, "text": expected_text}


def test_a_digital_link_without_parsed_gs1_data_is_read_from_the_raw_code(provider):
    body = request_body()
    body["gs1"] = None
    body["code"] = {"raw": f"https://id.example/01/{DEMO_GTIN}/10/L2607A/21/AHC38-0666?17=301231", "symbology": ""}
    status, answer, _, _ = provider.verify(body)
    assert (status, answer["verdict"], answer["reasons"]) == (200, "counterfeit", ["Decommissioned"])
    body = request_body(request_id=str(uuid.uuid4()))
    body["gs1"] = None
    body["code"] = {"raw": "PROVIDER-OWN-FORMAT-123", "symbology": ""}
    assert provider.verify(body)[1]["verdict"] == "unknown"


# --- Idempotency -------------------------------------------------------------------------------------------------


def test_a_retry_gets_the_same_answer_and_is_not_a_second_sighting(provider):
    serial = CODES_BY_KEY["authentic_3"].serial
    body = request_body(serial=serial, country="FR")
    now = int(time.time())
    first = provider.verify(body, timestamp=now - 1)
    retry = provider.verify(body, timestamp=now)  # a new timestamp, so a new signature (not a replay)
    assert first[0] == retry[0] == 200
    assert retry[3] == first[3]  # the same answer, byte for byte
    provider.check_answer(retry[3], retry[2])
    history = provider.item(DEMO_GTIN, serial)["verifications"]
    assert len(history) == 1 and history[0]["receivedCount"] == 2
    # The same item from Morocco is a second sighting, in another country: cloned.
    assert verdict_of(provider, serial=serial, country="MA")["reasons"] == ["Cloned_code"]


def test_retries_never_turn_into_sightings(provider):
    """However many times a request is retried, it stays one verification with its first verdict."""
    serial = CODES_BY_KEY["authentic"].serial
    body = json.dumps(request_body(serial=serial, country="FR")).encode()
    now = int(time.time())
    for attempt in range(4):  # each retry signed anew (another timestamp), so none is a replay
        status, answer, _, _ = provider.verify(body, timestamp=now - attempt)
        assert (status, answer["verdict"]) == (200, "authentic")
    (sighting,) = provider.item(DEMO_GTIN, serial)["verifications"]
    assert sighting["receivedCount"] == 4


def test_concurrent_retries_make_one_sighting(provider):
    body = json.dumps(request_body(serial="AHC38-0005", country="CH")).encode()
    results = []
    now = int(time.time())

    def send(offset):
        results.append(provider.verify(body, timestamp=now - offset))

    threads = [threading.Thread(target=send, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, *_ in results} == {200}
    assert len({raw for *_, raw in results}) == 1
    history = provider.item(DEMO_GTIN, "AHC38-0005")["verifications"]
    assert len(history) == 1 and history[0]["receivedCount"] == 8


def test_a_request_id_reused_for_another_item_is_refused(provider):
    body = request_body(serial="AHC38-0005")
    assert provider.verify(body)[0] == 200
    other = request_body(serial="AHC38-0002", request_id=body["requestId"])
    status, answer, _, _ = provider.verify(other)
    assert (status, answer["error"]["code"]) == (409, "request_id_reused")


# --- Signatures --------------------------------------------------------------------------------------------------


def refusal(response):
    status, answer, _, _ = response
    assert status == 401, answer
    assert set(answer["error"]) == {"code", "message", "details"}
    return answer["error"]["details"]["reason"]


def test_missing_stale_mismatched_and_replayed_signatures_are_refused(provider):
    body = json.dumps(request_body()).encode()
    no_signature = provider.verify(body, headers={"IPM-Signature": ""})
    assert refusal(no_signature) == "missing"
    assert refusal(provider.verify(body, headers={"IPM-Signature": "t=12,v1=zz"})) == "malformed"
    assert refusal(provider.verify(body, timestamp=int(time.time()) - 301)) == "stale"
    assert refusal(provider.verify(body, timestamp=int(time.time()) + 301)) == "stale"
    assert refusal(provider.verify(body, secret=signing.new_secret())) == "mismatch"
    header = signing.sign(provider.secret, body)
    tampered = body.replace(b'"FR"', b'"MA"')
    assert refusal(provider.verify(tampered, headers={"IPM-Signature": header})) == "mismatch"
    assert provider.verify(body, headers={"IPM-Signature": header})[0] == 200
    assert refusal(provider.verify(body, headers={"IPM-Signature": header})) == "replayed"
    assert len(provider.received()) == 1  # refused requests are not recorded


def test_during_a_rotation_both_secrets_are_accepted(tmp_path):
    new, old = signing.new_secret(), signing.new_secret()
    provider = start_reference_provider(tmp_path, [new, old], seed_demo=True, secret_in_env=True)
    try:
        assert provider.verify(request_body(), secret=old)[0] == 200
        status, _, headers, raw = provider.verify(request_body(), secret=new)
        assert status == 200
        signing.verify([new], raw, headers["IPM-Signature"])  # answers are signed with the first (current) one
    finally:
        provider.stop()


def test_the_secret_file_is_read_again_when_it_changes(tmp_path, secret):
    provider = start_reference_provider(tmp_path, secret, seed_demo=True)
    try:
        rotated = signing.new_secret()
        secret_file = next(tmp_path.glob("reference-provider-*.secret"))
        secret_file.write_text(f"{rotated}\n{secret}\n")
        status, _, headers, raw = provider.verify(request_body(), secret=rotated)
        assert status == 200
        signing.verify([rotated], raw, headers["IPM-Signature"])
        secret_file.write_text(f"{rotated}\n")
        assert refusal(provider.verify(request_body(), secret=secret)) == "mismatch"
        secret_file.write_text("not a secret\n")  # a broken file keeps the secrets read before
        assert provider.verify(request_body(), secret=rotated)[0] == 200
        secret_file.unlink()
        assert provider.verify(request_body(), secret=rotated)[0] == 200
        assert "keeping the ones read before" in provider.log
    finally:
        provider.stop()


# --- Malformed requests ------------------------------------------------------------------------------------------


def _without(body, *path):
    target = body
    for name in path[:-1]:
        target = target[name]
    del target[path[-1]]
    return body


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: b"not json", "malformed"),
        (lambda: b"[1, 2]", "malformed"),
        (lambda: b"\xff\xfe", "malformed"),
        (lambda: request_body() | {"protocol": "ipm-connected/2"}, "unsupported_protocol"),
        (lambda: request_body() | {"requestId": "not-a-uuid"}, "malformed"),
        (lambda: _without(request_body(), "context"), "malformed"),
        (lambda: _without(request_body(), "code"), "malformed"),
        (lambda: _without(request_body(), "context", "country"), "malformed"),
        (lambda: request_body(country="XX"), "malformed"),
        (lambda: request_body(expiry="31/12/2030"), "malformed"),
        (lambda: request_body(scanned_at="yesterday"), "malformed"),
        (lambda: request_body() | {"gs1": {"gtin": 7612345010014}}, "malformed"),
    ],
)
def test_a_malformed_request_is_a_400_and_recorded_nowhere(provider, make, code):
    body = make()
    status, answer, headers, raw = provider.verify(body)
    assert status == 400, answer
    assert answer["error"]["code"] == code
    provider.check_answer(raw, headers)
    assert provider.received() == []


def test_header_and_body_request_ids_must_agree(provider):
    status, answer, _, _ = provider.verify(request_body(), headers={"IPM-Request-Id": str(uuid.uuid4())})
    assert (status, answer["error"]["details"]) == (400, {"field": "requestId"})


def test_not_json_content_type_is_refused(provider):
    status, answer, _, _ = provider.verify(request_body(), headers={"Content-Type": "text/plain"})
    assert (status, answer["error"]["code"]) == (415, "unsupported_media_type")


def test_unknown_paths_and_methods_answer_json(provider):
    assert provider.call("GET", "/nowhere")[0] == 404
    status, answer = provider.call("GET", "/verify")
    assert (status, answer["error"]["code"]) == (405, "method_not_allowed")


def test_what_the_provider_learns_is_what_ipm_sent(provider):
    body = request_body(unlocode="FRLEH", language="fr")
    provider.verify(body, headers={"Accept-Language": "fr, en;q=0.5"})
    (received,) = provider.received()
    assert received["request"]["body"] == body
    assert received["request"]["headers"]["Accept-Language"] == "fr, en;q=0.5"
    assert provider.item(DEMO_GTIN, body["gs1"]["serial"])["verifications"][0]["unlocode"] == "FRLEH"
