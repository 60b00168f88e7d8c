"""Start ``ipm-reference-provider`` as a real process on a free loopback port, for tests (this part's and the
Connected client's in tests/connected/).

    provider = start_reference_provider(tmp_path, secret, seed_demo=True)
    ...  # POST provider.url + "/verify", signed with ``secret``
    provider.set_faults(mode="http_500")
    provider.stop()      # refused connections from now on
    provider.restart()   # same port, same database

The process binds port 0 and prints the URL it got on its standard output (no race for a port); this waits for that
line and for ``GET /health`` before returning. Its log goes to ``tmp_path/reference-provider-<n>.log``.
"""

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ipm.connected import signing

START_TIMEOUT = 15.0


@dataclass
class RunningProvider:
    """A provider process: ``url`` (no trailing slash; ``verify_url`` is ``url + "/verify"``), its ``admin_token``
    for the registry API and ``/_faults``, the ``secret`` it shares with IPM, its SQLite ``db``."""

    url: str
    admin_token: str
    secret: str
    db: Path
    process: subprocess.Popen
    command: list[str] = field(repr=False)
    log_path: Path = field(repr=False)
    env: dict = field(repr=False, default_factory=dict)

    @property
    def verify_url(self) -> str:
        return self.url + "/verify"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 5 s); its port then refuses connections."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def restart(self) -> None:
        """Start it again on the same port with the same database (faults and replay memory start empty)."""
        self.stop()
        command = [*self.command]
        command[command.index("--port") + 1] = str(self.port)
        self.process, url = _launch(command, self.env, self.log_path)
        assert url == self.url, (url, self.url)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- Talking to it ---------------------------------------------------------------------------------------

    def call(self, method: str, path: str, body=None, *, content_type="application/json", admin=True):
        """``(status, JSON answer)`` of a registry or fault request (with the admin token)."""
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        if admin:
            headers["Authorization"] = f"Bearer {self.admin_token}"
        return _request(method, self.url + path, data, headers)[:2]

    def set_faults(self, mode: str = "none", delay_ms: int = 0, count: int | None = None) -> dict:
        """Slow or corrupt the next ``count`` ``/verify`` answers (all of them without ``count``)."""
        body = {"mode": mode, "delay_ms": delay_ms} | ({"count": count} if count is not None else {})
        status, answer = self.call("POST", "/_faults", body)
        assert status == 200, answer
        return answer

    def commission(self, items: list[dict]) -> dict:
        status, answer = self.call("POST", "/serials", items)
        assert status == 201, answer
        return answer

    def ship(self, gtin: str, serials: list[str], countries: list[str]) -> dict:
        status, answer = self.call("POST", "/serials/ship", {"gtin": gtin, "serials": serials, "countries": countries})
        assert status == 200, answer
        return answer

    def decommission(self, gtin: str, serials: list[str], reason: str = "destroyed") -> dict:
        body = {"gtin": gtin, "serials": serials, "reason": reason}
        status, answer = self.call("POST", "/serials/decommission", body)
        assert status == 200, answer
        return answer

    def item(self, gtin: str, serial: str) -> dict | None:
        status, answer = self.call("GET", f"/serials/{gtin}/{urllib.request.quote(serial, safe='')}")
        return answer if status == 200 else None

    def received(self, limit: int = 100) -> list[dict]:
        """The verification requests the provider received (headers and body as IPM sent them), newest first."""
        status, answer = self.call("GET", f"/verifications?limit={limit}")
        assert status == 200, answer
        return answer["verifications"]

    def verify(self, body: dict | bytes, *, secret: str | None = None, timestamp: int | None = None, headers=None):
        """POST a request signed with the shared secret (or ``secret``); ``(status, answer JSON or None, headers,
        raw body)``. The answer's signature is not checked here: see ``check_answer``."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "IPM-Protocol": "1"}
        sent[signing.HEADER] = signing.sign(secret or self.secret, data, timestamp)
        sent.update(headers or {})
        status, answer, got, raw = _request("POST", self.verify_url, data, sent)
        return status, answer, got, raw

    def check_answer(self, raw: bytes, got_headers) -> int:
        return signing.verify([self.secret], raw, got_headers.get(signing.HEADER))


def request_body(
    gtin="07612345010014",
    serial="SN234501001",
    lot="L2607A",
    expiry="2030-12-31",
    *,
    country="FR",
    language="en",
    request_id=None,
    unlocode=None,
    scanned_at=None,
) -> dict:
    """A protocol request as IPM sends it (docs/connected-protocol.md)."""
    ais = {k: v for k, v in {"01": gtin, "21": serial, "10": lot}.items() if v}
    raw = "]d2" + "\x1d".join(f"{k}{v}" for k, v in ais.items())
    return {
        "protocol": "ipm-connected/1",
        "requestId": request_id or str(uuid.uuid4()),
        "service": "svc_test000000",
        "sentAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "code": {"raw": raw, "symbology": "]d2"},
        "gs1": {"gtin": gtin, "serial": serial, "lot": lot, "expiry": expiry, "digitalLink": None, "ais": ais},
        "context": {
            "country": country,
            "location": {"unlocode": unlocode} if unlocode else None,
            "scannedAt": scanned_at,
            "language": language,
        },
    }


def _request(method, url, data, headers, timeout=30):
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback test server
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as failure:
        raw, status, got = failure.read(), failure.code, failure.headers
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    return status, answer, got, raw


def _launch(command: list[str], env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    log = open(log_path, "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env)  # noqa: S603
    log.close()
    line = {}

    def read_first_line():
        line["text"] = process.stdout.readline().decode()

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    text = line.get("text", "")
    if " on http://" not in text:
        process.kill()
        raise RuntimeError(f"the reference provider did not start: {text!r}\n{log_path.read_text(errors='replace')}")
    url = text.strip().rsplit(" on ", 1)[1]
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if _request("GET", url + "/health", None, {}, timeout=2)[0] == 200:
                return process, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the reference provider does not answer /health\n{log_path.read_text()}")
        time.sleep(0.05)


_counter = iter(range(1, 1_000_000))


def start_reference_provider(
    tmp_path: Path,
    secret: str | list[str],
    *,
    admin_token: str | None = None,
    db: Path | None = None,
    seed_demo: bool = False,
    delay_ms: int = 0,
    fault: str = "none",
    clone_window_hours: float | None = None,
    port: int = 0,
    secret_in_env: bool = False,
) -> RunningProvider:
    """Start the provider (``python -m ipm_reference_provider serve``) and wait until it answers.

    ``secret``: the shared secret, or several (a rotation: the first signs answers), written to a secret file
    (or given by ``IPM_REFERENCE_PROVIDER_SECRET`` with ``secret_in_env``). Call ``stop()`` when done (a fixture's
    teardown)."""
    number = next(_counter)
    all_secrets = [secret] if isinstance(secret, str) else list(secret)
    admin_token = admin_token or secrets.token_urlsafe(16)
    db = Path(db or tmp_path / f"reference-provider-{number}.sqlite3")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("IPM_REFERENCE_PROVIDER_SECRET", None)
    command = [sys.executable, "-m", "ipm_reference_provider", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # "--name=value": a random token may begin with "-", which argparse would take for an option.
    command += [f"--db={db}", f"--admin-token={admin_token}", "--log-level=INFO"]
    if secret_in_env:
        env["IPM_REFERENCE_PROVIDER_SECRET"] = ",".join(all_secrets)
    else:
        secret_file = tmp_path / f"reference-provider-{number}.secret"
        secret_file.write_text("\n".join(all_secrets) + "\n")
        command += ["--secret-file", str(secret_file)]
    if seed_demo:
        command.append("--seed-demo")
    if delay_ms:
        command += ["--delay-ms", str(delay_ms)]
    if fault != "none":
        command += ["--fault", fault]
    if clone_window_hours is not None:
        command += ["--clone-window-hours", str(clone_window_hours)]
    log_path = tmp_path / f"reference-provider-{number}.log"
    process, url = _launch(command, env, log_path)
    return RunningProvider(url, admin_token, all_secrets[0], db, process, command, log_path, env)
