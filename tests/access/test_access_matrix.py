"""Walks the access matrix (tests/access/matrix.py): every page and API operation, for every role, against its
own organisation's object and other organisations' objects, and checks the class of the answer.

* ``test_every_url_pattern_is_in_the_matrix`` and ``test_every_api_operation_is_in_the_matrix`` are the safety
  net: a new URL or API operation fails until it has a row.
* ``test_page`` and ``test_api_operation`` run one row each, over every role and owner, and report every wrong
  cell at once. Each request runs in a savepoint that is rolled back, so a permitted write does not change the
  world for the next cell; a request whose expected outcome is a denial must not write to the database at all.
* The remaining tests are the explicit cross-organisation guesses, the 2FA gate and Django's admin namespace.
"""

import copy
import json
import re
import time
from contextlib import contextmanager

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection, transaction
from django.template.base import Template
from django.test import Client, override_settings
from django.test import utils as test_utils
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ipm.accounts.models import ApiScope, Organisation, User
from ipm.accounts.services import create_api_token
from ipm.api.main import api as ninja_api
from ipm.audit.models import AuditAction, AuditEvent
from ipm.catalog.models import ImportJob, ImportStatus, ProductPhoto
from tests.access import matrix as m
from tests.world import build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the world's 30 passwords; Argon2 takes seconds

# --- The world, signed-in clients and requests ------------------------------------------------------------------

# A request that must change nothing must not write at all. Every SQL statement of the request is watched
# (cheaper than comparing tables, and it covers tables added later); what any request writes is not "data":
# sessions and their activity, the time a token was last used, the sign-out of a suspended organisation's member.
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
NOT_DATA_TABLES = {"django_session", "usersessions_usersession"}
NOT_DATA_STATEMENTS = [
    re.compile(r'UPDATE "accounts_apitoken" SET "last_used_at" = %s WHERE'),
    re.compile(r'UPDATE "accounts_user" SET "last_login" = %s WHERE'),
]


class WriteRecorder:
    """``connection.execute_wrapper`` that keeps the data-changing statements."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and not self.not_data(match.group(1), sql, params):
            self.writes.append(f"{' '.join(sql.split())[:100]}… {str(params)[:100]}")
        return execute(sql, params, many, context)

    @staticmethod
    def not_data(table, sql, params) -> bool:
        if table in NOT_DATA_TABLES or any(pattern.match(sql) for pattern in NOT_DATA_STATEMENTS):
            return True
        return table == AuditEvent._meta.db_table and AuditAction.SIGN_OUT.value in (params or ())


class Context:
    """The fixture world plus the matrix's additions, a signed-in client per role and a token per person."""

    def __init__(self):
        self.world = build_world()
        additions = m.add_to_world(self.world)
        self.orgs = additions.orgs
        self.users = additions.users
        self.invitation_tokens = additions.invitation_tokens
        self.target_tokens = additions.target_tokens
        self.bearer_keys = additions.bearer_keys
        self.products = additions.products
        self.gtins = additions.gtins
        self.brands = additions.brands
        self.mandate = self.world.mandate
        self.clients = {"anonymous": Client()}
        for role in m.ALL_ROLES:
            if role != "anonymous":
                self.clients[role] = self.signed_in_client(self.users[role])
                # A first request records the session's activity row, as in real use; the matrix's requests are
                # rolled back and would otherwise each create it again.
                self.clients[role].get("/healthz")
        self.bearer_client = Client()
        # Signed in (and holding tokens) before losing access: what they held must now be worth nothing.
        User.objects.filter(pk=self.users["deactivated"].pk).update(is_active=False)
        Organisation.objects.filter(pk=self.orgs["suspended"].pk).update(is_active=False)
        self._keys = {}

    @staticmethod
    def signed_in_client(user) -> Client:
        """A session as after signing in and confirming the password again (allauth's "reauthentication"), so
        the security pages answer themselves instead of asking for the password."""
        client = Client()
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return client

    def url_kwargs(self, target: str, owner: str) -> dict | None:
        """The URL arguments naming ``owner``'s object of kind ``target``; None when it has none."""
        if target == "organisation":
            return {"pk": self.orgs[owner].pk}
        if target == "invitation":
            return {"pk": self.orgs[owner].pk, "invitation_pk": self.invitation_tokens[owner][0].pk}
        if target == "invitation_token":
            return {"token": self.invitation_tokens[owner][1]}
        if target == "mandate":
            if owner not in {"brand", "counsel"}:
                return None
            return {"pk": self.mandate.right_holder_id, "mandate_pk": self.mandate.pk}
        if target == "member":
            return {"pk": self.users[owner].pk} if owner in self.users else None
        if target == "token":
            token = self.target_tokens.get(owner)
            return {"pk": token.pk} if token else None
        if target == "webauthn":
            if owner not in self.users:
                return None
            if owner not in self._keys:
                self._keys[owner] = Authenticator.objects.create(
                    user=self.users[owner],
                    type=Authenticator.Type.WEBAUTHN,
                    data={"name": f"{owner}'s key", "credential": {}},
                )
            return {"pk": self._keys[owner].pk}
        if target == "product":
            return {"pk": self.products[owner].pk}
        if target == "gtin":  # the GS1 resolver's paths name a sheet by its GTIN-14
            return {"gtin": "0" + self.gtins[owner]}
        if target == "brand":
            return {"pk": self.brands[owner].pk}
        if target in {"clue", "identifier", "photo"}:
            product = self.products[owner]
            part = {"clue": product.clues, "identifier": product.identifiers, "photo": product.photos}[target].first()
            if part is None and target == "photo":  # a photo row without its file: no page here opens the picture
                part = ProductPhoto.objects.create(
                    product=product, image=f"catalog/photos/{product.pk:032x}.jpg", width=8, height=8
                )
            return {"pk": product.pk, target: part.pk}
        if target == "import_job":
            job = ImportJob.objects.filter(right_holder=self.orgs[owner]).first() or ImportJob.objects.create(
                right_holder=self.orgs[owner],
                created_by=self.users[f"{owner}_editor"],
                file=f"imports/{owner}.csv",
                original_name=f"{owner}.csv",
                file_format="csv",
                status=ImportStatus.SUCCEEDED,
            )
            return {"pk": job.pk}
        if target in m.RECORD_TARGETS:
            return {"pk": m.record_for(target, self.orgs, self.products, owner).pk}
        if target == "epcis_job":  # EPCIS capture jobs (issue 5, part B)
            return {"pk": m.epcis_job_for(self.orgs, owner).pk}
        if target in m.CONNECTED_TARGETS:  # Connected services and links (issue 5, part C1)
            return {"pk": m.connected_for(target, self.orgs, self.brands, owner).pk}
        raise AssertionError(f"unknown target {target!r}")

    def api_params(self, target: str, owner: str) -> dict | None:
        """What fills an API path's {parameters}: ``pk`` for the single id, named ones for a sheet's parts."""
        params = self.url_kwargs(target, owner)
        if params is not None and target in {"clue", "identifier", "photo"}:
            params.update({"product_id": params["pk"], f"{target}_id": params[target]})
        if params is not None and target == "product":
            product = self.products[owner]
            params.update(
                product_id=product.pk,
                identifier_id=product.identifiers.get().pk,
                clue_id=product.clues.get().pk,
                language="fr",
                gtin=self.gtins[owner],
            )
        return params

    def api_path(self, row, owner) -> str | None:
        if not row.target:
            return row.path
        params = self.api_params(row.target, owner)
        if params is None:
            return None
        return re.sub(r"\{(\w+)\}", lambda match: str(params.get(match.group(1), params["pk"])), row.path)

    def request(self, role, method, url, *, data=None, json_body=None, bearer=False, check_unchanged=False):
        """Send one request and roll back whatever it wrote. Returns (outcome, response, unexpected changes)."""
        client = self.bearer_client if bearer else self.clients[role]
        headers = {}
        if bearer and role != "anonymous":  # bearer: True for the role's write token, or a key
            headers["authorization"] = f"Bearer {self.bearer_keys[role] if bearer is True else bearer}"
        cookies = copy.deepcopy(client.cookies)  # signing out (a suspended account) must not last either
        send = getattr(client, method.lower())
        cache.clear()  # rate limits (allauth's sign-up, sign-in …) count in the cache: each cell starts afresh
        recorder = WriteRecorder()
        with transaction.atomic(), connection.execute_wrapper(recorder):
            if json_body is not None:
                response = send(url, json.dumps(json_body), content_type="application/json", headers=headers)
            elif data is not None:
                response = send(url, data, headers=headers)
            else:
                response = send(url, headers=headers)
            transaction.set_rollback(True)
        changed = recorder.writes if check_unchanged else []
        client.cookies = cookies
        return m.classify(response), response, changed


pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database before shared_context


@pytest.fixture(scope="module")
def shared_context(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module, in a transaction rolled back at the end: every request already runs in
    a savepoint of its own, and every test in another (``ctx``), so nothing leaks from one to the next."""
    with django_db_blocker.unblock():
        assert m.on_test_database(connection), "not on the test database"
        # The sessions count as freshly re-authenticated for the whole run, however long it takes.
        fast = override_settings(
            PASSWORD_HASHERS=FAST_HASHERS,
            ACCOUNT_REAUTHENTICATION_TIMEOUT=24 * 3600,
            MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),  # uploads the API rows store (photos, imports)
        )
        with fast, transaction.atomic():
            context = Context()
            # Each session's activity row now exists (Context's first request); the time it was last seen is not
            # an access rule, and updating it costs a millisecond on each of the matrix's ten thousand requests.
            with override_settings(USERSESSIONS_TRACK_ACTIVITY=False), production_template_rendering():
                yield context
            transaction.set_rollback(True)


@contextmanager
def production_template_rendering():
    """Templates render as in production: without the test runner's instrumentation, which signals every template
    rendered (every option of a select) to a test client that copies its context, and doubles the cost of a heavy
    form. The matrix looks at status codes and redirects only, never at response.context."""
    original = getattr(getattr(test_utils._TestState, "saved_data", None), "template_render", None)
    if original is None:  # not under Django's test environment, or its internals moved: keep the instrumented one
        yield
        return
    instrumented, Template._render = Template._render, original
    try:
        yield
    finally:
        Template._render = instrumented


@pytest.fixture
def ctx(shared_context, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        shared_context._keys = {}
        yield shared_context
        transaction.set_rollback(True)


def describe(role, owner, method, url, expected, outcome, response, changed) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    line = f"{role:20} {('on ' + owner) if owner else '':22} {method} {url}: "
    if outcome != expected:
        return line + f"expected {expected}, got {outcome} ({response.status_code}{where})"
    return line + f"answered {outcome} but changed data: {changed[:3]}"


def cells(target, owners=None):
    for role in m.ALL_ROLES:
        if target is None:
            yield role, None
        else:
            for owner in owners or m.targets(role, m.TARGET_OWNER[target]):
                yield role, owner


def api_auths(role):
    """How a role calls the API in the matrix: members alternate between their session and a bearer token (the
    two end in the same request.user); the signed-out roles try both, as what each left behind differs."""
    if not m.signed_in(role):
        return (False, True)
    return (m.ALL_ROLES.index(role) % 2 == 1,)


# --- Every URL and every API operation has a row ----------------------------------------------------------------


def walk(patterns, prefix="", namespace=None):
    """(qualified name or None, route, namespace) of every URL pattern, through every include()."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), namespace


def api_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_operations() -> set[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_every_url_pattern_is_in_the_matrix():
    listed = {row.name for row in m.PAGES}
    api_paths = {path for _method, path in api_operations()}
    missing, names = [], set()
    for name, route, namespace in walk(get_resolver().url_patterns):
        names.add(name)
        if namespace == "admin":
            continue  # m.ADMIN_NAMESPACE, walked by test_admin_namespace
        if namespace == "api" and api_path(route) in api_paths:
            continue  # an API operation: test_every_api_operation_is_in_the_matrix
        if name is None:
            missing.append(f"unnamed URL pattern {route!r}")
        elif name not in listed:
            missing.append(f"{name} ({route})")
    assert not missing, "URL patterns without a row in tests/access/matrix.py PAGES:\n" + "\n".join(missing)
    stale = sorted(listed - names)
    assert not stale, f"Rows in PAGES for URL names that no longer exist: {stale}"


def test_every_api_operation_is_in_the_matrix():
    operations = api_operations()
    listed = {(row.method, row.path) for row in m.API}
    missing = sorted(operations - listed)
    assert not missing, "API operations without a row in tests/access/matrix.py API:\n" + "\n".join(
        f"{method} {path}" for method, path in missing
    )
    stale = sorted(listed - operations)
    assert not stale, f"Rows in API for operations that no longer exist: {stale}"


def test_the_matrix_covers_every_role_and_denies_somewhere():
    """Guards the harness itself: rows must tell roles apart somewhere, or the matrix proves nothing."""
    roles = {role for role, _owner in cells(None)}
    assert roles == {*m.MEMBERS, "anonymous", "deactivated", "suspended"}
    for row in [*m.PAGES, *m.API]:
        assert row.target is None or row.target in m.TARGET_OWNER, row.id
    rows = [*m.PAGES, *m.API]
    outcomes = {
        row.expect(role, owner) for row in rows for role, owner in cells(row.target, getattr(row, "owners", None))
    }
    assert {m.OK, m.HIDDEN, m.FORBIDDEN, m.LOGIN, m.UNAUTHENTICATED} <= outcomes


def test_the_harness_sees_writes_and_undoes_them(ctx):
    """A permitted write is seen by the write detector, and rolled back after the request."""
    fr = ctx.orgs["fr"]
    url = f"/organisations/{fr.pk}/settings/"
    outcome, _response, writes = ctx.request("fr_admin", "POST", url, data=m.SETTINGS, check_unchanged=True)
    assert outcome == m.REDIRECT
    assert any('UPDATE "accounts_organisation"' in write for write in writes), writes
    assert Organisation.objects.get(pk=fr.pk).name == fr.name
    assert ctx.request("fr_admin", "GET", url, check_unchanged=True)[2] == []


# --- The matrix itself --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", m.PAGES, ids=lambda row: row.id)
def test_page(ctx, row):
    failures, checked = [], 0
    for role, owner in cells(row.target, row.owners):
        kwargs = dict(row.kwargs)
        if row.target:
            target_kwargs = ctx.url_kwargs(row.target, owner)
            if target_kwargs is None:
                continue
            kwargs.update(target_kwargs)
        url = row.url or reverse(row.name, kwargs=kwargs or None)
        expected = row.expect(role, owner)
        data = row.data(ctx) if callable(row.data) else row.data
        check = row.method != "GET" and (expected in m.DENIALS or row.never_writes)
        outcome, response, changed = ctx.request(role, row.method, url, data=data, check_unchanged=check)
        checked += 1
        if outcome != expected or changed:
            failures.append(describe(role, owner, row.method, url, expected, outcome, response, changed))
    assert checked
    assert not failures, f"{row.id}: {len(failures)} of {checked} cells wrong\n" + "\n".join(failures)


@pytest.mark.parametrize("row", m.API, ids=lambda row: row.id)
def test_api_operation(ctx, row):
    failures, checked = [], 0
    for role, owner in cells(row.target, row.owners):
        path = ctx.api_path(row, owner)
        if path is None:
            continue
        expected = row.expect(role, owner)
        for bearer in api_auths(role):
            check = row.method != "GET" and expected in m.DENIALS
            outcome, response, changed = ctx.request(
                role, row.method, path, **row.body(ctx, owner), bearer=bearer, check_unchanged=check
            )
            checked += 1
            where = f"{path} ({'token' if bearer else 'session'})"
            if outcome != expected or changed:
                failures.append(describe(role, owner, row.method, where, expected, outcome, response, changed))
            elif outcome in m.DENIALS and "error" not in response.json():
                failures.append(f"{role} {row.method} {where}: the {outcome} does not have the API's error shape")
    assert checked
    assert not failures, f"{row.id}: {len(failures)} of {checked} cells wrong\n" + "\n".join(failures)


# --- Django's admin: one namespace rule, walked over every admin URL --------------------------------------------

ADMIN_WALK_ROLES = [
    "secretariat_admin",
    "secretariat_editor",
    "fr_admin",
    "brand_admin",
    "anonymous",
    "deactivated",
    "suspended",
]
# What a secretariat admin gets where it is not simply the page. Everywhere else in the namespace they must at
# least get in (no sign-in redirect), whatever a model admin then decides.
SECRETARIAT_ADMIN_GETS = {
    "admin:index": m.OK,
    "admin:login": m.REDIRECT,  # already signed in: on to the index
    "admin:logout": m.NOT_ALLOWED,  # signing out is a POST
    "admin:accounts_organisation_changelist": m.OK,
    "admin:accounts_user_changelist": m.OK,
    "admin:audit_auditevent_changelist": m.OK,
    "admin:audit_auditevent_change": m.OK,  # read-only view
    "admin:audit_auditevent_add": m.FORBIDDEN,  # the audit log is append-only, even for the secretariat
    "admin:audit_auditevent_delete": m.FORBIDDEN,
}
# What everyone else gets: sent to the admin's sign-in page, except on the sign-in and sign-out pages themselves.
OTHERS_GET = {"admin:login": m.OK, "admin:logout": m.REDIRECT}


def admin_urls(ctx):
    """(name, url) for every admin URL; object URLs point at a real row when the model has one."""
    from django.contrib import admin

    models = {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}
    for name, route, namespace in walk(get_resolver().url_patterns):
        if namespace != "admin":
            continue
        params = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
        params = {a or b for a, b in params}
        if not params:
            yield name, reverse(name)
        elif name == "admin:app_list":
            for app_label in {model._meta.app_label for model in models.values()}:
                yield f"{name} {app_label}", reverse(name, kwargs={"app_label": app_label})
        elif params in ({"object_id"}, {"id"}):
            if name is None:  # the bare object URL that redirects to its change page
                prefix = route.removeprefix("admin/").split("/<")[0].replace("/", "_")
                model, suffix = models.get(prefix), "change"
            else:
                key, suffix = name.removeprefix("admin:").rsplit("_", 1)
                model = models.get(key) or (User if key == "auth_user_password" else None)
            obj = model.objects.order_by("pk").first() if model else None
            if obj is not None:
                url = "/" + re.sub(r"<(?:\w+:)?\w+>", str(obj.pk), route)
                yield name or f"{model._meta.label} object (redirect)", url
        elif name is None and params == {"url"}:
            yield "admin catch-all", "/admin/no-such-page/"
        elif name == "admin:view_on_site":
            yield name, reverse(name, args=[0, 0])
        else:
            raise AssertionError(f"test_admin_namespace does not know how to walk {name} ({route})")


def test_admin_namespace(ctx):
    # Give the admin something to show for the models the world leaves empty.
    ctx.url_kwargs("webauthn", "fr_admin")
    failures, checked, walked = [], 0, set()
    for name, url in admin_urls(ctx):
        walked.add(name)
        for role in ADMIN_WALK_ROLES:
            outcome, response, _changed = ctx.request(role, "GET", url)
            checked += 1
            if m.ADMIN_NAMESPACE(role, None) == m.OK:
                expected = SECRETARIAT_ADMIN_GETS.get(name, "in")
                wrong = outcome in {m.LOGIN, m.ADMIN_LOGIN} if expected == "in" else outcome != expected
            else:
                expected = OTHERS_GET.get(name, m.ADMIN_LOGIN)
                wrong = outcome != expected
            if wrong:
                failures.append(describe(role, None, "GET", url, expected, outcome, response, []))
    assert set(SECRETARIAT_ADMIN_GETS) <= walked
    assert not failures, f"admin namespace: {len(failures)} of {checked} cells wrong\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ["fr_admin", "secretariat_editor", "deactivated", "suspended"])
def test_admin_writes_are_refused_outside_the_secretariat_admins(ctx, role):
    """A POST straight to the admin's change forms changes nothing for anyone but a secretariat admin."""
    ma, victim = ctx.orgs["ma"], ctx.users[role] if role in ctx.users else ctx.users["fr_officer"]
    attempts = [
        (f"/admin/accounts/organisation/{ma.pk}/change/", {"name": "Taken over", "kind": "customs", "country": "MA"}),
        (f"/admin/accounts/user/{victim.pk}/change/", {"email": victim.email, "role": "admin", "is_active": "on"}),
        (f"/admin/accounts/organisation/{ma.pk}/delete/", {"post": "yes"}),
    ]
    for url, data in attempts:
        outcome, response, changed = ctx.request(role, "POST", url, data=data, check_unchanged=True)
        assert (outcome, changed) == (m.ADMIN_LOGIN, []), describe(
            role, None, "POST", url, m.ADMIN_LOGIN, outcome, response, changed
        )


# --- Cross-organisation guessing, spelled out -----------------------------------------------------------------


def test_an_admin_cannot_reach_another_administrations_invitation_form(ctx):
    ma = ctx.orgs["ma"]
    assert ctx.request("fr_admin", "GET", f"/organisations/{ma.pk}/invite/")[0] == m.HIDDEN
    outcome, _response, changed = ctx.request(
        "fr_admin", "POST", f"/organisations/{ma.pk}/invite/", data=m.INVITE, check_unchanged=True
    )
    assert (outcome, changed) == (m.HIDDEN, [])


def test_a_right_holder_admin_cannot_change_a_rival_member_by_api(ctx):
    rival_editor = ctx.users["rival_editor"]
    for body in ({"role": "admin"}, {"is_active": False}):
        for bearer in (False, True):
            outcome, response, changed = ctx.request(
                "brand_admin",
                "PATCH",
                f"/api/v1/users/{rival_editor.pk}",
                json_body=body,
                bearer=bearer,
                check_unchanged=True,
            )
            assert (outcome, changed) == (m.HIDDEN, []), response.content
            assert response.json()["error"]["code"] == "not_found"
    rival_editor.refresh_from_db()
    assert (rival_editor.role, rival_editor.is_active) == ("editor", True)


def test_a_mandated_counsel_sees_its_client_but_does_not_manage_it(ctx):
    brand = ctx.orgs["brand"]
    brand_viewer = ctx.users["brand_viewer"]
    for role in ("counsel_admin", "counsel_viewer"):
        assert ctx.request(role, "GET", f"/organisations/{brand.pk}/")[0] == m.OK
        assert ctx.request(role, "GET", f"/api/v1/organisations/{brand.pk}")[0] == m.OK
    counsel = "counsel_admin"  # even its admin
    for method, url, data, expected in [
        ("GET", f"/organisations/{brand.pk}/settings/", None, m.HIDDEN),
        ("POST", f"/organisations/{brand.pk}/settings/", m.SETTINGS, m.HIDDEN),
        ("POST", f"/organisations/{brand.pk}/invite/", m.INVITE, m.HIDDEN),
        ("POST", f"/organisations/{brand.pk}/status/", {"active": "0"}, m.FORBIDDEN),
        ("POST", f"/organisations/{brand.pk}/mandates/", {"representative": ctx.orgs["other_counsel"].pk}, m.FORBIDDEN),
        ("POST", f"/organisations/{brand.pk}/mandates/{ctx.mandate.pk}/revoke/", None, m.FORBIDDEN),
        ("GET", f"/members/{brand_viewer.pk}/", None, m.HIDDEN),
        ("POST", f"/members/{brand_viewer.pk}/", {"action": "deactivate"}, m.HIDDEN),
    ]:
        outcome, response, changed = ctx.request(counsel, method, url, data=data, check_unchanged=method == "POST")
        assert (outcome, changed) == (expected, []), describe(
            counsel, "brand", method, url, expected, outcome, response, changed
        )
    for method, path, body in [
        ("POST", f"/api/v1/organisations/{brand.pk}/invitations", m.INVITE),
        ("PATCH", f"/api/v1/users/{brand_viewer.pk}", {"is_active": False}),
        ("GET", f"/api/v1/users/{brand_viewer.pk}", None),  # the organisation, not its people
    ]:
        outcome, _response, changed = ctx.request(counsel, method, path, json_body=body, check_unchanged=True)
        assert (outcome, changed) == (m.HIDDEN, []), f"{method} {path}"


def test_a_counsel_without_mandate_does_not_see_the_right_holder(ctx):
    brand = ctx.orgs["brand"]
    for role in ("other_counsel_admin", "other_counsel_viewer"):
        assert ctx.request(role, "GET", f"/organisations/{brand.pk}/")[0] == m.HIDDEN
        assert ctx.request(role, "GET", f"/api/v1/organisations/{brand.pk}")[0] == m.HIDDEN
        assert ctx.request(role, "GET", f"/api/v1/organisations/{brand.pk}/members")[0] == m.HIDDEN
        listed = ctx.request(role, "GET", "/api/v1/organisations")[1].json()["items"]
        assert brand.pk not in {item["id"] for item in listed}


def test_a_revoked_mandate_ends_the_counsels_view(ctx):
    brand = ctx.orgs["brand"]
    assert ctx.request("counsel_admin", "GET", f"/organisations/{brand.pk}/")[0] == m.OK
    response = ctx.signed_in_client(ctx.users["brand_admin"]).post(
        f"/organisations/{brand.pk}/mandates/{ctx.mandate.pk}/revoke/"
    )
    assert m.classify(response) == m.REDIRECT
    assert ctx.request("counsel_admin", "GET", f"/organisations/{brand.pk}/")[0] == m.HIDDEN
    assert ctx.request("counsel_admin", "GET", f"/api/v1/organisations/{brand.pk}")[0] == m.HIDDEN


def test_ids_from_two_organisations_cannot_be_mixed_in_one_url(ctx):
    """The organisation in the URL is one the user manages, the invitation or mandate belongs to another."""
    fr, rival = ctx.orgs["fr"], ctx.orgs["rival"]
    ma_invitation = ctx.invitation_tokens["ma"][0]
    cases = [
        ("fr_admin", f"/organisations/{fr.pk}/invitations/{ma_invitation.pk}/revoke/"),
        ("rival_admin", f"/organisations/{rival.pk}/mandates/{ctx.mandate.pk}/revoke/"),
        ("secretariat_admin", f"/organisations/{fr.pk}/invitations/{ma_invitation.pk}/revoke/"),
    ]
    for role, url in cases:
        outcome, response, changed = ctx.request(role, "POST", url, check_unchanged=True)
        assert (outcome, changed) == (m.HIDDEN, []), describe(
            role, None, "POST", url, m.HIDDEN, outcome, response, changed
        )


@pytest.mark.parametrize("role", ["fr_admin", "brand_admin", "secretariat_admin"])
def test_nobody_manages_their_own_account(ctx, role):
    me = ctx.users[role]
    assert ctx.request(role, "GET", f"/members/{me.pk}/")[0] == m.HIDDEN
    for body in ({"role": "viewer"}, {"is_active": False}):
        outcome, _response, changed = ctx.request(
            role, "PATCH", f"/api/v1/users/{me.pk}", json_body=body, check_unchanged=True
        )
        assert (outcome, changed) == (m.HIDDEN, [])


def test_a_read_only_token_writes_nothing(ctx):
    """Every unsafe API operation refuses a read-scope token, where a write token would be let through."""
    read_only = {}
    unsafe = [row for row in m.API if row.method not in {"GET", "HEAD", "OPTIONS"} and row.id not in m.READS_BY_POST]
    assert unsafe
    for row in unsafe:
        role, owner = next(
            (role, owner)
            for role, owner in cells(row.target, row.owners)
            if role in m.MEMBERS and row.expect(role, owner) == m.OK
        )
        if role not in read_only:
            read_only[role] = create_api_token(ctx.users[role], name="read only", scope=ApiScope.READ)[1]
        path = ctx.api_path(row, owner)
        outcome, response, changed = ctx.request(
            role, row.method, path, **row.body(ctx, owner), bearer=read_only[role], check_unchanged=True
        )
        assert (outcome, changed) == (m.FORBIDDEN, []), f"{row.id}: {response.status_code} {response.content[:200]}"
        assert response.json()["error"]["code"] == "forbidden"


def test_a_catalogue_belongs_to_a_right_holder(ctx):
    """The catalogue rows try the two right holders only; any other organisation's id answers 404, even to the
    secretariat, which reads every catalogue."""
    holder_rows = [row for row in m.PAGES if row.name.startswith("catalog:") and row.owners == ("brand", "rival")]
    assert holder_rows
    for row in holder_rows:
        for role in ("secretariat_admin", "counsel_admin", "fr_admin"):
            for org in ("fr", "counsel", "secretariat"):
                url = reverse(row.name, kwargs={**row.kwargs, "pk": ctx.orgs[org].pk})
                data = row.data(ctx) if callable(row.data) else row.data
                outcome, response, changed = ctx.request(role, row.method, url, data=data, check_unchanged=True)
                assert (outcome, changed) == (m.HIDDEN, []), describe(
                    role, org, row.method, url, m.HIDDEN, outcome, response, changed
                )


# --- Content: lists hold exactly what the rules allow -------------------------------------------------------------


def test_organisation_lists_hold_exactly_the_visible_organisations(ctx):
    for role in m.MEMBERS:
        for bearer in (False, True):
            response = ctx.request(role, "GET", "/api/v1/organisations?limit=100", bearer=bearer)[1]
            got = {item["id"] for item in response.json()["items"]}
            expected = {org.pk for key, org in ctx.orgs.items() if m.sees_org(role, key)}
            assert got == expected, f"{role}: {sorted(got)} != {sorted(expected)}"


def test_member_lists_hold_exactly_the_visible_people(ctx):
    for role in m.MEMBERS:
        for org_key in m.targets(role, "organisation"):
            response = ctx.request(role, "GET", f"/api/v1/organisations/{ctx.orgs[org_key].pk}/members?limit=100")[1]
            if not m.sees_org(role, org_key):
                assert response.status_code == 404
                continue
            got = {item["email"] for item in response.json()["items"]}
            expected = {u.email for u in ctx.users.values() if u.organisation_id == ctx.orgs[org_key].pk}
            assert got == (expected if m.sees_people_of(role, org_key) else set()), f"{role} on {org_key}"


def test_audit_event_lists_hold_only_the_readers_organisation(ctx):
    events = AuditEvent.objects.values_list("pk", "organisation_id")
    for role in m.MEMBERS:
        response = ctx.request(role, "GET", "/api/v1/audit-events?limit=200")[1]
        if not m.is_admin(role):
            assert response.status_code == 403, role
            continue
        got = {item["id"] for item in response.json()["items"]}
        own = ctx.orgs[m.org_of(role)].pk
        expected = {pk for pk, org in events if m.in_secretariat(role) or org == own}
        assert got == expected and got, role


# --- Mandatory second factor ------------------------------------------------------------------------------------

# Reachable without a second factor: sign-in and 2FA set-up pages, the language switch, the manifest, the health
# check. The API answers for itself (403 with its error shape) instead of redirecting.
TWO_FACTOR_EXEMPT = ("/accounts/", "/language/", "/manifest.webmanifest", "/healthz", "/api/", "/static/")


@pytest.mark.parametrize("role", ["fr_officer", "fr_admin"])
def test_a_required_second_factor_gates_every_page_and_operation(ctx, role):
    Organisation.objects.filter(pk=ctx.orgs["fr"].pk).update(require_two_factor=True)
    failures = []
    for row in m.PAGES:
        if row.method != "GET" or row.target == "webauthn":  # a security key of its own would satisfy the rule
            continue
        owner, kwargs = None, dict(row.kwargs)
        if row.target:
            owner = m.targets(role, m.TARGET_OWNER[row.target])[0]
            target_kwargs = ctx.url_kwargs(row.target, owner)
            if target_kwargs is None:
                continue
            kwargs.update(target_kwargs)
        url = row.url or reverse(row.name, kwargs=kwargs or None)
        expected = row.expect(role, owner) if url.startswith(TWO_FACTOR_EXEMPT) else m.TWO_FACTOR
        outcome, response, _changed = ctx.request(role, "GET", url)
        if outcome != expected:
            failures.append(describe(role, owner, "GET", url, expected, outcome, response, []))
    for row in m.API:
        owner = next(owner for r, owner in cells(row.target, row.owners) if r == role)
        path = ctx.api_path(row, owner)
        for bearer in (False, True):
            outcome, response, changed = ctx.request(
                role, row.method, path, **row.body(ctx, owner), bearer=bearer, check_unchanged=True
            )
            if (outcome, changed) != (m.FORBIDDEN, []):
                failures.append(describe(role, owner, row.method, path, m.FORBIDDEN, outcome, response, changed))
    assert not Authenticator.objects.filter(user=ctx.users[role]).exists()
    assert not failures, "\n".join(failures)
    # Once a second factor is set up, the same account is let through.
    Authenticator.objects.create(user=ctx.users[role], type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert ctx.request(role, "GET", "/")[0] == m.OK
    assert ctx.request(role, "GET", "/api/v1/me", bearer=True)[0] == m.OK
