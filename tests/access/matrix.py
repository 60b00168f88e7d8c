"""The access matrix: what every role gets from every page and every API operation, for an object of its own
organisation and for other organisations' objects.

Read a row as: a URL name (or an API method and path), the kind of object its id points at (``target``), and a
rule. A rule takes a role and the owner of the object in the URL and answers the expected *outcome class*
(``OK``, ``HIDDEN`` …, see below).

* A role is a user key of the fixture world (``fr_admin``, ``brand_viewer`` …, see tests/world.py) or one of the
  signed-out roles: ``anonymous``; ``deactivated`` (a secretariat admin, staff and superuser, deactivated after
  signing in); ``suspended`` (the admin of a right holder suspended after its admin signed in). The two last must
  get exactly what an anonymous visitor gets, whatever they held before.
* An owner is an organisation key (``fr``, ``brand`` …) for objects that belong to an organisation, or a role for
  objects that belong to one person (API tokens, security keys). ``targets()`` says which owners each role is
  tried against: its own, the other organisation of the same kind, and a few cross-kind pairs (the mandate).

The rules restate DESIGN.md ("People and organisations") in terms of the fixture world. They deliberately do not
call ``ipm.access.policy``: the policy is checked against an independent statement, not against itself.

Every URL pattern name and every API operation must have at least one row; test_access_matrix fails, naming
the newcomer, when one is missing (or when a row names something that no longer exists). Django's admin is one
namespace rule (``ADMIN_NAMESPACE``), walked over every admin URL by its own test.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ipm.accounts.models import ApiScope, Invitation, Organisation, OrganisationKind, Role, User
from ipm.accounts.services import create_api_token, sync_platform_flags
from ipm.catalog import services as catalog
from ipm.catalog.models import (
    ApplicationForAction,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IPRight,
    PartyRole,
    Route,
    TradeParty,
)
from ipm.resolver.models import ResolverLink
from tests.world import ORGANISATIONS, PASSWORD, ROLES, user_key

# --- Outcome classes --------------------------------------------------------------------------------------------

OK = "ok"  # 2xx: the page or the operation itself
REDIRECT = "redirect"  # 3xx elsewhere than a sign-in page or the 2FA set-up (e.g. after a successful POST)
LOGIN = "sign-in"  # 3xx to /accounts/login/
ADMIN_LOGIN = "admin sign-in"  # 3xx to Django admin's own sign-in page
TWO_FACTOR = "2fa set-up"  # 3xx to the TOTP set-up, when the organisation requires a second factor
UNAUTHENTICATED = "401"
FORBIDDEN = "403"
HIDDEN = "404"
NOT_ALLOWED = "405"
CONFLICT = "409"
GONE = "410"
BAD_REQUEST = "400"  # the GS1 resolver's answer to a malformed GS1 Digital Link

DENIALS = {LOGIN, ADMIN_LOGIN, TWO_FACTOR, UNAUTHENTICATED, FORBIDDEN, HIDDEN, NOT_ALLOWED, CONFLICT, GONE, BAD_REQUEST}

LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"
TWO_FACTOR_PATH = "/accounts/2fa/totp/activate/"
STATUS_OUTCOMES = {
    400: BAD_REQUEST,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: HIDDEN,
    405: NOT_ALLOWED,
    409: CONFLICT,
    410: GONE,
}


def classify(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if 300 <= status < 400:
        location = response["Location"]
        if location.startswith(LOGIN_PATH):
            return LOGIN
        if location.startswith(ADMIN_LOGIN_PATH):
            return ADMIN_LOGIN
        if location.startswith(TWO_FACTOR_PATH):
            return TWO_FACTOR
        return REDIRECT
    return STATUS_OUTCOMES.get(status, f"unexpected {status}")


# --- Roles, organisations and who is linked to whom in the fixture world ----------------------------------------

MEMBERS = {user_key(org, role): (org, role) for org in ORGANISATIONS for role in ROLES}
SIGNED_OUT = {"anonymous": None, "deactivated": ("secretariat", "admin"), "suspended": ("suspended", "admin")}
ALL_ROLES = [*MEMBERS, *SIGNED_OUT]

KIND = {key: fields["kind"] for key, fields in ORGANISATIONS.items()} | {"suspended": OrganisationKind.RIGHT_HOLDER}
MANDATES = {("counsel", "brand")}  # (legal representative, right holder): the active mandates of the world

# The other organisation of the same kind (the secretariat is alone of its kind), then a few cross-kind owners.
PEER = {
    "secretariat": "fr",
    "fr": "ma",
    "ma": "fr",
    "brand": "rival",
    "rival": "brand",
    "counsel": "other_counsel",
    "other_counsel": "counsel",
    "provider": "other_provider",
    "other_provider": "provider",
    "suspended": "brand",
}
ALSO = {
    "secretariat": ["brand"],
    "fr": ["secretariat"],
    "brand": ["counsel"],  # its representative
    "rival": ["counsel"],  # someone else's representative
    "counsel": ["brand"],  # the right holder that mandated it
    "other_counsel": ["brand"],  # a right holder that did not
    "provider": ["fr"],
}


def signed_in(role: str) -> bool:
    return role not in SIGNED_OUT


OTHER_PEOPLE = {"suspended_viewer": ("suspended", "viewer")}  # in the world, never acting in the matrix


def org_of(person: str) -> str:
    return (MEMBERS.get(person) or SIGNED_OUT.get(person) or OTHER_PEOPLE[person])[0]


def role_of(person: str) -> str:
    return (MEMBERS.get(person) or SIGNED_OUT.get(person) or OTHER_PEOPLE[person])[1]


def is_admin(role: str, _owner=None) -> bool:
    return signed_in(role) and role_of(role) == "admin"


def in_secretariat(role: str, _owner=None) -> bool:
    return signed_in(role) and org_of(role) == "secretariat"


def is_secretariat_admin(role: str, _owner=None) -> bool:
    return in_secretariat(role) and is_admin(role)


def anyone(role: str, _owner=None) -> bool:
    return True


def sees_org(role: str, org: str) -> bool:
    """The secretariat sees every organisation; others their own and those linked to it by a mandate."""
    if not signed_in(role):
        return False
    own = org_of(role)
    return own == "secretariat" or org == own or (own, org) in MANDATES or (org, own) in MANDATES


def manages_org(role: str, org: str) -> bool:
    """An organisation's admins administer it; the secretariat's admins administer every organisation."""
    return is_admin(role) and (org == org_of(role) or org_of(role) == "secretariat")


def sees_people_of(role: str, org: str) -> bool:
    """People are seen by their own organisation and by the secretariat (not through a mandate)."""
    return signed_in(role) and org_of(role) in {"secretariat", org}


def sees_member(role: str, person: str) -> bool:
    return sees_people_of(role, org_of(person))


def manages_member(role: str, person: str) -> bool:
    """An organisation's admins manage its people; nobody manages their own account, not even an admin."""
    return person != role and manages_org(role, org_of(person))


def owns(role: str, owner: str) -> bool:
    return signed_in(role) and role == owner


# The catalogue of the matrix world: (right holder, sheet). "fr_only" is published for the French administration
# alone; the rival has no sheet visible to every country.
PRODUCTS = ["brand:draft", "brand:published", "brand:fr_only", "rival:draft", "rival:fr_only"]
COUNTRY = {key: fields.get("country", "") for key, fields in ORGANISATIONS.items()}


def gtin13(first12: str) -> str:
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


NEW_GTIN = gtin13("400638199999")  # a code that no sheet has yet


def sees_product(role: str, product: str) -> bool:
    """Drafts: the right holder, its representatives and the secretariat. Officers: published sheets shared with
    their country. Nobody else (another right holder, a service provider) reads a sheet."""
    holder, sheet = product.split(":")
    if not signed_in(role):
        return False
    own = org_of(role)
    if own in {"secretariat", holder} or (own, holder) in MANDATES:
        return True
    if KIND[own] == OrganisationKind.CUSTOMS:
        return sheet == "published" or (sheet == "fr_only" and COUNTRY[own] == "FR")
    return False


def sees_brand(role: str, holder: str) -> bool:
    """Brands (names, logos) are known to the right holder, its representatives and the secretariat; officers know
    a brand only through a sheet they may read (each right holder of the world has one brand)."""
    if not signed_in(role):
        return False
    own = org_of(role)
    if KIND[own] == OrganisationKind.CUSTOMS:
        return any(sees_product(role, product) for product in PRODUCTS if product.startswith(f"{holder}:"))
    return own in {"secretariat", holder} or (own, holder) in MANDATES


def authors_catalogue(role: str, holder: str) -> bool:
    """Editors and admins of the right holder, of its representatives, and of the secretariat; never viewers."""
    if not signed_in(role) or role_of(role) == "viewer" or KIND[holder] != OrganisationKind.RIGHT_HOLDER:
        return False
    own = org_of(role)
    return own in {"secretariat", holder} or (own, holder) in MANDATES


def targets(role: str, owner_kind: str) -> list[str]:
    """The owners whose object ``role`` is tried against: own first."""
    if owner_kind == "catalogue":
        return PRODUCTS
    if owner_kind == "right holder":
        return ["brand", "rival"]
    if role == "anonymous":
        return ["fr"] if owner_kind == "organisation" else ["fr_officer"]
    org, rank = MEMBERS.get(role) or SIGNED_OUT[role]
    if owner_kind == "organisation":
        return [org, PEER[org], *ALSO.get(org, [])]
    colleague = user_key(org, "viewer" if rank == "admin" else "admin")
    return [role, colleague, user_key(PEER[org], rank), *(user_key(also, "viewer") for also in ALSO.get(org, []))]


# --- Rules --------------------------------------------------------------------------------------------------------

Rule = Callable[[str, str | None], str]


def everyone(outcome: str) -> Rule:
    return lambda role, owner: outcome


def by_session(signed_out: str, signed_in_: str) -> Rule:
    """One answer for visitors (and deactivated or suspended accounts), another for every signed-in member."""
    return lambda role, owner: signed_in_ if signed_in(role) else signed_out


def page(allowed=anyone, *, ok: str = OK, denied: str = FORBIDDEN) -> Rule:
    """A page behind sign-in: visitors are sent to sign in, members get ``ok`` when ``allowed(role, owner)``."""

    def rule(role, owner):
        if not signed_in(role):
            return LOGIN
        return ok if allowed(role, owner) else denied

    return rule


def api(allowed=anyone, *, denied: str = HIDDEN) -> Rule:
    def rule(role, owner):
        if not signed_in(role):
            return UNAUTHENTICATED
        return OK if allowed(role, owner) else denied

    return rule


def may_scan_codes(role: str, _owner=None) -> bool:
    """Looking a code up (and printing the demo's test codes): every member but service providers, who read no
    sheet."""
    return signed_in(role) and KIND[org_of(role)] != OrganisationKind.SERVICE_PROVIDER


def scan_page_lookup(role, _owner=None):
    """The scan page given the code of "brand:published": straight to the sheet for whoever reads it, the answer on
    the page for the others who may scan."""
    if not signed_in(role):
        return LOGIN
    if not may_scan_codes(role):
        return FORBIDDEN
    return REDIRECT if sees_product(role, "brand:published") else OK


# --- Connected: the officer's verifications ----------------------------------------------------------------------


def may_verify_items(role: str, _owner=None) -> bool:
    """Asking a Connected service about an item in hand: customs (any member of an administration) and the
    secretariat; right holders, representatives and providers never start a verification."""
    return signed_in(role) and KIND[org_of(role)] in (OrganisationKind.CUSTOMS, OrganisationKind.SECRETARIAT)


def verify_unknown_scan(signed_out: str):
    """Verifying a scan that is not one's own (the rows use an id no scan has): 404 for who may verify, 403 for
    the others; ``signed_out`` for visitors."""

    def rule(role, _owner=None):
        if not signed_in(role):
            return signed_out
        return HIDDEN if may_verify_items(role) else FORBIDDEN

    return rule


NO_SUCH_SCAN = {"scan": 987654321, "service": "svc_nonexistent"}


def resolves(role: str, product: str) -> bool:
    """The GS1 resolver answers for a sheet to whoever reads it, and to anyone for a published sheet shared with
    every country (the world holds no resolver link, so nothing else answers for a GTIN)."""
    return product == "brand:published" or sees_product(role, product)


def resolver_answer(role, product):
    """``/01/{gtin}``: a redirect (to the officer's page or the public page) where the resolver answers, else 404."""
    return REDIRECT if resolves(role, product) else HIDDEN


def public_product_page(role, product):
    """``/p/{gtin}/``: the public page of a public sheet, the same for everyone; 404 for any other sheet."""
    return OK if product == "brand:published" else HIDDEN


def resolver_link_write(role, holder):
    """Changing a resolver link: 404 for who does not read the right holder's catalogue in full (officers meet links
    through the resolver only), 403 for its readers who do not author it."""
    if not signed_in(role):
        return UNAUTHENTICATED
    if not reads_catalogue(role, holder):
        return HIDDEN
    return OK if authors_catalogue(role, holder) else FORBIDDEN


def catalogue_write(role, product):
    """Writing to a sheet: 404 for who does not see it, 403 for who sees it but does not author it."""
    if not signed_in(role):
        return UNAUTHENTICATED
    if not sees_product(role, product):
        return HIDDEN
    return OK if authors_catalogue(role, product.split(":")[0]) else FORBIDDEN


def new_sheet(role, holder):
    """A new sheet under a right holder's brand: 404 for who does not know the brand, 403 for who knows it only."""
    if not signed_in(role):
        return UNAUTHENTICATED
    if not sees_brand(role, holder):
        return HIDDEN
    return OK if authors_catalogue(role, holder) else FORBIDDEN


def new_brand(role, holder):
    """A brand for a right holder named in the request (or, without one, for the user's own organisation)."""
    if not signed_in(role):
        return UNAUTHENTICATED
    holder = holder or org_of(role)
    if not sees_org(role, holder):
        return HIDDEN
    return OK if authors_catalogue(role, holder) else FORBIDDEN


def sees_records(role: str, holder: str) -> bool:
    """A right holder's IP rights, applications, contacts, trade parties: seen by whoever sees one of its sheets."""
    return any(sees_product(role, key) for key in PRODUCTS if key.split(":")[0] == holder)


def records_write(role, holder):
    """Changing a right holder's record: 404 for who does not see it, 403 for who sees it but does not author."""
    if not signed_in(role):
        return UNAUTHENTICATED
    if not sees_records(role, holder):
        return HIDDEN
    return OK if authors_catalogue(role, holder) else FORBIDDEN


def reads_catalogue(role: str, holder: str) -> bool:
    """A right holder's whole catalogue (drafts, history, imports): its members and mandated representatives,
    viewers included, and the secretariat. Officers read published sheets only, on the officer's pages."""
    if not signed_in(role) or KIND[holder] != OrganisationKind.RIGHT_HOLDER:
        return False
    own = org_of(role)
    return own in {"secretariat", holder} or (own, holder) in MANDATES


def holder_of(owner: str) -> str:
    """The right holder of an authoring target: a PRODUCTS key ("brand:draft") or a right holder key."""
    return owner.split(":")[0]


def authoring(*, ok: str = OK, write: bool = True) -> Rule:
    """An authoring page: 404 for who does not read the catalogue in full (another right holder, an officer),
    403 for who reads it but does not author it (viewers), ``ok`` for its authors. Reading pages (``write=False``)
    are open to every reader."""

    def rule(role, owner):
        if not signed_in(role):
            return LOGIN
        holder = holder_of(owner)
        if not reads_catalogue(role, holder):
            return HIDDEN
        return ok if not write or authors_catalogue(role, holder) else FORBIDDEN

    return rule


def catalogue_home(role, owner):
    """One catalogue: sent to it; several (the secretariat): a list to pick from; none: refused."""
    if not signed_in(role):
        return LOGIN
    readable = [
        holder
        for holder, kind in KIND.items()
        if kind == OrganisationKind.RIGHT_HOLDER and reads_catalogue(role, holder)
    ]
    if not readable:
        return FORBIDDEN
    return REDIRECT if len(readable) == 1 else OK


def accept_invitation(role, owner):
    """Only a visitor accepts an invitation; a suspended organisation's links no longer work."""
    if signed_in(role):
        return CONFLICT
    return GONE if owner == "suspended" else OK


def organisation_list(role, owner):
    """The secretariat gets the directory; everyone else is sent to their own organisation's page."""
    if not signed_in(role):
        return LOGIN
    return OK if in_secretariat(role) else REDIRECT


def organisation_status(role, owner):
    """Only the secretariat's admins suspend an organisation, never the secretariat itself."""
    if not signed_in(role):
        return LOGIN
    if not sees_org(role, owner):
        return HIDDEN
    if is_secretariat_admin(role) and KIND[owner] != OrganisationKind.SECRETARIAT:
        return REDIRECT
    return FORBIDDEN


def mandate_grant(role, owner):
    """A right holder's admins (or the secretariat's) grant its mandates."""
    if not signed_in(role):
        return LOGIN
    if not sees_org(role, owner):
        return HIDDEN
    return REDIRECT if KIND[owner] == OrganisationKind.RIGHT_HOLDER and manages_org(role, owner) else FORBIDDEN


def mandate_revoke(role, owner):
    """The mandate counsel → brand: seen by both parties and the secretariat, revoked by the right holder."""
    if not signed_in(role):
        return LOGIN
    if not (in_secretariat(role) or org_of(role) in {"counsel", "brand"}):
        return HIDDEN
    return REDIRECT if manages_org(role, "brand") else FORBIDDEN


def admin_site(role, owner):
    """Django's admin is the secretariat admins' tool; everyone else is sent to its sign-in page."""
    return OK if is_secretariat_admin(role) else ADMIN_LOGIN


ADMIN_NAMESPACE = admin_site


# --- Rows ---------------------------------------------------------------------------------------------------------

# Which object an id in the URL points at, and whether it belongs to an organisation or to one person.
TARGET_OWNER = {
    "organisation": "organisation",
    "invitation": "organisation",  # a pending invitation to join it
    "invitation_token": "organisation",  # the clear token of that invitation
    "mandate": "organisation",  # the mandate it gave or holds (brand and counsel only)
    "member": "person",  # the person's account: themselves, a colleague, someone of another organisation
    "token": "person",  # one of the person's API tokens (not the one used to authenticate)
    "webauthn": "person",  # one of the person's security keys
    "product": "catalogue",  # a product sheet of PRODUCTS (with a code, a clue and a French translation)
    "brand": "right holder",  # the right holder's brand
    "clue": "catalogue",  # the clue of a sheet of PRODUCTS
    "identifier": "catalogue",  # the GTIN of a sheet of PRODUCTS
    "photo": "catalogue",  # a photo of a sheet of PRODUCTS (added when first asked for)
    "import_job": "right holder",  # an import into the right holder's catalogue (added when first asked for)
    # Logistics and legal records (RECORD_TARGETS, each added when first asked for by ``record_for``)
    "ip_right": "right holder",
    "application": "right holder",
    "contact": "right holder",
    "trade_party": "right holder",
    "route": "catalogue",  # a usual route of a sheet of PRODUCTS
    "variant": "catalogue",  # a known counterfeit of a sheet of PRODUCTS
    "company_prefix": "right holder",  # a GS1 company prefix of the right holder
    "gtin": "catalogue",  # the GTIN of a sheet of PRODUCTS, in the GS1 resolver's paths
    "resolver_link": "right holder",  # a GS1 resolver link of the right holder (on its "fr_only" sheet)
}
# Writes to sheets are tried on fewer sheets: one that French officers read (403 for them, 404 for Morocco's) and
# another right holder's draft (404 to all but its readers).
WRITE_PRODUCTS = ("brand:fr_only", "rival:draft")
# A sheet's authoring pages do not depend on its publication: tried on a sheet that French officers read (they
# must still get 404 here) and on another right holder's draft.
AUTHORING_PRODUCTS = ("brand:fr_only", "rival:draft")


@dataclass(frozen=True)
class Page:
    name: str
    expect: Rule
    method: str = "GET"
    target: str | None = None
    kwargs: dict = field(default_factory=dict)  # fixed URL arguments
    url: str | None = None  # for a pattern that reverse() cannot spell (a catch-all)
    data: dict | Callable | None = None  # form data; a callable receives the fixture context
    never_writes: bool = False  # also check that nothing changed when the expected outcome is not a denial
    owners: tuple | None = None  # instead of targets(): the owners every role is tried against

    @property
    def id(self):
        return (
            f"{self.method} {self.name}"
            + (f" [{self.target}]" if self.target else "")
            + (f" {self.kwargs}" if self.kwargs else "")
        )


@dataclass(frozen=True)
class Api:
    method: str
    path: str  # as in the OpenAPI schema
    expect: Rule
    target: str | None = None
    json: dict | Callable | None = None  # a callable receives the context and the owner
    owners: tuple | None = None  # instead of targets(): the owners every role is tried against
    multipart: Callable | None = None  # instead of json: a multipart form (files made afresh for each request)

    def body(self, ctx, owner) -> dict:
        """The keyword arguments of the harness's ``request`` that send this row's body."""
        if self.multipart is not None:
            return {"data": self.multipart(ctx, owner)}
        return {"json_body": self.json(ctx, owner) if callable(self.json) else self.json}

    @property
    def id(self):
        return f"{self.method} {self.path}"


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A small picture, made afresh: an upload is read once."""
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def barcode_photo(gtin: str) -> SimpleUploadedFile:
    """A picture holding the EAN-13 ``gtin``, made afresh."""
    bitmap = memoryview(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(gtin, zxingcpp.BarcodeFormat.EAN13)))
    out = io.BytesIO()
    Image.frombytes("L", (bitmap.shape[1], bitmap.shape[0]), bytes(bitmap)).save(out, "PNG")
    return SimpleUploadedFile("barcode.png", out.getvalue(), content_type="image/png")


def import_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("catalogue.csv", b"gtins,brand,name\n036000291452,brand brand,Belt\n", "text/csv")


SIGNUP = {"email": "walk-in@example.test", "password1": "a long Passw0rd!", "password2": "a long Passw0rd!"}
SETTINGS = {"name": "Renamed", "email": "contact@example.test", "website": "", "require_two_factor": ""}
INVITE = {"email": "newcomer@example.test", "role": "viewer"}
PREFERENCES = {"full_name": "New Name", "language": "fr", "time_zone": "Europe/Paris"}
ONBOARD = {"name": "Newcomer Ltd", "kind": "service_provider"}

# Logistics and legal records: (kind in the URL, target, valid form data)
RECORD_PAGES = [
    ("ip-rights", "ip_right", {"kind": "trademark", "office": "EUIPO", "number": "M-9"}),
    (
        "applications",
        "application",
        {"country": "FR", "reference": "AFA-9", "valid_from": "2026-01-01", "valid_until": "2027-01-01"},
    ),
    ("contacts", "contact", {"name": "Customs desk", "emergency_phone": "+33 1 23 45 67 89"}),
    ("parties", "trade_party", {"role": "importer", "name": "Importer SA", "country": "FR"}),
]
SHEET_RECORD_PAGES = [
    ("routes", "route", {"origin": "CN", "destination": "FR", "ports": "CNSHA, FRLEH", "modes": ["sea"]}),
    ("counterfeits", "variant", {"name": "Fake with a blurred logo"}),
]
RECORD_API = [
    ("/api/v1/ip-rights", "ip_right", {"office": "EUIPO", "number": "M-9"}),
    (
        "/api/v1/applications-for-action",
        "application",
        {"country": "FR", "reference": "AFA-9", "valid_from": "2026-01-01", "valid_until": "2027-01-01"},
    ),
    ("/api/v1/contacts", "contact", {"name": "Customs desk"}),
    ("/api/v1/trade-parties", "trade_party", {"role": "importer", "name": "Importer SA", "country": "FR"}),
]
SHEET_RECORD_API = [
    ("routes", "/api/v1/routes/{route_id}", "route", {"origin": "CN", "destination": "FR", "ports": ["CNSHA"]}),
    ("counterfeits", "/api/v1/counterfeits/{variant_id}", "variant", {"name": "Fake with a blurred logo"}),
]
RECORD_TARGETS = {
    "ip_right",
    "application",
    "contact",
    "trade_party",
    "route",
    "variant",
    "company_prefix",
    "resolver_link",
}


def record_for(target: str, orgs: dict, products: dict, owner: str):
    """The owner's record of kind ``target`` (a right holder key, or a PRODUCTS key for routes and counterfeits),
    created when first asked for."""
    if target in {"route", "variant"}:
        product = products[owner]
        if target == "route":
            return product.routes.first() or Route.objects.create(product=product, origin="CN", destination="FR")
        variant = product.counterfeit_variants.first()
        if variant is None:
            variant = CounterfeitVariant(product=product)
            variant.set_current_language("en")
            variant.name = f"{owner} fake"
            variant.save()
        return variant
    holder = orgs[owner]
    if target == "resolver_link":
        return ResolverLink.objects.filter(right_holder=holder).first() or ResolverLink.objects.create(
            right_holder=holder,
            product=products[f"{owner}:fr_only"],
            link_type="pip",
            target_url=f"https://{owner}.example/",
            title=f"{owner} page",
        )
    model, fields = {
        "ip_right": (IPRight, {"office": "EUIPO", "number": f"{owner}-1"}),
        "application": (
            ApplicationForAction,
            {"country": "FR", "reference": "AFA", "valid_from": "2026-01-01", "valid_until": "2027-01-01"},
        ),
        "contact": (Contact, {"name": f"{owner} contact"}),
        "trade_party": (TradeParty, {"role": PartyRole.KNOWN_INFRINGER, "name": "Fakes Ltd", "country": "CN"}),
        "company_prefix": (CompanyPrefix, {"prefix": {"brand": "761001", "rival": "761002"}.get(owner, "761009")}),
    }[target]
    return model.objects.filter(right_holder=holder).first() or model.objects.create(right_holder=holder, **fields)


PAGES = [
    # The shell
    Page("home", everyone(OK)),
    Page("healthz", everyone(OK)),
    Page("manifest", everyone(OK)),
    Page("set_language", everyone(NOT_ALLOWED)),
    Page("set_language", everyone(REDIRECT), method="POST", data={"language": "fr", "next": "/"}),
    # Sign-in, password and e-mail pages (allauth). Open sign-up is closed: people join by invitation.
    Page("account_login", by_session(OK, REDIRECT)),
    Page("account_logout", by_session(REDIRECT, OK)),
    Page("account_inactive", everyone(OK)),
    Page("account_signup", by_session(OK, REDIRECT)),
    Page("account_signup", by_session(OK, REDIRECT), method="POST", data=SIGNUP, never_writes=True),
    Page("account_reauthenticate", page()),
    Page("account_request_reauthentication_code", page(ok=REDIRECT)),
    Page("account_confirm_reauthentication_code", page(ok=REDIRECT)),
    Page("account_email", page()),
    Page("account_email_verification_sent", everyone(OK)),
    Page("account_confirm_email", everyone(OK), kwargs={"key": "not-a-key"}),
    Page("account_change_password", page()),
    Page("account_set_password", page(ok=REDIRECT)),
    Page("account_reset_password", everyone(OK)),
    Page("account_reset_password_from_key", everyone(OK), kwargs={"uidb36": "1", "key": "not-a-key"}),
    Page("account_reset_password_from_key_done", everyone(OK)),
    Page("account_reset_password_done", everyone(OK)),
    Page("account_confirm_login_code", by_session(LOGIN, REDIRECT)),
    # Second factor (allauth.mfa): nobody in the world has one yet, so the pages about an existing one answer 404.
    Page("mfa_index", page()),
    Page("mfa_authenticate", by_session(LOGIN, REDIRECT)),
    Page("mfa_reauthenticate", page(ok=REDIRECT)),
    Page("mfa_activate_totp", page()),
    Page("mfa_deactivate_totp", page(ok=HIDDEN)),
    Page("mfa_view_recovery_codes", page(ok=HIDDEN)),
    Page("mfa_generate_recovery_codes", page()),
    Page("mfa_download_recovery_codes", page(ok=HIDDEN)),
    Page("mfa_list_webauthn", page()),
    Page("mfa_add_webauthn", page()),
    Page("mfa_reauthenticate_webauthn", page(ok=REDIRECT)),
    Page("mfa_edit_webauthn", page(owns, denied=HIDDEN), target="webauthn"),
    Page("mfa_remove_webauthn", page(owns, denied=HIDDEN), target="webauthn"),
    Page("mfa_remove_webauthn", page(owns, ok=REDIRECT, denied=HIDDEN), method="POST", target="webauthn"),
    Page("usersessions_list", page()),
    # Invitations
    Page("accept_invitation", accept_invitation, target="invitation_token"),
    Page("accept_invitation", by_session(GONE, CONFLICT), kwargs={"token": "not-a-token"}),
    # Organisations
    Page("organisation_list", organisation_list),
    Page("organisation_onboard", page(is_secretariat_admin)),
    Page("organisation_onboard", page(is_secretariat_admin, ok=REDIRECT), method="POST", data=ONBOARD),
    Page("organisation_detail", page(sees_org, denied=HIDDEN), target="organisation"),
    Page("organisation_settings", page(manages_org, denied=HIDDEN), target="organisation"),
    Page(
        "organisation_settings",
        page(manages_org, ok=REDIRECT, denied=HIDDEN),
        method="POST",
        target="organisation",
        data=SETTINGS,
    ),
    Page("organisation_status", page(ok=NOT_ALLOWED), target="organisation"),
    Page("organisation_status", organisation_status, method="POST", target="organisation", data={"active": "0"}),
    Page("invite", page(manages_org, denied=HIDDEN), target="organisation"),
    Page("invite", page(manages_org, ok=REDIRECT, denied=HIDDEN), method="POST", target="organisation", data=INVITE),
    Page("invitation_revoke", page(ok=NOT_ALLOWED), target="invitation"),
    Page("invitation_revoke", page(manages_org, ok=REDIRECT, denied=HIDDEN), method="POST", target="invitation"),
    Page("mandate_grant", page(ok=NOT_ALLOWED), target="organisation"),
    Page(
        "mandate_grant",
        mandate_grant,
        method="POST",
        target="organisation",
        data=lambda ctx: {"representative": ctx.orgs["other_counsel"].pk},
    ),
    Page("mandate_revoke", page(ok=NOT_ALLOWED), target="mandate"),
    Page("mandate_revoke", mandate_revoke, method="POST", target="mandate"),
    # People
    Page("member_edit", page(manages_member, denied=HIDDEN), target="member"),
    Page(
        "member_edit",
        page(manages_member, ok=REDIRECT, denied=HIDDEN),
        method="POST",
        target="member",
        data={"action": "deactivate"},
    ),
    Page(
        "member_edit",
        page(manages_member, ok=REDIRECT, denied=HIDDEN),
        method="POST",
        target="member",
        data={"role": "admin"},
    ),
    # Personal settings
    Page("preferences", page()),
    Page("preferences", page(ok=REDIRECT), method="POST", data=PREFERENCES),
    Page("api_tokens", page()),
    Page("api_tokens", page(), method="POST", data={"name": "CI", "scope": "write"}),
    Page("api_token_revoke", page(ok=NOT_ALLOWED), target="token"),
    Page("api_token_revoke", page(owns, ok=REDIRECT, denied=HIDDEN), method="POST", target="token"),
    # Audit log
    Page("audit_log", page(is_admin)),
    # Django's admin: these two rows, and ADMIN_NAMESPACE for every other admin: URL
    Page("admin:index", admin_site),
    Page("admin:accounts_user_changelist", admin_site),
    # The API's own pages: its schema and documentation are public (they describe, they hold no data)
    Page("api:openapi-json", everyone(OK)),
    Page("api:openapi-view", everyone(OK)),
    Page("api:api-root", everyone(HIDDEN)),
    Page("api:unknown-endpoint", everyone(HIDDEN), url="/api/v1/no-such-endpoint"),
    # Catalogue
    Page("catalog:product_list", page()),
    Page("catalog:product_detail", page(sees_product, denied=HIDDEN), target="product"),
    # Catalogue: authoring. Right-holder pages take the organisation; a non-right-holder organisation answers 404.
    Page("catalog:manage_home", catalogue_home),
    Page("catalog:catalogue", authoring(write=False), target="organisation"),
    Page("catalog:brand_list", authoring(write=False), target="organisation"),
    Page("catalog:brand_create", authoring(), target="organisation"),
    Page("catalog:brand_create", authoring(ok=REDIRECT), "POST", "organisation", data={"name": "Matrix brand"}),
    Page("catalog:brand_edit", authoring(), target="brand"),
    Page("catalog:brand_edit", authoring(ok=REDIRECT), "POST", "brand", data={"name": "Renamed brand"}),
    Page("catalog:sheet_create", authoring(), target="organisation"),
    Page("catalog:sheet_create", authoring(), "POST", "organisation", data={"name": "No brand chosen"}),
    Page("catalog:import_start", authoring(write=False), target="organisation"),
    Page("catalog:import_start", authoring(), "POST", "organisation", data={"dry_run": "on"}),  # no file: the form
    Page("catalog:import_job", authoring(write=False), target="import_job"),
    Page("catalog:catalogue_export", authoring(write=False), target="organisation", kwargs={"fmt": "csv"}),
    Page("catalog:import_template", page(), kwargs={"fmt": "xlsx"}),
    # A sheet's authoring pages; the history is open to every reader of the catalogue
    Page("catalog:sheet_edit", authoring(), target="product"),
    Page("catalog:sheet_edit", authoring(), "POST", "product", data={"source_language": "xx"}),  # refused: the form
    Page("catalog:sheet_status", authoring(ok=REDIRECT), "POST", "product", data={"action": "review"}),
    Page("catalog:sheet_codes", authoring(), target="product"),
    Page("catalog:sheet_codes", authoring(ok=REDIRECT), "POST", "product", data={"kind": "sku", "value": "M-1"}),
    Page("catalog:sheet_code_remove", authoring(ok=REDIRECT), "POST", "identifier"),
    Page("catalog:sheet_texts", authoring(), target="product", kwargs={"language": "es"}),
    Page("catalog:sheet_texts", authoring(ok=REDIRECT), "POST", "product", {"language": "es"}, data={"name": "Nuevo"}),
    Page("catalog:sheet_text_remove", authoring(ok=REDIRECT), "POST", "product", kwargs={"language": "fr"}),
    Page("catalog:sheet_clues", authoring(), target="product"),
    Page("catalog:sheet_clues", authoring(ok=REDIRECT), "POST", "product", data={"kind": "label", "title": "Seal"}),
    Page("catalog:sheet_clue", authoring(), target="clue"),
    Page(
        "catalog:sheet_clue",
        authoring(ok=REDIRECT),
        "POST",
        "clue",
        data={"section": "texts", "kind": "product", "title": "Seam"},
    ),
    Page("catalog:sheet_clue_remove", authoring(ok=REDIRECT), "POST", "clue"),
    Page("catalog:sheet_clue_move", authoring(ok=REDIRECT), "POST", "clue", data={"direction": "up"}),
    Page("catalog:sheet_photos", authoring(), target="product"),
    Page("catalog:sheet_photos", authoring(), "POST", "product", data={"view": "front"}),  # no file: the form
    Page("catalog:sheet_photo_remove", authoring(ok=REDIRECT), "POST", "photo"),
    Page("catalog:sheet_photo_move", authoring(ok=REDIRECT), "POST", "photo", data={"direction": "down"}),
    Page("catalog:sheet_visibility", authoring(), target="product"),
    Page(
        "catalog:sheet_visibility",
        authoring(ok=REDIRECT),
        "POST",
        "product",
        data={"visible_to_all_countries": "on"},
    ),
    Page("catalog:sheet_history", authoring(write=False), target="product"),
    Page("catalog:sheet_version", authoring(write=False), target="product", kwargs={"number": 1}),
    # Logistics and legal records: a right holder's (target: the organisation, then the record), a sheet's
    Page("catalog:records_home", authoring(write=False), target="organisation"),
    *(
        row
        for kind, target, data in RECORD_PAGES
        for row in (
            Page("catalog:record_list", authoring(write=False), target="organisation", kwargs={"kind": kind}),
            Page("catalog:record_create", authoring(), target="organisation", kwargs={"kind": kind}),
            Page("catalog:record_create", authoring(ok=REDIRECT), "POST", "organisation", {"kind": kind}, data=data),
            Page("catalog:record_edit", authoring(), target=target, kwargs={"kind": kind}),
            Page("catalog:record_edit", authoring(ok=REDIRECT), "POST", target, {"kind": kind}, data=data),
            Page("catalog:record_remove", authoring(ok=REDIRECT), "POST", target, {"kind": kind}),
        )
    ),
    *(
        row
        for kind, target, data in SHEET_RECORD_PAGES
        for row in (
            Page("catalog:sheet_records", authoring(write=False), target="product", kwargs={"kind": kind}),
            Page("catalog:sheet_record_create", authoring(), target="product", kwargs={"kind": kind}),
            Page("catalog:sheet_record_create", authoring(ok=REDIRECT), "POST", "product", {"kind": kind}, data=data),
            Page("catalog:sheet_record_edit", authoring(), target=target, kwargs={"kind": kind}),
            Page("catalog:sheet_record_edit", authoring(ok=REDIRECT), "POST", target, {"kind": kind}, data=data),
            Page("catalog:sheet_record_remove", authoring(ok=REDIRECT), "POST", target, {"kind": kind}),
        )
    ),
    Page("catalog:record_list", authoring(write=False, ok=HIDDEN), target="organisation", kwargs={"kind": "nope"}),
    # Pictures: public by their unguessable names; any other stored file (an import spreadsheet) is never served
    Page("media:image", everyone(HIDDEN), kwargs={"name": "catalog/photos/" + "0" * 32 + ".jpg"}),
    Page("media:image", everyone(HIDDEN), kwargs={"name": "imports/catalogue.xlsx"}),
    # The GS1 resolver, public: a sheet's GTIN answers where the sheet may be known, with or without a batch
    Page("resolver:resolve", resolver_answer, target="gtin", kwargs={"qualifiers": ""}),
    Page("resolver:resolve", resolver_answer, "HEAD", "gtin", kwargs={"qualifiers": ""}),
    Page("resolver:resolve", resolver_answer, target="gtin", kwargs={"qualifiers": "/10/LOT1"}),
    Page("resolver:resolve", everyone(OK), "OPTIONS", "gtin", kwargs={"qualifiers": ""}),  # CORS preflight
    Page("resolver:resolve", everyone(NOT_ALLOWED), "POST", "gtin", kwargs={"qualifiers": ""}),
    Page("resolver:resolve", everyone(BAD_REQUEST), url="/01/12345/foo"),
    Page("resolver:resolve", everyone(HIDDEN), url="/01/" + NEW_GTIN),  # a GTIN IPM knows nothing about
    Page("resolver:description", everyone(OK)),
    Page("resolver:public_product", public_product_page, target="gtin"),
    Page("resolver:compressed", everyone(BAD_REQUEST), kwargs={"segment": "AQnYUc1gmiCBVAtr"}),
    Page("resolver:compressed", everyone(HIDDEN), url="/12345678"),  # digits alone: not a compressed URI
    # The GS1 resolver's links, on the right holder's authoring pages
    Page("resolver:link_list", authoring(write=False), target="organisation", owners=("brand", "rival")),
    Page("resolver:link_create", authoring(), target="organisation", owners=("brand", "rival")),
    Page(
        "resolver:link_create",
        authoring(),  # no target chosen: the form again, with the reason
        "POST",
        "organisation",
        data={"link_type": "pip", "title": "Product page", "target_url": "https://x.example/", "level": "gtin"},
        owners=("brand", "rival"),
    ),
    Page("resolver:link_edit", authoring(), target="resolver_link"),
    Page(
        "resolver:link_edit",
        authoring(ok=REDIRECT),
        "POST",
        "resolver_link",
        data={"link_type": "pip", "title": "Renamed", "target_url": "https://x.example/", "level": "gtin"},
    ),
    Page("resolver:link_remove", authoring(ok=REDIRECT), "POST", "resolver_link"),
    # The demo's printable test barcodes: for whoever may scan
    Page("scans:test_codes", page(may_scan_codes)),
    # Scanning: whoever may scan; a code of a sheet the user reads leads to it, any other code is answered on the page
    Page("scans:scan", page(may_scan_codes)),
    Page("scans:scan", scan_page_lookup, "POST", data=lambda ctx: {"code": ctx.gtins["brand:published"]}),
    Page("scans:scan", page(may_scan_codes), "POST", data={"code": NEW_GTIN}),
    Page("scans:history", page()),  # one's own scans (an administration's admins: their officers' too)
    # Connected: the verdict card and the app launch of one's own scan (officers, the secretariat)
    Page("connected_officer:verify", verify_unknown_scan(LOGIN), "POST", data=NO_SUCH_SCAN),
    Page("connected_officer:launch", verify_unknown_scan(LOGIN), "POST", data=NO_SUCH_SCAN),
]


def _authoring_owners(row):
    """The authoring pages do not depend on a sheet's publication, nor on which non-right-holder asks: a sheet's
    rows (and its codes', clues', photos', records') use AUTHORING_PRODUCTS, a right holder's rows its two right
    holders (test_a_catalogue_belongs_to_a_right_holder tries the other organisations' ids)."""
    if row.owners is not None or not row.name.startswith("catalog:") or row.name == "catalog:product_detail":
        return row
    if TARGET_OWNER.get(row.target) == "catalogue":
        return replace(row, owners=AUTHORING_PRODUCTS)
    if row.target == "organisation":
        return replace(row, owners=("brand", "rival"))
    return row


PAGES = [_authoring_owners(row) for row in PAGES]

# Operations sent as POST that only read: a read-only token may call them. A scan looks the catalogue up; the row
# it adds to the scan log records the reading, as a token's last use is recorded, and changes no data.
READS_BY_POST = {"POST /api/v1/scans", "POST /api/v1/connected/verifications"}  # asking about an item reads too

API = [
    Api("GET", "/api/v1/me", api()),
    Api("GET", "/api/v1/organisations", api()),
    Api("GET", "/api/v1/organisations/{organisation_id}", api(sees_org), target="organisation"),
    Api("GET", "/api/v1/organisations/{organisation_id}/members", api(sees_org), target="organisation"),
    Api("POST", "/api/v1/organisations/{organisation_id}/invitations", api(manages_org), "organisation", INVITE),
    Api("GET", "/api/v1/users/{user_id}", api(sees_member), target="member"),
    Api("PATCH", "/api/v1/users/{user_id}", api(manages_member), target="member", json={"is_active": False}),
    Api("GET", "/api/v1/tokens", api()),
    Api("POST", "/api/v1/tokens", api(), json={"name": "CI", "scope": "write"}),
    Api("DELETE", "/api/v1/tokens/{token_id}", api(owns), target="token"),
    Api("GET", "/api/v1/audit-events", api(is_admin, denied=FORBIDDEN)),
    # Catalogue: reading
    Api("GET", "/api/v1/brands", api()),
    Api("GET", "/api/v1/products", api()),
    Api("GET", "/api/v1/products/{product_id}", api(sees_product), target="product"),
    Api("GET", "/api/v1/products/by-gtin/{gtin}", api(sees_product), target="product"),
    # Catalogue: writing
    Api("POST", "/api/v1/brands", new_brand, json={"name": "New brand"}),
    Api(
        "POST",
        "/api/v1/brands",
        new_brand,
        target="organisation",
        json=lambda ctx, owner: {"name": "New brand", "right_holder_id": ctx.orgs[owner].pk},
    ),
    Api(
        "POST",
        "/api/v1/products",
        new_sheet,
        target="brand",
        json=lambda ctx, owner: {"brand_id": ctx.brands[owner].pk, "name": "New sheet"},
    ),
    *(
        Api(method, path, catalogue_write, target="product", json=json, owners=WRITE_PRODUCTS)
        for method, path, json in [
            ("PATCH", "/api/v1/products/{product_id}", {"currency": "EUR"}),
            ("PUT", "/api/v1/products/{product_id}/texts/{language}", {"name": "Nouveau nom"}),
            ("DELETE", "/api/v1/products/{product_id}/texts/{language}", None),
            ("POST", "/api/v1/products/{product_id}/publish", None),
            ("POST", "/api/v1/products/{product_id}/archive", None),
            ("POST", "/api/v1/products/{product_id}/draft", None),
            ("POST", "/api/v1/products/{product_id}/review", None),
            ("PUT", "/api/v1/products/{product_id}/visibility", {"all_countries": True}),
            ("POST", "/api/v1/products/{product_id}/identifiers", {"value": NEW_GTIN}),
            ("DELETE", "/api/v1/products/{product_id}/identifiers/{identifier_id}", None),
            ("POST", "/api/v1/products/{product_id}/clues", {"language": "en", "title": "Hologram"}),
            ("PATCH", "/api/v1/products/{product_id}/clues/{clue_id}", {"title": "Stitching, again"}),
            ("DELETE", "/api/v1/products/{product_id}/clues/{clue_id}", None),
        ]
    ),
    # Pictures (multipart uploads) and bulk imports
    Api(
        "POST",
        "/api/v1/products/{product_id}/photos",
        catalogue_write,
        target="product",
        owners=WRITE_PRODUCTS,
        multipart=lambda ctx, owner: {"image": jpeg(), "view": "back", "caption": "Back"},
    ),
    Api("DELETE", "/api/v1/products/{product_id}/photos/{photo_id}", catalogue_write, "photo", owners=WRITE_PRODUCTS),
    Api(
        "PUT",
        "/api/v1/products/{product_id}/clues/{clue_id}/images",
        catalogue_write,
        target="product",
        owners=WRITE_PRODUCTS,
        multipart=lambda ctx, owner: {
            "genuine_image": jpeg(),
            "genuine_marks": '[{"x": 0, "y": 0, "w": 0.5, "h": 0.5}]',
        },
    ),
    Api(
        "POST",
        "/api/v1/imports",
        new_brand,  # for a right holder named in the request, as a brand
        target="organisation",
        multipart=lambda ctx, owner: {"file": import_file(), "dry_run": "true", "right_holder_id": ctx.orgs[owner].pk},
    ),
    Api("GET", "/api/v1/imports/{job_id}", api(reads_catalogue), target="import_job"),
    # GS1 company prefixes: read by whoever sees one of the right holder's sheets, written by its authors
    Api("GET", "/api/v1/company-prefixes", api()),
    Api(
        "POST",
        "/api/v1/company-prefixes",
        new_brand,
        target="organisation",
        json=lambda ctx, owner: {"prefix": "7612345", "right_holder_id": ctx.orgs[owner].pk},
    ),
    Api("DELETE", "/api/v1/company-prefixes/{prefix_id}", records_write, target="company_prefix"),
    # GS1 resolver links: read by the readers of the right holder's whole catalogue, written by its authors
    Api("GET", "/api/v1/resolver-links", api()),
    Api(
        "POST",
        "/api/v1/resolver-links",
        new_brand,  # for a right holder named in the request, as a brand
        target="organisation",
        json=lambda ctx, owner: {
            "right_holder_id": ctx.orgs[owner].pk,
            "gtin": ctx.gtins.get(f"{owner}:fr_only", NEW_GTIN),
            "link_type": "pip",
            "target_url": "https://x.example/",
            "title": "Product page",
        },
    ),
    Api("GET", "/api/v1/resolver-links/{link_id}", api(reads_catalogue), target="resolver_link"),
    Api("PATCH", "/api/v1/resolver-links/{link_id}", resolver_link_write, "resolver_link", {"title": "Renamed"}),
    Api("DELETE", "/api/v1/resolver-links/{link_id}", resolver_link_write, target="resolver_link"),
    # Scanning: a code or a photo of barcodes, by whoever may scan; the history through the policy
    Api("POST", "/api/v1/scans", api(may_scan_codes, denied=FORBIDDEN), json={"code": NEW_GTIN}),
    Api(
        "POST",
        "/api/v1/scans",
        api(may_scan_codes, denied=FORBIDDEN),
        multipart=lambda ctx, owner: {"image": barcode_photo(ctx.gtins["brand:published"])},
    ),
    Api("GET", "/api/v1/scans", api()),
    # Connected verifications: started on one's own scans; listed through policy.visible_verifications
    Api("POST", "/api/v1/connected/verifications", verify_unknown_scan(UNAUTHENTICATED), json=NO_SUCH_SCAN),
    Api("GET", "/api/v1/connected/verifications", api()),
    # Logistics and legal records: read by whoever sees one of the right holder's sheets, written by its authors
    *(
        row
        for path, target, body in RECORD_API
        for row in (
            Api("GET", path, api()),
            Api(
                "POST",
                path,
                new_brand,  # the same rule as a brand's: for a right holder named in the request
                target="organisation",
                json=lambda ctx, owner, body=body: {**body, "right_holder_id": ctx.orgs[owner].pk},
            ),
            Api("PATCH", path + "/{" + target + "_id}", records_write, target=target, json=body),
            Api("DELETE", path + "/{" + target + "_id}", records_write, target=target),
        )
    ),
    *(
        row
        for path, item, target, body in SHEET_RECORD_API
        for row in (
            Api("GET", "/api/v1/products/{product_id}/" + path, api(sees_product), target="product"),
            Api(
                "POST",
                "/api/v1/products/{product_id}/" + path,
                catalogue_write,
                target="product",
                json=body,
                owners=WRITE_PRODUCTS,
            ),
            Api("PATCH", item, catalogue_write, target=target, json=body, owners=WRITE_PRODUCTS),
            Api("DELETE", item, catalogue_write, target=target, owners=WRITE_PRODUCTS),
        )
    ),
]


# --- What the matrix adds to the fixture world ------------------------------------------------------------------


@dataclass
class Additions:
    orgs: dict  # the world's organisations and "suspended"
    users: dict  # the world's users, "deactivated", "suspended" and "suspended_viewer"
    invitation_tokens: dict  # organisation key -> (pending Invitation, clear token)
    target_tokens: dict  # person -> an API token of theirs, for the rows that revoke one
    bearer_keys: dict  # person -> clear key of a write-scope token, for the API rows walked with tokens
    products: dict  # PRODUCTS key -> Product
    gtins: dict  # PRODUCTS key -> its GTIN-13
    brands: dict  # right holder -> its Brand
    contacts: dict  # right holder -> its Contact


def add_to_world(world) -> Additions:
    """The signed-out roles' accounts (still active: the caller signs them in, then deactivates or suspends
    them), a pending invitation per organisation and two API tokens per person."""
    orgs = dict(world.orgs)
    users = dict(world.users)
    orgs["suspended"] = Organisation.objects.create(
        name="Brand S (suspended)", kind=OrganisationKind.RIGHT_HOLDER, require_two_factor=False
    )
    for key, org, role in (
        ("deactivated", "secretariat", Role.ADMIN),
        ("suspended", "suspended", Role.ADMIN),
        ("suspended_viewer", "suspended", Role.VIEWER),
    ):
        user = User(email=f"{key}@example.test", full_name=key, organisation=orgs[org], role=role)
        user.set_password(PASSWORD)
        sync_platform_flags(user)
        user.save()
        users[key] = user
    invitation_tokens = {}
    for key, organisation in orgs.items():
        token = f"matrix-invitation-{key}"
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=f"invitee-{key}@example.test",
            role=Role.VIEWER,
            token_hash=Invitation.hash_token(token),
            expires_at=timezone.now() + timedelta(days=7),
        )
        invitation_tokens[key] = (invitation, token)
    target_tokens, bearer_keys = {}, {}
    for key, user in users.items():
        target_tokens[key], _key = create_api_token(user, name="target", scope=ApiScope.READ)
        _token, bearer_keys[key] = create_api_token(user, name="matrix", scope=ApiScope.WRITE)
    products, gtins, brands, contacts = {}, {}, {}, {}
    for holder in ("brand", "rival"):
        author = users[f"{holder}_editor"]
        brands[holder] = catalog.create_brand(author, orgs[holder], name=f"{holder} brand")
        contacts[holder] = Contact.objects.create(right_holder=orgs[holder], name=f"{holder} contact")
    for number, key in enumerate(PRODUCTS):
        holder, sheet = key.split(":")
        author = users[f"{holder}_editor"]
        gtins[key] = gtin13(f"400638100{number:03d}")
        product = catalog.create_product(
            author,
            brands[holder],
            name=key,
            gtins=[gtins[key]],
            visible_countries=["FR"] if sheet == "fr_only" else None,
        )
        catalog.set_product_text(author, product, "fr", name=f"{key} (fr)")
        catalog.add_clue(author, product, language="en", title="Stitching")
        if sheet != "draft":
            catalog.publish_product(author, product)
        products[key] = product
    return Additions(orgs, users, invitation_tokens, target_tokens, bearer_keys, products, gtins, brands, contacts)


def on_test_database(connection) -> bool:
    """The module-wide worlds open the database themselves: make sure it is pytest-django's test database."""
    name = str(connection.settings_dict["NAME"])
    test_name = (connection.settings_dict.get("TEST") or {}).get("NAME")
    return name.startswith("test_") or "mode=memory" in name or name == ":memory:" or (test_name and name == test_name)


# --- EPCIS: capture and reading of track-and-trace events (issue 5, part B) ---------------------------------------
# Capturing is authoring the right holder's data: its editors and admins, its mandated representatives' and the
# secretariat's (service providers: once IPM Connected grants them products). Who may call the capture endpoint
# gets 202 whatever the document says: a document about another right holder's GTINs becomes a failed job.
# Jobs and events are read by the capturer's organisation, the right holder concerned and the secretariat.

# The right holder an "epcis_job" target's event concerns, by the capturing organisation (none: the job names no
# GTIN of a right holder).
EPCIS_CONCERNED = {"brand": "brand", "rival": "rival", "counsel": "brand", "suspended": "suspended"}


def may_capture_epcis(role: str, _owner=None) -> bool:
    if not signed_in(role) or role_of(role) == "viewer":
        return False
    own = org_of(role)
    return (
        own == "secretariat"
        or KIND[own] == OrganisationKind.RIGHT_HOLDER
        or any(representative == own for representative, _holder in MANDATES)
    )


def sees_epcis_job(role: str, owner: str) -> bool:
    if not signed_in(role):
        return False
    concerned = EPCIS_CONCERNED.get(owner)
    return org_of(role) in {"secretariat", owner} or bool(concerned and reads_catalogue(role, concerned))


def _epcis_event(ctx, owner) -> dict:
    """An event about the brand's published sheet, by its GS1 Digital Link."""
    return {
        "type": "ObjectEvent",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "ADD",
        "bizStep": "commissioning",
        "epcList": [f"https://id.gs1.org/01/0{ctx.gtins['brand:published']}/21/M1"],
    }


def _epcis_document(ctx, owner) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-01T00:00:00Z",
        "epcisBody": {"eventList": [_epcis_event(ctx, owner)]},
    }


TARGET_OWNER["epcis_job"] = "organisation"  # a capture job sent by a member of the organisation
API.extend(
    [
        Api("POST", "/api/v1/epcis/capture", api(may_capture_epcis, denied=FORBIDDEN), json=_epcis_document),
        Api(
            "POST",
            "/api/v1/epcis/events",
            api(may_capture_epcis, denied=FORBIDDEN),
            json=lambda ctx, owner: {**_epcis_event(ctx, owner), "@context": ["https://ref.gs1.org/x.jsonld"]},
        ),
        Api("GET", "/api/v1/epcis/capture", api()),
        Api("GET", "/api/v1/epcis/capture/{capture_id}", api(sees_epcis_job), target="epcis_job"),
        Api("GET", "/api/v1/epcis/events", api()),
    ]
)


def epcis_job_for(orgs: dict, owner: str):
    """The capture job of ``owner`` (made when first asked for), with one event about the right holder it
    concerns (EPCIS_CONCERNED)."""
    from ipm.epcis.models import CaptureJob, CaptureStatus, EpcisEvent

    job = CaptureJob.objects.filter(organisation=orgs[owner]).first()
    if job is None:
        job = CaptureJob.objects.create(organisation=orgs[owner], status=CaptureStatus.SUCCESS, event_count=1)
        concerned = EPCIS_CONCERNED.get(owner)
        EpcisEvent.objects.create(
            job=job,
            organisation=orgs[owner],
            right_holder=orgs[concerned] if concerned else None,
            event_id=f"urn:uuid:matrix-{owner}",
            event_type="ObjectEvent",
            action="OBSERVE",
            event_time=timezone.now(),
            event_time_zone_offset="+00:00",
            data={},
        )
    return job


# --- Connected: services, approval, secrets and links (issue 5, part C1) ----------------------------------------
# A provider's people see its services (its admins change them and hold the secret); right holders, their
# representatives and officers see approved services; the secretariat sees all and its admins approve. A right
# holder's editors and admins and its mandated representatives' choose which service secures a brand or product;
# the provider sees the links to its services; the secretariat sees links but chooses none.
# Targets: "service" — the provider's approved service, or the other provider's pending one; "rejected_service" —
# a rejected service of either provider; "service_link" — the right holder's brand linked to the provider's service.

CONNECTED_TARGETS = {"service", "rejected_service", "service_link"}
TARGET_OWNER.update({"service": "organisation", "rejected_service": "organisation", "service_link": "right holder"})
PROVIDERS = ("provider", "other_provider")
APPROVED_PROVIDER = "provider"  # the owner whose "service" target is approved; the other's is pending


def sees_service(role: str, owner: str) -> bool:
    if not signed_in(role):
        return False
    own = org_of(role)
    if own == "secretariat" or own == owner:
        return True
    if KIND[own] == OrganisationKind.SERVICE_PROVIDER:
        return False
    return owner == APPROVED_PROVIDER


def manages_service(role: str, owner: str) -> bool:
    return is_secretariat_admin(role) or (is_admin(role) and org_of(role) == owner)


def holds_secret(role: str, owner: str) -> bool:
    """The provider's admins only: the secretariat approves but never holds a provider's secret."""
    return is_admin(role) and org_of(role) == owner and KIND[owner] == OrganisationKind.SERVICE_PROVIDER


def registers_services(role: str, _owner=None) -> bool:
    return is_admin(role) and KIND[org_of(role)] == OrganisationKind.SERVICE_PROVIDER


def chooses_services(role: str, holder: str) -> bool:
    """Linking is authoring the right holder's catalogue, without the secretariat."""
    return authors_catalogue(role, holder) and org_of(role) != "secretariat"


def sees_service_link(role: str, holder: str) -> bool:
    return reads_catalogue(role, holder) or (signed_in(role) and org_of(role) == APPROVED_PROVIDER)


def sees_unapproved_service(role: str, owner: str) -> bool:
    """A service that is not approved (pending, rejected): its provider's people and the secretariat."""
    return signed_in(role) and org_of(role) in {"secretariat", owner}


def service_action(allowed, *, ok=REDIRECT, signed_out=LOGIN, sees=sees_service) -> Rule:
    """An action on a service: 404 for who does not see it, 403 for who sees it but may not act."""

    def rule(role, owner):
        if not signed_in(role):
            return signed_out
        if not sees(role, owner):
            return HIDDEN
        return ok if allowed(role, owner) else FORBIDDEN

    return rule


def link_action(*, ok=REDIRECT, signed_out=LOGIN) -> Rule:
    def rule(role, holder):
        if not signed_in(role):
            return signed_out
        if not sees_service_link(role, holder):
            return HIDDEN
        return ok if chooses_services(role, holder) else FORBIDDEN

    return rule


def secured_by(*, ok=OK, write=False) -> Rule:
    """A brand's or sheet's "Secured by" page: its catalogue's readers read it, its link authors write it."""

    def rule(role, owner):
        if not signed_in(role):
            return LOGIN
        holder = holder_of(owner)
        if not reads_catalogue(role, holder):
            return HIDDEN
        return ok if not write or chooses_services(role, holder) else FORBIDDEN

    return rule


def new_link_by_api(role, holder):
    """POST /connected/links for the right holder's brand and the provider's approved service."""
    if not signed_in(role):
        return UNAUTHENTICATED
    if not sees_service(role, APPROVED_PROVIDER) or not sees_brand(role, holder):
        return HIDDEN
    return OK if chooses_services(role, holder) else FORBIDDEN


def connected_for(target: str, orgs: dict, brands: dict, owner: str):
    """The owner's Connected object of kind ``target``, made when first asked for (straight in the database: the
    matrix checks access, tests/connected checks the actions)."""
    from ipm.connected.models import Service, ServiceLink, ServiceStatus

    if target == "service_link":
        service = connected_for("service", orgs, brands, APPROVED_PROVIDER)
        return ServiceLink.objects.filter(brand=brands[owner]).first() or ServiceLink.objects.create(
            service=service, right_holder=orgs[owner], brand=brands[owner]
        )
    status = ServiceStatus.REJECTED if target == "rejected_service" else None
    if status is None:
        status = ServiceStatus.APPROVED if owner == APPROVED_PROVIDER else ServiceStatus.PENDING
    found = Service.objects.filter(provider=orgs[owner], status=status).first()
    if found is None:
        found = Service.objects.create(
            provider=orgs[owner],
            name=f"{owner} {status}",
            reach="verification_api",
            verification_url=f"https://{owner}.example/ipm",
            status=status,
            status_reason="Not enough" if status == ServiceStatus.REJECTED else "",
            secret="c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA" if status == ServiceStatus.APPROVED else "",
        )
    return found


SERVICE_FORM = {"name": "Matrix check", "reach": "verification_api", "verification_url": "https://m.example/ipm"}
SERVICE_FORM_DATA = {**SERVICE_FORM, "timeout_ms": "3000"}


def _link_form(ctx):
    return {"service": connected_for("service", ctx.orgs, ctx.brands, APPROVED_PROVIDER).pk}


PAGES.extend(
    [
        Page("connected:service_list", page()),
        Page("connected:service_create", page(registers_services)),
        Page("connected:service_create", page(registers_services, ok=REDIRECT), "POST", data=SERVICE_FORM_DATA),
        Page("connected:service_detail", service_action(anyone, ok=OK), target="service", owners=PROVIDERS),
        Page("connected:service_edit", service_action(manages_service, ok=OK), target="service", owners=PROVIDERS),
        Page(
            "connected:service_edit",
            service_action(manages_service),
            "POST",
            "service",
            data=SERVICE_FORM_DATA,
            owners=PROVIDERS,
        ),
        Page("connected:service_secret", page(ok=NOT_ALLOWED), target="service", owners=PROVIDERS),
        # The secret shown once (a page, never a redirect), to the provider's admins
        Page(
            "connected:service_secret",
            service_action(holds_secret, ok=OK),
            "POST",
            "service",
            data={"action": "reveal"},
            owners=(APPROVED_PROVIDER,),
        ),
        Page(
            "connected:service_decide",
            service_action(is_secretariat_admin),
            "POST",
            "service",
            data={"action": "suspend", "reason": "Too slow"},
            owners=PROVIDERS,
        ),
        Page("connected:service_decide", page(ok=NOT_ALLOWED), target="service", owners=PROVIDERS),
        Page(
            "connected:service_submit",
            service_action(manages_service, sees=sees_unapproved_service),
            "POST",
            "rejected_service",
            owners=PROVIDERS,
        ),
        Page("connected:service_submit", page(ok=NOT_ALLOWED), target="rejected_service", owners=PROVIDERS),
        Page("connected:brand_secured_by", secured_by(), target="brand", owners=("brand", "rival")),
        Page(
            "connected:brand_secured_by",
            secured_by(ok=REDIRECT, write=True),
            "POST",
            "brand",
            data=_link_form,
            owners=("brand", "rival"),
        ),
        Page("connected:product_secured_by", secured_by(), target="product", owners=WRITE_PRODUCTS),
        Page(
            "connected:product_secured_by",
            secured_by(ok=REDIRECT, write=True),
            "POST",
            "product",
            data=_link_form,
            owners=WRITE_PRODUCTS,
        ),
        Page("connected:unlink", link_action(), "POST", "service_link", owners=("brand", "rival")),
        Page("connected:unlink", page(ok=NOT_ALLOWED), target="service_link", owners=("brand", "rival")),
    ]
)

API.extend(
    [
        Api("GET", "/api/v1/connected/services", api()),
        Api("POST", "/api/v1/connected/services", api(registers_services, denied=FORBIDDEN), json=SERVICE_FORM),
        Api("GET", "/api/v1/connected/services/{service_id}", api(sees_service), target="service", owners=PROVIDERS),
        Api(
            "PATCH",
            "/api/v1/connected/services/{service_id}",
            service_action(manages_service, ok=OK, signed_out=UNAUTHENTICATED),
            "service",
            {"description": "Changed"},
            owners=PROVIDERS,
        ),
        Api(
            "POST",
            "/api/v1/connected/services/{service_id}/approve",
            service_action(is_secretariat_admin, ok=OK, signed_out=UNAUTHENTICATED),
            target="service",
            owners=("other_provider",),  # the pending one
        ),
        Api(
            "POST",
            "/api/v1/connected/services/{service_id}/reject",
            service_action(is_secretariat_admin, ok=OK, signed_out=UNAUTHENTICATED),
            "service",
            {"reason": "No proof of the prefixes"},
            owners=("other_provider",),
        ),
        Api(
            "POST",
            "/api/v1/connected/services/{service_id}/suspend",
            service_action(is_secretariat_admin, ok=OK, signed_out=UNAUTHENTICATED),
            "service",
            {"reason": "Too slow"},
            owners=(APPROVED_PROVIDER,),
        ),
        Api(
            "POST",
            "/api/v1/connected/services/{service_id}/submit",
            service_action(manages_service, ok=OK, signed_out=UNAUTHENTICATED, sees=sees_unapproved_service),
            target="rejected_service",
            owners=PROVIDERS,
        ),
        *(
            Api(
                "POST",
                "/api/v1/connected/services/{service_id}/" + action,
                service_action(holds_secret, ok=OK, signed_out=UNAUTHENTICATED),
                target="service",
                owners=(APPROVED_PROVIDER,),
            )
            for action in ("rotate-secret", "secret")
        ),
        Api(
            "GET",
            "/api/v1/connected/services/{service_id}/figures",
            service_action(
                lambda role, owner: in_secretariat(role) or org_of(role) == owner, ok=OK, signed_out=UNAUTHENTICATED
            ),
            target="service",
            owners=PROVIDERS,
        ),
        Api("GET", "/api/v1/connected/links", api()),
        Api(
            "POST",
            "/api/v1/connected/links",
            new_link_by_api,
            target="brand",
            json=lambda ctx, owner: {
                "service_id": connected_for("service", ctx.orgs, ctx.brands, APPROVED_PROVIDER).pk,
                "brand_id": ctx.brands[owner].pk,
            },
        ),
        Api(
            "DELETE",
            "/api/v1/connected/links/{link_id}",
            link_action(ok=OK, signed_out=UNAUTHENTICATED),
            target="service_link",
            owners=("brand", "rival"),
        ),
    ]
)
