"""What the verification tests share: the reference provider as a real process on a loopback port (part A's
``start_reference_provider``), and a fixture world where it secures a product.

The world: the scan tests' catalogue (tests/scans/conftest.py); the right holder "brand" puts its brand Aurelia under
an approved verification-API service of "provider" that calls the running reference provider; the provider's
registry holds serials of the "published" sheet's GTIN, shipped to France.
"""

import json
from dataclasses import dataclass

import pytest
import urllib3
from django.core.cache import cache

from ipm.connected import client, signing
from ipm.connected.models import CoverageKind, Reach, Service, ServiceCoverage, ServiceLink, ServiceStatus
from ipm.scans import services as scans
from ipm.scans.models import ScanSource
from tests.reference_provider.process import start_reference_provider
from tests.scans.conftest import CODES, build_catalogue

GTIN = "0" + CODES["published"]
LOT, EXPIRY, EXPIRY_YYMMDD = "LOT1", "2030-12-31", "301231"
COMMISSIONED = ["SN-OK-1", "SN-OK-2", "SN-OK-3", "SN-OK-4", "SN-OK-5", "SN-GONE", "SN-CLONE"]
NEVER = "SN-NEVER"

_http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(5))


def code_for(serial: str, *, gtin: str = GTIN, lot: str = LOT) -> str:
    """A GS1 DataMatrix as a scanner sends it: symbology identifier, GS separators."""
    return f"]d201{gtin}17{EXPIRY_YYMMDD}10{lot}\x1d21{serial}"


@dataclass
class Provider:
    """The running reference provider, its shared secret and its admin API."""

    running: object
    secret: str

    @property
    def url(self) -> str:
        return self.running.url.rstrip("/")

    def admin(self, method: str, path: str, body=None):
        headers = {"Authorization": f"Bearer {self.running.admin_token}", "Content-Type": "application/json"}
        data = json.dumps(body).encode() if body is not None else None
        response = _http.request(method, self.url + path, body=data, headers=headers)
        assert response.status < 300, (path, response.status, response.data[:300])
        return json.loads(response.data or b"null")

    def faults(self, mode: str = "none", delay_ms: int = 0, count: int | None = None) -> None:
        body = {"mode": mode, "delay_ms": delay_ms}
        if count is not None:
            body["count"] = count
        self.admin("POST", "/_faults", body)

    def received(self, limit: int = 100) -> list[dict]:
        """The requests the provider received (what IPM told it), newest first."""
        return self.admin("GET", f"/verifications?limit={limit}")["verifications"]

    def item(self, serial: str, gtin: str = GTIN) -> dict:
        return self.admin("GET", f"/serials/{gtin}/{serial}")

    def stop(self) -> None:
        self.running.stop()


def _start(tmp_path, secret: str):
    """The reference provider as a real process on a free loopback port (part A's helper)."""
    return start_reference_provider(tmp_path, secret)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    secret = signing.new_secret()
    running = _start(tmp_path_factory.mktemp("provider"), secret)
    started = Provider(running, secret)
    started.admin(
        "POST",
        "/serials",
        [{"gtin": GTIN, "serial": serial, "lot": LOT, "expiry": EXPIRY} for serial in COMMISSIONED],
    )
    started.admin("POST", "/serials/ship", {"gtin": GTIN, "serials": COMMISSIONED, "countries": ["FR", "MA"]})
    started.admin("POST", "/serials/decommission", {"gtin": GTIN, "serials": ["SN-GONE"], "reason": "stolen"})
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def _fresh_breaker_and_faults(request):
    """Each test starts with closed circuits and, when it uses the provider, no injected fault."""
    client.breaker.reset()
    cache.clear()
    if "provider" in request.fixturenames:
        request.getfixturevalue("provider").faults("none")
    yield
    client.breaker.reset()


@dataclass
class Secured:
    world: object
    catalogue: object
    service: Service
    provider: Provider

    @property
    def officer(self):
        return self.world.users["fr_officer"]

    def scan(self, serial: str, user=None, **kwargs):
        """A scan of the secured product's code with this serial, by ``user`` (the French officer): its log row."""
        from ipm.scans.models import ScanLog

        outcome = scans.scan(user or self.officer, code=code_for(serial, **kwargs), source=ScanSource.API)
        return ScanLog.objects.get(pk=outcome.results[0].log_id)


def make_service(world, provider: Provider, **fields) -> Service:
    values = dict(
        provider=world.orgs["provider"],
        name="Test registry",
        reach=Reach.VERIFICATION_API,
        status=ServiceStatus.APPROVED,
        verification_url=provider.url + "/verify",
        secret=provider.secret,
        timeout_ms=2000,
    )
    values.update(fields)
    return Service.objects.create(**values)


def secure_brand(service: Service, world, catalogue) -> None:
    ServiceCoverage.objects.create(service=service, kind=CoverageKind.BRAND, value="Aurelia")
    ServiceLink.objects.create(service=service, right_holder=world.orgs["brand"], brand=catalogue.brands["aurelia"])


@pytest.fixture
def secured(world, provider, settings, tmp_path) -> Secured:
    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue = build_catalogue(world)
    service = make_service(world, provider)
    secure_brand(service, world, catalogue)
    return Secured(world, catalogue, service, provider)
