"""The demo's GS1 resolver links: a few links of the GS1 Web Vocabulary on demo sheets, so that ``/01/{gtin}`` shows
what the resolver does (a product information page in two languages, a customs-only verification service, a recall
status for one batch, a home page for a whole GS1 company prefix). Targets are on ``.example`` domains (RFC 2606):
they lead nowhere, by design. Loading is idempotent: a link is matched by its right holder, target and URL.
"""

from dataclasses import dataclass

from ipm.accounts.models import User
from ipm.catalog.models import CompanyPrefix, IdentifierKind, ProductIdentifier
from ipm.resolver import services
from ipm.resolver.models import LinkLevel, LinkType, ResolverLink


@dataclass(frozen=True)
class DemoLink:
    actor: str  # the e-mail of the demo account that adds it
    link_type: str
    target_url: str
    title: str
    gtin13: str = ""  # the sheet holding this GTIN (or, with ``prefix``, a whole range)
    prefix: str = ""
    level: str = LinkLevel.GTIN
    qualifier: str = ""
    language: str = ""
    media_type: str = "text/html"
    customs_only: bool = False


AURELIA, NORTHWIND = "brand-admin@ipm.demo", "rival-admin@ipm.demo"

DEMO_LINKS = [
    DemoLink(
        AURELIA,
        LinkType.PIP,
        "https://www.aurelia.example/en/scarves/riviera",
        "Aurelia Riviera silk scarf",
        gtin13="7612345001012",
        language="en",
    ),
    DemoLink(
        AURELIA,
        LinkType.PIP,
        "https://www.aurelia.example/fr/foulards/riviera",
        "Foulard en soie Aurelia Riviera",
        gtin13="7612345001012",
        language="fr",
    ),
    DemoLink(
        AURELIA,
        LinkType.VERIFICATION_SERVICE,
        "https://verify.veritrace.example/aurelia/celeste",
        "VeriTrace authentication of Aurelia watches",
        gtin13="7612345010014",
        customs_only=True,
    ),
    DemoLink(
        NORTHWIND,
        LinkType.RECALL_STATUS,
        "https://www.northwind-pharma.example/recalls/amoxicillin-500-batch-AMX2417",
        "Recall of batch AMX2417",
        gtin13="4098765001017",
        level=LinkLevel.LOT,
        qualifier="AMX2417",
        language="en",
    ),
    DemoLink(
        NORTHWIND,
        LinkType.HOMEPAGE,
        "https://www.northwind-pharma.example/",
        "Northwind Pharma",
        prefix="4098765",
        language="en",
    ),
]


def load_resolver_links() -> list[ResolverLink]:
    """Add the demo links that are missing, through the same service as the authoring pages."""
    loaded = []
    for spec in DEMO_LINKS:
        actor = User.objects.select_related("organisation").get(email=spec.actor)
        holder = actor.organisation
        if spec.prefix:
            target = {"company_prefix": CompanyPrefix.objects.get(prefix=spec.prefix, right_holder=holder)}
        else:
            identifier = ProductIdentifier.objects.select_related("product").get(
                kind=IdentifierKind.GTIN, value="0" + spec.gtin13
            )
            target = {"product": identifier.product}
        link = ResolverLink.objects.filter(right_holder=holder, target_url=spec.target_url, **target).first()
        if link is None:
            link = services.create_link(
                actor,
                holder,
                **target,
                link_type=spec.link_type,
                target_url=spec.target_url,
                title=spec.title,
                level=spec.level,
                qualifier=spec.qualifier,
                language=spec.language,
                media_type=spec.media_type,
                customs_only=spec.customs_only,
            )
        loaded.append(link)
    return loaded
