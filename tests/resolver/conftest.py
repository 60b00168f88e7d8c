"""The resolver's test world: the fixture world's organisations and people, a catalogue of a few sheets with GTINs
in the right holders' GS1 company prefixes, and links at every level (``rw``).

=================  ==========================================================  =================================
key                sheet                                                        GTIN-13
=================  ==========================================================  =================================
public             published, every country; links at the GTIN, lot and serial  PUBLIC = 4006381000010
draft              a draft of the same right holder, with a link                DRAFT
fr_only            published for France only, with a link                       FR_ONLY
rival              the other right holder's published sheet                     RIVAL (in the rival's prefix)
(none)             a GTIN of the brand's prefix that no sheet holds             SPARE, with an explicit link
(none)             a GTIN of the brand's prefix that nothing is about           UNKNOWN_IN_RANGE
=================  ==========================================================  =================================
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from ipm.catalog import services as catalog
from ipm.catalog.models import CompanyPrefix
from ipm.resolver import services
from ipm.resolver.models import LinkLevel, LinkType
from tests.access.matrix import gtin13
from tests.world import build_world

BRAND_PREFIX, RIVAL_PREFIX = "4006381", "5012345"
PUBLIC = gtin13("400638100001")
DRAFT = gtin13("400638100002")
FR_ONLY = gtin13("400638100003")
SPARE = gtin13("400638100009")
UNKNOWN_IN_RANGE = gtin13("400638100008")
RIVAL = gtin13("501234500001")
OUTSIDE = gtin13("871234500001")  # in nobody's prefix, held by no sheet

PIP_EN = "https://brand.example/en/scarf"
PIP_FR = "https://brand.example/fr/foulard"
CERTIFICATE = "https://cert.example/scarf.pdf"
VERIFY = "https://verify.example/scarf"
RECALL_LOT1 = "https://brand.example/recall?lot=LOT1"
DPP_S1 = "https://brand.example/dpp/S1"
HOMEPAGE = "https://brand.example/"
DRAFT_PAGE = "https://brand.example/secret-belt"
FR_PAGE = "https://brand.example/wallet"
SPARE_PAGE = "https://brand.example/spare"
RIVAL_PAGE = "https://rival.example/charger"


def gtin14(gtin: str) -> str:
    return "0" + gtin


@dataclass
class ResolverWorld:
    world: object
    users: dict
    orgs: dict
    products: dict
    prefixes: dict
    links: dict

    def client(self, role: str | None = None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(self.users[role])
        return client


def build_resolver_world() -> ResolverWorld:
    world = build_world()
    users, orgs = world.users, world.orgs
    editor, rival_editor = users["brand_editor"], users["rival_editor"]
    prefixes = {
        "brand": CompanyPrefix.objects.create(right_holder=orgs["brand"], prefix=BRAND_PREFIX),
        "rival": CompanyPrefix.objects.create(right_holder=orgs["rival"], prefix=RIVAL_PREFIX),
    }
    brand = catalog.create_brand(editor, orgs["brand"], name="Aurea")
    rival_brand = catalog.create_brand(rival_editor, orgs["rival"], name="Volt")
    products = {}
    for key, author, on_brand, gtin, name, countries, publish in (
        ("public", editor, brand, PUBLIC, "Silk scarf", None, True),
        ("draft", editor, brand, DRAFT, "Secret belt", None, False),
        ("fr_only", editor, brand, FR_ONLY, "Wallet", ["FR"], True),
        ("rival", rival_editor, rival_brand, RIVAL, "Charger", None, True),
    ):
        product = catalog.create_product(author, on_brand, name=name, gtins=[gtin], visible_countries=countries)
        catalog.add_clue(author, product, language="en", title="Stitching")
        if publish:
            catalog.publish_product(author, product)
        products[key] = product
    catalog.set_product_text(editor, products["public"], "fr", name="Foulard en soie")

    def add(key, author, holder, **fields):
        fields.setdefault("title", key)
        links[key] = services.create_link(users[author], orgs[holder], **fields)

    links = {}
    public = products["public"]
    add("pip_en", "brand_editor", "brand", product=public, link_type=LinkType.PIP, target_url=PIP_EN, language="en")
    add("pip_fr", "brand_editor", "brand", product=public, link_type=LinkType.PIP, target_url=PIP_FR, language="fr")
    add(
        "certificate",
        "brand_editor",
        "brand",
        product=public,
        link_type=LinkType.CERTIFICATION_INFO,
        target_url=CERTIFICATE,
        media_type="application/pdf",
    )
    add(
        "verify",
        "brand_editor",
        "brand",
        product=public,
        link_type=LinkType.VERIFICATION_SERVICE,
        target_url=VERIFY,
        customs_only=True,
    )
    add(
        "recall_lot1",
        "brand_editor",
        "brand",
        product=public,
        link_type=LinkType.RECALL_STATUS,
        target_url=RECALL_LOT1,
        level=LinkLevel.LOT,
        qualifier="LOT1",
    )
    add(
        "dpp_s1",
        "brand_editor",
        "brand",
        product=public,
        link_type=LinkType.DPP,
        target_url=DPP_S1,
        level=LinkLevel.SERIAL,
        qualifier="S1",
    )
    add(
        "homepage",
        "brand_editor",
        "brand",
        company_prefix=prefixes["brand"],
        link_type=LinkType.HOMEPAGE,
        target_url=HOMEPAGE,
    )
    add("draft_page", "brand_editor", "brand", product=products["draft"], link_type=LinkType.PIP, target_url=DRAFT_PAGE)
    add("fr_page", "brand_editor", "brand", product=products["fr_only"], link_type=LinkType.PIP, target_url=FR_PAGE)
    add("spare", "brand_editor", "brand", gtin=SPARE, link_type=LinkType.PIP, target_url=SPARE_PAGE)
    add("rival_page", "rival_editor", "rival", product=products["rival"], link_type=LinkType.PIP, target_url=RIVAL_PAGE)
    return ResolverWorld(world, users, orgs, products, prefixes, links)


@pytest.fixture
def rw(db):
    return build_resolver_world()


@pytest.fixture
def anonymous():
    return Client()
