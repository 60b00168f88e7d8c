"""The demo's serial numbers: one product of the "secured brand", Aurelia Horlogerie (Aurelia Luxury Goods), whose
items this reference provider knows — the Céleste Automatic 38 mm watch, ``AH-2046-38``, GTIN 7612345010014 (the
demo sheet that also carries VeriTrace's ``gs1:verificationService`` resolver link, docs/demo.md).

IPM's demo (``ipm demo``, the printable test codes, docs/demo.md) imports these constants, so that the codes it
prints and the registry ``seed-demo`` fills cannot disagree. Lot and expiry are those of the printable codes
(``ipm.scans.printable_codes``: lot L2607A, expiry 301231).

``seed-demo`` is idempotent and refreshes the cloned code's earlier sighting to one hour before now, so the demo
shows ``suspect`` on any day it is run.
"""

import json
import time
import uuid
from dataclasses import dataclass

from ipm_reference_provider import registry
from ipm_reference_provider.registry import Store

DEMO_BRAND = "Aurelia Horlogerie"
DEMO_SKU = "AH-2046-38"
DEMO_GTIN13 = "7612345010014"
DEMO_GTIN = "0" + DEMO_GTIN13  # as IPM sends it (GTIN-14)
DEMO_LOT = "L2607A"
DEMO_EXPIRY = "2030-12-31"
DEMO_MARKETS = ("FR", "MA", "BR", "BE", "CH", "ES")  # the demo's customs countries (FR, MA, BR) and a few more
OTHER_MARKETS = ("US", "JP")
CLONE_SIGHTING_COUNTRY = "AE"
CLONE_SIGHTING_UNLOCODE = "AEJEA"  # Jebel Ali


@dataclass(frozen=True)
class DemoCode:
    """One demo item: what its code holds and what verifying it answers (for an officer of FR, MA or BR)."""

    key: str
    serial: str
    verdict: str
    reasons: tuple[str, ...]
    description: str
    lot: str = DEMO_LOT
    expiry: str = DEMO_EXPIRY
    gtin: str = DEMO_GTIN


DEMO_CODES = (
    DemoCode(
        "authentic",
        "SN234501001",  # the serial of the existing printable DataMatrix (printable_codes.serial_for)
        "authentic",
        (),
        "Commissioned and shipped to FR, MA, BR, BE, CH and ES.",
    ),
    DemoCode("authentic_2", "AHC38-0002", "authentic", (), "Another genuine watch, same markets."),
    DemoCode("authentic_3", "AHC38-0003", "authentic", (), "Another genuine watch, same markets."),
    DemoCode(
        "never_commissioned",
        "AHC38-9999",
        "counterfeit",
        ("No_match_GTIN_Serial",),
        "A serial number the right holder never issued (not in the registry).",
    ),
    DemoCode(
        "decommissioned",
        "AHC38-0666",
        "counterfeit",
        ("Decommissioned",),
        "Commissioned, then decommissioned: reported stolen.",
    ),
    DemoCode(
        "cloned",
        "AHC38-0777",
        "suspect",
        ("Cloned_code",),
        "Commissioned and shipped like the others, but verified in the United Arab Emirates (Jebel Ali) an hour ago.",
    ),
    DemoCode(
        "outside_market",
        "AHC38-0808",
        "suspect",
        ("Outside_intended_market",),
        "Commissioned and shipped to the United States and Japan only.",
    ),
    DemoCode(
        "lot_mismatch",
        "AHC38-0004",
        "counterfeit",
        ("No_match_GTIN_Serial_Lot",),
        "A genuine serial number printed with another lot number.",
        lot="L2699Z",
    ),
)

DEMO_SERIALS = {code.key: code.serial for code in DEMO_CODES}
CODES_BY_KEY = {code.key: code for code in DEMO_CODES}
# The serials commissioned by seed-demo (the never-commissioned one is left out on purpose).
COMMISSIONED = (
    "SN234501001",
    "AHC38-0002",
    "AHC38-0003",
    "AHC38-0004",
    "AHC38-0005",
    "AHC38-0666",
    "AHC38-0777",
    "AHC38-0808",
)
CLONE_SIGHTING_REQUEST_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "ipm-reference-provider:demo:cloned-sighting"))


def seed(store: Store, *, now: float | None = None) -> dict:
    """Fill the registry with the demo's serials (again: idempotent) and refresh the cloned code's sighting."""
    now = time.time() if now is None else now
    present = {row[0] for row in store.read().execute("SELECT serial FROM serials WHERE gtin=?", (DEMO_GTIN,))}
    rows = [
        ({"index": i}, {"gtin": DEMO_GTIN, "serial": serial, "lot": DEMO_LOT, "expiry": DEMO_EXPIRY})
        for i, serial in enumerate(COMMISSIONED)
        if serial not in present  # a decommissioned serial cannot be commissioned again
    ]
    commissioned = registry.commission(store, rows, now=now) if rows else {"commissioned": 0}
    decommissioned = {row[0] for row in store.read().execute("SELECT serial FROM serials WHERE state='decommissioned'")}
    in_markets = [s for s in COMMISSIONED if s != DEMO_SERIALS["outside_market"] and s not in decommissioned]
    registry.ship(store, DEMO_GTIN, in_markets, list(DEMO_MARKETS), now=now)
    registry.ship(store, DEMO_GTIN, [DEMO_SERIALS["outside_market"]], list(OTHER_MARKETS), now=now)
    registry.decommission(store, DEMO_GTIN, [DEMO_SERIALS["decommissioned"]], "stolen", now=now)
    _record_sighting(store, now - 3600)
    return {"gtin": DEMO_GTIN, "commissioned": commissioned["commissioned"], "serials": DEMO_SERIALS}


def _record_sighting(store: Store, seen_at: float) -> None:
    """The cloned code's earlier verification, as if an officer in Jebel Ali had asked about it."""
    record = {"headers": {}, "body": {"note": "seeded by ipm-reference-provider seed-demo"}}
    answer = json.dumps({"verdict": "authentic", "reasons": []}).encode()
    with store.transaction() as db:
        db.execute("DELETE FROM verifications WHERE request_id=?", (CLONE_SIGHTING_REQUEST_ID,))
        db.execute(
            "INSERT INTO verifications (request_id, gtin, serial, country, unlocode, seen_at, received_at, verdict,"
            " reasons, fingerprint, request, answer) VALUES (?, ?, ?, ?, ?, ?, ?, 'authentic', '[]', '', ?, ?)",
            (
                CLONE_SIGHTING_REQUEST_ID,
                DEMO_GTIN,
                DEMO_SERIALS["cloned"],
                CLONE_SIGHTING_COUNTRY,
                CLONE_SIGHTING_UNLOCODE,
                seen_at,
                seen_at,
                json.dumps(record),
                answer,
            ),
        )
