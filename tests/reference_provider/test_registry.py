"""The right holder's registry API of the reference provider (commission by JSON or CSV, ship, decommission, read)
and its command line: validation with per-item errors, all or nothing, the admin token."""

import json
import sqlite3
import subprocess
import sys

import pytest

from ipm_reference_provider.demo import DEMO_GTIN
from tests.reference_provider.process import request_body, start_reference_provider

GTIN = "04098765001017"  # Northwind Amoxicillin, a demo GTIN not seeded in the provider


def serial_count(provider) -> int:
    with sqlite3.connect(provider.db) as db:
        return db.execute("SELECT count(*) FROM serials").fetchone()[0]


@pytest.fixture
def empty_provider(tmp_path, secret):
    running = start_reference_provider(tmp_path, secret)
    yield running
    running.stop()


def test_health_needs_no_token(empty_provider):
    assert empty_provider.call("GET", "/health", admin=False) == (
        200,
        {"status": "ok", "protocol": "ipm-connected/1", "uptimeSeconds": pytest.approx(0, abs=30)},
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/serials"),
        ("POST", "/serials.csv"),
        ("POST", "/serials/ship"),
        ("POST", "/serials/decommission"),
        ("GET", f"/serials/{DEMO_GTIN}/SN1"),
        ("GET", "/verifications"),
        ("GET", "/_faults"),
        ("POST", "/_faults"),
    ],
)
def test_registry_and_faults_need_the_admin_token(empty_provider, method, path):
    status, answer = empty_provider.call(method, path, {} if method == "POST" else None, admin=False)
    assert (status, answer["error"]["code"]) == (401, "unauthorized")
    empty_provider.admin_token += "x"
    assert empty_provider.call(method, path, {} if method == "POST" else None)[0] == 401


def test_without_an_admin_token_the_registry_api_is_off(tmp_path, secret):
    provider = start_reference_provider(tmp_path, secret, admin_token="unused")
    provider.stop()
    provider.command = [c if not c.startswith("--admin-token=") else "--admin-token=" for c in provider.command]
    provider.restart()
    try:
        status, answer = provider.call("POST", "/serials", [])
        assert (status, answer["error"]["code"]) == (403, "disabled")
    finally:
        provider.stop()


def test_commission_ship_decommission_and_read(empty_provider):
    p = empty_provider
    items = [
        {"gtin": "4098765001017", "serial": "A1", "lot": "AMX2417", "expiry": "2027-06-30"},
        {"gtin": GTIN, "serial": "A2", "lot": "AMX2417", "expiry": "270630"},
        {"gtin": GTIN, "serial": "A3"},
    ]
    assert p.commission(items) == {"commissioned": 3, "unchanged": 0}
    assert p.commission(items[:2]) == {"commissioned": 0, "unchanged": 2}  # again: nothing changes
    assert p.ship(GTIN, ["A1", "A2"], ["fr", "MA"]) == {"shipped": 2, "countries": ["FR", "MA"]}
    assert p.decommission(GTIN, ["A3"], "destroyed") == {"decommissioned": 1, "unchanged": 0}
    assert p.decommission(GTIN, ["A3"], "destroyed") == {"decommissioned": 0, "unchanged": 1}
    record = p.item(GTIN, "A2")
    assert record | {"commissionedAt": None} == {
        "gtin": GTIN,
        "serial": "A2",
        "state": "commissioned",
        "lot": "AMX2417",
        "expiry": "2027-06-30",
        "commissionedAt": None,
        "decommissionedAt": None,
        "decommissionReason": None,
        "markets": ["FR", "MA"],
        "verifications": [],
    }
    assert p.item(GTIN, "A3")["state"] == "decommissioned"
    assert p.item(GTIN, "A3")["decommissionReason"] == "destroyed"
    assert p.call("GET", f"/serials/{GTIN}/NOPE")[0] == 404
    p.commission([{"gtin": GTIN, "serial": "A/4%"}])  # GS1 serials may hold "/" and "%"
    assert p.item(GTIN, "A/4%")["serial"] == "A/4%"
    assert p.call("GET", f"/serials/{GTIN[:-1]}9/A1")[0] == 400
    # And the verdicts follow.
    status, answer, _, _ = p.verify(request_body(gtin=GTIN, serial="A1", lot="AMX2417", expiry="2027-06-30"))
    assert answer["verdict"] == "authentic"
    assert p.verify(request_body(gtin=GTIN, serial="A3", lot=None, expiry=None))[1]["reasons"] == ["Decommissioned"]
    assert p.verify(request_body(gtin=GTIN, serial="A1", lot="AMX2417", expiry="2027-06-30", country="BR"))[1][
        "reasons"
    ] == ["Cloned_code", "Outside_intended_market"]  # seen in FR a moment ago, and not shipped to BR


def test_commissioning_is_all_or_nothing_with_an_error_per_item(empty_provider):
    p = empty_provider
    items = [
        {"gtin": GTIN, "serial": "OK1"},
        {"gtin": "4098765001018", "serial": "B1"},  # wrong check digit
        {"gtin": GTIN, "serial": "has space"},
        {"gtin": GTIN, "serial": "B3", "expiry": "2027-02-30"},
        {"gtin": GTIN, "serial": "B4", "lot": "L" * 21},
        "not an object",
        {"gtin": GTIN, "serial": "OK1", "lot": "OTHER"},  # the same serial with another lot
    ]
    status, answer = p.call("POST", "/serials", {"serials": items})
    assert status == 400
    errors = answer["error"]["details"]["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [
        (1, "gtin"),
        (2, "serial"),
        (3, "expiry"),
        (4, "lot"),
        (5, None),
        (6, "serial"),
    ]
    assert "check digit" in errors[0]["message"]
    assert serial_count(p) == 0


def test_recommissioning_with_other_data_or_after_decommissioning_is_refused(empty_provider):
    p = empty_provider
    p.commission([{"gtin": GTIN, "serial": "C1", "lot": "L1"}, {"gtin": GTIN, "serial": "C2"}])
    p.decommission(GTIN, ["C2"], "stolen")
    status, answer = p.call("POST", "/serials", [{"gtin": GTIN, "serial": "C3"}, {"gtin": GTIN, "serial": "C1"}])
    assert status == 400 and "already commissioned with lot L1" in answer["error"]["details"]["errors"][0]["message"]
    status, answer = p.call("POST", "/serials", [{"gtin": GTIN, "serial": "C2"}])
    assert status == 400 and "decommissioned" in answer["error"]["details"]["errors"][0]["message"]
    assert p.item(GTIN, "C3") is None  # nothing half-written


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{", "application/json", 400, "malformed"),
        (b'{"serials": 3}', "application/json", 400, "malformed"),
        (b"[]", "application/json", 400, "invalid"),
        (b"[]", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_unreadable_commissioning_requests(empty_provider, body, content_type, status, code):
    got = empty_provider.call("POST", "/serials", body, content_type=content_type)
    assert (got[0], got[1]["error"]["code"]) == (status, code)


def test_ship_and_decommission_validate_everything_first(empty_provider):
    p = empty_provider
    p.commission([{"gtin": GTIN, "serial": "D1"}, {"gtin": GTIN, "serial": "D2"}])
    status, answer = p.call("POST", "/serials/ship", {"gtin": GTIN, "serials": ["D1", "D9"], "countries": ["FR"]})
    assert status == 400 and answer["error"]["details"]["errors"] == [
        {"serial": "D9", "field": "serials", "message": "this serial number was never commissioned"}
    ]
    status, answer = p.call("POST", "/serials/ship", {"gtin": GTIN, "serials": ["D1"], "countries": ["FR", "XX", 3]})
    assert status == 400 and [e["index"] for e in answer["error"]["details"]["errors"]] == [1, 2]
    assert p.call("POST", "/serials/ship", {"gtin": GTIN, "serials": [], "countries": ["FR"]})[0] == 400
    assert p.item(GTIN, "D1")["markets"] == []
    status, answer = p.call("POST", "/serials/decommission", {"gtin": GTIN, "serials": ["D1", "D9"], "reason": "x"})
    assert status == 400
    assert p.call("POST", "/serials/decommission", {"gtin": GTIN, "serials": ["D1"], "reason": " "})[0] == 400
    assert p.item(GTIN, "D1")["state"] == "commissioned"
    p.decommission(GTIN, ["D1"], "stolen")
    status, answer = p.call("POST", "/serials/ship", {"gtin": GTIN, "serials": ["D1"], "countries": ["FR"]})
    assert (
        status == 400 and answer["error"]["details"]["errors"][0]["message"] == "this serial number was decommissioned"
    )


CSV_OK = "\ufeffgtin,serial,lot,expiry\n04098765001017,E1,AMX2417,2027-06-30\n4098765001017,E2,,\n\n"


def test_commission_by_csv_upload(empty_provider):
    p = empty_provider
    status, answer = p.call("POST", "/serials.csv", CSV_OK.encode(), content_type="text/csv")
    assert (status, answer) == (201, {"commissioned": 2, "unchanged": 0})
    assert p.item(GTIN, "E1")["expiry"] == "2027-06-30"
    assert p.item(GTIN, "E2")["lot"] is None


def test_csv_errors_are_reported_per_line_and_nothing_is_written(empty_provider):
    p = empty_provider
    text = (
        "serial,gtin,lot,expiry\n"  # columns in any order
        "F1,04098765001017,L1,2027-06-30\n"
        "F2,04098765001018,L1,2027-06-30\n"
        "F3,04098765001017,L1\n"
        "F4,04098765001017,L1,tomorrow\n"
    )
    status, answer = p.call("POST", "/serials.csv", text.encode(), content_type="text/csv")
    assert status == 400
    assert [(e["line"], e["field"]) for e in answer["error"]["details"]["errors"]] == [
        (3, "gtin"),
        (4, None),
        (5, "expiry"),
    ]
    assert serial_count(p) == 0
    status, answer = p.call("POST", "/serials.csv", b"code,serial\n1,2\n", content_type="text/csv")
    assert status == 400 and answer["error"]["details"]["errors"][0]["line"] == 1
    assert p.call("POST", "/serials.csv", b"", content_type="text/csv")[0] == 400
    assert p.call("POST", "/serials.csv", b"\xff\xfe\x00", content_type="text/csv")[0] == 400


def test_cli_commission_and_seed_demo(tmp_path):
    db = tmp_path / "registry.sqlite3"
    csv_file = tmp_path / "serials.csv"
    csv_file.write_text(CSV_OK, encoding="utf-8")
    command = [sys.executable, "-m", "ipm_reference_provider"]
    done = subprocess.run([*command, "commission", "--db", db, "--csv", csv_file], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"commissioned": 2, "unchanged": 0}
    csv_file.write_text("gtin,serial,lot,expiry\n04098765001018,G1,,\n", encoding="utf-8")
    done = subprocess.run([*command, "commission", "--db", db, "--csv", csv_file], capture_output=True, text=True)
    assert done.returncode == 1 and "line 2" in done.stderr
    for _ in range(2):  # idempotent
        done = subprocess.run([*command, "seed-demo", "--db", db], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM serials WHERE gtin=?", (DEMO_GTIN,)).fetchone()[0] == 8
        assert connection.execute("SELECT count(*) FROM verifications").fetchone()[0] == 1


def test_serve_refuses_to_start_without_a_secret(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ipm_reference_provider", "serve", "--port", "0", "--db", tmp_path / "x.sqlite3"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin"},
    )
    assert done.returncode != 0 and "no shared secret" in done.stderr


def test_serve_refuses_a_secret_that_is_no_secret(tmp_path):
    (tmp_path / "s").write_text("short\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ipm_reference_provider",
            "serve",
            "--port",
            "0",
            "--db",
            tmp_path / "x.sqlite3",
            "--secret-file",
            tmp_path / "s",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin"},
    )
    assert done.returncode != 0 and "no shared secret" in done.stderr, done.stdout
