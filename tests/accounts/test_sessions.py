"""Signing out everywhere with allauth.usersessions."""

from allauth.usersessions.models import UserSession
from django.test import Client

from tests.accounts.helpers import sign_in


def signed_in(client):
    return client.get("/").context["user"].is_authenticated


def test_sign_out_everywhere_ends_the_other_sessions(world, password):
    phone, desk, colleague = Client(), Client(), Client()
    for client, email in ((phone, "fr_officer"), (desk, "fr_officer"), (colleague, "fr_viewer")):
        assert sign_in(client, f"{email}@example.test", password).status_code == 302
    officer = world.users["fr_officer"]
    assert UserSession.objects.filter(user=officer).count() == 2

    page = desk.get("/accounts/sessions/")
    assert page.status_code == 200
    assert page.context["session_count"] == 2

    response = desk.post("/accounts/sessions/")
    assert response.status_code == 302
    assert signed_in(desk)
    assert not signed_in(phone)
    assert signed_in(colleague)  # other people's sessions are untouched
    assert UserSession.objects.filter(user=officer).count() == 1


def test_the_sessions_page_needs_a_signed_in_user(db):
    response = Client().get("/accounts/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_change_keeps_the_user_in_but_sign_out_everywhere_ends_the_rest(world, password):
    phone, desk = Client(), Client()
    sign_in(phone, "fr_officer@example.test", password)
    sign_in(desk, "fr_officer@example.test", password)
    new_password = "a fresh and long passphrase"
    response = desk.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert signed_in(desk)
    desk.post("/accounts/sessions/")
    assert not signed_in(phone)
    assert signed_in(desk)
