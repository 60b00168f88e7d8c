"""The demo's resolver links (``ipm.demo.resolver_links``), on the few demo sheets and prefixes they point at: they
load once however often the demo is loaded, and the resolver serves them as docs/demo.md says."""

import pytest
from django.test import Client

from ipm.accounts.models import Organisation, OrganisationKind, Role
from ipm.catalog import services as catalog
from ipm.catalog.models import CompanyPrefix
from ipm.demo.resolver_links import DEMO_LINKS, load_resolver_links
from ipm.resolver.models import ResolverLink
from tests.e2e.helpers import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_sheets(db):
    aurelia = Organisation.objects.create(name="Aurelia", kind=OrganisationKind.RIGHT_HOLDER)
    northwind = Organisation.objects.create(name="Northwind", kind=OrganisationKind.RIGHT_HOLDER)
    customs = Organisation.objects.create(name="Douane", kind=OrganisationKind.CUSTOMS, country="FR")
    officer = make_member(customs, "officer@example.test", Role.EDITOR)
    for holder, email, prefix, gtins in (
        (aurelia, "brand-admin@ipm.demo", "7612345", ["7612345001012", "7612345010014"]),
        (northwind, "rival-admin@ipm.demo", "4098765", ["4098765001017"]),
    ):
        admin = make_member(holder, email)
        CompanyPrefix.objects.create(right_holder=holder, prefix=prefix)
        brand = catalog.create_brand(admin, holder, name=holder.name)
        for gtin in gtins:
            product = catalog.create_product(admin, brand, name=f"Sheet {gtin}", gtins=[gtin])
            catalog.add_clue(admin, product, language="en", title="Seal")
            catalog.publish_product(admin, product)
    return officer


def test_demo_links_load_once_and_resolve(demo_sheets):
    load_resolver_links()
    load_resolver_links()
    assert ResolverLink.objects.count() == len(DEMO_LINKS)
    visitor, officer = Client(), Client()
    officer.force_login(demo_sheets)
    pip = visitor.get("/01/07612345001012?linkType=gs1:pip", headers={"accept-language": "fr"})
    assert pip["Location"] == "https://www.aurelia.example/fr/foulards/riviera"
    verify = "/01/07612345010014?linkType=gs1:verificationService"
    assert visitor.get(verify).status_code == 404
    assert officer.get(verify)["Location"] == "https://verify.veritrace.example/aurelia/celeste"
    recall = visitor.get("/01/04098765001017/10/AMX2417?linkType=gs1:recallStatus")
    assert recall["Location"].endswith("batch-AMX2417")
    assert visitor.get("/01/04098765001017/10/OTHER?linkType=gs1:recallStatus").status_code == 404
    # A Northwind GTIN that IPM holds no sheet for still leads to Northwind, through its prefix.
    assert visitor.get("/01/04098765099991")["Location"] == "https://www.northwind-pharma.example/"
