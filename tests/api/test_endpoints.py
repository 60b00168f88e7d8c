"""The API's endpoints for organisations and people: the same access policy as the pages, 404 where existence must
not leak, pagination, and the stable error shape for everything a client can get wrong."""

import pytest
from django.test import Client

from ipm.accounts.models import Invitation, Role, User
from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import only_link
from tests.api.helpers import api_client, assert_error

JSON = "application/json"


# --- Reading ------------------------------------------------------------------------------------------------


def test_organisations_visible_to_a_customs_officer(world):
    body = api_client(world.users["fr_officer"]).get("/api/v1/organisations").json()
    assert [item["name"] for item in body["items"]] == ["Douane FR"]
    assert body["count"] == 1


def test_a_legal_representative_sees_the_right_holders_it_acts_for(world):
    body = api_client(world.users["counsel_viewer"]).get("/api/v1/organisations").json()
    assert {item["name"] for item in body["items"]} == {"Counsel with mandate", "Brand A"}


def test_the_secretariat_sees_all_and_filters_by_kind(world):
    client = api_client(world.users["secretariat_viewer"])
    assert client.get("/api/v1/organisations").json()["count"] == len(world.orgs)
    customs = client.get("/api/v1/organisations?kind=customs").json()
    assert {item["country"] for item in customs["items"]} == {"FR", "MA"}
    assert_error(client.get("/api/v1/organisations?kind=pirate"), 422, "invalid_input")


def test_pagination(world):
    client = api_client(world.users["secretariat_admin"])
    everyone = client.get("/api/v1/organisations?limit=200").json()
    names = [item["name"] for item in everyone["items"]]
    assert names == sorted(names)
    first = client.get("/api/v1/organisations?limit=2").json()
    second = client.get("/api/v1/organisations?limit=2&offset=2").json()
    assert first["count"] == second["count"] == len(world.orgs)
    assert [item["name"] for item in first["items"] + second["items"]] == names[:4]
    past_the_end = client.get(f"/api/v1/organisations?offset={len(world.orgs)}").json()
    assert past_the_end["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=201", "limit=abc", "offset=-1", "offset=x"])
def test_bad_pagination_parameters(world, query):
    error = assert_error(
        api_client(world.users["secretariat_admin"]).get(f"/api/v1/organisations?{query}"), 422, "invalid_input"
    )
    assert error["details"][0]["location"][0] == "query"


def test_members_of_own_organisation(world):
    body = api_client(world.users["fr_viewer"]).get(f"/api/v1/organisations/{world.orgs['fr'].pk}/members").json()
    assert {item["email"] for item in body["items"]} == {
        "fr_admin@example.test",
        "fr_officer@example.test",
        "fr_viewer@example.test",
    }


@pytest.mark.parametrize("user, org_key", [("fr_admin", "ma"), ("brand_admin", "rival"), ("counsel_admin", "rival")])
def test_other_organisations_are_not_found(world, user, org_key):
    client = api_client(world.users[user])
    organisation = world.orgs[org_key]
    assert_error(client.get(f"/api/v1/organisations/{organisation.pk}"), 404, "not_found")
    assert_error(client.get(f"/api/v1/organisations/{organisation.pk}/members"), 404, "not_found")
    someone = organisation.members.first()
    assert_error(client.get(f"/api/v1/users/{someone.pk}"), 404, "not_found")


def test_unknown_and_non_numeric_ids(world):
    client = api_client(world.users["secretariat_admin"])
    assert_error(client.get("/api/v1/users/999999"), 404, "not_found")
    for path in ("/api/v1/users/abc", "/api/v1/organisations/1e9"):
        error = assert_error(client.get(path), 422, "invalid_input")
        assert error["details"][0]["location"][0] == "path"


def test_an_unknown_endpoint_and_a_wrong_method_keep_the_error_shape(world):
    client = api_client(world.users["fr_officer"])
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    response = client.delete("/api/v1/me")
    assert_error(response, 405, "not_allowed")
    assert "GET" in response["Allow"]


# --- Changing people ----------------------------------------------------------------------------------------


def test_an_admin_changes_a_role_through_the_api(world):
    officer = world.users["fr_officer"]
    response = api_client(world.users["fr_admin"], "write").patch(
        f"/api/v1/users/{officer.pk}", {"role": "viewer"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"
    officer.refresh_from_db()
    assert officer.role == Role.VIEWER
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.actor == world.users["fr_admin"]


def test_deactivating_through_the_api_locks_the_person_out(world):
    officer = world.users["fr_officer"]
    officer_api = api_client(officer)
    response = api_client(world.users["fr_admin"], "write").patch(
        f"/api/v1/users/{officer.pk}", {"is_active": False}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert_error(officer_api.get("/api/v1/me"), 401, "not_authenticated")
    assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED).exists()


@pytest.mark.parametrize(
    "actor, member",
    [
        ("fr_admin", "ma_officer"),  # another customs administration
        ("ma_admin", "fr_admin"),
        ("brand_admin", "rival_editor"),
        ("counsel_admin", "brand_editor"),  # a mandate does not reach people
        ("fr_officer", "fr_viewer"),  # not an admin
        ("fr_admin", "fr_admin"),  # nobody manages themselves
    ],
)
def test_patching_someone_out_of_reach_is_not_found(world, actor, member):
    target = world.users[member]
    client = api_client(world.users[actor], "write")
    for payload in ({"role": "viewer"}, {"is_active": False}):
        assert_error(client.patch(f"/api/v1/users/{target.pk}", payload, content_type=JSON), 404, "not_found")
    target.refresh_from_db()
    assert target.is_active
    assert target.role == world.users[member].role
    assert not AuditEvent.objects.filter(action__in=[AuditAction.ROLE_CHANGED, AuditAction.USER_DEACTIVATED]).exists()


@pytest.mark.parametrize(
    "body, status, code",
    [
        ("{not json", 400, "bad_request"),
        ('{"role": ', 400, "bad_request"),
        ("\xff\xfe\x00", 400, "bad_request"),
        ('{"role": "emperor"}', 422, "invalid_input"),
        ('{"is_active": "perhaps"}', 422, "invalid_input"),
        ('{"role": 7}', 422, "invalid_input"),
    ],
)
def test_malformed_bodies_keep_the_error_shape_and_change_nothing(world, body, status, code):
    officer = world.users["fr_officer"]
    response = api_client(world.users["fr_admin"], "write").patch(
        f"/api/v1/users/{officer.pk}", body, content_type=JSON
    )
    assert_error(response, status, code)
    officer.refresh_from_db()
    assert (officer.role, officer.is_active) == (Role.EDITOR, True)


def test_errors_are_explained_in_the_users_language(world):
    from tests.accounts.helpers import french

    admin = world.users["fr_admin"]
    admin.language = "fr"
    admin.save()
    client = api_client(admin, "write")
    response = client.patch(f"/api/v1/users/{world.users['fr_officer'].pk}", '{"role": "x"}', content_type=JSON)
    assert assert_error(response, 422, "invalid_input")["message"] == french("The request is not valid.")
    assert assert_error(client.get("/api/v1/users/999999"), 404, "not_found")["message"] == french("Not found.")


# --- Invitations --------------------------------------------------------------------------------------------


def test_inviting_through_the_api(world, mailbox, django_capture_on_commit_callbacks):
    client = api_client(world.users["ma_admin"], "write")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/organisations/{world.orgs['ma'].pk}/invitations",
            {"email": "agent@douane.ma.example", "role": "editor"},
            content_type=JSON,
        )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "agent@douane.ma.example"
    assert "token" not in body and "token_hash" not in body
    link = only_link(mailbox.to("agent@douane.ma.example")[0], "/invitations/")
    assert Client().get(link.replace("http://testserver", "")).status_code == 200


def test_inviting_into_another_organisation_through_the_api_is_not_found(world, mailbox):
    response = api_client(world.users["fr_admin"], "write").post(
        f"/api/v1/organisations/{world.orgs['ma'].pk}/invitations",
        {"email": "spy@example.test", "role": "admin"},
        content_type=JSON,
    )
    assert_error(response, 404, "not_found")
    assert not Invitation.objects.exists()
    assert mailbox.to("spy@example.test") == []


@pytest.mark.parametrize(
    "payload, location",
    [
        ({"email": "fr_viewer@example.test"}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "x@example.test", "role": "owner"}, "role"),
        ({"role": "editor"}, "email"),
    ],
)
def test_bad_invitations_through_the_api(world, payload, location):
    response = api_client(world.users["fr_admin"], "write").post(
        f"/api/v1/organisations/{world.orgs['fr'].pk}/invitations", payload, content_type=JSON
    )
    error = assert_error(response, 422, "invalid_input")
    assert any(location in detail["location"] for detail in error["details"]), error
    assert not Invitation.objects.exists()
    assert User.objects.count() == len(world.users)


# --- OpenAPI and the docs page -------------------------------------------------------------------------------


def test_openapi_lists_the_endpoints(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/me", "get"),
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations/{organisation_id}", "get"),
        ("/api/v1/organisations/{organisation_id}/members", "get"),
        ("/api/v1/organisations/{organisation_id}/invitations", "post"),
        ("/api/v1/users/{user_id}", "get"),
        ("/api/v1/users/{user_id}", "patch"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{token_id}", "delete"),
        ("/api/v1/audit-events", "get"),
    ]:
        assert method in paths.get(path, {}), (path, method)
    assert "BearerToken" in schema["components"]["securitySchemes"]
    limit = next(p for p in paths["/api/v1/organisations"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200


def test_the_docs_page_uses_no_cdn(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "unpkg" not in html and "jsdelivr" not in html
    import re

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert all(source.startswith("/static/") for source in sources), sources
    # And the files it names are really served.
    client = Client()
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        b"".join(asset.streaming_content) if asset.streaming else asset.content
