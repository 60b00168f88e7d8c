"""Personal API tokens: created and revoked by their owner, stored hashed, optionally expiring, scoped read or
write, sent as ``Authorization: Bearer …``; anything else is a 401 with ``WWW-Authenticate``."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ipm.accounts import services
from ipm.accounts.models import ApiToken, User
from ipm.audit.models import AuditAction, AuditEvent
from tests.api.helpers import api_client, assert_error, bearer, token_for


def test_me_with_a_bearer_token(world):
    response = api_client(world.users["fr_officer"]).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "fr_officer@example.test"
    assert body["role"] == "editor"
    assert body["organisation"] == {
        "id": world.orgs["fr"].pk,
        "name": "Douane FR",
        "kind": "customs",
        "country": "FR",
        "email": "",
        "website": "",
        "require_two_factor": False,
        "is_active": True,
    }


def test_me_with_the_browser_session(world, client_for):
    response = client_for(world.users["brand_viewer"]).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "brand_viewer@example.test"


def test_the_key_is_shown_once_on_the_page_and_never_stored(world, client_for):
    user = world.users["brand_editor"]
    client = client_for(user)
    response = client.post("/settings/tokens/", {"name": "ERP", "scope": "write", "expires_in_days": "30"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("ipm_") and len(key) > 40
    assert key in response.content.decode()
    assert key not in client.get("/settings/tokens/").content.decode()

    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.hint == key[:8]
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    # No column of any row holds the key.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        for row in cursor.fetchall():
            assert not any(key in str(value) for value in row)
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATED, actor=user).exists()
    assert bearer(key).get("/api/v1/me").status_code == 200


def test_token_form_errors(world, client_for):
    client = client_for(world.users["brand_editor"])
    response = client.post("/settings/tokens/", {"name": "", "scope": "root", "expires_in_days": "9999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "Select a valid choice" in page
    assert "Ensure this value is less than or equal to 365." in page
    assert not ApiToken.objects.exists()


def test_tokens_through_the_api(world):
    owner = world.users["brand_editor"]
    writer = api_client(owner, "write")
    response = writer.post(
        "/api/v1/tokens",
        {"name": "nightly sync", "scope": "read", "expires_in_days": 7},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = response.json()
    assert created["key"].startswith("ipm_")
    assert created["scope"] == "read"
    listed = writer.get("/api/v1/tokens").json()
    assert listed["count"] == 2
    assert all("key" not in item for item in listed["items"])
    assert bearer(created["key"]).get("/api/v1/me").json()["email"] == owner.email

    assert writer.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
    assert_error(bearer(created["key"]).get("/api/v1/me"), 401, "not_authenticated")
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED, actor=owner).exists()


@pytest.mark.parametrize(
    "payload, location",
    [
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "expires_in_days": 10_000}, "expires_in_days"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({}, "name"),
    ],
)
def test_bad_token_requests_change_nothing(world, payload, location):
    writer = api_client(world.users["brand_editor"], "write")
    error = assert_error(writer.post("/api/v1/tokens", payload, content_type="application/json"), 422, "invalid_input")
    assert any(location in detail["location"] for detail in error["details"]), error
    assert ApiToken.objects.count() == 1


def test_someone_elses_token_cannot_be_revoked(world):
    victim_key = token_for(world.users["brand_admin"], "write")
    victim = ApiToken.objects.get(user=world.users["brand_admin"])
    attacker = api_client(world.users["brand_editor"], "write")
    assert_error(attacker.delete(f"/api/v1/tokens/{victim.pk}"), 404, "not_found")
    assert bearer(victim_key).get("/api/v1/me").status_code == 200
    # Nor through the page.
    from django.test import Client as PageClient

    page = PageClient()
    page.force_login(world.users["brand_editor"])
    assert page.post(f"/settings/tokens/{victim.pk}/revoke/").status_code == 404
    victim.refresh_from_db()
    assert victim.revoked_at is None


def test_revoking_on_the_page(world, client_for):
    user = world.users["brand_editor"]
    key = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert client_for(user).post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert_error(bearer(key).get("/api/v1/me"), 401, "not_authenticated")


def test_a_read_token_is_refused_on_writes(world):
    admin = world.users["fr_admin"]
    reader = api_client(admin, "read")
    officer = world.users["fr_officer"]
    checks = [
        reader.post("/api/v1/tokens", {"name": "x"}, content_type="application/json"),
        reader.patch(f"/api/v1/users/{officer.pk}", {"role": "viewer"}, content_type="application/json"),
        reader.post(
            f"/api/v1/organisations/{world.orgs['fr'].pk}/invitations",
            {"email": "new@example.test", "role": "editor"},
            content_type="application/json",
        ),
        reader.delete(f"/api/v1/tokens/{ApiToken.objects.get(user=admin).pk}"),
    ]
    for response in checks:
        error = assert_error(response, 403, "forbidden")
        assert error["message"] == "This API token is read-only."
    officer.refresh_from_db()
    assert officer.role == "editor"
    assert ApiToken.objects.filter(user=admin, revoked_at__isnull=True).count() == 1
    assert not world.orgs["fr"].invitations.exists()
    # Reads are fine.
    assert reader.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer ",
        "Bearer garbage",
        "Bearer ipm_" + "A" * 43,
        "Bearer ipm_" + "A" * 200,
        "Basic dXNlcjpwYXNz",
        "Token ipm_abc",
        "Bearer ipm_\x00",
    ],
)
def test_missing_or_garbage_credentials_are_401(world, header):
    client = Client(HTTP_AUTHORIZATION=header) if header is not None else Client()
    response = client.get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_401(world):
    user = world.users["brand_viewer"]
    key = token_for(user, expires_in_days=1)
    assert bearer(key).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(key).get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")
    assert "WWW-Authenticate" in response


def test_a_token_of_a_suspended_organisation_is_401(world):
    key = token_for(world.users["provider_admin"])
    services.set_organisation_active(world.users["secretariat_admin"], world.orgs["provider"], False)
    assert_error(bearer(key).get("/api/v1/me"), 401, "not_authenticated")


def test_a_token_records_when_it_was_last_used(world):
    user = world.users["brand_viewer"]
    key = token_for(user)
    assert ApiToken.objects.get(user=user).last_used_at is None
    bearer(key).get("/api/v1/me")
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_a_token_is_not_a_password(world):
    key = token_for(world.users["brand_viewer"])
    response = Client().post("/accounts/login/", {"login": "brand_viewer@example.test", "password": key})
    assert response.status_code == 200
    assert not User.objects.get(email="brand_viewer@example.test").check_password(key)


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["brand_editor"])
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    error = assert_error(response, 403, "forbidden")
    assert error["message"] == "The CSRF check failed: reload the page and try again."
    assert not ApiToken.objects.exists()
    # With the token from the cookie, as the pages send it, it works.
    client.get("/settings/tokens/")
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201


@pytest.mark.parametrize("header", [None, "Bearer ipm_expired-or-made-up"])
def test_a_write_without_valid_credentials_is_401_not_a_csrf_refusal(world, header):
    """An integration (which sends no CSRF token) must learn that its token is wrong."""
    client = Client(enforce_csrf_checks=True, **({"HTTP_AUTHORIZATION": header} if header else {}))
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_needs_no_csrf_token(world):
    key = token_for(world.users["brand_editor"], "write")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 201
