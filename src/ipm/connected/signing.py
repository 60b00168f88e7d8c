"""``IPM-Signature`` of the Connected protocol (docs/connected-protocol.md, "Signatures"): HMAC-SHA256 over
``"<unix seconds>." + body``, checked against the receiver's clock and, for requests, against replays.

Pure functions with no Django in them: the IPM client and the reference provider (a separate service) both use
this module, so the two ends cannot drift apart.
"""

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable

HEADER = "IPM-Signature"
SCHEME = "v1"
TOLERANCE_SECONDS = 300
SECRET_BYTES = 32


class SignatureError(Exception):
    """A signature that does not hold. ``code``: ``missing``, ``malformed``, ``stale``, ``mismatch`` or
    ``replayed`` (stable: logged and recorded with the verification)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def new_secret() -> str:
    """A fresh shared secret, as given to the provider: 32 random bytes, base64url without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).rstrip(b"=").decode("ascii")


def secret_bytes(secret: str) -> bytes:
    """The raw key of a shared secret in its base64url form (padding optional)."""
    try:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("a shared secret is base64url text") from error
    if len(raw) < 16:
        raise ValueError("a shared secret holds at least 16 bytes")
    return raw


def _digest(key: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(key, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``IPM-Signature`` header value for ``body``, made now (or at ``timestamp``, unix seconds)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},{SCHEME}={_digest(secret_bytes(secret), timestamp, body)}"


def parse_header(header: str | None) -> tuple[int, str]:
    """``(timestamp, v1 digest)`` of a header value; ``SignatureError`` when it is missing or malformed."""
    if not header:
        raise SignatureError("missing", "no IPM-Signature header")
    parts = {}
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError("malformed", "IPM-Signature is t=<seconds>,v1=<hex>")
        parts[name] = value
    try:
        timestamp = int(parts["t"])
        digest = parts[SCHEME]
        bytes.fromhex(digest)
    except (KeyError, ValueError) as error:
        raise SignatureError("malformed", "IPM-Signature is t=<seconds>,v1=<hex>") from error
    if len(digest) != 64:
        raise SignatureError("malformed", "the v1 signature is 64 hexadecimal digits")
    return timestamp, digest.lower()


def verify(
    secrets_: Iterable[str],
    body: bytes,
    header: str | None,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
    replays: "ReplayGuard | None" = None,
) -> int:
    """Check ``header`` against ``body`` with any of ``secrets_`` (two during a rotation); return its timestamp.

    Raises ``SignatureError``. With ``replays``, a signature already seen inside the tolerance window is refused
    (requests); answers are checked without it."""
    timestamp, digest = parse_header(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("stale", f"the signature is more than {tolerance} seconds away from this clock")
    for secret in secrets_:
        if secret and hmac.compare_digest(_digest(secret_bytes(secret), timestamp, body), digest):
            break
    else:
        raise SignatureError("mismatch", "the signature does not match the body")
    if replays is not None and not replays.first_sight(digest, timestamp + tolerance):
        raise SignatureError("replayed", "this signed request was already received")
    return timestamp


class ReplayGuard:
    """The signatures seen until they expire (thread-safe, in memory): a receiver refuses one seen twice.

    A process-local memory is enough for one receiver process; several processes behind one URL would share it
    through their own store."""

    def __init__(self, max_entries: int = 100_000):
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def first_sight(self, digest: str, expires_at: float) -> bool:
        now = time.time()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) >= self._max):
                self._seen.popitem(last=False)
            if digest in self._seen:
                return False
            self._seen[digest] = expires_at
            return True
