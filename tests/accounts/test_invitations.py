"""Invitations end to end: an admin invites through the page, the mail goes through the real SMTP server, the
invited person follows the link, and every way the link can be wrong gets a clear answer that changes nothing."""

from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from ipm.accounts import services
from ipm.accounts.models import Invitation, Role, User
from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import activate_totp, french, only_link, path_of, sign_in

NEW_PASSWORD = "violet submarine lantern 42"


@pytest.fixture
def invite(world, client_for, mailbox, django_capture_on_commit_callbacks):
    """``invite(admin, org_key, email, role)`` posts the invitation form and returns the link from the mail."""

    def send(admin, org_key, email, role=Role.EDITOR):
        client = client_for(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/organisations/{world.orgs[org_key].pk}/invite/", {"email": email, "role": role})
        assert response.status_code == 302, response.content.decode()[:2000]
        received = mailbox.to(email)
        assert len(received) == 1
        return path_of(only_link(received[-1], "/invitations/"))

    return send


def accept(client, link, name="Nadia Officer", password=NEW_PASSWORD, again=None):
    return client.post(
        link, {"full_name": name, "password": password, "password_again": again or password}, follow=True
    )


def test_invitation_end_to_end(world, invite, mailbox):
    link = invite(world.users["fr_admin"], "fr", "Nadia@Example.test")
    mail = mailbox.to("nadia@example.test")[0]
    assert "Douane FR" in mail.subject
    assert mail.subject.startswith("[IPM] ")
    assert "7 days" in mail.body

    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert b"nadia@example.test" in page.content

    response = accept(client, link)
    assert response.status_code == 200
    user = User.objects.get(email="nadia@example.test")
    assert user.organisation == world.orgs["fr"]
    assert user.role == Role.EDITOR
    assert user.full_name == "Nadia Officer"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert response.context["user"] == user  # signed in at once
    assert Invitation.objects.get(email="nadia@example.test").accepted_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_SENT, organisation=world.orgs["fr"]).exists()
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_ACCEPTED, actor=user).exists()

    # The new account signs in with the password it chose.
    assert sign_in(Client(), "nadia@example.test", NEW_PASSWORD).status_code == 302


def test_the_token_is_not_stored_in_clear(world, invite):
    link = invite(world.users["fr_admin"], "fr", "clear@example.test")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(email="clear@example.test")
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash


def test_a_link_works_once(world, invite):
    link = invite(world.users["fr_admin"], "fr", "once@example.test")
    accept(Client(), link)
    assert User.objects.filter(email="once@example.test").count() == 1

    again = Client()
    page = again.get(link)
    assert page.status_code == 410
    assert "already been used" in page.content.decode()
    response = accept(again, link, name="Someone Else", password="another fine passphrase")
    assert response.status_code == 410
    assert User.objects.filter(email="once@example.test").count() == 1
    assert User.objects.get(email="once@example.test").full_name == "Nadia Officer"


def test_an_expired_link_is_refused(world, invite):
    link = invite(world.users["fr_admin"], "fr", "late@example.test")
    Invitation.objects.filter(email="late@example.test").update(expires_at=timezone.now() - timedelta(minutes=1))
    client = Client()
    page = client.get(link)
    assert page.status_code == 410
    assert "This invitation has expired" in page.content.decode()
    assert accept(client, link).status_code == 410
    assert not User.objects.filter(email="late@example.test").exists()


def test_a_withdrawn_link_is_refused(world, invite, client_for):
    admin = world.users["fr_admin"]
    link = invite(admin, "fr", "withdrawn@example.test")
    invitation = Invitation.objects.get(email="withdrawn@example.test")
    response = client_for(admin).post(f"/organisations/{world.orgs['fr'].pk}/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED, target_id=str(invitation.pk)).exists()

    client = Client()
    page = client.get(link)
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.content.decode()
    assert accept(client, link).status_code == 410
    assert not User.objects.filter(email="withdrawn@example.test").exists()


def test_withdrawing_twice_says_why(world, invite, client_for):
    admin = world.users["fr_admin"]
    invite(admin, "fr", "twice@example.test")
    invitation = Invitation.objects.get(email="twice@example.test")
    url = f"/organisations/{world.orgs['fr'].pk}/invitations/{invitation.pk}/revoke/"
    client = client_for(admin)
    client.post(url)
    response = client.post(url, follow=True)
    assert "Only a pending invitation can be withdrawn." in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).count() == 1


def test_a_new_invitation_replaces_the_pending_one(world, invite, mailbox):
    admin = world.users["fr_admin"]
    first = invite(admin, "fr", "again@example.test")
    mailbox.clear()
    second = invite(admin, "fr", "again@example.test")
    assert first != second
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300, "%00", "..%2F..%2Fetc"])
def test_a_bad_token_is_refused(db, token):
    client = Client()
    page = client.get(f"/invitations/{token}/")
    assert page.status_code in {404, 410}
    if page.status_code == 410:
        assert "This invitation link is not valid" in page.content.decode()
    before = User.objects.count()
    response = client.post(
        f"/invitations/{token}/",
        {"full_name": "Mallory", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code in {404, 410}
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1!", "This password is too short"),
        ("password123", "This password is too common"),
        ("1234567890123", "This password is entirely numeric"),
    ],
)
def test_a_weak_password_is_refused(world, invite, password, message):
    link = invite(world.users["fr_admin"], "fr", "weak@example.test")
    client = Client()
    response = accept(client, link, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="weak@example.test").exists()
    assert Invitation.objects.get(email="weak@example.test").is_pending
    # The link still works with a good password.
    accept(client, link)
    assert User.objects.filter(email="weak@example.test").exists()


def test_passwords_that_differ_are_refused(world, invite):
    link = invite(world.users["fr_admin"], "fr", "differ@example.test")
    response = accept(Client(), link, again="another password entirely")
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email="differ@example.test").exists()


def test_a_password_like_the_email_is_refused(world, invite):
    link = invite(world.users["fr_admin"], "fr", "jeanne.dupont@example.test")
    response = accept(Client(), link, password="jeanne.dupont@example")
    assert "too similar" in response.content.decode()
    assert not User.objects.filter(email="jeanne.dupont@example.test").exists()


def test_inviting_an_existing_address_is_refused(world, client_for, mailbox, django_capture_on_commit_callbacks):
    admin = world.users["fr_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            f"/organisations/{world.orgs['fr'].pk}/invite/", {"email": "MA_OFFICER@example.test", "role": "editor"}
        )
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailbox.to("ma_officer@example.test") == []


def test_an_account_made_meanwhile_wins_over_the_link(world, invite, password):
    link = invite(world.users["fr_admin"], "fr", "race@example.test")
    User.objects.create_user("race@example.test", password, organisation=world.orgs["ma"])
    client = Client()
    response = accept(client, link)
    assert "A user with this email address already exists." in response.content.decode()
    assert User.objects.get(email="race@example.test").organisation == world.orgs["ma"]


def test_an_invalid_address_is_refused(world, client_for, mailbox):
    response = client_for(world.users["fr_admin"]).post(
        f"/organisations/{world.orgs['fr'].pk}/invite/", {"email": "not an address", "role": "editor"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_role_is_refused(world, client_for):
    response = client_for(world.users["fr_admin"]).post(
        f"/organisations/{world.orgs['fr'].pk}/invite/", {"email": "x@example.test", "role": "superuser"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("admin, org_key", [("fr_admin", "ma"), ("brand_admin", "fr"), ("counsel_admin", "brand")])
def test_inviting_into_another_organisation_is_not_found(world, client_for, mailbox, admin, org_key):
    client = client_for(world.users[admin])
    url = f"/organisations/{world.orgs[org_key].pk}/invite/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "intruder@example.test", "role": "admin"}).status_code == 404
    assert not Invitation.objects.exists()
    assert mailbox.to("intruder@example.test") == []


@pytest.mark.parametrize("member", ["fr_officer", "fr_viewer", "brand_editor"])
def test_only_admins_invite(world, client_for, member):
    user = world.users[member]
    client = client_for(user)
    url = f"/organisations/{user.organisation_id}/invite/"
    assert client.get(url).status_code in {403, 404}
    assert client.post(url, {"email": "friend@example.test", "role": "admin"}).status_code in {403, 404}
    assert not Invitation.objects.exists()


def test_an_admin_cannot_withdraw_another_organisations_invitation(world, invite, client_for):
    invite(world.users["ma_admin"], "ma", "ma-new@example.test")
    invitation = Invitation.objects.get(email="ma-new@example.test")
    client = client_for(world.users["fr_admin"])
    for org_key in ("fr", "ma"):
        url = f"/organisations/{world.orgs[org_key].pk}/invitations/{invitation.pk}/revoke/"
        assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_the_secretariat_invites_into_any_organisation(world, invite):
    link = invite(world.users["secretariat_admin"], "ma", "ma-admin-2@example.test", Role.ADMIN)
    accept(Client(), link)
    user = User.objects.get(email="ma-admin-2@example.test")
    assert (user.organisation, user.role) == (world.orgs["ma"], Role.ADMIN)


def test_a_secretariat_admin_invitation_grants_the_admin_site(world, invite):
    link = invite(world.users["secretariat_admin"], "secretariat", "ops@example.test", Role.ADMIN)
    accept(Client(), link)
    user = User.objects.get(email="ops@example.test")
    assert user.is_staff and user.is_superuser


def test_a_signed_in_person_is_asked_to_sign_out_first(world, invite, client_for):
    link = invite(world.users["fr_admin"], "fr", "later@example.test")
    client = client_for(world.users["ma_officer"])
    assert client.get(link).status_code == 409
    client.post(link, {"full_name": "X", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert not User.objects.filter(email="later@example.test").exists()


def test_a_suspended_organisation_refuses_its_links(world, invite):
    link = invite(world.users["fr_admin"], "fr", "suspended@example.test")
    services.set_organisation_active(world.users["secretariat_admin"], world.orgs["fr"], False)
    page = Client().get(link)
    assert page.status_code == 410
    assert "This organisation is not active on IPM." in page.content.decode()


def test_the_invited_persons_language_is_kept(world, invite):
    link = invite(world.users["fr_admin"], "fr", "lang@example.test")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    accept(client, link)
    assert User.objects.get(email="lang@example.test").language == "es"


def test_the_invitation_mail_is_in_the_inviters_language(world, invite, mailbox):
    admin = world.users["fr_admin"]
    admin.language = "fr"
    admin.save()
    invite(admin, "fr", "fr-mail@example.test")
    mail = mailbox.to("fr-mail@example.test")[0]
    assert french("You are invited to join %(organisation)s on IPM", organisation="Douane FR") in mail.subject


def test_a_new_member_of_an_organisation_requiring_2fa_sets_it_up_without_retyping_the_password(world, invite):
    world.orgs["fr"].require_two_factor = True
    world.orgs["fr"].save()
    admin = world.users["fr_admin"]
    activate_totp(admin)
    link = invite(admin, "fr", "strict@example.test")
    client = Client()
    response = accept(client, link)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    assert response.status_code == 200  # the set-up page itself, not a password prompt
    secret = response.context["form"].secret
    assert client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/").status_code == 200
