"""Scan-to-verdict for a secured product, server-side, with the provider answering in 100 ms (issue 5 target: p95
under 250 ms); prints the figures.

    .venv/bin/python bench/connected_verify.py [--runs 200] [--delay-ms 100]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/connected_verify.py

What is timed, per item: the officer's two requests through the whole Django stack (middleware, token
authentication, the API views) in this process — ``POST /api/v1/scans`` (look-up, scan log, the ``connected``
offers) then ``POST /api/v1/connected/verifications`` (request built and signed, HTTP call to the reference
provider, answer checked, history checks, the verification recorded) — with the reference provider running as its
own process on loopback, told to wait ``--delay-ms`` before each answer. The provider's own share is the recorded
``latency_ms``; "IPM's share" is the rest. Uses a database of its own (a fresh SQLite file in a temporary folder, or
IPM_DATABASE_URL, flushed first: never point it at real data).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SERIALS = [f"BENCH-{n:04d}" for n in range(100)]


def setup(tmp: str) -> None:
    os.environ.setdefault("IPM_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["IPM_VAR_DIR"] = tmp
    os.environ["IPM_DEBUG"] = "0"
    os.environ["IPM_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipm.settings"
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))
    sys.path.insert(0, str(BENCH_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)


def start_provider(tmp: str, secret: str, delay_ms: int, token: str):
    secret_file = Path(tmp) / "provider.secret"
    secret_file.write_text(secret + "\n")
    command = [sys.executable, "-m", "ipm_reference_provider", "serve", "--port", "0", "--db", f"{tmp}/provider.db"]
    command += ["--secret-file", str(secret_file), "--admin-token", token, "--delay-ms", str(delay_ms)]
    process = subprocess.Popen(command + ["--log-level", "WARNING"], stdout=subprocess.PIPE, text=True)  # noqa: S603
    return process, process.stdout.readline().split()[-1]


def world(provider_url: str, secret: str):
    """A French officer, a right holder with a published sheet, and a service securing its brand."""
    from ipm.accounts.models import Organisation, OrganisationKind, Role, User
    from ipm.accounts.services import create_api_token
    from ipm.catalog import services as catalog
    from ipm.connected.models import CoverageKind, Reach, Service, ServiceCoverage, ServiceLink, ServiceStatus

    customs = Organisation.objects.create(name="Douane", kind=OrganisationKind.CUSTOMS, country="FR")
    holder = Organisation.objects.create(name="Holder", kind=OrganisationKind.RIGHT_HOLDER)
    provider = Organisation.objects.create(name="Provider", kind=OrganisationKind.SERVICE_PROVIDER)
    officer = User.objects.create_user("officer@bench.test", "x" * 12, organisation=customs, role=Role.EDITOR)
    editor = User.objects.create_user("editor@bench.test", "x" * 12, organisation=holder, role=Role.EDITOR)
    brand = catalog.create_brand(editor, holder, name="Secured")
    product = catalog.create_product(editor, brand, name="Secured watch", gtins=["4006381333931"])
    catalog.add_clue(editor, product, language="en", title="Engraving")
    catalog.publish_product(editor, product)
    service = Service.objects.create(
        provider=provider,
        name="Bench registry",
        reach=Reach.VERIFICATION_API,
        status=ServiceStatus.APPROVED,
        verification_url=provider_url + "/verify",
        secret=secret,
    )
    ServiceCoverage.objects.create(service=service, kind=CoverageKind.BRAND, value="Secured")
    ServiceLink.objects.create(service=service, right_holder=holder, brand=brand)
    _token, key = create_api_token(officer, name="bench", scope="read")
    return key


def admin(url: str, token: str, path: str, body) -> None:
    import urllib3

    response = urllib3.request(
        "POST",
        url + path,
        body=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status < 300, response.data


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--delay-ms", type=int, default=100)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ipm-bench-connected-")
    setup(tmp)
    from benchenv import database_label, machine_label
    from django.test import Client

    from ipm.connected import signing
    from ipm.connected.models import Verification

    secret, token = signing.new_secret(), "bench-admin-token"
    process, url = start_provider(tmp, secret, args.delay_ms, token)
    try:
        gtin = "04006381333931"
        admin(
            url, token, "/serials", [{"gtin": gtin, "serial": s, "lot": "L1", "expiry": "2030-12-31"} for s in SERIALS]
        )
        admin(url, token, "/serials/ship", {"gtin": gtin, "serials": SERIALS, "countries": ["FR"]})
        key = world(url, secret)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        totals, scans, verifies, provider_ms, outcomes = [], [], [], [], {}
        for n in range(args.warmup + args.runs):
            code = f"]d2010{gtin[1:]}17301231\x1d10L1\x1d21{SERIALS[n % len(SERIALS)]}"
            started = time.perf_counter()
            answer = client.post("/api/v1/scans", json.dumps({"code": code}), content_type="application/json")
            scanned = time.perf_counter()
            offer = answer.json()["results"][0]["connected"][0]["verify"]["body"]
            verdict = client.post("/api/v1/connected/verifications", json.dumps(offer), content_type="application/json")
            finished = time.perf_counter()
            body = verdict.json()
            if n < args.warmup:
                continue
            label = body["outcome"] + (f" {body['reasons']}" if body["reasons"] else "")
            outcomes[label] = outcomes.get(label, 0) + 1
            totals.append((finished - started) * 1000)
            scans.append((scanned - started) * 1000)
            verifies.append((finished - scanned) * 1000)
            provider_ms.append(body["latency_ms"])
        recorded = Verification.objects.count()
    finally:
        process.terminate()
        process.wait(10)

    print(f"IPM Connected scan-to-verdict, server-side, provider delay {args.delay_ms} ms")
    print(f"  machine: {machine_label()}; Python {platform.python_version()}")
    print(f"  database: {database_label()}")
    print(
        f"  runs: {args.runs} (after {args.warmup} warm-up), outcomes: {outcomes}, verifications recorded: {recorded}"
    )
    for label, values in (
        ("scan + verification (total)", totals),
        ("  POST /api/v1/scans", scans),
        ("  POST /api/v1/connected/verifications", verifies),
        ("  of which the provider's call (latency_ms)", provider_ms),
        ("  IPM's own share", [t - p for t, p in zip(totals, provider_ms, strict=True)]),
    ):
        print(
            f"  {label:<44} median {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms"
            f"   max {max(values):7.1f} ms"
        )
    p95 = percentile(totals, 0.95)
    print(f"  target: p95 < 250 ms -> {'met' if p95 < 250 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
