"""The verification client (``ipm.connected.client``) against the real reference provider process: each verdict, and
each fault — stopped, slowed beyond the time-out, malformed JSON, a wrong signature, a requestId that does not
echo, HTTP 500/503 — ends "unavailable" with its fault code and never as a verdict; retries keep the requestId; the
circuit breaker opens and closes."""

import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from ipm.connected import client, signing
from ipm.connected.client import CircuitBreaker, Fault
from ipm.connected.verification import request_body
from ipm.gs1 import parse_code
from tests.connected.verification_setup import (
    GTIN,
    NEVER,
    Provider,
    _start,
    code_for,
)


class FakeService:
    """What the client reads of a ``connected.models.Service``; no database needed at this level."""

    def __init__(self, url: str, secret: str, timeout_ms: int = 2000, public_id: str | None = None):
        self.public_id = public_id or f"svc_{uuid.uuid4().hex[:10]}"
        self.verification_url, self.secret, self.timeout_ms = url, secret, timeout_ms

    def secrets_accepted(self, now=None):
        return [self.secret]


def body_for(service, serial: str, country: str = "FR", **kwargs) -> dict:
    parsed = parse_code(code_for(serial, **kwargs))
    return request_body(
        service,
        parsed,
        request_id=uuid.uuid4(),
        country=country,
        location_unlocode="FRLEH",
        scanned_at=timezone.now(),
        language="fr",
    )


@pytest.fixture
def service(provider):
    return FakeService(provider.url + "/verify", provider.secret)


def test_the_provider_s_verdicts_come_through(service):
    cases = [
        ("SN-OK-1", "FR", {}, "authentic", []),
        (NEVER, "FR", {}, "counterfeit", ["No_match_GTIN_Serial"]),
        ("SN-GONE", "FR", {}, "counterfeit", ["Decommissioned"]),
        ("SN-OK-1", "FR", {"gtin": "04006381000019"}, "unknown", ["No_match_GTIN"]),
    ]
    for serial, country, extra, verdict, reasons in cases:
        result = client.call(service, body_for(service, serial, country, **extra), language="fr")
        assert (result.outcome, result.reasons, result.fault) == (verdict, reasons, ""), serial
        assert result.attempts == 1 and result.latency_ms is not None
    assert result.message and result.message_language  # the provider's sentence, in French when it has one


def test_a_code_seen_in_two_countries_is_suspect(service):
    assert client.call(service, body_for(service, "SN-CLONE", "MA")).outcome == "authentic"
    result = client.call(service, body_for(service, "SN-CLONE", "FR"))
    assert (result.outcome, result.reasons) == ("suspect", ["Cloned_code"])


def test_the_request_is_signed_and_names_nobody(service, provider):
    body = body_for(service, "SN-OK-2")
    assert client.call(service, body).outcome == "authentic"
    received = next(r for r in provider.received() if (r.get("request_id") or r.get("requestId")) == body["requestId"])
    text = str(received)
    assert body["requestId"] in text and "FRLEH" in text
    assert set(body) == {"protocol", "requestId", "service", "sentAt", "code", "gs1", "context"}
    assert set(body["context"]) == {"country", "location", "scannedAt", "language"}


@pytest.mark.parametrize(
    ("mode", "fault"),
    [
        ("malformed_json", Fault.MALFORMED),
        ("bad_signature", Fault.SIGNATURE),
        ("wrong_request_id", Fault.REQUEST_ID),
        ("http_500", Fault.HTTP_STATUS),
    ],
)
def test_a_corrupt_answer_is_unavailable_never_a_verdict(service, provider, mode, fault):
    provider.faults(mode)
    result = client.call(service, body_for(service, "SN-OK-3"))
    assert result.outcome == client.UNAVAILABLE and not result.available
    assert result.fault == fault and result.fault_detail
    assert result.reasons == [] and result.message == ""
    assert result.attempts == 1  # none of these is retried: a provider that answered would answer the same


def test_a_stopped_provider_is_refused_after_retries(tmp_path):
    secret = signing.new_secret()
    stopped = Provider(_start(tmp_path, secret), secret)
    url = stopped.url
    stopped.stop()
    service = FakeService(url + "/verify", secret)
    started = time.monotonic()
    result = client.call(service, body_for(service, "SN-OK-1"))
    assert (result.outcome, result.fault, result.attempts) == ("unavailable", Fault.REFUSED, 3)
    assert time.monotonic() - started < 2


def test_a_slow_provider_times_out_each_attempt_within_the_budget(provider):
    service = FakeService(provider.url + "/verify", provider.secret, timeout_ms=200)
    provider.faults(delay_ms=1500)
    started = time.monotonic()
    result = client.call(service, body_for(service, "SN-OK-4"))
    elapsed = time.monotonic() - started
    assert (result.outcome, result.fault, result.attempts) == ("unavailable", Fault.TIMEOUT, 3)
    assert 0.6 <= elapsed < 1.5  # three attempts of 200 ms and two short pauses


def test_a_retry_keeps_the_request_id_and_is_not_a_second_sighting(provider):
    """The first attempt is too slow (the provider still records it); the retry carries the same requestId, and
    the provider answers it as the same verification: one sighting, no clone."""
    service = FakeService(provider.url + "/verify", provider.secret, timeout_ms=400)
    provider.faults(delay_ms=700, count=1)
    body = body_for(service, "SN-OK-5")
    result = client.call(service, body)
    assert (result.outcome, result.attempts) == ("authentic", 2)
    time.sleep(0.5)  # the first (late) attempt finishes on the provider's side
    same = [r for r in provider.received() if body["requestId"] in str(r)]
    assert len(same) == 1, same
    history = provider.item("SN-OK-5")
    assert str(history).count(body["requestId"]) <= 1
    again = client.call(service, body_for(service, "SN-OK-5"))
    assert again.outcome == "authentic"  # not "suspect": the retry was no second sighting


def test_http_503_is_retried(provider, service):
    provider.faults("http_503", count=1)
    result = client.call(service, body_for(service, "SN-OK-1"))
    assert (result.outcome, result.attempts) == ("authentic", 2)


def test_the_circuit_opens_after_five_failures_and_closes_after_a_good_trial(provider, service):
    breaker = CircuitBreaker(failures=5, open_seconds=0.5)
    provider.faults("http_500")
    for _ in range(5):
        assert client.call(service, body_for(service, "SN-OK-1"), breaker=breaker).fault == Fault.HTTP_STATUS
    assert breaker.state(service.public_id) == "open"
    before = len(provider.received(1000))
    result = client.call(service, body_for(service, "SN-OK-1"), breaker=breaker)
    assert (result.outcome, result.fault, result.attempts) == ("unavailable", Fault.CIRCUIT_OPEN, 0)
    assert len(provider.received(1000)) == before  # not called at all
    time.sleep(0.6)
    assert breaker.state(service.public_id) == "half_open"
    # a failing trial opens it again at once
    assert client.call(service, body_for(service, "SN-OK-1"), breaker=breaker).fault == Fault.HTTP_STATUS
    assert breaker.state(service.public_id) == "open"
    time.sleep(0.6)
    provider.faults("none")
    assert client.call(service, body_for(service, "SN-OK-1"), breaker=breaker).outcome == "authentic"
    assert breaker.state(service.public_id) == "closed"
    # another service is never affected
    other = FakeService(service.verification_url, service.secret)
    assert breaker.state(other.public_id) == "closed"


def test_one_trial_at_a_time_while_half_open():
    breaker = CircuitBreaker(failures=1, open_seconds=10)
    breaker.record("svc_x", False, now=0)
    assert not breaker.allow("svc_x", now=5)
    assert breaker.allow("svc_x", now=11)  # the trial
    assert not breaker.allow("svc_x", now=11.1)  # others wait for it
    breaker.record("svc_x", True, now=11.2)
    assert breaker.allow("svc_x", now=11.3)


def test_a_service_without_secret_or_url_is_not_called():
    result = client.call(FakeService("", ""), {"requestId": str(uuid.uuid4())})
    assert (result.outcome, result.fault) == ("unavailable", Fault.CONFIGURATION)


def test_evidence_links_other_than_https_are_dropped():
    assert client._https_only("https://provider.example/e/1") == "https://provider.example/e/1"
    for url in ("http://provider.example/e/1", "javascript:alert(1)", "https:///nohost", 42, None, "x" * 600):
        assert client._https_only(url) == ""


def test_accept_language_puts_the_officer_s_language_first():
    assert client._accept_language("ar") == "ar, en;q=0.5"
    assert client._accept_language("en") == "en"
    assert GTIN.startswith("0")


class _Odd(BaseHTTPRequestHandler):
    """A misbehaving provider the reference provider cannot play: endless answers, redirects, HTML."""

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/big":
            body = b'{"pad": "' + b"x" * (client.MAX_ANSWER_BYTES + 10) + b'"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        elif self.path == "/redirect":
            body = b""
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/verify")
        else:
            body = b"<html>hello</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def odd_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Odd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    ("path", "fault"), [("/big", Fault.MALFORMED), ("/redirect", Fault.HTTP_STATUS), ("/html", Fault.MALFORMED)]
)
def test_oversized_redirected_or_html_answers_are_faults(odd_server, path, fault):
    service = FakeService(odd_server + path, signing.new_secret())
    result = client.call(service, body_for(service, "SN-OK-1"))
    assert (result.outcome, result.fault, result.attempts) == ("unavailable", fault, 1)
