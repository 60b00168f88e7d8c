"""HTTP load on ``POST /api/v1/scans`` against a production-mode server, beside its yardsticks; prints the figures.

    .venv/bin/python bench/dataset.py --products 1000000 --gtins-per-product 3 --flush   # once
    .venv/bin/python bench/scan_load.py [--duration 20] [--warmup 5] [--connections 16] [--threads N]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/scan_load.py

Three measures, each after a warm-up, with wrk (Debian package ``wrk``: ``apt-get install wrk``) on loopback:
(a) ``POST /api/v1/scans`` with ``{"code": …}``, bearer token of an officer (``officer-fr-2@bench.test`` of the
    generated dataset), cycling through a mix of codes: GTINs of the catalogue as printed, GS1 element strings
    (bracketed, and raw ``]d2`` with the GS separator), GS1 Digital Link URIs, brand-only and unknown GTINs;
(b) ``POST /api/bench/constant``: the same body and token against a constant answer served by the same app, server,
    middleware, authentication and settings (a bench-only URLconf, ``bench/scan_urls.py``);
(c) a bare WSGI "hello" (``bench/hello_wsgi.py``) on the same server with the same workers and threads: the ceiling.
The server is granian (WSGI interface, ``--workers`` processes, ``--threads`` blocking threads each) with
``IPM_ENVIRONMENT=production``, a random secret key, DEBUG off; requests carry ``X-Forwarded-Proto: https`` as they
would from the TLS proxy production runs behind. It uses the database of ``bench/dataset.py`` (``IPM_DATABASE_URL``,
default ``var/bench/bench.sqlite3``); each scan adds a row to the scan log there.
"""

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from benchenv import BENCH_DIR, PROJECT_DIR, bench_environment, database_label, machine_label, setup_django
from dataset import brand_only_gtins, unknown_gtins

OFFICER = "officer-fr-2@bench.test"  # its own, so the scan log rows of a run can be counted
SCAN_PATH = "/api/v1/scans"
CONSTANT_PATH = "/api/bench/constant"
# Share of each kind of payload in the mix (they add up to 100).
MIX = {
    "gtin as printed": 40,
    "element string (bracketed)": 10,
    "GS1 DataMatrix (raw, ]d2 + GS)": 10,
    "GS1 Digital Link URI": 10,
    "brand-only GTIN": 15,
    "unknown GTIN": 15,
}

LUA = r"""
local requests_ = {}
local threads = {}
local counter = 0
local bodies = {
%(bodies)s
}

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
  table.insert(threads, thread)
end

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(token)s",
    ["X-Forwarded-Proto"] = "https",
  }
  for n, body in ipairs(bodies) do
    requests_[n] = wrk.format("POST", "%(path)s", headers, body)
  end
  position = offset or 0
  non2xx = 0
end

function request()
  position = position + 1
  return requests_[(position %% #requests_) + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "max": %%d, "mean": %%f}\n',
    summary.requests, summary.duration, bad, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def build_codes(count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, payload) pairs in the proportions of MIX, shuffled; GTINs drawn across the whole catalogue."""
    from django.db.models import Max, Min

    from ipm.catalog.models import CompanyPrefix, ProductIdentifier

    rng = random.Random(seed)
    gtins = ProductIdentifier.objects.filter(kind="gtin")
    bounds = gtins.aggregate(low=Min("pk"), high=Max("pk"))
    known_needed = count * (100 - MIX["brand-only GTIN"] - MIX["unknown GTIN"]) // 100 + 1
    known: list[tuple[str, str]] = []
    while len(known) < known_needed:
        ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(2 * known_needed)]
        known += list(gtins.filter(pk__in=ids).values_list("value", "printed_value"))[: known_needed - len(known)]
    rng.shuffle(known)
    prefixes = list(CompanyPrefix.objects.values_list("prefix", flat=True))
    brand_only = brand_only_gtins(prefixes, rng, count)
    unknown = unknown_gtins(rng, count)
    taken = set(ProductIdentifier.objects.filter(kind="gtin", value__in=brand_only + unknown).values_list("value"))
    assert not taken, f"generated 'absent' GTINs exist in the catalogue: {sorted(taken)[:3]}"

    def expiry() -> str:
        return (date(2026, 6, 1) + timedelta(days=rng.randrange(900))).strftime("%y%m%d")

    def lot() -> str:
        return f"L{rng.randrange(10**6):06d}"

    makers = {
        "gtin as printed": lambda gtin, printed: printed or gtin,
        "element string (bracketed)": lambda gtin, printed: f"(01){gtin}(17){expiry()}(10){lot()}",
        "GS1 DataMatrix (raw, ]d2 + GS)": (
            lambda gtin, printed: f"]d201{gtin}17{expiry()}10{lot()}\x1d21{rng.randrange(10**9)}"
        ),
        "GS1 Digital Link URI": lambda gtin, printed: f"https://brand.example.com/01/{gtin}/10/{lot()}?17={expiry()}",
    }
    codes = []
    known_iter = iter(known)
    for kind, share in MIX.items():
        for n in range(count * share // 100):
            if kind == "brand-only GTIN":
                codes.append((kind, brand_only[n][1:]))  # as printed: the EAN-13
            elif kind == "unknown GTIN":
                codes.append((kind, unknown[n][1:]))
            else:
                codes.append((kind, makers[kind](*next(known_iter))))
    rng.shuffle(codes)
    return codes


def write_lua(folder: Path, name: str, path: str, token: str, codes: list[tuple[str, str]]) -> Path:
    lines = []
    for _kind, code in codes:
        body = json.dumps({"code": code})  # ASCII only: the GS separator becomes \u001d
        assert "]==]" not in body
        lines.append(f"  [==[{body}]==],")
    script = folder / f"{name}.lua"
    script.write_text(LUA % {"bodies": "\n".join(lines), "token": token, "path": path})
    return script


def run_wrk(script: Path, url: str, args, seconds: float) -> dict:
    command = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{round(seconds)}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
    ]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stdout}\n{finished.stderr}")
    output = finished.stdout
    for line in output.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            result["errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
            return result
    raise RuntimeError(f"wrk printed no result:\n{output}")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes_cpu_seconds(select) -> float:
    """User + system CPU time used so far by the live processes ``select(session_id, command_line)`` picks."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from field 3 (state) on
        if select(int(fields[3]), command_line):
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time all cores spent busy since boot (everything but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


class CpuMeter:
    """Who used the CPU during a measure: the server, the database server (PostgreSQL backends of the bench's
    database), wrk, and everything else on the machine (other people's work skews the figures: it is shown)."""

    def __init__(self, server_session: int, database: str | None):
        self.server_session = server_session
        self.database_marker = f" {database} " if database else None

    def snapshot(self) -> dict:
        return {
            "server": processes_cpu_seconds(lambda session, _command: session == self.server_session),
            "database": processes_cpu_seconds(
                lambda _session, command: (
                    bool(self.database_marker) and command.startswith("postgres: ") and self.database_marker in command
                )
            ),
            "wrk": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime,
            "self": time.process_time(),
            "machine": machine_busy_seconds(),
        }

    @staticmethod
    def per_request(before: dict, after: dict, requests: int) -> dict:
        used = {key: after[key] - before[key] for key in before}
        used["others"] = max(0.0, used["machine"] - used["server"] - used["database"] - used["wrk"] - used["self"])
        return {key: value / max(requests, 1) * 1e6 for key, value in used.items()}


class Server:
    """granian serving a WSGI target with the production settings, in its own process group."""

    def __init__(self, target: str, args, environment: dict, log: Path):
        self.command = [
            str(PROJECT_DIR / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(args.threads),
            "--backlog",
            "2048",
            "--no-ws",
            "--log-level",
            "warning",
            "--working-dir",
            str(BENCH_DIR),
            target,
        ]
        self.environment = environment
        self.log = log
        self.port = args.port
        self.process = None

    def __enter__(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log}")
            try:
                request("GET", f"http://127.0.0.1:{self.port}/healthz")
                time.sleep(0.5)
                if self.process.poll() is not None:  # it could not bind: whoever answered, it was not this server
                    raise RuntimeError(f"the server stopped; see {self.log}")
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def request(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict | str]:
    headers = {"X-Forwarded-Proto": "https"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=10) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def check_answers(base: str, token: str, codes: list[tuple[str, str]]) -> int:
    """Before measuring: every kind of code gets a 200, and the matches are what the dataset says they must be.
    Returns how many scans it made."""
    expected = {"brand-only GTIN": "brand", "unknown GTIN": "none"}
    seen: dict[str, dict[str, int]] = {}
    for kind, code in codes[:300]:
        status, answer = request("POST", base + SCAN_PATH, {"code": code}, token)
        if status != 200:
            raise SystemExit(f"POST {SCAN_PATH} {code!r} ({kind}) answered {status}: {str(answer)[:300]}")
        match = answer["results"][0]["match"] if answer.get("results") else "no result"
        seen.setdefault(kind, {}).setdefault(match, 0)
        seen[kind][match] += 1
    print("answers to a sample of the mix (kind of code → match: count):")
    for kind, matches in seen.items():
        want = expected.get(kind, "product")
        flag = "" if set(matches) == {want} else f"   <-- expected only '{want}'"
        print(f"  {kind:<32} {matches}{flag}")
    status, answer = request("POST", base + CONSTANT_PATH, {"code": codes[0][1]}, token)
    if status != 200:
        raise SystemExit(f"POST {CONSTANT_PATH} answered {status}: {str(answer)[:300]}")
    return sum(sum(matches.values()) for matches in seen.values())


def scan_log_count(user) -> int | None:
    from django.apps import apps
    from django.db import connection

    try:
        model = apps.get_model("scans", "ScanLog")
    except LookupError:
        return None
    count = model.objects.filter(user=user).count()
    connection.close()  # no transaction or lock held open on SQLite while the server writes
    return count


def ensure_static_files(environment: dict) -> None:
    """Production serves collected, hashed static files (whitenoise); collect them once into the bench's folder."""
    static_root = Path(environment["IPM_VAR_DIR"]) / "static"
    if (static_root / "staticfiles.json").exists():
        return
    print(f"collecting static files into {static_root} (once)…", flush=True)
    subprocess.run(
        [str(PROJECT_DIR / ".venv" / "bin" / "ipm"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=environment,
        check=True,
    )


def main():  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per measure (default 20)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each measure (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="server processes")
    parser.add_argument(
        "--threads",
        type=int,
        help="granian blocking threads per worker (default: 1 on SQLite; 4 on PostgreSQL, where a thread waits for "
        "each round trip and commit)",
    )
    parser.add_argument(
        "--wrk-threads",
        type=int,
        default=1,
        help="wrk threads (default 1: enough for 16 connections, and it leaves more of the 2 cores to the server)",
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--codes", type=int, default=4000, help="distinct payloads in the mix (default 4,000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--scope", default="read", choices=["read", "write"], help="scope of the officer's token")
    parser.add_argument(
        "--only", nargs="+", choices=["scan", "constant", "hello"], default=["scan", "constant", "hello"]
    )
    args = parser.parse_args()
    if not args.port:  # a free port: another run of this script (or anything else) may hold a fixed one
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install -y wrk` (Debian package `wrk`).")

    setup_django()
    from django.db import connection

    from ipm.accounts.models import User
    from ipm.accounts.services import create_api_token, revoke_api_token
    from ipm.catalog.models import Product, ProductIdentifier

    if args.threads is None:
        args.threads = 4 if connection.vendor == "postgresql" else 1
    products = Product.objects.count()
    if not products:
        raise SystemExit("The database holds no catalogue: run bench/dataset.py first.")
    gtin_count = ProductIdentifier.objects.filter(kind="gtin").count()
    officer = User.objects.get(email=OFFICER)
    api_token, token = create_api_token(officer, name="scan load", scope=args.scope)
    codes = build_codes(args.codes, args.seed)
    print(f"machine: {machine_label()}; database: {database_label()}")
    print(f"dataset: {products:,} product sheets, {gtin_count:,} GTINs; mix of {len(codes):,} payloads: {MIX}")
    print(
        f"server: granian {args.workers} worker(s) × {args.threads} blocking thread(s), WSGI, production settings; "
        f"wrk {args.wrk_threads} thread(s), {args.connections} connections, {args.warmup:g} s warm-up + "
        f"{args.duration:g} s per measure"
    )

    environment = {
        **os.environ,
        **bench_environment(),
        "IPM_ENVIRONMENT": "production",
        "IPM_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_SETTINGS_MODULE": "scan_settings",
        "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR / "src"), str(BENCH_DIR)]),
    }
    environment.pop("IPM_DEBUG", None)  # production's own default: off
    ensure_static_files(environment)
    database_name = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
    cores = len(os.sched_getaffinity(0))
    folder = Path(tempfile.mkdtemp(prefix="ipm-scan-load-"))
    log = folder / "server.log"
    base = f"http://127.0.0.1:{args.port}"
    results = {}

    def measure(label: str, server: Server, script: Path, url: str) -> dict:
        load = os.getloadavg()[0]
        warm = run_wrk(script, url, args, args.warmup) if args.warmup else None
        meter = CpuMeter(server.process.pid, database_name if "hello" not in label else None)
        before = meter.snapshot()
        result = run_wrk(script, url, args, args.duration)
        cpu = CpuMeter.per_request(before, meter.snapshot(), result["requests"])
        result.update(warmup=warm, load_before=load, cpu_us_per_request=cpu)
        # What the same work would reach with the machine to itself: its cores over the CPU each request used.
        result["idle_machine_estimate"] = cores * 1e6 / (cpu["server"] + cpu["database"] + cpu["wrk"])
        results[label] = result
        print(
            f"  {label:<34} {result['rps']:>9,.0f} req/s   p50 {result['p50'] / 1000:6.2f} ms   "
            f"p99 {result['p99'] / 1000:6.2f} ms   non-2xx {result['non2xx']}   errors {result['errors']}",
            flush=True,
        )
        print(
            f"  {'':<34} CPU per request: server {cpu['server']:,.0f} µs, database {cpu['database']:,.0f} µs, "
            f"wrk {cpu['wrk']:,.0f} µs; others' work on the machine meanwhile {cpu['others']:,.0f} µs "
            f"(load average before {load:.2f}) → with the machine to itself ≈ "
            f"{result['idle_machine_estimate']:,.0f} req/s",
            flush=True,
        )
        return result

    scan_label, constant_label, hello_label = (
        "(a) POST /api/v1/scans",
        "(b) constant answer, same app",
        "(c) bare WSGI hello, same server",
    )
    scripts = {
        scan_label: write_lua(folder, "scan", SCAN_PATH, token, codes),
        constant_label: write_lua(folder, "constant", CONSTANT_PATH, token, codes),
        hello_label: write_lua(folder, "hello", "/", token, codes),
    }
    try:
        if {"scan", "constant"} & set(args.only):
            logged_before = scan_log_count(officer)
            with Server("ipm.wsgi:application", args, environment, log) as server:
                if "scan" in args.only:
                    checked = check_answers(base, token, codes)
                if "constant" in args.only:
                    measure(constant_label, server, scripts[constant_label], base + CONSTANT_PATH)
                if "scan" in args.only:
                    scan = measure(scan_label, server, scripts[scan_label], base + SCAN_PATH)
            # Counted once the server has stopped: a row still queued in memory then is a scan lost.
            logged = scan_log_count(officer)
            if "scan" in args.only and logged is not None:
                answered = checked + sum(run["requests"] - run["non2xx"] for run in (scan, scan["warmup"]) if run)
                verdict = "none lost" if logged - logged_before >= answered else "SCANS LOST"
                print(
                    f"  scan log: {logged - logged_before:,} rows for {answered:,} scans answered 200 ({verdict}; "
                    f"a request wrk abandons at the end may still be answered and logged: up to "
                    f"{2 * args.connections} more rows)"
                )
        if "hello" in args.only:
            with Server("hello_wsgi:application", args, environment, log) as server:
                measure(hello_label, server, scripts[hello_label], base + "/")
    finally:
        revoke_api_token(officer, api_token)

    if scan_label in results and constant_label in results:
        a, b = results[scan_label], results[constant_label]
        by_cpu = a["idle_machine_estimate"] / b["idle_machine_estimate"]
        print(
            f"(a)/(b) = {a['rps'] / b['rps']:.0%} measured, {by_cpu:.0%} by CPU per request;   "
            f"targets: (a) ≥ 1,000 req/s, p99 < 20 ms, (a)/(b) ≥ 60%"
        )
    print(f"server log: {log}")
    json_path = folder / "results.json"
    json_path.write_text(json.dumps(results, indent=2))
    print(f"raw figures: {json_path}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
