"""The IPM-Signature of the Connected protocol, as both ends use it (docs/connected-protocol.md, "Signatures")."""

import hashlib
import hmac
import time

import pytest

from ipm.connected import signing

BODY = b'{"protocol":"ipm-connected/1","requestId":"x"}'


def test_a_signature_is_the_documented_hmac_over_timestamp_dot_body():
    secret = signing.new_secret()
    header = signing.sign(secret, BODY, timestamp=1_800_000_000)
    expected = hmac.new(signing.secret_bytes(secret), b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1800000000,v1={expected}"


def test_a_fresh_signature_verifies_and_gives_its_timestamp():
    secret = signing.new_secret()
    now = int(time.time())
    assert signing.verify([secret], BODY, signing.sign(secret, BODY, now)) == now


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "missing"),
        ("", "missing"),
        ("v1=abc", "malformed"),
        ("t=soon,v1=" + "0" * 64, "malformed"),
        ("t=1,v1=zz", "malformed"),
        ("t=1,v1=" + "0" * 10, "malformed"),
        ("garbage", "malformed"),
    ],
)
def test_missing_or_malformed_headers_are_refused_with_a_stable_code(header, code):
    with pytest.raises(signing.SignatureError) as refused:
        signing.verify([signing.new_secret()], BODY, header)
    assert refused.value.code == code


def test_another_secret_or_a_changed_body_does_not_verify():
    secret = signing.new_secret()
    header = signing.sign(secret, BODY)
    for secrets_, body in (([signing.new_secret()], BODY), ([secret], BODY + b" ")):
        with pytest.raises(signing.SignatureError) as refused:
            signing.verify(secrets_, body, header)
        assert refused.value.code == "mismatch"


def test_a_signature_older_or_newer_than_the_tolerance_is_stale():
    secret = signing.new_secret()
    now = time.time()
    for offset in (-301, 301):
        header = signing.sign(secret, BODY, int(now) + offset)
        with pytest.raises(signing.SignatureError) as refused:
            signing.verify([secret], BODY, header, now=now)
        assert refused.value.code == "stale"
    signing.verify([secret], BODY, signing.sign(secret, BODY, int(now) - 299), now=now)


def test_during_a_rotation_either_secret_verifies():
    old, new = signing.new_secret(), signing.new_secret()
    for secret in (old, new):
        signing.verify([new, old], BODY, signing.sign(secret, BODY))


def test_a_replayed_request_is_refused_but_a_retry_signed_anew_is_not():
    secret = signing.new_secret()
    guard = signing.ReplayGuard()
    now = int(time.time())
    header = signing.sign(secret, BODY, now)
    signing.verify([secret], BODY, header, replays=guard)
    with pytest.raises(signing.SignatureError) as refused:
        signing.verify([secret], BODY, header, replays=guard)
    assert refused.value.code == "replayed"
    signing.verify([secret], BODY, signing.sign(secret, BODY, now + 1), replays=guard)


def test_a_secret_must_be_base64url_of_at_least_16_bytes():
    assert len(signing.secret_bytes(signing.new_secret())) == 32
    for bad in ("c2hvcnQ", "not base64 at all!"):
        with pytest.raises(ValueError):
            signing.secret_bytes(bad)
