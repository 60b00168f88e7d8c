"""The fixture world the access-matrix and view tests share: at least two organisations of each kind that
can have more than one (the platform has one secretariat), every role in each, and a mandate.

Users are reached by short names: ``world.users["fr_officer"]``, organisations by ``world.orgs["fr"]``.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.module_loading import import_string

from ipm.accounts.models import Mandate, Organisation, OrganisationKind, Role, User
from ipm.accounts.services import sync_platform_flags

PASSWORD = "correct horse battery staple"  # noqa: S105

ORGANISATIONS = {
    "secretariat": dict(name="Secretariat", kind=OrganisationKind.SECRETARIAT),
    "fr": dict(name="Douane FR", kind=OrganisationKind.CUSTOMS, country="FR"),
    "ma": dict(name="Douane MA", kind=OrganisationKind.CUSTOMS, country="MA"),
    "brand": dict(name="Brand A", kind=OrganisationKind.RIGHT_HOLDER),
    "rival": dict(name="Brand B", kind=OrganisationKind.RIGHT_HOLDER),
    "counsel": dict(name="Counsel with mandate", kind=OrganisationKind.LEGAL_REPRESENTATIVE),
    "other_counsel": dict(name="Counsel without mandate", kind=OrganisationKind.LEGAL_REPRESENTATIVE),
    "provider": dict(name="Provider A", kind=OrganisationKind.SERVICE_PROVIDER),
    "other_provider": dict(name="Provider B", kind=OrganisationKind.SERVICE_PROVIDER),
}

ROLES = {"admin": Role.ADMIN, "editor": Role.EDITOR, "viewer": Role.VIEWER}


def user_key(org_key: str, role_key: str) -> str:
    if role_key == "editor" and ORGANISATIONS[org_key]["kind"] == OrganisationKind.CUSTOMS:
        return f"{org_key}_officer"
    return f"{org_key}_{role_key}"


@dataclass
class World:
    orgs: dict[str, Organisation]
    users: dict[str, User]
    mandate: Mandate


@cache
def _password_hash(hasher_path: str) -> str:
    return make_password(PASSWORD, hasher=import_string(hasher_path)())


def password_hash() -> str:
    """Argon2 is slow on purpose; hashing the shared test password once per hasher keeps the world fast to build.
    Keyed by the hasher class, not the algorithm: a hash made with other costs would be upgraded at the first
    password check, which changes the session's auth hash and signs the test's client out."""
    return _password_hash(settings.PASSWORD_HASHERS[0])


def build_world() -> World:
    orgs = {
        key: Organisation.objects.create(require_two_factor=False, **fields) for key, fields in ORGANISATIONS.items()
    }
    users = {}
    for org_key, organisation in orgs.items():
        for role_key, role in ROLES.items():
            key = user_key(org_key, role_key)
            user = User(email=f"{key}@example.test", full_name=key, organisation=organisation, role=role)
            user.password = password_hash()
            sync_platform_flags(user)
            user.save()
            users[key] = user
    mandate = Mandate.objects.create(representative=orgs["counsel"], right_holder=orgs["brand"])
    return World(orgs=orgs, users=users, mandate=mandate)
