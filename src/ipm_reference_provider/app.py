"""The provider's HTTP interface, as a plain WSGI application (no framework): ``POST /verify`` for IPM, a small
JSON registry API for the right holder, ``GET /health``, and fault injection for tests.

Answers to ``/verify`` are signed with ``ipm.connected.signing`` — the very module IPM checks them with.
"""

import hmac
import json
import logging
import os
import secrets as random_secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs

from ipm.connected import signing
from ipm_reference_provider import PROTOCOL, registry, validation, verdicts
from ipm_reference_provider.registry import RegistryError, Store

log = logging.getLogger("ipm_reference_provider")

MAX_VERIFY_BODY = 64 * 1024
MAX_REGISTRY_BODY = 32 * 1024 * 1024
FAULT_MODES = ("none", "malformed_json", "bad_signature", "http_500", "http_503", "wrong_request_id")
MAX_DELAY_MS = 120_000


class SecretSource:
    """The shared secrets accepted (several during a rotation): from a file, one per line (re-read when the file
    changes, so IPM's rotation reaches a running provider), and/or from a list given at start. The first one signs
    answers."""

    def __init__(self, path: str | None = None, fixed: list[str] | None = None):
        self.path = Path(path) if path else None
        self.fixed = [s for s in (fixed or []) if s]
        self._lock = threading.Lock()
        self._stamp = None
        self._from_file: list[str] = []
        if not self.current():
            raise ValueError("no shared secret: give --secret-file or IPM_REFERENCE_PROVIDER_SECRET")

    @staticmethod
    def parse(text: str) -> list[str]:
        found = [part.strip() for line in text.splitlines() for part in line.split(",")]
        found = [s for s in found if s and not s.startswith("#")]
        for secret in found:
            signing.secret_bytes(secret)  # ValueError for a value that is no secret
        return found

    def current(self) -> list[str]:
        if self.path is not None:
            try:
                stat = self.path.stat()
                stamp = (stat.st_mtime_ns, stat.st_size)
            except FileNotFoundError:
                stamp = None
            with self._lock:
                if stamp != self._stamp:
                    # A file being rewritten, removed or holding a wrong value keeps the secrets last read: a
                    # running provider never ends up with none (it must start with one).
                    try:
                        found = self.parse(self.path.read_text()) if stamp else []
                    except (OSError, ValueError) as error:
                        found = []
                        log.error("secret file %s unreadable: %s", self.path, error)
                    if found or self._stamp is None:
                        self._from_file = found
                    else:
                        log.error("secret file %s holds no secret: keeping the ones read before", self.path)
                    self._stamp = stamp
                from_file = self._from_file
        else:
            from_file = []
        return from_file + [s for s in self.fixed if s not in from_file]


@dataclass
class Faults:
    """What a test asked this process to do wrong to the next ``/verify`` answers (``count`` of them, or all)."""

    delay_ms: int = 0
    mode: str = "none"
    count: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, delay_ms: int = 0, mode: str = "none", count: int | None = None):
        with self.lock:
            self.delay_ms, self.mode, self.count = delay_ms, mode, count

    def state(self) -> dict:
        with self.lock:
            return {"delay_ms": self.delay_ms, "mode": self.mode, "count": self.count}

    def take(self) -> tuple[int, str]:
        """The delay and mode for one ``/verify`` request (using up one of ``count``)."""
        with self.lock:
            if self.count is not None:
                if self.count <= 0:
                    self.delay_ms, self.mode, self.count = 0, "none", None
                    return 0, "none"
                self.count -= 1
            return self.delay_ms, self.mode


@dataclass
class Config:
    db: str
    secrets: SecretSource
    admin_token: str = ""
    clone_window_hours: float = 24.0
    delay_ms: int = 0
    fault: str = "none"


class Response(Exception):
    """An answer, raised from anywhere in a handler (errors are answers too)."""

    def __init__(self, status: int, body: dict | bytes, headers: list[tuple[str, str]] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.headers = headers or []


def error(status: int, code: str, message: str, details=None, headers=None) -> Response:
    """An error in IPM's stable API shape: ``{"error": {"code", "message", "details"}}``."""
    return Response(status, {"error": {"code": code, "message": message, "details": details}}, headers)


class ProviderApp:
    """The WSGI application."""

    def __init__(self, config: Config):
        self.config = config
        self.store = Store(config.db)
        self.replays = signing.ReplayGuard()
        self.faults = Faults(delay_ms=config.delay_ms, mode=config.fault)
        self.started = time.time()

    # --- WSGI plumbing ---------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO") or "/"
        try:
            response = self.route(environ, method, path)
        except Response as raised:
            response = raised
        except Exception:
            log.exception("%s %s failed", method, path)
            response = error(500, "internal_error", "the provider failed to answer; see its log")
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(response.body)))]
        headers += response.headers
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        log.info("%s %s %s %.1f ms", method, path, response.status, (time.perf_counter() - started) * 1000)
        return [response.body]

    def route(self, environ, method: str, path: str) -> Response:
        parts = [part for part in path.split("/") if part]
        routes = {
            ("health",): {"GET": self.health},
            ("verify",): {"POST": self.verify},
            ("serials",): {"POST": self.commission},
            ("serials.csv",): {"POST": self.commission_csv},
            ("serials", "ship"): {"POST": self.ship},
            ("serials", "decommission"): {"POST": self.decommission},
            ("verifications",): {"GET": self.verifications},
            ("_faults",): {"GET": self.get_faults, "POST": self.set_faults},
        }
        handlers = routes.get(tuple(parts))
        args = ()
        if handlers is None and len(parts) >= 3 and parts[0] == "serials":
            # PATH_INFO arrives percent-decoded: a serial holding "/" (GS1 allows it) spans several parts.
            handlers, args = {"GET": self.item}, (parts[1], "/".join(parts[2:]))
        if handlers is None:
            raise error(404, "not_found", f"no endpoint {path}")
        handler = handlers.get(method)
        if handler is None:
            raise error(
                405,
                "method_not_allowed",
                f"{path} answers {', '.join(handlers)}",
                headers=[("Allow", ", ".join(handlers))],
            )
        return handler(environ, *args)

    @staticmethod
    def headers(environ) -> dict[str, str]:
        """Request headers by their usual spelling (``IPM-Signature``, ``Accept-Language``)."""
        found = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = "-".join(word.capitalize() for word in key[5:].split("_"))
                found[name.replace("Ipm-", "IPM-")] = value
        if environ.get("CONTENT_TYPE"):
            found["Content-Type"] = environ["CONTENT_TYPE"]
        return found

    @staticmethod
    def body(environ, limit: int) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise error(411, "length_required", "send a Content-Length header") from None
        if length > limit:
            raise error(413, "too_large", f"the body is more than {limit} bytes")
        return environ["wsgi.input"].read(length) if length > 0 else b""

    @staticmethod
    def json_body(environ, limit: int = MAX_REGISTRY_BODY):
        if not (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower() == "application/json":
            raise error(415, "unsupported_media_type", "send JSON (Content-Type: application/json)")
        try:
            return json.loads(ProviderApp.body(environ, limit).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise error(400, "malformed", f"the body is not UTF-8 JSON: {exc}") from None

    def require_admin(self, environ):
        """Registry and fault endpoints: ``Authorization: Bearer <admin token>`` (refused when none is set)."""
        token = self.config.admin_token
        if not token:
            raise error(403, "disabled", "the registry API is off: start the provider with --admin-token")
        given = (environ.get("HTTP_AUTHORIZATION") or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise error(
                401,
                "unauthorized",
                "give the admin token: Authorization: Bearer <token>",
                headers=[("WWW-Authenticate", 'Bearer realm="ipm-reference-provider"')],
            )

    # --- The protocol ----------------------------------------------------------------------------------------

    def health(self, environ) -> Response:
        return Response(200, {"status": "ok", "protocol": PROTOCOL, "uptimeSeconds": round(time.time() - self.started)})

    def verify(self, environ) -> Response:
        """``POST /verify``: check the signature, read the request, answer (and record) the verdict, signed."""
        delay_ms, mode = self.faults.take()
        if delay_ms:
            time.sleep(delay_ms / 1000)
        try:
            response = self._verify(environ, mode)
        except Response as raised:
            response = raised
        return self._signed(response, mode)

    def _verify(self, environ, mode: str) -> Response:
        headers = self.headers(environ)
        body = self.body(environ, MAX_VERIFY_BODY)  # read even when failing on purpose: the client sent it all
        if mode == "http_500":
            raise error(500, "internal_error", "fault injected: http_500")
        if mode == "http_503":
            raise error(503, "unavailable", "fault injected: http_503", headers=[("Retry-After", "1")])
        try:
            signing.verify(self.config.secrets.current(), body, headers.get(signing.HEADER), replays=self.replays)
        except signing.SignatureError as refused:
            log.warning("refused a request: %s (%s)", refused.code, refused)
            raise error(401, "bad_signature", str(refused), {"reason": refused.code}) from None
        if (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            raise error(415, "unsupported_media_type", "send JSON (Content-Type: application/json)")
        if headers.get("IPM-Protocol", "1").strip() != "1":
            raise error(400, "unsupported_protocol", f"this provider speaks {PROTOCOL} (IPM-Protocol: 1)")
        try:
            request = verdicts.parse(body, headers)
            answer = verdicts.answer(self.store, request, clone_window_hours=self.config.clone_window_hours)
        except verdicts.BadRequest as bad:
            raise error(bad.status, bad.code, bad.message, bad.details) from None
        if mode == "malformed_json":
            answer = answer[: len(answer) // 2]
        elif mode == "wrong_request_id":
            data = json.loads(answer)
            data["requestId"] = str(uuid.uuid4())
            answer = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return Response(200, answer)

    def _signed(self, response: Response, mode: str) -> Response:
        """Every ``/verify`` answer carries ``IPM-Signature`` over its exact body (with a wrong key for the
        ``bad_signature`` fault)."""
        secret = signing.new_secret() if mode == "bad_signature" else self.config.secrets.current()[0]
        response.headers.append((signing.HEADER, signing.sign(secret, response.body)))
        return response

    # --- The registry API ------------------------------------------------------------------------------------

    def _registry(self, action):
        try:
            return action()
        except RegistryError as refused:
            raise error(400, "invalid", refused.message, {"errors": refused.errors}) from None

    def commission(self, environ) -> Response:
        """``POST /serials``: a JSON list of ``{gtin, serial, lot, expiry}`` (or ``{"serials": [...]}``)."""
        self.require_admin(environ)
        data = self.json_body(environ)
        if isinstance(data, dict):
            data = data.get("serials")
        if not isinstance(data, list):
            raise error(400, "malformed", 'send a list of {gtin, serial, lot, expiry} (or {"serials": [...]})')
        rows = [({"index": index}, item) for index, item in enumerate(data)]
        return Response(201, self._registry(lambda: registry.commission(self.store, rows)))

    def commission_csv(self, environ) -> Response:
        """``POST /serials.csv``: a UTF-8 CSV body, columns gtin,serial,lot,expiry; all lines or none."""
        self.require_admin(environ)
        try:
            text = self.body(environ, MAX_REGISTRY_BODY).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise error(400, "malformed", "the CSV file is not UTF-8 text") from None
        result = self._registry(lambda: registry.commission(self.store, registry.csv_rows(text)))
        return Response(201, result)

    def ship(self, environ) -> Response:
        """``POST /serials/ship``: ``{gtin, serials: [...], countries: [...]}``."""
        self.require_admin(environ)
        data = self._object(environ)
        return Response(
            200,
            self._registry(
                lambda: registry.ship(self.store, data.get("gtin"), data.get("serials"), data.get("countries"))
            ),
        )

    def decommission(self, environ) -> Response:
        """``POST /serials/decommission``: ``{gtin, serials: [...], reason}``."""
        self.require_admin(environ)
        data = self._object(environ)
        return Response(
            200,
            self._registry(
                lambda: registry.decommission(self.store, data.get("gtin"), data.get("serials"), data.get("reason"))
            ),
        )

    def _object(self, environ) -> dict:
        data = self.json_body(environ)
        if not isinstance(data, dict):
            raise error(400, "malformed", "send a JSON object")
        return data

    def item(self, environ, gtin: str, serial: str) -> Response:
        """``GET /serials/{gtin}/{serial}``: state, markets and verification history."""
        self.require_admin(environ)
        try:
            gtin, serial = validation.gtin(gtin), validation.serial(serial)
        except validation.Invalid as invalid:
            raise error(400, "invalid", invalid.message, {"field": invalid.field}) from None
        record = registry.item_record(self.store, gtin, serial)
        if record is None:
            raise error(404, "not_found", "this serial number is not in the registry and was never verified")
        return Response(200, record)

    def verifications(self, environ) -> Response:
        """``GET /verifications?limit=N``: the requests received (what IPM told this provider), newest first."""
        self.require_admin(environ)
        try:
            limit = max(1, min(1000, int(parse_qs(environ.get("QUERY_STRING", "")).get("limit", ["100"])[0])))
        except ValueError:
            raise error(400, "invalid", "limit is a number") from None
        return Response(200, {"verifications": registry.received_requests(self.store, limit)})

    # --- Fault injection -------------------------------------------------------------------------------------

    def get_faults(self, environ) -> Response:
        self.require_admin(environ)
        return Response(200, self.faults.state())

    def set_faults(self, environ) -> Response:
        """``POST /_faults`` ``{"delay_ms": N, "mode": …, "count": N}``: slow or corrupt the next ``count``
        ``/verify`` answers (all of them without ``count``); ``{}`` clears."""
        self.require_admin(environ)
        data = self._object(environ)
        delay, mode, count = data.get("delay_ms", 0), data.get("mode", "none"), data.get("count")
        problems = []
        if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= MAX_DELAY_MS:
            problems.append({"field": "delay_ms", "message": f"a whole number of milliseconds, 0 to {MAX_DELAY_MS}"})
        if mode not in FAULT_MODES:
            problems.append({"field": "mode", "message": f"one of {', '.join(FAULT_MODES)}"})
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            problems.append({"field": "count", "message": "a positive whole number, or absent for every request"})
        if problems:
            raise error(400, "invalid", "faults not changed", {"errors": problems})
        self.faults.set(delay, mode, count)
        log.warning("faults set: %s", self.faults.state())
        return Response(200, self.faults.state())


def secrets_from_environment() -> list[str]:
    return SecretSource.parse(os.environ.get("IPM_REFERENCE_PROVIDER_SECRET", ""))


def new_admin_token() -> str:
    return random_secrets.token_urlsafe(24)
