"""A Connected world on top of the fixture world (tests/world.py), for the tests of services, links, the API and
the pages:

* "brand" owns the brand "Aurum" (prefix 4006381) with a published sheet ``aurum`` and a draft ``aurum_draft``;
  "rival" owns the brand "Rivo" (prefix 5012345) with a sheet ``rivo``, and a sheet ``squatter`` whose GTIN lies
  under the brand's prefix 4006381 (a GTIN the rival holds, under a prefix it does not own).
* "provider" has an approved verification-API service ``api`` (claims: prefix 4006381, brand "Aurum", prefix 5012345,
  a URL pattern and a code format), an approved app-launch service ``app`` (claims: GTIN of ``rivo``), a pending
  service ``pending``; "other_provider" an approved ``other`` claiming prefix 4006381 (which nobody linked to it).
"""

from dataclasses import dataclass

from django.test import override_settings

from ipm.catalog import services as catalog
from ipm.catalog.models import CompanyPrefix
from ipm.connected import services
from ipm.connected.models import Service


def gtin13(first12: str) -> str:
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


GTINS = {
    "aurum": gtin13("400638100001"),
    "aurum_draft": gtin13("400638100002"),
    "rivo": gtin13("501234500001"),
    "squatter": gtin13("400638100009"),
}


def gtin14(key: str) -> str:
    return "0" + GTINS[key]


@dataclass
class ConnectedWorld:
    orgs: dict
    users: dict
    brands: dict
    products: dict
    services: dict[str, Service]


API_COVERAGE = [
    ("company_prefix", "4006381"),
    ("brand", "Aurum"),
    ("company_prefix", "5012345"),
    ("url_pattern", "qr.aurum.example/v/"),
    ("code_format", r"AUR-\d{6}"),
]


@override_settings(IPM_CONNECTED_ALLOW_LOOPBACK_HTTP=True)
def build_connected(world) -> ConnectedWorld:
    orgs, users = world.orgs, world.users
    CompanyPrefix.objects.create(right_holder=orgs["brand"], prefix="4006381")
    CompanyPrefix.objects.create(right_holder=orgs["rival"], prefix="5012345")
    brands = {
        "aurum": catalog.create_brand(users["brand_editor"], orgs["brand"], name="Aurum"),
        "rivo": catalog.create_brand(users["rival_editor"], orgs["rival"], name="Rivo"),
    }
    products = {}
    for key, brand, author in (
        ("aurum", "aurum", "brand_editor"),
        ("aurum_draft", "aurum", "brand_editor"),
        ("rivo", "rivo", "rival_editor"),
        ("squatter", "rivo", "rival_editor"),
    ):
        product = catalog.create_product(users[author], brands[brand], name=key, gtins=[GTINS[key]])
        if key != "aurum_draft":
            catalog.add_clue(users[author], product, language="en", title="Stitching")
            catalog.publish_product(users[author], product)
        products[key] = product
    admin, other_admin, secretariat = users["provider_admin"], users["other_provider_admin"], users["secretariat_admin"]
    made = {
        "api": services.register_service(
            admin,
            orgs["provider"],
            name="Aurum Verify",
            reach="verification_api",
            verification_url="http://127.0.0.1:9/verify",
            coverage=API_COVERAGE,
        ),
        "app": services.register_service(
            admin,
            orgs["provider"],
            name="Scan App",
            reach="app_launch",
            app_link_template="https://app.provider.example/v?gtin={gtin}&s={serial}",
            coverage=[("gtin", GTINS["rivo"])],
        ),
        "pending": services.register_service(
            admin,
            orgs["provider"],
            name="Not yet",
            reach="verification_api",
            verification_url="https://verify.provider.example/ipm",
            coverage=[("company_prefix", "4006381")],
        ),
        "other": services.register_service(
            other_admin,
            orgs["other_provider"],
            name="Other Check",
            reach="verification_api",
            verification_url="https://other.example/ipm",
            coverage=[("company_prefix", "4006381")],
        ),
    }
    for key in ("api", "app", "other"):
        made[key] = services.approve_service(secretariat, made[key])
    return ConnectedWorld(orgs=orgs, users=users, brands=brands, products=products, services=made)
