"""Calling a provider's verification API (docs/connected-protocol.md): sign, POST, retry, check the answer.

Everything here is about the wire, nothing about who asks: ``call`` takes the request body already built (by
``ipm.connected.verification``, which keeps the officer's identity out of it) and answers a ``CallResult``: the
provider's verdict, or ``unavailable`` with a ``fault`` code. A verdict is only ever the provider's own, read from
a signed answer that echoes the request; whatever else happens becomes ``unavailable`` — IPM never guesses.

* One connection pool per process (urllib3): no TLS or TCP handshake per verification once a provider is known.
* Each attempt waits at most the service's time-out (``timeout_ms``, 3 s by default, 10 s at most). A time-out, a
  refused or dropped connection and HTTP 502/503/504 are retried (twice at most) with the same body, so the same
  ``requestId`` — a provider answers a repeat as the same verification — and a new signature, as long as the
  verification's whole budget (``BUDGET_SECONDS``) is not spent.
* A circuit breaker per service: after ``BREAKER_FAILURES`` failed verifications in a row the service is not
  called for ``BREAKER_OPEN_SECONDS``; then one verification is let through as a trial, the others still answered
  "unavailable" at once, and its outcome closes the circuit or opens it again. The breaker's state lives in this
  process's memory: each server process learns on its own that a provider is down (a few more failed calls with
  several processes), which needs no shared store and is what the protocol promises per caller.
"""

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import (
    TimeoutError as Urllib3TimeoutError,
)

from ipm.connected import signing

logger = logging.getLogger(__name__)

PROTOCOL = "ipm-connected/1"
PROTOCOL_HEADER_VALUE = "1"
VERDICTS = ("authentic", "counterfeit", "suspect", "unknown")
UNAVAILABLE = "unavailable"
DEFAULT_TIMEOUT_MS = 3000
MAX_TIMEOUT_MS = 10_000
RETRIES = 2
BUDGET_SECONDS = 10.0  # a verification never keeps the officer waiting longer than this, retries included
RETRY_PAUSES = (0.05, 0.2)  # before the first and the second retry
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_ANSWER_BYTES = 64 * 1024
MAX_REASONS = 20
MAX_REASON_LENGTH = 64
MAX_MESSAGE_LENGTH = 2000

BREAKER_FAILURES = 5
BREAKER_OPEN_SECONDS = 30.0


class Fault:
    """The stable fault codes recorded with an ``unavailable`` verification (``Verification.fault``)."""

    TIMEOUT = "timeout"
    REFUSED = "refused"
    HTTP_STATUS = "http_status"
    MALFORMED = "malformed"
    SIGNATURE = "signature"
    REQUEST_ID = "request_id"
    VERDICT = "verdict"
    CIRCUIT_OPEN = "circuit_open"
    CONFIGURATION = "configuration"  # no URL or no secret: the service cannot be called at all


@dataclass
class CallResult:
    """What came of one verification call. ``outcome``: one of ``VERDICTS`` or ``unavailable``."""

    outcome: str
    reasons: list[str] = field(default_factory=list)
    message: str = ""
    message_language: str = ""
    evidence_url: str = ""
    checked_at: str = ""
    fault: str = ""
    fault_detail: str = ""
    attempts: int = 0
    latency_ms: int = 0

    @property
    def available(self) -> bool:
        return self.outcome != UNAVAILABLE


class _Failure(Exception):
    def __init__(self, fault: str, detail: str, *, retry: bool = False):
        super().__init__(detail)
        self.fault, self.detail, self.retry = fault, detail, retry


# --- The circuit breaker ------------------------------------------------------------------------------------------


@dataclass
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    trial_running: bool = False


class CircuitBreaker:
    """Per-service state (by the service's public id), thread-safe, in this process's memory."""

    def __init__(self, failures: int = BREAKER_FAILURES, open_seconds: float = BREAKER_OPEN_SECONDS):
        self.threshold, self.open_seconds = failures, open_seconds
        self._circuits: dict[str, _Circuit] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """May this service be called now? While open: no; once the pause is over: yes for one trial at a time."""
        now = time.monotonic() if now is None else now
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None or circuit.opened_at is None:
                return True
            if now - circuit.opened_at < self.open_seconds or circuit.trial_running:
                return False
            circuit.trial_running = True
            return True

    def record(self, key: str, success: bool, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            circuit = self._circuits.setdefault(key, _Circuit())
            was_trial, circuit.trial_running = circuit.trial_running, False
            if success:
                if circuit.opened_at is not None:
                    logger.info("connected: circuit of service %s closed again", key)
                circuit.failures, circuit.opened_at = 0, None
                return
            circuit.failures += 1
            if was_trial or circuit.failures >= self.threshold:
                if circuit.opened_at is None or was_trial:
                    logger.warning(
                        "connected: circuit of service %s open for %ss after %s failures in a row",
                        key,
                        self.open_seconds,
                        circuit.failures,
                    )
                circuit.opened_at = now

    def state(self, key: str, now: float | None = None) -> str:
        """``closed``, ``open`` or ``half_open`` (the pause is over, the next call is a trial)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None or circuit.opened_at is None:
                return "closed"
            return "open" if now - circuit.opened_at < self.open_seconds else "half_open"

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._circuits.clear()
            else:
                self._circuits.pop(key, None)


breaker = CircuitBreaker()

# One pool manager per process; urllib3 keeps the connections of each provider alive between verifications.
# Redirects are never followed (retries=False): a provider answers at its registered URL or not at all.
_pool = urllib3.PoolManager(num_pools=50, maxsize=8, retries=False, block=False)


# --- The call -----------------------------------------------------------------------------------------------------


def encode_body(body: dict) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def call(service, body: dict, *, language: str = "en", breaker: CircuitBreaker | None = None) -> CallResult:
    """Ask ``service`` (a ``connected.models.Service`` reached by verification API) about the item in ``body``.

    ``body`` is the protocol's request (``requestId`` in it); ``language`` the officer's, sent first in
    ``Accept-Language``. Never raises for anything the provider or the network does: a fault is a result."""
    started = time.monotonic()
    breaker = breaker or globals()["breaker"]
    key = service.public_id
    request_id = str(body.get("requestId", ""))
    if not breaker.allow(key):
        result = CallResult(
            UNAVAILABLE, fault=Fault.CIRCUIT_OPEN, fault_detail="too many failures in a row: not called for now"
        )
        _log_fault(service, request_id, result)
        return result
    result = _call(service, body, language, started)
    breaker.record(key, result.available)
    if not result.available:
        _log_fault(service, request_id, result)
    return result


def _call(service, body: dict, language: str, started: float) -> CallResult:
    url = service.verification_url
    if not url or not service.secret:
        return CallResult(UNAVAILABLE, fault=Fault.CONFIGURATION, fault_detail="no verification URL or no secret")
    data = encode_body(body)
    request_id = str(body.get("requestId", ""))
    timeout = min(max(service.timeout_ms or DEFAULT_TIMEOUT_MS, 1), MAX_TIMEOUT_MS) / 1000
    deadline = started + BUDGET_SECONDS
    attempts = 0
    while True:
        attempts += 1
        attempt_timeout = min(timeout, max(deadline - time.monotonic(), 0.001))
        try:
            answer = _attempt(service, url, data, request_id, language, attempt_timeout)
        except _Failure as failure:
            pause = RETRY_PAUSES[attempts - 1] if attempts <= len(RETRY_PAUSES) else 0
            if failure.retry and attempts <= RETRIES and time.monotonic() + pause < deadline - 0.01:
                logger.info(
                    "connected: service %s request %s attempt %s failed (%s: %s), trying again",
                    service.public_id,
                    request_id,
                    attempts,
                    failure.fault,
                    failure.detail,
                )
                time.sleep(pause)
                continue
            return CallResult(
                UNAVAILABLE,
                fault=failure.fault,
                fault_detail=failure.detail[:1000],
                attempts=attempts,
                latency_ms=_elapsed_ms(started),
            )
        answer.attempts, answer.latency_ms = attempts, _elapsed_ms(started)
        return answer


def _attempt(service, url: str, data: bytes, request_id: str, language: str, timeout: float) -> CallResult:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Language": _accept_language(language),
        "IPM-Protocol": PROTOCOL_HEADER_VALUE,
        "IPM-Request-Id": request_id,
        signing.HEADER: signing.sign(service.secret, data),
        "User-Agent": "IPM-Connected/1",
    }
    try:
        response = _pool.request(
            "POST",
            url,
            body=data,
            headers=headers,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            preload_content=False,
            redirect=False,
        )
    except NewConnectionError as error:  # before ConnectTimeoutError: it is one of them in urllib3
        raise _Failure(Fault.REFUSED, f"cannot connect: {_reason(error)}", retry=True) from error
    except (ConnectTimeoutError, ReadTimeoutError, Urllib3TimeoutError) as error:
        raise _Failure(Fault.TIMEOUT, f"no answer within {int(timeout * 1000)} ms", retry=True) from error
    except ProtocolError as error:  # the connection dropped mid-way
        raise _Failure(Fault.REFUSED, f"connection lost: {_reason(error)}", retry=True) from error
    except (HTTPError, OSError, ValueError) as error:
        raise _Failure(Fault.REFUSED, f"request failed: {_reason(error)}") from error
    complete = False
    try:
        raw = response.read(MAX_ANSWER_BYTES + 1, decode_content=True)
        if len(raw) > MAX_ANSWER_BYTES:
            raise _Failure(Fault.MALFORMED, f"the answer is longer than {MAX_ANSWER_BYTES} bytes")
        complete = True
        signature = response.headers.get(signing.HEADER)
        content_type = response.headers.get("Content-Type", "")
        status = response.status
    except ReadTimeoutError as error:
        raise _Failure(
            Fault.TIMEOUT, f"the answer did not arrive within {int(timeout * 1000)} ms", retry=True
        ) from error
    except (ProtocolError, HTTPError, OSError) as error:
        raise _Failure(Fault.REFUSED, f"connection lost while reading: {_reason(error)}", retry=True) from error
    finally:
        # A whole answer leaves the connection reusable; after a time-out or an oversized answer it is closed
        # rather than drained (draining would wait on the same slow or endless provider).
        if complete:
            response.drain_conn()
        else:
            response.close()
        response.release_conn()
    if status != 200:
        raise _Failure(Fault.HTTP_STATUS, f"HTTP {status}: {_snippet(raw)}", retry=status in RETRY_STATUSES)
    return _read_answer(service, raw, signature, content_type, request_id)


def _read_answer(service, raw: bytes, signature: str | None, content_type: str, request_id: str) -> CallResult:
    """The verdict of a 200 answer, once everything about it holds; ``_Failure`` otherwise."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise _Failure(Fault.MALFORMED, f"Content-Type is {content_type or 'missing'}, not application/json")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _Failure(Fault.MALFORMED, f"not JSON: {error}") from error
    if not isinstance(answer, dict):
        raise _Failure(Fault.MALFORMED, "the answer is not a JSON object")
    try:
        signing.verify(service.secrets_accepted(datetime.now(UTC)), raw, signature)
    except signing.SignatureError as error:
        raise _Failure(Fault.SIGNATURE, f"{error.code}: {error}") from error
    if answer.get("requestId") != request_id:
        raise _Failure(Fault.REQUEST_ID, f"requestId {str(answer.get('requestId'))[:80]!r} does not echo {request_id}")
    verdict = answer.get("verdict")
    if verdict not in VERDICTS:
        raise _Failure(Fault.VERDICT, f"verdict {str(verdict)[:40]!r} is not one of {', '.join(VERDICTS)}")
    reasons = answer.get("reasons") or []
    if not isinstance(reasons, list) or not all(isinstance(reason, str) for reason in reasons):
        raise _Failure(Fault.MALFORMED, "reasons is not a list of strings")
    message = answer.get("message")
    text, message_language = "", ""
    if isinstance(message, dict):
        text = message.get("text") if isinstance(message.get("text"), str) else ""
        message_language = message.get("language") if isinstance(message.get("language"), str) else ""
    elif isinstance(message, str):
        text = message
    return CallResult(
        verdict,
        reasons=[reason[:MAX_REASON_LENGTH] for reason in reasons[:MAX_REASONS]],
        message=text[:MAX_MESSAGE_LENGTH],
        message_language=message_language[:16],
        evidence_url=_https_only(answer.get("evidenceUrl")),
        checked_at=str(answer.get("checkedAt") or "")[:40],
    )


def _https_only(url) -> str:
    """An evidence link is shown only when it is an https URL with a host (other schemes are dropped)."""
    if not isinstance(url, str) or len(url) > 500:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme == "https" and parts.hostname else ""


def _accept_language(language: str) -> str:
    language = (language or "en").strip()
    if language.split("-")[0].lower() == "en":
        return language
    return f"{language}, en;q=0.5"


def _reason(error: Exception) -> str:
    return str(getattr(error, "reason", None) or error)[:300]


def _snippet(raw: bytes) -> str:
    return raw[:200].decode("utf-8", "replace")


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _log_fault(service, request_id: str, result: CallResult) -> None:
    logger.warning(
        "connected: service %s request %s unavailable (%s): %s",
        service.public_id,
        request_id,
        result.fault,
        result.fault_detail,
    )
