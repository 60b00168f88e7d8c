"""Fault injection of the reference provider (``POST /_faults`` and ``--fault`` / ``--delay-ms`` at start): what
the Connected client's tests use to slow or corrupt a running provider."""

import json
import time

import pytest

from ipm.connected import signing
from tests.reference_provider.process import request_body, start_reference_provider


def test_delay_slows_verify_only(provider):
    provider.set_faults(delay_ms=400)
    started = time.monotonic()
    assert provider.verify(request_body())[0] == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    assert provider.call("GET", "/health", admin=False)[0] == 200
    assert time.monotonic() - started < 0.3


def test_malformed_json_is_signed_but_unreadable(provider):
    provider.set_faults(mode="malformed_json")
    status, answer, headers, raw = provider.verify(request_body())
    assert status == 200 and answer is None
    with pytest.raises(ValueError):
        json.loads(raw)
    provider.check_answer(raw, headers)  # the signature holds: only the JSON is broken


def test_bad_signature(provider):
    provider.set_faults(mode="bad_signature")
    status, answer, headers, raw = provider.verify(request_body())
    assert status == 200 and answer["verdict"] == "authentic"
    with pytest.raises(signing.SignatureError) as refused:
        provider.check_answer(raw, headers)
    assert refused.value.code == "mismatch"


@pytest.mark.parametrize(("mode", "status"), [("http_500", 500), ("http_503", 503)])
def test_http_errors_record_nothing(provider, mode, status):
    provider.set_faults(mode=mode)
    got_status, answer, headers, _ = provider.verify(request_body())
    assert got_status == status and answer["error"]["code"]
    assert provider.received() == []


def test_wrong_request_id(provider):
    provider.set_faults(mode="wrong_request_id")
    body = request_body()
    status, answer, headers, raw = provider.verify(body)
    assert status == 200 and answer["requestId"] != body["requestId"]
    provider.check_answer(raw, headers)


def test_count_limits_a_fault_to_the_next_requests(provider):
    """Two failed attempts, then the retry of the same requestId goes through (as IPM's retries would)."""
    assert provider.set_faults(mode="http_503", count=2) == {"mode": "http_503", "delay_ms": 0, "count": 2}
    body = json.dumps(request_body()).encode()
    now = int(time.time())
    assert provider.verify(body, timestamp=now - 2)[0] == 503
    assert provider.verify(body, timestamp=now - 1)[0] == 503
    assert provider.verify(body, timestamp=now)[0] == 200
    assert provider.call("GET", "/_faults") == (200, {"mode": "none", "delay_ms": 0, "count": None})


def test_clearing_faults(provider):
    provider.set_faults(mode="http_500", delay_ms=50)
    provider.set_faults()
    assert provider.verify(request_body())[0] == 200


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "explode"},
        {"delay_ms": -1},
        {"delay_ms": "100"},
        {"delay_ms": 10**9},
        {"mode": "none", "count": 0},
        {"count": True},
    ],
)
def test_invalid_faults_are_refused_and_change_nothing(provider, body):
    provider.set_faults(mode="http_500")
    status, answer = provider.call("POST", "/_faults", body)
    assert (status, answer["error"]["code"]) == (400, "invalid")
    assert provider.call("GET", "/_faults")[1]["mode"] == "http_500"


def test_faults_given_at_start(tmp_path, secret):
    provider = start_reference_provider(tmp_path, secret, seed_demo=True, fault="http_500", delay_ms=200)
    try:
        started = time.monotonic()
        assert provider.verify(request_body())[0] == 500
        assert time.monotonic() - started >= 0.2
        assert provider.call("GET", "/_faults")[1] == {"mode": "http_500", "delay_ms": 200, "count": None}
    finally:
        provider.stop()


def test_a_stopped_provider_refuses_connections_and_restarts_on_its_port(provider):
    url = provider.url
    provider.stop()
    with pytest.raises(OSError):
        provider.verify(request_body())
    provider.restart()
    assert provider.url == url
    assert provider.verify(request_body())[0] == 200
