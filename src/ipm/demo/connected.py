"""The demo's IPM Connected service: VeriTrace Authentication (the demo's service provider) runs the reference
provider (``ipm-reference-provider``, started by ``make demo`` on 127.0.0.1:8001), and Aurelia Luxury Goods put its
brand Aurelia Horlogerie under it. Scanning the printable "secured item" codes (``scans.printable_codes``) as an
officer then shows the provider's verdict on the product page.

The shared secret is kept in ``var/reference-provider.secret`` (``IPM_VAR_DIR``), which the provider reads: made
once, kept from one ``ipm demo`` to the next so a running provider keeps working. Loading is idempotent.
"""

import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ipm.accounts.models import Organisation, OrganisationKind
from ipm.catalog.models import Brand
from ipm.connected import signing
from ipm.connected.models import CoverageKind, Reach, Service, ServiceCoverage, ServiceLink, ServiceStatus

SERVICE_NAME = "VeriTrace Verify"
PROVIDER_NAME = "VeriTrace Authentication"
RIGHT_HOLDER_NAME = "Aurelia Luxury Goods"
DEFAULT_URL = "http://127.0.0.1:8001/verify"


def secret_path() -> Path:
    return Path(settings.VAR_DIR) / "reference-provider.secret"


def demo_secret() -> str:
    """The secret in ``var/reference-provider.secret``, made (readable by its owner only) when missing."""
    path = secret_path()
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                return line.strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = signing.new_secret()
    path.write_text(secret + "\n")
    path.chmod(0o600)
    return secret


def load_connected() -> Service:
    from ipm_reference_provider import demo as provider_demo

    provider = Organisation.objects.get(kind=OrganisationKind.SERVICE_PROVIDER, name=PROVIDER_NAME)
    holder = Organisation.objects.get(kind=OrganisationKind.RIGHT_HOLDER, name=RIGHT_HOLDER_NAME)
    brand = Brand.objects.get(right_holder=holder, name=provider_demo.DEMO_BRAND)
    service = Service.objects.filter(provider=provider, name=SERVICE_NAME).first() or Service(
        provider=provider, name=SERVICE_NAME
    )
    service.description = "Serial-number registry of Aurelia watches (the IPM reference provider, run by the demo)."
    service.reach = Reach.VERIFICATION_API
    service.verification_url = os.environ.get("IPM_REFERENCE_PROVIDER_URL", DEFAULT_URL)
    service.timeout_ms = 3000
    service.status, service.status_reason = ServiceStatus.APPROVED, ""
    service.secret = demo_secret()
    service.approved_at = service.approved_at or timezone.now()
    service.save()
    ServiceCoverage.objects.get_or_create(service=service, kind=CoverageKind.BRAND, value=brand.name)
    ServiceLink.objects.update_or_create(
        service=service, brand=brand, defaults={"right_holder": holder, "active": True, "product": None}
    )
    return service
