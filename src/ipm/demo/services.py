"""The demo world: organisations and accounts that every later capability adds its own demo content to, and the
demo catalogue (``demo.catalogue``: brands, product sheets with pictures, and the right holders' records).

Loading is idempotent: running it twice leaves one copy of everything, and resets the demo passwords.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ipm.accounts.models import Mandate, Organisation, OrganisationKind, Role, User
from ipm.accounts.services import sync_platform_flags
from ipm.demo.catalogue import load_catalogue
from ipm.search import indexing as search_index

DEMO_PASSWORD = "ipm-demo-2026"  # noqa: S105 - published on purpose: these are demo accounts


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    organisation: str
    role: str
    language: str = ""


ORGANISATIONS = {
    "secretariat": dict(name="IPM Secretariat", kind=OrganisationKind.SECRETARIAT),
    "customs-fr": dict(
        name="Direction générale des douanes et droits indirects", kind=OrganisationKind.CUSTOMS, country="FR"
    ),
    "customs-ma": dict(
        name="Administration des Douanes et Impôts Indirects", kind=OrganisationKind.CUSTOMS, country="MA"
    ),
    "customs-br": dict(name="Receita Federal do Brasil — Aduana", kind=OrganisationKind.CUSTOMS, country="BR"),
    "brand": dict(
        name="Aurelia Luxury Goods",
        kind=OrganisationKind.RIGHT_HOLDER,
        country="CH",
        email="brand-protection@aurelia.example",
    ),
    "rival": dict(
        name="Northwind Pharma",
        kind=OrganisationKind.RIGHT_HOLDER,
        country="DE",
        email="security@northwind.example",
    ),
    "counsel": dict(name="Lex & Mark IP Counsel", kind=OrganisationKind.LEGAL_REPRESENTATIVE, country="FR"),
    "provider": dict(name="VeriTrace Authentication", kind=OrganisationKind.SERVICE_PROVIDER, country="BE"),
}

ACCOUNTS = [
    DemoAccount("secretariat@ipm.demo", "Sam Secretariat", "secretariat", Role.ADMIN, "en"),
    DemoAccount("customs-admin-fr@ipm.demo", "Claire Administratrice", "customs-fr", Role.ADMIN, "fr"),
    DemoAccount("officer-fr@ipm.demo", "Luc Douanier", "customs-fr", Role.EDITOR, "fr"),
    DemoAccount("officer-ma@ipm.demo", "Yasmine El Amrani", "customs-ma", Role.EDITOR, "ar"),
    DemoAccount("customs-admin-ma@ipm.demo", "Karim Bennani", "customs-ma", Role.ADMIN, "ar"),
    DemoAccount("officer-br@ipm.demo", "Ana Souza", "customs-br", Role.EDITOR, "pt"),
    DemoAccount("customs-admin-br@ipm.demo", "Paulo Lima", "customs-br", Role.ADMIN, "pt"),
    DemoAccount("brand-admin@ipm.demo", "Beatrice Brand", "brand", Role.ADMIN, "en"),
    DemoAccount("brand-editor@ipm.demo", "Eddie Editor", "brand", Role.EDITOR, "en"),
    DemoAccount("rival-admin@ipm.demo", "Rita Rival", "rival", Role.ADMIN, "en"),
    DemoAccount("counsel@ipm.demo", "Conrad Counsel", "counsel", Role.ADMIN, "fr"),
    DemoAccount("provider@ipm.demo", "Priya Provider", "provider", Role.ADMIN, "en"),
]


def refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo publishes its passwords: it refuses to run with production settings.")


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    refuse_in_production()
    organisations = {}
    for key, fields in ORGANISATIONS.items():
        lookup = {"kind": fields["kind"], "name": fields["name"]}
        defaults = {k: v for k, v in fields.items() if k not in lookup}
        # The demo shows every role without a phone at hand, so 2FA is not required here.
        defaults["require_two_factor"] = False
        defaults["is_active"] = True
        organisations[key], _created = Organisation.objects.update_or_create(**lookup, defaults=defaults)
    # Hashed once: every demo account has the same published password, and Argon2 is slow on purpose.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.full_name = account.full_name
        user.organisation = organisations[account.organisation]
        user.role = account.role
        user.language = account.language
        user.is_active = True
        user.password = password
        sync_platform_flags(user)
        user.save()
        users[account.email] = user
    if not Mandate.objects.filter(
        representative=organisations["counsel"], right_holder=organisations["brand"], revoked_at__isnull=True
    ).exists():
        Mandate.objects.create(
            representative=organisations["counsel"],
            right_holder=organisations["brand"],
            granted_at=timezone.now(),
        )
    loaded = load_catalogue(
        {"brand": organisations["brand"], "rival": organisations["rival"]},
        {"brand": users["brand-admin@ipm.demo"], "rival": users["rival-admin@ipm.demo"]},
    )
    # The demo's trade parties (countries of manufacture) are written after its sheets: index the sheets again.
    search_index.index_products(product.pk for product in loaded.products.values())
    return ACCOUNTS
