"""Direct tests of every rule in ipm.access.policy, against the same independent statement of the design that
the access matrix uses (tests/access/matrix.py: sees_org, manages_org …), for every role of the fixture world.

The last test fails when a public policy function has no test here: a new rule comes with its test.
"""

import inspect

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from ipm.access import policy
from ipm.accounts.models import ApiToken, Invitation, Mandate, Organisation, OrganisationKind, Role, User
from ipm.audit.models import AuditAction, AuditEvent
from ipm.audit.services import record
from ipm.catalog.models import Contact, ImportJob, Route
from tests.access import matrix as m
from tests.world import build_world

COVERED: set[str] = set()


def covers(*functions):
    """Marks the policy functions a test exercises (checked by test_every_policy_function_has_a_test)."""
    COVERED.update(function.__name__ for function in functions)
    return lambda test: test


class PolicyWorld:
    """The fixture world plus the matrix's additions; ``user(role)`` is AnonymousUser for "anonymous"."""

    def __init__(self):
        self.world = build_world()
        additions = m.add_to_world(self.world)
        self.orgs = additions.orgs
        self.users = additions.users
        self.invitations = {key: invitation for key, (invitation, _token) in additions.invitation_tokens.items()}
        self.mandate = self.world.mandate
        self.products, self.brands, self.contacts = additions.products, additions.brands, additions.contacts
        self.imports = {
            holder: ImportJob.objects.create(
                right_holder=self.orgs[holder], file=f"imports/{holder}.csv", original_name="x.csv", file_format="csv"
            )
            for holder in ("brand", "rival")
        }
        # Organisations and people are in one organisation in the matrix's sense: "suspended_viewer" too.
        self.org_key = {org.pk: key for key, org in self.orgs.items()}
        User.objects.filter(pk=self.users["deactivated"].pk).update(is_active=False)
        Organisation.objects.filter(pk=self.orgs["suspended"].pk).update(is_active=False)
        self.refresh()

    def refresh(self):
        self.users = {key: User.objects.select_related("organisation").get(pk=u.pk) for key, u in self.users.items()}
        self.orgs = {key: Organisation.objects.get(pk=org.pk) for key, org in self.orgs.items()}

    def user(self, role):
        return AnonymousUser() if role == "anonymous" else self.users[role]

    def org_of_user(self, key):
        return self.org_key[self.users[key].organisation_id]


pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database before the shared world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the module, in a transaction rolled back at its end; each test runs in a savepoint (``pw``)."""
    with django_db_blocker.unblock():
        assert m.on_test_database(connection), "not on the test database"
        hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
            yield PolicyWorld()
            transaction.set_rollback(True)


@pytest.fixture
def pw(shared_world, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        shared_world.refresh()  # fresh instances: a test may change them in memory
        yield shared_world
        transaction.set_rollback(True)


def mismatches(pw, function, expected, items):
    """[(role, item, got, expected)] where ``function(user, item)`` disagrees with ``expected(role, item)``."""
    wrong = []
    for role in m.ALL_ROLES:
        for item in items:
            got, want = function(pw.user(role), item), expected(role, item)
            if got != want:
                wrong.append((role, item, got, want))
    return wrong


# --- Who is who ---------------------------------------------------------------------------------------------------


@covers(policy.is_active_member, policy.is_secretariat, policy.is_secretariat_admin, policy.is_org_admin)
@covers(policy.is_officer)
def test_who_is_who(pw):
    for role in m.ALL_ROLES:
        user = pw.user(role)
        member = m.signed_in(role)
        assert policy.is_active_member(user) is member, role
        assert policy.is_secretariat(user) is m.in_secretariat(role), role
        assert policy.is_secretariat_admin(user) is m.is_secretariat_admin(role), role
        assert policy.is_org_admin(user) is m.is_admin(role), role
        assert policy.is_officer(user) is (member and m.KIND[m.org_of(role)] == OrganisationKind.CUSTOMS), role


# --- Organisations ----------------------------------------------------------------------------------------------


@covers(policy.visible_organisations)
def test_visible_organisations(pw):
    def visible(user, org_key):
        return policy.visible_organisations(user).filter(pk=pw.orgs[org_key].pk).exists()

    assert mismatches(pw, visible, m.sees_org, list(pw.orgs)) == []


@covers(policy.visible_organisations)
def test_visible_organisations_has_no_duplicates_with_several_mandates(pw):
    Mandate.objects.create(representative=pw.orgs["counsel"], right_holder=pw.orgs["rival"])
    Mandate.objects.create(representative=pw.orgs["other_counsel"], right_holder=pw.orgs["brand"])
    # A revoked mandate beside the active one must not add a row either.
    Mandate.objects.create(
        representative=pw.orgs["other_counsel"], right_holder=pw.orgs["rival"], revoked_at=timezone.now()
    )
    for role in ("counsel_viewer", "brand_viewer", "other_counsel_admin", "rival_editor"):
        organisations = list(policy.visible_organisations(pw.users[role]).values_list("pk", flat=True))
        assert len(organisations) == len(set(organisations)), role
    assert {
        pw.org_key[pk] for pk in policy.visible_organisations(pw.users["brand_viewer"]).values_list("pk", flat=True)
    } == {
        "brand",
        "counsel",
        "other_counsel",
    }
    assert {
        pw.org_key[pk] for pk in policy.visible_organisations(pw.users["rival_viewer"]).values_list("pk", flat=True)
    } == {
        "rival",
        "counsel",
    }


@covers(policy.visible_organisations, policy.represented_right_holders)
def test_a_revoked_mandate_links_nobody(pw):
    counsel, brand = pw.users["counsel_admin"], pw.users["brand_admin"]
    assert list(policy.represented_right_holders(counsel)) == [pw.orgs["brand"]]
    assert policy.visible_organisations(brand).filter(pk=pw.orgs["counsel"].pk).exists()
    Mandate.objects.filter(pk=pw.mandate.pk).update(revoked_at=timezone.now())
    assert list(policy.represented_right_holders(counsel)) == []
    assert not policy.visible_organisations(counsel).filter(pk=pw.orgs["brand"].pk).exists()
    assert not policy.visible_organisations(brand).filter(pk=pw.orgs["counsel"].pk).exists()


@covers(policy.represented_right_holders)
def test_represented_right_holders(pw):
    for role in m.ALL_ROLES:
        got = {pw.org_key[pk] for pk in policy.represented_right_holders(pw.user(role)).values_list("pk", flat=True)}
        want = {rh for rep, rh in m.MANDATES if m.signed_in(role) and m.org_of(role) == rep}
        assert got == want, role


@covers(policy.manageable_organisations)
def test_manageable_organisations(pw):
    def manageable(user, org_key):
        return policy.manageable_organisations(user).filter(pk=pw.orgs[org_key].pk).exists()

    assert mismatches(pw, manageable, m.manages_org, list(pw.orgs)) == []


@covers(policy.may_onboard_organisations)
def test_only_the_secretariats_admins_onboard(pw):
    for role in m.ALL_ROLES:
        assert policy.may_onboard_organisations(pw.user(role)) is m.is_secretariat_admin(role), role


@covers(policy.may_change_organisation_status)
def test_only_the_secretariats_admins_suspend_and_never_the_secretariat(pw):
    def expected(role, org_key):
        return m.is_secretariat_admin(role) and m.KIND[org_key] != OrganisationKind.SECRETARIAT

    assert (
        mismatches(
            pw, lambda user, key: policy.may_change_organisation_status(user, pw.orgs[key]), expected, list(pw.orgs)
        )
        == []
    )


@covers(policy.may_set_two_factor_requirement)
def test_two_factor_requirement(pw):
    """Any admin may require it for their organisation; lifting it from the secretariat or a customs
    administration is the secretariat's decision alone."""

    def expected(role, item):
        org_key, required = item
        strict = m.KIND[org_key] in {OrganisationKind.SECRETARIAT, OrganisationKind.CUSTOMS}
        return m.manages_org(role, org_key) and (required or m.is_secretariat_admin(role) or not strict)

    items = [(key, required) for key in pw.orgs for required in (True, False)]
    got = mismatches(
        pw, lambda user, item: policy.may_set_two_factor_requirement(user, pw.orgs[item[0]], item[1]), expected, items
    )
    assert got == []
    # spelled out
    fr = pw.orgs["fr"]
    assert policy.may_set_two_factor_requirement(pw.users["fr_admin"], fr, True)
    assert not policy.may_set_two_factor_requirement(pw.users["fr_admin"], fr, False)
    assert policy.may_set_two_factor_requirement(pw.users["secretariat_admin"], fr, False)
    assert policy.may_set_two_factor_requirement(pw.users["brand_admin"], pw.orgs["brand"], False)
    assert not policy.may_set_two_factor_requirement(pw.users["brand_admin"], pw.orgs["rival"], True)
    assert not policy.may_set_two_factor_requirement(pw.users["secretariat_editor"], fr, True)


# --- Mandates ---------------------------------------------------------------------------------------------------


@covers(policy.visible_mandates)
def test_visible_mandates(pw):
    rival_mandate = Mandate.objects.create(representative=pw.orgs["other_counsel"], right_holder=pw.orgs["rival"])
    parties = {pw.mandate.pk: {"counsel", "brand"}, rival_mandate.pk: {"other_counsel", "rival"}}

    def expected(role, pk):
        return m.signed_in(role) and (m.in_secretariat(role) or m.org_of(role) in parties[pk])

    got = mismatches(pw, lambda user, pk: policy.visible_mandates(user).filter(pk=pk).exists(), expected, list(parties))
    assert got == []


@covers(policy.may_grant_mandate)
def test_may_grant_mandate(pw):
    def expected(role, org_key):
        return m.KIND[org_key] == OrganisationKind.RIGHT_HOLDER and m.manages_org(role, org_key)

    assert mismatches(pw, lambda user, key: policy.may_grant_mandate(user, pw.orgs[key]), expected, list(pw.orgs)) == []


@covers(policy.legal_representatives_for_choice)
def test_legal_representatives_for_choice(pw):
    suspended_firm = Organisation.objects.create(
        name="Suspended firm", kind=OrganisationKind.LEGAL_REPRESENTATIVE, is_active=False
    )
    for role in m.ALL_ROLES:
        got = set(policy.legal_representatives_for_choice(pw.user(role)))
        want = {pw.orgs["counsel"], pw.orgs["other_counsel"]} if m.signed_in(role) else set()
        assert got == want, role
        assert suspended_firm not in got


# --- People -----------------------------------------------------------------------------------------------------


@covers(policy.visible_users)
def test_visible_users(pw):
    def expected(role, key):
        return m.signed_in(role) and (m.in_secretariat(role) or m.org_of(role) == pw.org_of_user(key))

    got = mismatches(
        pw, lambda user, key: policy.visible_users(user).filter(pk=pw.users[key].pk).exists(), expected, list(pw.users)
    )
    assert got == []


@covers(policy.manageable_users)
def test_manageable_users(pw):
    def expected(role, key):
        return role != key and m.manages_org(role, pw.org_of_user(key))

    got = mismatches(
        pw,
        lambda user, key: policy.manageable_users(user).filter(pk=pw.users[key].pk).exists(),
        expected,
        list(pw.users),
    )
    assert got == []


@covers(policy.assignable_roles)
def test_assignable_roles(pw):
    def expected(role, org_key):
        return [Role.ADMIN, Role.EDITOR, Role.VIEWER] if m.manages_org(role, org_key) else []

    assert mismatches(pw, lambda user, key: policy.assignable_roles(user, pw.orgs[key]), expected, list(pw.orgs)) == []


@covers(policy.manageable_invitations)
def test_manageable_invitations(pw):
    def managed(user, org_key):
        return policy.manageable_invitations(user).filter(pk=pw.invitations[org_key].pk).exists()

    assert mismatches(pw, managed, m.manages_org, list(pw.orgs)) == []


@covers(policy.may_invite)
def test_may_invite(pw):
    """Into an organisation the user manages, and only while it is active."""

    def expected(role, org_key):
        return m.manages_org(role, org_key) and org_key != "suspended"

    assert mismatches(pw, lambda user, key: policy.may_invite(user, pw.orgs[key]), expected, list(pw.orgs)) == []


# --- API tokens -------------------------------------------------------------------------------------------------


@covers(policy.own_api_tokens)
def test_own_api_tokens(pw):
    for role in m.ALL_ROLES:
        got = set(policy.own_api_tokens(pw.user(role)).values_list("pk", flat=True))
        want = (
            set(ApiToken.objects.filter(user=pw.users[role]).values_list("pk", flat=True))
            if m.signed_in(role)
            else set()
        )
        assert got == want, role
        assert not m.signed_in(role) or len(got) == 2, role  # add_to_world gives everyone two


# --- Audit log --------------------------------------------------------------------------------------------------


@covers(policy.visible_audit_events, policy.may_read_audit_log)
def test_audit_log(pw):
    record(AuditAction.ORGANISATION_UPDATED, actor=pw.users["fr_admin"], target=pw.orgs["fr"])
    record(AuditAction.SIGN_IN_FAILED, actor_email="nobody@example.test")  # no organisation at all
    events = dict(AuditEvent.objects.values_list("pk", "organisation_id"))
    assert None in events.values()
    for role in m.ALL_ROLES:
        user = pw.user(role)
        assert policy.may_read_audit_log(user) is m.is_admin(role), role
        got = set(policy.visible_audit_events(user).values_list("pk", flat=True))
        if m.is_secretariat_admin(role):
            want = set(events)
        elif m.is_admin(role):
            want = {pk for pk, org in events.items() if org == pw.orgs[m.org_of(role)].pk}
        else:
            want = set()
        assert got == want, role
        assert not m.is_admin(role) or got, role


# --- Platform ---------------------------------------------------------------------------------------------------


@covers(policy.may_use_admin_site)
def test_admin_site(pw):
    for role in m.ALL_ROLES:
        assert policy.may_use_admin_site(pw.user(role)) is m.is_secretariat_admin(role), role
    # The flag alone opens nothing: a secretariat admin who lost is_staff stays out, and staff elsewhere too.
    admin = pw.users["secretariat_admin"]
    admin.is_staff = False
    assert not policy.may_use_admin_site(admin)
    officer = pw.users["fr_admin"]
    officer.is_staff = officer.is_superuser = True
    assert not policy.may_use_admin_site(officer)


@covers(policy.two_factor_satisfied)
def test_two_factor_satisfied(pw):
    Organisation.objects.filter(pk__in=[pw.orgs["fr"].pk, pw.orgs["suspended"].pk]).update(require_two_factor=True)
    pw.refresh()
    fr_admin, fr_officer, fr_viewer = pw.users["fr_admin"], pw.users["fr_officer"], pw.users["fr_viewer"]
    assert policy.two_factor_satisfied(pw.users["ma_admin"])  # not required there
    assert not policy.two_factor_satisfied(fr_admin)
    Authenticator.objects.create(user=fr_admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(user=fr_officer, type=Authenticator.Type.WEBAUTHN, data={"name": "key"})
    Authenticator.objects.create(user=fr_viewer, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    assert policy.two_factor_satisfied(fr_admin)
    assert policy.two_factor_satisfied(fr_officer)
    assert not policy.two_factor_satisfied(fr_viewer)  # recovery codes are a fallback, not a second factor
    # Those who may do nothing are not held at the 2FA door either: the other rules already refuse them.
    assert policy.two_factor_satisfied(AnonymousUser())
    assert policy.two_factor_satisfied(pw.users["suspended"])


# --- Catalogue ---------------------------------------------------------------------------------------------------


@covers(policy.visible_products)
def test_visible_products(pw):
    def visible(user, key):
        return policy.visible_products(user).filter(pk=pw.products[key].pk).exists()

    assert mismatches(pw, visible, m.sees_product, m.PRODUCTS) == []


@covers(policy.product_search_scope)
def test_product_search_scope_states_the_same_rule_as_visible_products(pw):
    """The search index narrows its candidates by this scope before the database applies visible_products: for
    every role, both must describe the same sheets."""

    def in_scope(user, key):
        product = pw.products[key]
        scope = policy.product_search_scope(user)
        if scope.everything:
            return True
        if scope.right_holder_ids:
            return product.brand.right_holder_id in scope.right_holder_ids
        if scope.published_for_country is not None:
            countries = {str(country) for country in product.visibility.values_list("country", flat=True)}
            shared = product.visible_to_all_countries or scope.published_for_country in countries
            return product.status == "published" and shared
        return False

    for product in pw.products.values():
        product.refresh_from_db()
    assert mismatches(pw, in_scope, m.sees_product, m.PRODUCTS) == []
    assert policy.product_search_scope(AnonymousUser()) == policy.ProductScope()


@covers(policy.visible_products)
def test_a_sheet_goes_back_out_of_sight(pw):
    """Archiving or returning to draft hides a published sheet from officers again; so does narrowing its
    countries."""
    product = pw.products["brand:published"]
    officer = pw.users["ma_officer"]
    assert policy.visible_products(officer).filter(pk=product.pk).exists()
    for status in ("archived", "draft"):
        type(product).objects.filter(pk=product.pk).update(status=status)
        assert not policy.visible_products(officer).filter(pk=product.pk).exists(), status
    type(product).objects.filter(pk=product.pk).update(status="published", visible_to_all_countries=False)
    assert not policy.visible_products(officer).filter(pk=product.pk).exists()
    assert not policy.visible_products(pw.users["fr_officer"]).filter(pk=product.pk).exists()
    assert policy.visible_products(pw.users["brand_viewer"]).filter(pk=product.pk).exists()


@covers(policy.visible_brands)
def test_visible_brands(pw):
    def visible(user, holder):
        return policy.visible_brands(user).filter(pk=pw.brands[holder].pk).exists()

    assert mismatches(pw, visible, m.sees_brand, ["brand", "rival"]) == []


@covers(policy.catalogue_right_holders, policy.may_author_catalogue)
def test_who_authors_a_catalogue(pw):
    def authors(user, key):
        listed = policy.catalogue_right_holders(user).filter(pk=pw.orgs[key].pk).exists()
        assert listed is policy.may_author_catalogue(user, pw.orgs[key])
        return listed

    assert mismatches(pw, authors, m.authors_catalogue, list(pw.orgs)) == []


@covers(policy.editable_brands)
def test_editable_brands(pw):
    def editable(user, holder):
        return policy.editable_brands(user).filter(pk=pw.brands[holder].pk).exists()

    assert mismatches(pw, editable, m.authors_catalogue, ["brand", "rival"]) == []


@covers(policy.editable_products, policy.may_preview_as_officer)
def test_editable_products(pw):
    def editable(user, key):
        product = pw.products[key]
        listed = policy.editable_products(user).filter(pk=product.pk).exists()
        assert listed is policy.may_preview_as_officer(user, product)
        return listed

    def expected(role, key):
        return m.authors_catalogue(role, key.split(":")[0])

    assert mismatches(pw, editable, expected, m.PRODUCTS) == []


@covers(policy.readable_catalogues, policy.catalogue_products, policy.visible_import_jobs)
def test_who_reads_a_whole_catalogue(pw):
    """The authoring pages (drafts, history, imports): the right holder's people and its representatives',
    viewers included, and the secretariat's; never an officer, even of a country that reads its sheets."""

    def readable(user, holder):
        listed = policy.readable_catalogues(user).filter(pk=pw.orgs[holder].pk).exists()
        holder_products = {p.pk for key, p in pw.products.items() if key.startswith(f"{holder}:")}
        products = set(policy.catalogue_products(user).filter(pk__in=holder_products).values_list("pk", flat=True))
        assert products == (holder_products if listed else set())
        if holder in pw.imports:
            assert policy.visible_import_jobs(user).filter(pk=pw.imports[holder].pk).exists() is listed
        return listed

    assert mismatches(pw, readable, m.reads_catalogue, list(pw.orgs)) == []


@covers(policy.visible_product_records, policy.editable_product_records)
def test_sheet_records(pw):
    """Routes and known counterfeits follow their sheet: seen by who sees it, changed by who authors it."""
    for target in ("route", "variant"):
        records = {key: m.record_for(target, pw.orgs, pw.products, key) for key in m.PRODUCTS}
        model = type(records["brand:draft"])

        def visible(user, key, records=records, model=model):
            return policy.visible_product_records(user, model).filter(pk=records[key].pk).exists()

        def editable(user, key, records=records, model=model):
            return policy.editable_product_records(user, model).filter(pk=records[key].pk).exists()

        assert mismatches(pw, visible, m.sees_product, m.PRODUCTS) == [], target
        authors = lambda role, key: m.authors_catalogue(role, key.split(":")[0])  # noqa: E731
        assert mismatches(pw, editable, authors, m.PRODUCTS) == [], target


@covers(policy.products_visible_in_country)
def test_products_visible_in_country(pw):
    for country, sheets in {
        "FR": {"brand:published", "brand:fr_only", "rival:fr_only"},
        "MA": {"brand:published"},
        "US": {"brand:published"},
    }.items():
        got = set(policy.products_visible_in_country(country).values_list("pk", flat=True))
        assert got == {pw.products[key].pk for key in sheets}, country


def sees_records(role, holder):
    """A right holder's contacts, rights and applications for action: who reads its catalogue in full, and
    officers of a country that one of its sheets is shared with."""
    if not m.signed_in(role):
        return False
    own = m.org_of(role)
    if own in {"secretariat", holder} or (own, holder) in m.MANDATES:
        return True
    sheets = [key for key in m.PRODUCTS if key.startswith(f"{holder}:")]
    return m.KIND[own] == OrganisationKind.CUSTOMS and any(m.sees_product(role, key) for key in sheets)


@covers(policy.visible_catalogue_records, policy.editable_catalogue_records)
def test_catalogue_records(pw):
    def visible(user, holder):
        return policy.visible_catalogue_records(user, Contact).filter(pk=pw.contacts[holder].pk).exists()

    def editable(user, holder):
        return policy.editable_catalogue_records(user, Contact).filter(pk=pw.contacts[holder].pk).exists()

    assert mismatches(pw, visible, sees_records, ["brand", "rival"]) == []
    assert mismatches(pw, editable, m.authors_catalogue, ["brand", "rival"]) == []
    # spelled out: Morocco's officers see no sheet of the rival's, so none of its contacts either
    assert not visible(pw.users["ma_officer"], "rival") and visible(pw.users["fr_officer"], "rival")


@covers(policy.visible_sheet_records)
def test_visible_sheet_records(pw):
    def visible(user, key):
        holder = key.split(":")[0]
        got = set(policy.visible_sheet_records(user, Contact, pw.products[key]))
        assert got <= {pw.contacts[holder]}
        return bool(got)

    assert mismatches(pw, visible, m.sees_product, m.PRODUCTS) == []


@covers(policy.visible_product_records, policy.editable_product_records)
def test_product_records(pw):
    """A sheet's routes: seen by whoever sees the sheet, changed by whoever authors its catalogue."""
    routes = {key: Route.objects.create(product=pw.products[key], origin="CN", destination="FR") for key in m.PRODUCTS}

    def visible(user, key):
        return policy.visible_product_records(user, Route).filter(pk=routes[key].pk).exists()

    def editable(user, key):
        return policy.editable_product_records(user, Route).filter(pk=routes[key].pk).exists()

    assert mismatches(pw, visible, m.sees_product, m.PRODUCTS) == []
    assert mismatches(pw, editable, lambda role, key: m.authors_catalogue(role, key.split(":")[0]), m.PRODUCTS) == []


# --- GS1 resolver ------------------------------------------------------------------------------------------------


@covers(policy.publicly_resolvable_products, policy.is_publicly_resolvable, policy.resolvable_products)
def test_what_the_resolver_answers_for(pw):
    """Anyone learns of a published sheet shared with every country; a draft or a sheet for some countries only is
    known to its readers alone (an officer of Morocco does not learn of a sheet for France)."""
    public = set(policy.publicly_resolvable_products().values_list("pk", flat=True))
    for key, product in pw.products.items():
        assert (product.pk in public) is (key == "brand:published"), key
        assert policy.is_publicly_resolvable(product) is (key == "brand:published"), key

    def resolvable(user, key):
        return policy.resolvable_products(user).filter(pk=pw.products[key].pk).exists()

    assert mismatches(pw, resolvable, m.resolves, m.PRODUCTS) == []


def link_shown(role: str, link: tuple) -> bool:
    """(holder, sheet or None for a GTIN range, customs only): a sheet's link follows its sheet; a customs-only link is
    for officers and for those who read the right holder's catalogue in full."""
    holder, sheet, customs_only = link
    if sheet is not None and not m.resolves(role, f"{holder}:{sheet}"):
        return False
    if not customs_only:
        return True
    officer = m.signed_in(role) and m.KIND[m.org_of(role)] == OrganisationKind.CUSTOMS
    return officer or m.reads_catalogue(role, holder)


@covers(policy.resolver_links, policy.catalogue_resolver_links, policy.editable_resolver_links)
def test_resolver_links(pw):
    from ipm.catalog.models import CompanyPrefix
    from ipm.resolver.models import ResolverLink

    prefixes = {
        holder: CompanyPrefix.objects.create(right_holder=pw.orgs[holder], prefix=prefix)
        for holder, prefix in (("brand", "7610001"), ("rival", "7610002"))
    }
    links = {}
    for key, product in pw.products.items():
        holder, sheet = key.split(":")
        for customs_only in (False, True):
            links[(holder, sheet, customs_only)] = ResolverLink.objects.create(
                right_holder=pw.orgs[holder],
                product=product,
                link_type="pip",
                target_url="https://x.example/",
                title="x",
                customs_only=customs_only,
            )
    for holder, prefix in prefixes.items():
        for customs_only in (False, True):
            links[(holder, None, customs_only)] = ResolverLink.objects.create(
                right_holder=pw.orgs[holder],
                company_prefix=prefix,
                link_type="homepage",
                target_url="https://x.example/",
                title="x",
                customs_only=customs_only,
            )

    def shown(user, key):
        return policy.resolver_links(user).filter(pk=links[key].pk).exists()

    def listed(user, key):
        return policy.catalogue_resolver_links(user).filter(pk=links[key].pk).exists()

    def editable(user, key):
        return policy.editable_resolver_links(user).filter(pk=links[key].pk).exists()

    assert mismatches(pw, shown, link_shown, list(links)) == []
    assert mismatches(pw, listed, lambda role, key: m.reads_catalogue(role, key[0]), list(links)) == []
    assert mismatches(pw, editable, lambda role, key: m.authors_catalogue(role, key[0]), list(links)) == []
    # spelled out: a visitor gets the public links of the public sheet and of the ranges, nothing of a draft
    visitor = {key for key in links if shown(pw.user("anonymous"), key)}
    assert visitor == {("brand", "published", False), ("brand", None, False), ("rival", None, False)}


# --- Scans ------------------------------------------------------------------------------------------------------


@covers(policy.may_scan)
def test_who_may_scan(pw):
    assert mismatches(pw, lambda user, _item: policy.may_scan(user), m.may_scan_codes, [None]) == []


def reads_scan_of(role: str, scanner: str) -> bool:
    """The scan log is customs data: the secretariat reads every scan, a customs administration's admins the scans
    of their country's officers, everyone their own. A right holder never reads an officer's scans."""
    if not m.signed_in(role):
        return False
    own = m.org_of(role)
    if own == "secretariat" or role == scanner:
        return True
    return m.KIND[own] == OrganisationKind.CUSTOMS and m.role_of(role) == "admin" and m.org_of(scanner) == own


SCANNERS = ["fr_officer", "fr_viewer", "fr_admin", "ma_officer", "brand_editor", "counsel_admin", "secretariat_viewer"]


@covers(policy.visible_scan_logs, policy.sees_others_scans)
def test_visible_scan_logs(pw):
    from ipm.scans.models import ScanLog, ScanResult, ScanSource

    logs = {}
    for scanner in SCANNERS:
        user = pw.users[scanner]
        logs[scanner] = ScanLog.objects.create(
            user=user,
            organisation=user.organisation,
            country=user.organisation.country.code or None,
            source=ScanSource.API,
            raw_code="4006381333931",
            gtin="04006381333931",
            result=ScanResult.NONE,
        )

    def visible(user, scanner):
        return policy.visible_scan_logs(user).filter(pk=logs[scanner].pk).exists()

    assert mismatches(pw, visible, reads_scan_of, SCANNERS) == []
    for role in m.ALL_ROLES:
        admin_of_customs = m.is_admin(role) and m.KIND[m.org_of(role)] == OrganisationKind.CUSTOMS
        expected = m.signed_in(role) and (m.in_secretariat(role) or admin_of_customs)
        assert policy.sees_others_scans(pw.user(role)) is expected, role


@covers(policy.scan_company_prefixes)
def test_scan_company_prefixes(pw):
    """A scan names the owner of a registered prefix to whoever may scan, unless that right holder is suspended."""
    from ipm.catalog.models import CompanyPrefix

    prefixes = {holder: m.record_for("company_prefix", pw.orgs, pw.products, holder) for holder in ("brand", "rival")}
    prefixes["suspended"] = CompanyPrefix.objects.create(right_holder=pw.orgs["suspended"], prefix="761009")

    def named(user, holder):
        return policy.scan_company_prefixes(user).filter(pk=prefixes[holder].pk).exists()

    def expected(role, holder):
        return m.may_scan_codes(role) and holder != "suspended"

    assert mismatches(pw, named, expected, list(prefixes)) == []


@covers(policy.scan_contacts)
def test_scan_contacts(pw):
    """A prefix owner's general contacts: to officers even without a sheet they read; to others as they read them
    anyway. A contact tied to a sheet stays with that sheet."""
    tied = {
        holder: Contact.objects.create(right_holder=pw.orgs[holder], name=f"{holder} sheet contact")
        for holder in ("brand", "rival")
    }
    for holder, contact in tied.items():
        contact.products.add(pw.products[f"{holder}:draft"])

    def given(user, holder):
        contacts = set(policy.scan_contacts(user, pw.orgs[holder]))
        assert tied[holder] not in contacts
        return pw.contacts[holder] in contacts

    def expected(role, holder):
        if not m.may_scan_codes(role):
            return False
        return m.KIND[m.org_of(role)] == OrganisationKind.CUSTOMS or sees_records(role, holder)

    assert mismatches(pw, given, expected, ["brand", "rival"]) == []
    # spelled out: Morocco reads no sheet of the rival's, yet gets its general contact from a scan
    assert given(pw.users["ma_officer"], "rival")


# --- Deactivated people and suspended organisations ---------------------------------------------------------------

USER_QUERYSETS = [
    policy.represented_right_holders,
    policy.visible_organisations,
    policy.manageable_organisations,
    policy.visible_mandates,
    policy.legal_representatives_for_choice,
    policy.visible_users,
    policy.manageable_users,
    policy.manageable_invitations,
    policy.own_api_tokens,
    policy.visible_audit_events,
    policy.catalogue_right_holders,
    policy.visible_brands,
    policy.editable_brands,
    policy.visible_products,
    policy.editable_products,
    policy.readable_catalogues,
    policy.catalogue_products,
    policy.visible_import_jobs,
    policy.visible_scan_logs,
    policy.scan_company_prefixes,
]


# --- Connected: verifying scanned items (the officer's flow) ----------------------------------------------------


def may_verify(role: str, _item=None) -> bool:
    """Customs (any member of an administration) and the secretariat ask providers about items; nobody else."""
    return m.signed_in(role) and m.KIND[m.org_of(role)] in (OrganisationKind.CUSTOMS, OrganisationKind.SECRETARIAT)


@covers(policy.may_verify_scans, policy.verifiable_scan_logs)
def test_who_may_verify_which_scans(pw):
    from ipm.scans.models import ScanLog, ScanResult, ScanSource

    logs = {}
    for scanner in SCANNERS:
        user = pw.users[scanner]
        logs[scanner] = ScanLog.objects.create(
            user=user, source=ScanSource.API, raw_code="4006381333931", gtin="04006381333931", result=ScanResult.NONE
        )

    def verifiable(user, scanner):
        return policy.verifiable_scan_logs(user).filter(pk=logs[scanner].pk).exists()

    assert mismatches(pw, lambda user, _item: policy.may_verify_scans(user), may_verify, [None]) == []
    # one's own scans only, even for a customs admin who reads the officers' scans
    assert mismatches(pw, verifiable, lambda role, scanner: may_verify(role) and role == scanner, SCANNERS) == []


@pytest.mark.parametrize("role", ["anonymous", "deactivated", "suspended"])
def test_the_signed_out_see_and_do_nothing(pw, role):
    """A deactivated secretariat admin (still staff and superuser) and a suspended organisation's admin get
    exactly what a visitor gets: nothing."""
    user = pw.user(role)
    for queryset in USER_QUERYSETS:
        assert not queryset(user).exists(), f"{role}: {queryset.__name__}"
    assert not policy.visible_catalogue_records(user, Contact).exists()
    assert not policy.editable_catalogue_records(user, Contact).exists()
    for product in pw.products.values():
        assert not policy.may_preview_as_officer(user, product)
        assert not policy.visible_sheet_records(user, Contact, product).exists()
    for org in pw.orgs.values():
        assert not policy.may_change_organisation_status(user, org)
        assert not policy.may_set_two_factor_requirement(user, org, True)
        assert not policy.may_grant_mandate(user, org)
        assert not policy.may_invite(user, org)
        assert policy.assignable_roles(user, org) == []
    for predicate in (
        policy.is_active_member,
        policy.is_secretariat,
        policy.is_secretariat_admin,
        policy.is_org_admin,
        policy.is_officer,
        policy.may_onboard_organisations,
        policy.may_read_audit_log,
        policy.may_use_admin_site,
    ):
        assert predicate(user) is False, f"{role}: {predicate.__name__}"


def test_a_suspended_organisation_is_not_managed_by_its_admin_but_still_by_the_secretariat(pw):
    suspended = pw.orgs["suspended"]
    assert not policy.manageable_organisations(pw.users["suspended"]).exists()
    assert policy.manageable_organisations(pw.users["secretariat_admin"]).filter(pk=suspended.pk).exists()
    assert policy.manageable_users(pw.users["secretariat_admin"]).filter(pk=pw.users["suspended"].pk).exists()
    assert not policy.may_invite(pw.users["secretariat_admin"], suspended)  # nobody joins a suspended organisation
    assert policy.may_change_organisation_status(pw.users["secretariat_admin"], suspended)  # it can be re-activated


def test_a_pending_invitation_does_not_count_as_a_member(pw):
    invitation = pw.invitations["fr"]
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not policy.visible_users(pw.users["fr_viewer"]).filter(email=invitation.email).exists()


# --- EPCIS: capture and reading of track-and-trace events ------------------------------------------------------


@covers(policy.may_capture_epcis, policy.epcis_capturable_gtin_owners, policy.epcis_capturable_provider_gtins)
@covers(policy.may_capture_epcis_for_unclaimed_gtins)
def test_who_may_capture_epcis_events_about_whose_gtins(pw):
    def owners(user, holder):
        return policy.epcis_capturable_gtin_owners(user).filter(pk=pw.orgs[holder].pk).exists()

    def unclaimed(role, _item=None):
        return m.in_secretariat(role) and m.role_of(role) != "viewer"

    assert mismatches(pw, lambda user, _item: policy.may_capture_epcis(user), m.may_capture_epcis, [None]) == []
    # The right holders whose GTINs one may capture about: exactly those whose catalogue one authors.
    assert mismatches(pw, owners, m.authors_catalogue, ["brand", "rival", "suspended"]) == []
    assert mismatches(pw, lambda u, _i: policy.may_capture_epcis_for_unclaimed_gtins(u), unclaimed, [None]) == []
    # Service providers get products one by one through IPM Connected's links; the world has none.
    for role in m.ALL_ROLES:
        assert policy.epcis_capturable_provider_gtins(pw.user(role)) == set(), role


@covers(policy.visible_epcis_capture_jobs, policy.visible_epcis_events)
def test_visible_epcis_capture_jobs_and_events(pw):
    from ipm.epcis.models import EpcisEvent

    capturers = ["brand", "rival", "counsel", "secretariat", "fr"]
    jobs = {owner: m.epcis_job_for(pw.orgs, owner) for owner in capturers}
    events = {owner: EpcisEvent.objects.get(job=job) for owner, job in jobs.items()}

    def sees_job(user, owner):
        job_seen = policy.visible_epcis_capture_jobs(user).filter(pk=jobs[owner].pk).exists()
        assert policy.visible_epcis_events(user).filter(pk=events[owner].pk).exists() is job_seen
        return job_seen

    assert mismatches(pw, sees_job, m.sees_epcis_job, capturers) == []


# --- Connected: services, links, verifications -------------------------------------------------------------------


@covers(policy.is_provider_member, policy.visible_services, policy.manageable_services, policy.may_approve_services)
@covers(policy.may_hold_service_secret, policy.may_register_service)
def test_who_sees_manages_approves_and_registers_services(pw):
    services = {owner: m.connected_for("service", pw.orgs, pw.brands, owner) for owner in m.PROVIDERS}
    rejected = {owner: m.connected_for("rejected_service", pw.orgs, pw.brands, owner) for owner in m.PROVIDERS}

    def sees(user, owner):
        return policy.visible_services(user).filter(pk=services[owner].pk).exists()

    def sees_rejected(user, owner):
        return policy.visible_services(user).filter(pk=rejected[owner].pk).exists()

    def manages(user, owner):
        return policy.manageable_services(user).filter(pk=services[owner].pk).exists()

    def provider_member(role, _item=None):
        return m.signed_in(role) and m.KIND[m.org_of(role)] == OrganisationKind.SERVICE_PROVIDER

    assert mismatches(pw, lambda user, _i: policy.is_provider_member(user), provider_member, [None]) == []
    assert mismatches(pw, sees, m.sees_service, m.PROVIDERS) == []
    assert mismatches(pw, sees_rejected, m.sees_unapproved_service, m.PROVIDERS) == []
    assert mismatches(pw, manages, m.manages_service, m.PROVIDERS) == []
    assert mismatches(pw, lambda u, _i: policy.may_approve_services(u), m.is_secretariat_admin, [None]) == []
    holds = lambda user, owner: policy.may_hold_service_secret(user, services[owner])  # noqa: E731
    assert mismatches(pw, holds, m.holds_secret, m.PROVIDERS) == []

    def registers(user, owner):
        return policy.may_register_service(user, pw.orgs[owner])

    def may_register(role, owner):
        if m.KIND[owner] != OrganisationKind.SERVICE_PROVIDER:
            return False
        return m.is_secretariat_admin(role) or (m.registers_services(role) and m.org_of(role) == owner)

    assert mismatches(pw, registers, may_register, [*m.PROVIDERS, "brand"]) == []
    # A suspended provider registers nothing and its services drop out of the right holders' choice.
    Organisation.objects.filter(pk=pw.orgs["provider"].pk).update(is_active=False)
    assert not policy.visible_services(pw.users["brand_editor"]).exists()
    suspended = Organisation.objects.get(pk=pw.orgs["provider"].pk)
    assert not policy.may_register_service(pw.users["secretariat_admin"], suspended)


@covers(policy.link_right_holders, policy.may_link_services, policy.linkable_services)
@covers(policy.visible_service_links, policy.editable_service_links, policy.epcis_capturable_provider_gtins)
def test_who_chooses_services_and_sees_the_links(pw):
    links = {holder: m.connected_for("service_link", pw.orgs, pw.brands, holder) for holder in ("brand", "rival")}
    approved = m.connected_for("service", pw.orgs, pw.brands, m.APPROVED_PROVIDER)
    pending = m.connected_for("service", pw.orgs, pw.brands, "other_provider")

    def chooses(user, holder):
        listed = policy.link_right_holders(user).filter(pk=pw.orgs[holder].pk).exists()
        assert policy.may_link_services(user, pw.orgs[holder]) is listed
        return listed

    def sees(user, holder):
        return policy.visible_service_links(user).filter(pk=links[holder].pk).exists()

    def edits(user, holder):
        return policy.editable_service_links(user).filter(pk=links[holder].pk).exists()

    assert mismatches(pw, chooses, m.chooses_services, ["brand", "rival"]) == []
    sees_link = lambda role, holder: m.in_secretariat(role) or m.sees_service_link(role, holder)  # noqa: E731
    assert mismatches(pw, sees, sees_link, ["brand", "rival"]) == []
    assert mismatches(pw, edits, m.chooses_services, ["brand", "rival"]) == []
    for role in m.ALL_ROLES:
        linkable = set(policy.linkable_services(pw.user(role)))
        chooser = any(m.chooses_services(role, holder) for holder in ("brand", "rival"))
        assert linkable == ({approved} if chooser else set()), role
        assert pending not in linkable
    # A provider's editors and admins may capture EPCIS events about the GTINs of the products linked to its
    # approved services (here: both brands' sheets), nobody else through this grant.
    linked = {code.value for product in pw.products.values() for code in product.identifiers.filter(kind="gtin")}
    for role in m.ALL_ROLES:
        captures = m.signed_in(role) and m.org_of(role) == "provider" and m.role_of(role) != "viewer"
        expected = linked if captures else set()
        assert policy.epcis_capturable_provider_gtins(pw.user(role)) == expected, role


@covers(policy.visible_verifications, policy.verification_shows_officer)
@covers(policy.figures_verifications, policy.provider_verification_figures)
def test_who_reads_verifications_and_figures(pw):
    from ipm.connected.models import Verification

    service = m.connected_for("service", pw.orgs, pw.brands, m.APPROVED_PROVIDER)
    asked = {  # key: (officer, country, right holder of the product)
        "fr": ("fr_officer", "FR", "brand"),
        "ma": ("ma_officer", "MA", "rival"),
    }
    rows = {
        key: Verification.objects.create(
            service=service,
            reach="verification_api",
            user=pw.users[officer],
            organisation=pw.users[officer].organisation,
            country=country,
            right_holder=pw.orgs[holder],
            outcome="authentic" if key == "fr" else "counterfeit",
        )
        for key, (officer, country, holder) in asked.items()
    }

    def reads(user, key):
        return policy.visible_verifications(user).filter(pk=rows[key].pk).exists()

    def expected(role, key):
        if not m.signed_in(role):
            return False
        officer, country, holder = asked[key]
        own = m.org_of(role)
        if own == "secretariat":
            return True
        if m.KIND[own] == OrganisationKind.CUSTOMS:
            return m.COUNTRY[own] == country if m.is_admin(role) else role == officer
        return m.reads_catalogue(role, holder)

    assert mismatches(pw, reads, expected, list(asked)) == []

    def shows(role, _item=None):
        return m.signed_in(role) and m.KIND[m.org_of(role)] in (OrganisationKind.CUSTOMS, OrganisationKind.SECRETARIAT)

    assert mismatches(pw, lambda user, _i: policy.verification_shows_officer(user), shows, [None]) == []

    def figures(role, _item=None):
        return m.signed_in(role) and m.org_of(role) in {"secretariat", "provider"}

    def got_figures(user, _item):
        total = policy.provider_verification_figures(user, service)["total"]
        assert policy.figures_verifications(user, service).count() == total
        return total == 2

    assert mismatches(pw, got_figures, figures, [None]) == []
    shown = policy.provider_verification_figures(pw.users["provider_viewer"], service)
    assert shown["by_outcome"] == {"authentic": 1, "counterfeit": 1}
    assert shown["by_country"] == {"FR": 1, "MA": 1}
    assert sum(day["count"] for day in shown["by_day"]) == 2
    assert "user" not in str(shown) and "officer" not in str(shown)


# --- Every rule has a test ----------------------------------------------------------------------------------------

# Rules tested elsewhere, with where.
TESTED_ELSEWHERE: dict[str, str] = {}


def test_every_policy_function_has_a_test():
    public = {
        name
        for name, function in inspect.getmembers(policy, inspect.isfunction)
        if function.__module__ == policy.__name__ and not name.startswith("_")
    }
    untested = sorted(public - COVERED - set(TESTED_ELSEWHERE))
    assert not untested, f"policy functions without a test in tests/access/test_policy.py: {untested}"
