"""The verification itself: read IPM's request, decide the verdict from the registry, record the sighting, and keep
the answer so that a retry of the same ``requestId`` gets the same answer and is not a second sighting.

The rules, in order (docs/reference-provider.md):

1. GTIN not in the registry (no serial of it was ever commissioned) → ``unknown`` + ``No_match_GTIN``;
2. no serial number in the request → ``unknown`` (this registry knows serialised items only);
3. serial never commissioned → ``counterfeit`` + ``No_match_GTIN_Serial``;
4. serial decommissioned → ``counterfeit`` + ``Decommissioned``;
5. lot and/or expiry given and not the commissioned ones → ``counterfeit`` + ``No_match_GTIN_Serial_Lot`` /
   ``_Expiry`` / ``_Lot_Expiry``;
6. otherwise ``suspect`` with ``Cloned_code`` when the serial was verified in another country within the clone
   window, and/or ``Outside_intended_market`` when it was shipped to markets that do not include the requesting
   country (a serial never shipped has no market restriction);
7. otherwise ``authentic``.
"""

import hashlib
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from ipm_reference_provider import PROTOCOL, messages, validation
from ipm_reference_provider.registry import Store, iso

VERDICTS = ("authentic", "counterfeit", "suspect", "unknown")
_DIGITAL_LINK = re.compile(r"/01/(?P<gtin>\d{8,14})(?:/22/[^/]+)?(?:/10/(?P<lot>[^/]+))?(?:/21/(?P<serial>[^/]+))?")


class BadRequest(Exception):
    """A request this provider cannot read (HTTP 400) or, with ``status=409``, a ``requestId`` reused for another
    item."""

    def __init__(self, code: str, message: str, details=None, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.details, self.status = code, message, details, status


@dataclass
class Request:
    """What a verification request says, once read."""

    request_id: str
    gtin: str  # GTIN-14, or "" when the code carries none (or an invalid one)
    serial: str
    lot: str
    expiry: str  # ISO date or ""
    country: str
    unlocode: str
    scanned_at: float | None
    language: str
    fingerprint: str  # of the item and context, to tell a retry from a requestId reused for something else
    record: dict  # what is kept of the request: its body and protocol headers


def _member(container: dict, name: str, kind, *, where: str, required: bool = False):
    value = container.get(name)
    if value is None:
        if required:
            raise BadRequest("malformed", f"{where}.{name} is required", {"field": f"{where}.{name}"})
        return None
    if not isinstance(value, kind):
        raise BadRequest("malformed", f"{where}.{name} has the wrong type", {"field": f"{where}.{name}"})
    return value


def parse(body: bytes, headers: dict[str, str]) -> Request:
    """Read the JSON body of ``POST /verify`` (docs/connected-protocol.md, "The request IPM sends")."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadRequest("malformed", f"the body is not UTF-8 JSON: {error}") from None
    if not isinstance(data, dict):
        raise BadRequest("malformed", "the body is a JSON object")
    if data.get("protocol") != PROTOCOL:
        raise BadRequest("unsupported_protocol", f"this provider speaks {PROTOCOL}", {"protocol": data.get("protocol")})
    request_id = _member(data, "requestId", str, where="body", required=True)
    try:
        request_id = str(uuid.UUID(request_id))
    except ValueError:
        raise BadRequest("malformed", "requestId is a UUID", {"field": "requestId"}) from None
    header_id = headers.get("IPM-Request-Id")
    if header_id is not None and header_id.strip().lower() != request_id:
        raise BadRequest("malformed", "the IPM-Request-Id header is not the body's requestId", {"field": "requestId"})
    code = _member(data, "code", dict, where="body", required=True)
    raw = _member(code, "raw", str, where="code", required=True)
    gs1 = _member(data, "gs1", dict, where="body") or {}
    context = _member(data, "context", dict, where="body", required=True)

    gtin = _member(gs1, "gtin", str, where="gs1") or ""
    serial = _member(gs1, "serial", str, where="gs1") or ""
    lot = _member(gs1, "lot", str, where="gs1") or ""
    expiry = _member(gs1, "expiry", str, where="gs1") or ""
    if not gs1:  # not a GS1 code as IPM parsed it: a Digital Link URI in a QR code is still one this provider reads
        match = _DIGITAL_LINK.search(urlsplit(raw.strip()).path) if raw.strip().lower().startswith("http") else None
        if match:
            gtin, lot, serial = match["gtin"], unquote(match["lot"] or ""), unquote(match["serial"] or "")
    try:
        gtin = validation.gtin(gtin) if gtin else ""
    except validation.Invalid:
        gtin = ""  # not a GTIN: not one this registry secures
    try:
        expiry = validation.expiry(expiry) if expiry else ""
    except validation.Invalid:
        raise BadRequest("malformed", "gs1.expiry is an ISO date (YYYY-MM-DD)", {"field": "gs1.expiry"}) from None

    try:
        country = validation.country(_member(context, "country", str, where="context", required=True))
    except validation.Invalid as error:
        raise BadRequest("malformed", error.message, {"field": "context.country"}) from None
    location = _member(context, "location", dict, where="context") or {}
    unlocode = (_member(location, "unlocode", str, where="context.location") or "").strip().upper()[:5]
    scanned_at = None
    if (scanned := _member(context, "scannedAt", str, where="context")) is not None:
        try:
            scanned_at = datetime.fromisoformat(scanned.replace("Z", "+00:00")).timestamp()
        except ValueError:
            raise BadRequest(
                "malformed", "context.scannedAt is an ISO date-time", {"field": "context.scannedAt"}
            ) from None
    language = messages.choose_language(
        _member(context, "language", str, where="context"), headers.get("Accept-Language")
    )
    item = {"code": code, "gs1": data.get("gs1"), "context": context, "service": data.get("service")}
    fingerprint = hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=True).encode()).hexdigest()
    record = {
        "headers": {
            name: headers[name] for name in ("Accept-Language", "IPM-Protocol", "IPM-Request-Id") if name in headers
        },
        "body": data,
    }
    return Request(
        request_id,
        gtin,
        serial.strip(),
        lot.strip(),
        expiry,
        country,
        unlocode,
        scanned_at,
        language,
        fingerprint,
        record,
    )


def decide(db, request: Request, seen_at: float, clone_window: float) -> tuple[str, list[str], list[str], dict]:
    """``(verdict, reasons, message keys, message values)`` for a request, from the registry as it is now."""
    if not request.gtin or db.execute("SELECT 1 FROM serials WHERE gtin=? LIMIT 1", (request.gtin,)).fetchone() is None:
        return "unknown", ["No_match_GTIN"], ["unknown_gtin"], {}
    if not request.serial:
        return "unknown", [], ["no_serial"], {}
    row = db.execute("SELECT * FROM serials WHERE gtin=? AND serial=?", (request.gtin, request.serial)).fetchone()
    if row is None:
        return "counterfeit", ["No_match_GTIN_Serial"], ["never_commissioned"], {}
    if row["state"] == "decommissioned":
        return "counterfeit", ["Decommissioned"], ["decommissioned"], {}
    lot_wrong = bool(request.lot and row["lot"] and request.lot != row["lot"])
    expiry_wrong = bool(request.expiry and row["expiry"] and request.expiry != row["expiry"])
    if lot_wrong and expiry_wrong:
        return "counterfeit", ["No_match_GTIN_Serial_Lot_Expiry"], ["lot_expiry_mismatch"], {}
    if lot_wrong:
        return "counterfeit", ["No_match_GTIN_Serial_Lot"], ["lot_mismatch"], {}
    if expiry_wrong:
        return "counterfeit", ["No_match_GTIN_Serial_Expiry"], ["expiry_mismatch"], {}
    reasons, keys = [], []
    elsewhere = db.execute(
        "SELECT 1 FROM verifications WHERE gtin=? AND serial=? AND country<>? AND seen_at BETWEEN ? AND ? LIMIT 1",
        (request.gtin, request.serial, request.country, seen_at - clone_window, seen_at + clone_window),
    ).fetchone()
    if elsewhere is not None:
        reasons.append("Cloned_code")
        keys.append("cloned")
    markets = {
        m[0]
        for m in db.execute("SELECT country FROM markets WHERE gtin=? AND serial=?", (request.gtin, request.serial))
    }
    if markets and request.country not in markets:
        reasons.append("Outside_intended_market")
        keys.append("outside_market")
    if reasons:
        return "suspect", reasons, keys, {"hours": round(clone_window / 3600)}
    return "authentic", [], ["authentic"], {}


def answer(store: Store, request: Request, *, clone_window_hours: float, now: float | None = None) -> bytes:
    """The answer body for a request: the stored one for a ``requestId`` already answered (the retry counted,
    not sighted again), else a new verdict, recorded as a sighting of the item at the scan's time."""
    now = time.time() if now is None else now
    with store.transaction() as db:
        stored = db.execute(
            "SELECT answer, fingerprint FROM verifications WHERE request_id=?", (request.request_id,)
        ).fetchone()
        if stored is not None:
            if stored["fingerprint"] != request.fingerprint:
                raise BadRequest(
                    "request_id_reused", "this requestId was already used for another verification", status=409
                )
            db.execute(
                "UPDATE verifications SET received_count = received_count + 1 WHERE request_id=?", (request.request_id,)
            )
            return bytes(stored["answer"])
        seen_at = min(request.scanned_at, now) if request.scanned_at else now
        verdict, reasons, keys, values = decide(db, request, seen_at, clone_window_hours * 3600)
        body = json.dumps(
            {
                "protocol": PROTOCOL,
                "requestId": request.request_id,
                "verdict": verdict,
                "reasons": reasons,
                "message": {"language": request.language, "text": messages.message(keys, request.language, **values)},
                "checkedAt": iso(now),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        db.execute(
            "INSERT INTO verifications (request_id, gtin, serial, country, unlocode, seen_at, received_at, verdict,"
            " reasons, fingerprint, request, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                request.request_id,
                request.gtin,
                request.serial,
                request.country,
                request.unlocode,
                seen_at,
                now,
                verdict,
                json.dumps(reasons),
                request.fingerprint,
                json.dumps(request.record, ensure_ascii=False),
                body,
            ),
        )
    return body
