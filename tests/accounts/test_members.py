"""Organisation admins change roles and (de)activate members; every change is audited, a deactivated person is
locked out at once (session and API token), and nobody manages themselves or another organisation's people."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from ipm.accounts import services
from ipm.accounts.models import Mandate, Role
from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import sign_in


def test_an_admin_changes_a_members_role(world, client_for):
    officer = world.users["fr_officer"]
    response = client_for(world.users["fr_admin"]).post(f"/members/{officer.pk}/", {"action": "role", "role": "admin"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.ADMIN
    assert not officer.is_staff  # only secretariat admins get Django's admin
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (event.actor, event.organisation, event.target_id) == (
        world.users["fr_admin"],
        world.orgs["fr"],
        str(officer.pk),
    )
    assert event.details == {"before": "editor", "after": "admin"}


def test_the_same_role_records_nothing(world, client_for):
    officer = world.users["fr_officer"]
    client_for(world.users["fr_admin"]).post(f"/members/{officer.pk}/", {"action": "role", "role": "editor"})
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_an_unknown_role_is_refused(world, client_for):
    officer = world.users["fr_officer"]
    response = client_for(world.users["fr_admin"]).post(f"/members/{officer.pk}/", {"action": "role", "role": "root"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    officer.refresh_from_db()
    assert officer.role == Role.EDITOR


def test_promoting_and_demoting_in_the_secretariat_moves_admin_site_access(world, client_for):
    editor = world.users["secretariat_editor"]
    client = client_for(world.users["secretariat_admin"])
    client.post(f"/members/{editor.pk}/", {"action": "role", "role": "admin"})
    editor.refresh_from_db()
    assert editor.is_staff and editor.is_superuser
    client.post(f"/members/{editor.pk}/", {"action": "role", "role": "viewer"})
    editor.refresh_from_db()
    assert not editor.is_staff and not editor.is_superuser


def test_deactivation_ends_the_session_and_refuses_the_token(world, client_for):
    officer = world.users["fr_officer"]
    officer_client = Client()
    assert sign_in(officer_client, officer.email, "correct horse battery staple").status_code == 302
    assert UserSession.objects.filter(user=officer).exists()
    _token, key = services.create_api_token(officer, name="scanner", scope="write")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert officer_client.get("/api/v1/me", **bearer).status_code == 200

    response = client_for(world.users["fr_admin"]).post(f"/members/{officer.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED, target_id=str(officer.pk)).exists()
    assert not UserSession.objects.filter(user=officer).exists()

    page = officer_client.get("/settings/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    api = Client().get("/api/v1/me", **bearer)
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"
    # Nor can they sign in again.
    again = sign_in(Client(), officer.email, "correct horse battery staple")
    assert again.status_code == 302
    assert again["Location"] == "/accounts/inactive/"


def test_reactivation_lets_them_back_in(world, client_for):
    officer = world.users["fr_officer"]
    admin = client_for(world.users["fr_admin"])
    admin.post(f"/members/{officer.pk}/", {"action": "deactivate"})
    admin.post(f"/members/{officer.pk}/", {"action": "reactivate"})
    officer.refresh_from_db()
    assert officer.is_active
    assert AuditEvent.objects.filter(action=AuditAction.USER_REACTIVATED).exists()
    response = sign_in(Client(), officer.email, "correct horse battery staple")
    assert response["Location"] == "/"


def test_an_admin_cannot_manage_themselves(world, client_for):
    admin = world.users["fr_admin"]
    client = client_for(admin)
    assert client.get(f"/members/{admin.pk}/").status_code == 404
    assert client.post(f"/members/{admin.pk}/", {"action": "deactivate"}).status_code == 404
    assert client.post(f"/members/{admin.pk}/", {"action": "role", "role": "viewer"}).status_code == 404
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN


@pytest.mark.parametrize(
    "actor, member",
    [
        ("fr_admin", "ma_officer"),
        ("fr_admin", "ma_admin"),
        ("ma_admin", "fr_officer"),
        ("brand_admin", "counsel_editor"),
        ("counsel_admin", "brand_editor"),  # a mandate is no licence to manage the right holder's people
        ("fr_officer", "fr_viewer"),
        ("fr_viewer", "fr_officer"),
        ("secretariat_editor", "fr_officer"),
    ],
)
def test_nobody_manages_people_outside_their_reach(world, client_for, actor, member):
    target = world.users[member]
    role = target.role
    client = client_for(world.users[actor])
    assert client.get(f"/members/{target.pk}/").status_code == 404
    assert client.post(f"/members/{target.pk}/", {"action": "deactivate"}).status_code == 404
    assert client.post(f"/members/{target.pk}/", {"action": "role", "role": "admin"}).status_code == 404
    target.refresh_from_db()
    assert target.is_active and target.role == role
    assert not AuditEvent.objects.filter(action__in=[AuditAction.ROLE_CHANGED, AuditAction.USER_DEACTIVATED]).exists()


def test_the_secretariat_manages_anyone_else(world, client_for):
    officer = world.users["ma_officer"]
    client_for(world.users["secretariat_admin"]).post(f"/members/{officer.pk}/", {"action": "deactivate"})
    officer.refresh_from_db()
    assert not officer.is_active


def test_organisation_pages_of_others_are_not_found(world, client_for):
    client = client_for(world.users["fr_admin"])
    assert client.get(f"/organisations/{world.orgs['fr'].pk}/").status_code == 200
    for key in ("ma", "brand", "secretariat"):
        assert client.get(f"/organisations/{world.orgs[key].pk}/").status_code == 404
        assert client.get(f"/organisations/{world.orgs[key].pk}/settings/").status_code == 404


def test_a_right_holder_grants_and_revokes_a_mandate(world, client_for):
    rival = world.orgs["rival"]
    counsel = world.orgs["counsel"]
    client = client_for(world.users["rival_admin"])
    response = client.post(f"/organisations/{rival.pk}/mandates/", {"representative": counsel.pk})
    assert response.status_code == 302
    mandate = Mandate.objects.get(right_holder=rival, representative=counsel, revoked_at__isnull=True)
    assert AuditEvent.objects.filter(action=AuditAction.MANDATE_GRANTED, organisation=rival).exists()
    # The representative now sees the right holder.
    assert client_for(world.users["counsel_viewer"]).get(f"/organisations/{rival.pk}/").status_code == 200

    client.post(f"/organisations/{rival.pk}/mandates/{mandate.pk}/revoke/")
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.MANDATE_REVOKED, organisation=rival).exists()
    assert client_for(world.users["counsel_viewer"]).get(f"/organisations/{rival.pk}/").status_code == 404


def test_a_mandate_goes_only_to_a_legal_representative(world, client_for):
    rival = world.orgs["rival"]
    response = client_for(world.users["rival_admin"]).post(
        f"/organisations/{rival.pk}/mandates/", {"representative": world.orgs["brand"].pk}, follow=True
    )
    assert "Choose an active legal representative." in response.content.decode()
    assert not Mandate.objects.filter(right_holder=rival).exists()


@pytest.mark.parametrize("actor", ["brand_editor", "counsel_admin", "rival_admin", "fr_admin"])
def test_only_the_right_holders_admin_grants_its_mandates(world, client_for, actor):
    brand = world.orgs["brand"]
    other = world.orgs["other_counsel"]
    response = client_for(world.users[actor]).post(f"/organisations/{brand.pk}/mandates/", {"representative": other.pk})
    assert response.status_code in {403, 404}
    assert not Mandate.objects.filter(representative=other).exists()
    response = client_for(world.users[actor]).post(f"/organisations/{brand.pk}/mandates/{world.mandate.pk}/revoke/")
    assert response.status_code in {403, 404}
    world.mandate.refresh_from_db()
    assert world.mandate.revoked_at is None
