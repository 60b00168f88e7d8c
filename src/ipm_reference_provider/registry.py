"""The provider's own storage (one SQLite file) and the right holder's actions on it: commission serials, ship them
to markets, decommission them; and the record of every verification IPM asked for.

Every action runs in one ``BEGIN IMMEDIATE`` transaction and checks everything before writing anything, so a
request with one bad line changes nothing ("all or nothing"), and two requests never interleave their writes.
"""

import csv
import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ipm_reference_provider import validation

SCHEMA = """
CREATE TABLE IF NOT EXISTS serials (
    gtin TEXT NOT NULL,
    serial TEXT NOT NULL,
    lot TEXT NOT NULL DEFAULT '',
    expiry TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'commissioned' CHECK (state IN ('commissioned', 'decommissioned')),
    decommission_reason TEXT NOT NULL DEFAULT '',
    commissioned_at REAL NOT NULL,
    decommissioned_at REAL,
    PRIMARY KEY (gtin, serial)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS markets (
    gtin TEXT NOT NULL,
    serial TEXT NOT NULL,
    country TEXT NOT NULL,
    shipped_at REAL NOT NULL,
    PRIMARY KEY (gtin, serial, country),
    FOREIGN KEY (gtin, serial) REFERENCES serials (gtin, serial)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verifications (
    request_id TEXT PRIMARY KEY,
    gtin TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    unlocode TEXT NOT NULL DEFAULT '',
    seen_at REAL NOT NULL,
    received_at REAL NOT NULL,
    received_count INTEGER NOT NULL DEFAULT 1,
    verdict TEXT NOT NULL,
    reasons TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    request TEXT NOT NULL,
    answer BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS verifications_item ON verifications (gtin, serial, seen_at);
"""

MAX_REASON = 200


class RegistryError(Exception):
    """Input that cannot be written; ``errors`` lists ``{"index"|"line", "field", "message"}`` — nothing was."""

    def __init__(self, message: str, errors: list[dict]):
        super().__init__(message)
        self.message = message
        self.errors = errors


def iso(timestamp: float | None) -> str | None:
    """A unix time as ISO 8601 UTC with a ``Z``, to the second."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """The SQLite file, one connection per thread (the server runs a thread per request)."""

    def __init__(self, path: str):
        self.path = str(path)
        self._local = threading.local()
        self.connection().executescript(SCHEMA)  # idempotent (IF NOT EXISTS); executescript commits itself

    def connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @contextmanager
    def transaction(self):
        """One write transaction, taken at once (``BEGIN IMMEDIATE``): committed on success, rolled back on any
        exception."""
        db = self.connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        return self.connection()


# --- Commissioning -----------------------------------------------------------------------------------------------


@dataclass
class Item:
    gtin: str
    serial: str
    lot: str = ""
    expiry: str = ""


@dataclass
class Checked:
    items: list[tuple[Item, dict]] = field(default_factory=list)  # (item, where it came from)
    errors: list[dict] = field(default_factory=list)


def _check_item(raw, where: dict) -> tuple[Item | None, list[dict]]:
    if not isinstance(raw, dict):
        return None, [{**where, "field": None, "message": "each serial is an object {gtin, serial, lot, expiry}"}]
    values, errors = {}, []
    for name, check in (
        ("gtin", validation.gtin),
        ("serial", validation.serial),
        ("lot", validation.lot),
        ("expiry", validation.expiry),
    ):
        try:
            values[name] = check(raw.get(name))
        except validation.Invalid as error:
            errors.append({**where, "field": error.field, "message": error.message})
    return (Item(**values) if not errors else None), errors


def check_items(rows: Iterable[tuple[dict, object]]) -> Checked:
    """Validate ``(where, raw item)`` pairs; ``where`` locates an error (``{"index": 3}`` or ``{"line": 4}``).
    A serial listed twice counts once, unless the two lines disagree on lot or expiry (an error)."""
    checked = Checked()
    first_seen: dict[tuple[str, str], Item] = {}
    for where, raw in rows:
        item, errors = _check_item(raw, where)
        checked.errors += errors
        if item is None:
            continue
        earlier = first_seen.get((item.gtin, item.serial))
        if earlier is None:
            first_seen[(item.gtin, item.serial)] = item
            checked.items.append((item, where))
        elif (earlier.lot, earlier.expiry) != (item.lot, item.expiry):
            message = "this serial number is listed twice with different lots or expiry dates"
            checked.errors.append({**where, "field": "serial", "message": message})
    return checked


def commission(store: Store, rows: Iterable[tuple[dict, object]], *, now: float | None = None) -> dict:
    """Register serial numbers as commissioned (issued on genuine items). Commissioning again a serial with the
    same lot and expiry changes nothing; with other ones, or a decommissioned serial, is an error."""
    checked = check_items(rows)
    if not checked.items and not checked.errors:
        raise RegistryError("no serial numbers to commission", [])
    now = time.time() if now is None else now
    with store.transaction() as db:
        new = []
        for item, where in checked.items:
            existing = db.execute(
                "SELECT lot, expiry, state FROM serials WHERE gtin=? AND serial=?", (item.gtin, item.serial)
            ).fetchone()
            if existing is None:
                new.append(item)
            elif existing["state"] != "commissioned":
                message = "this serial number was decommissioned; it cannot be issued again"
                checked.errors.append({**where, "field": "serial", "message": message})
            elif (existing["lot"], existing["expiry"]) != (item.lot, item.expiry):
                lot, expiry = existing["lot"] or "-", existing["expiry"] or "-"
                message = f"already commissioned with lot {lot} and expiry {expiry}"
                checked.errors.append({**where, "field": "serial", "message": message})
        if checked.errors:
            raise RegistryError("nothing was commissioned: fix the errors listed", _in_order(checked.errors))
        db.executemany(
            "INSERT INTO serials (gtin, serial, lot, expiry, commissioned_at) VALUES (?, ?, ?, ?, ?)",
            [(i.gtin, i.serial, i.lot, i.expiry, now) for i in new],
        )
    return {"commissioned": len(new), "unchanged": len(checked.items) - len(new)}


def _in_order(errors: list[dict]) -> list[dict]:
    return sorted(errors, key=lambda error: error.get("line", error.get("index", 0)) or 0)


CSV_COLUMNS = ("gtin", "serial", "lot", "expiry")


def csv_rows(text: str) -> list[tuple[dict, dict]]:
    """The lines of a commissioning CSV (header ``gtin,serial,lot,expiry``; lot and expiry may be empty) as
    ``({"line": n}, item)`` pairs; a wrong header raises ``RegistryError``."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise RegistryError("the CSV file is empty", []) from None
    except csv.Error as error:
        raise RegistryError(f"the CSV file cannot be read: {error}", []) from None
    if sorted(header) != sorted(CSV_COLUMNS):
        message = f"the first line names the columns {','.join(CSV_COLUMNS)} (in any order), not {','.join(header)}"
        raise RegistryError(message, [{"line": 1, "field": None, "message": message}])
    rows, errors = [], []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            where = {"line": reader.line_num}
            if len(values) != len(header):
                errors.append({**where, "field": None, "message": f"{len(values)} values, {len(header)} expected"})
                continue
            rows.append((where, dict(zip(header, values, strict=True))))
    except csv.Error as error:
        errors.append({"line": reader.line_num, "field": None, "message": f"unreadable line: {error}"})
    if errors:
        raise RegistryError(
            "nothing was commissioned: fix the errors listed", _in_order(errors + check_items(rows).errors)
        )
    return rows


# --- Shipping and decommissioning --------------------------------------------------------------------------------


def _serial_list(gtin, serials) -> tuple[str | None, list[str], list[dict]]:
    errors = []
    try:
        gtin = validation.gtin(gtin)
    except validation.Invalid as error:
        errors.append({"field": "gtin", "message": error.message})
        gtin = None
    if not isinstance(serials, list) or not serials:
        errors.append({"field": "serials", "message": "serials is a non-empty list of serial numbers"})
        return gtin, [], errors
    checked = []
    for index, value in enumerate(serials):
        try:
            checked.append(validation.serial(value))
        except validation.Invalid as error:
            errors.append({"index": index, "field": "serials", "message": error.message})
    return gtin, list(dict.fromkeys(checked)), errors


def _existing(db, gtin: str, serials: list[str], errors: list[dict], *, commissioned_only: bool) -> dict[str, str]:
    states = {}
    for serial in serials:
        row = db.execute("SELECT state FROM serials WHERE gtin=? AND serial=?", (gtin, serial)).fetchone()
        if row is None:
            errors.append(
                {"serial": serial, "field": "serials", "message": "this serial number was never commissioned"}
            )
        elif commissioned_only and row["state"] != "commissioned":
            errors.append({"serial": serial, "field": "serials", "message": "this serial number was decommissioned"})
        else:
            states[serial] = row["state"]
    return states


def ship(store: Store, gtin, serials, countries, *, now: float | None = None) -> dict:
    """Record that commissioned serials were shipped to these markets (added to the ones they already had). A
    verification from a country outside an item's markets answers ``suspect`` + ``Outside_intended_market``."""
    gtin, serials, errors = _serial_list(gtin, serials)
    markets = []
    if not isinstance(countries, list) or not countries:
        errors.append({"field": "countries", "message": "countries is a non-empty list of ISO 3166-1 alpha-2 codes"})
    else:
        for index, value in enumerate(countries):
            try:
                markets.append(validation.country(value))
            except validation.Invalid as error:
                errors.append({"index": index, "field": "countries", "message": error.message})
    if errors:
        raise RegistryError("nothing was shipped: fix the errors listed", errors)
    now = time.time() if now is None else now
    with store.transaction() as db:
        _existing(db, gtin, serials, errors, commissioned_only=True)
        if errors:
            raise RegistryError("nothing was shipped: fix the errors listed", errors)
        db.executemany(
            "INSERT OR IGNORE INTO markets (gtin, serial, country, shipped_at) VALUES (?, ?, ?, ?)",
            [(gtin, serial, country, now) for serial in serials for country in dict.fromkeys(markets)],
        )
    return {"shipped": len(serials), "countries": sorted(set(markets))}


def decommission(store: Store, gtin, serials, reason, *, now: float | None = None) -> dict:
    """Take serials out of circulation (destroyed, stolen, withdrawn…): a verification of one answers
    ``counterfeit`` + ``Decommissioned``. Decommissioning one again changes nothing."""
    gtin, serials, errors = _serial_list(gtin, serials)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        errors.append({"field": "reason", "message": f"reason is a text of 1 to {MAX_REASON} characters"})
    if errors:
        raise RegistryError("nothing was decommissioned: fix the errors listed", errors)
    now = time.time() if now is None else now
    with store.transaction() as db:
        states = _existing(db, gtin, serials, errors, commissioned_only=False)
        if errors:
            raise RegistryError("nothing was decommissioned: fix the errors listed", errors)
        to_do = [serial for serial, state in states.items() if state == "commissioned"]
        db.executemany(
            "UPDATE serials SET state='decommissioned', decommission_reason=?, decommissioned_at=?"
            " WHERE gtin=? AND serial=?",
            [(reason, now, gtin, serial) for serial in to_do],
        )
    return {"decommissioned": len(to_do), "unchanged": len(serials) - len(to_do)}


# --- Reading -----------------------------------------------------------------------------------------------------


def item_record(store: Store, gtin: str, serial: str) -> dict | None:
    """A serial's state, markets and verification history (newest first), or None if it was never commissioned
    (its verifications are listed all the same when there are some)."""
    db = store.read()
    row = db.execute("SELECT * FROM serials WHERE gtin=? AND serial=?", (gtin, serial)).fetchone()
    history = [
        {
            "requestId": v["request_id"],
            "country": v["country"],
            "unlocode": v["unlocode"] or None,
            "seenAt": iso(v["seen_at"]),
            "receivedCount": v["received_count"],
            "verdict": v["verdict"],
            "reasons": json.loads(v["reasons"]),
        }
        for v in db.execute(
            "SELECT * FROM verifications WHERE gtin=? AND serial=? ORDER BY seen_at DESC LIMIT 500", (gtin, serial)
        )
    ]
    if row is None and not history:
        return None
    markets = [
        m["country"]
        for m in db.execute("SELECT country FROM markets WHERE gtin=? AND serial=? ORDER BY country", (gtin, serial))
    ]
    return {
        "gtin": gtin,
        "serial": serial,
        "state": row["state"] if row else "never_commissioned",
        "lot": (row["lot"] or None) if row else None,
        "expiry": (row["expiry"] or None) if row else None,
        "commissionedAt": iso(row["commissioned_at"]) if row else None,
        "decommissionedAt": iso(row["decommissioned_at"]) if row else None,
        "decommissionReason": (row["decommission_reason"] or None) if row else None,
        "markets": markets,
        "verifications": history,
    }


def received_requests(store: Store, limit: int = 100) -> list[dict]:
    """The verification requests received, newest first, as IPM sent them (what a provider learns from IPM)."""
    rows = store.read().execute(
        # Sightings loaded by seed-demo have no fingerprint: IPM never sent them.
        "SELECT * FROM verifications WHERE fingerprint <> '' ORDER BY received_at DESC LIMIT ?",
        (limit,),
    )
    return [
        {
            "requestId": v["request_id"],
            "receivedAt": iso(v["received_at"]),
            "receivedCount": v["received_count"],
            "verdict": v["verdict"],
            "reasons": json.loads(v["reasons"]),
            "request": json.loads(v["request"]),
        }
        for v in rows
    ]
