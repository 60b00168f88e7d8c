"""The user's language: saved on the account, it wins over the browser's Accept-Language and the cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ipm.accounts import services
from ipm.accounts.models import Invitation
from tests.accounts.helpers import french, sign_in


def page_language(response):
    return response.context["LANGUAGE_CODE"] if response.context else response["Content-Language"]


def test_anonymous_visitors_get_the_browsers_language(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get("/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_the_saved_language_wins_over_accept_language(world, client_for):
    officer = world.users["ma_officer"]
    officer.language = "ar"
    officer.save()
    client = client_for(officer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "ar"
    assert 'dir="rtl"' in response.content.decode()


def test_the_saved_language_wins_over_the_cookie(world, client_for):
    officer = world.users["fr_officer"]
    officer.language = "fr"
    officer.save()
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert client.get("/")["Content-Language"] == "fr"


def test_without_a_saved_language_the_browser_decides(world, client_for):
    client = client_for(world.users["fr_officer"])
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"


def test_switching_language_saves_it_on_the_account(world, client_for):
    officer = world.users["fr_officer"]
    client = client_for(officer)
    response = client.post("/language/", {"language": "es", "next": "/settings/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    officer.refresh_from_db()
    assert officer.language == "es"
    # On another device, with another browser language, the choice follows the account.
    other = Client()
    assert sign_in(other, officer.email, "correct horse battery staple").status_code == 302
    assert other.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "es"


@pytest.mark.parametrize("language", ["xx", "", "../../etc", "fr" * 40])
def test_an_unknown_language_changes_nothing(world, client_for, language):
    officer = world.users["fr_officer"]
    officer.language = "fr"
    officer.save()
    response = client_for(officer).post("/language/", {"language": language, "next": "/"})
    assert response.status_code in {302, 400}
    officer.refresh_from_db()
    assert officer.language == "fr"


def test_switching_language_anonymously_sets_the_cookie_only(db):
    client = Client()
    response = client.post("/language/", {"language": "pt", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"
    assert client.get("/")["Content-Language"] == "pt"


def test_the_language_switch_needs_post(db):
    assert Client().get("/language/").status_code == 405


def test_preferences_save_language_and_time_zone(world, client_for):
    officer = world.users["fr_officer"]
    client = client_for(officer)
    response = client.post("/settings/", {"full_name": "Luc Douanier", "language": "fr", "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.full_name, officer.language, officer.time_zone) == ("Luc Douanier", "fr", "Europe/Paris")
    assert client.get("/settings/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "fr"


@pytest.mark.parametrize("field, value", [("language", "klingon"), ("time_zone", "Mars/Olympus_Mons")])
def test_bad_preferences_change_nothing(world, client_for, field, value):
    officer = world.users["fr_officer"]
    data = {"full_name": "Changed", "language": "", "time_zone": "", field: value}
    response = client_for(officer).post("/settings/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    officer.refresh_from_db()
    assert officer.full_name == "fr_officer"


def test_a_french_user_reads_errors_in_french(world, client_for):
    admin = world.users["fr_admin"]
    admin.language = "fr"
    admin.save()
    response = client_for(admin).post(
        f"/organisations/{world.orgs['fr'].pk}/invite/", {"email": "ma_officer@example.test", "role": "editor"}
    )
    assert response.status_code == 200
    assert french("A user with this email address already exists.") in response.content.decode()


def test_an_expired_invitation_is_explained_in_the_browsers_language(world):
    _invitation, token = services.invite_user(
        world.users["fr_admin"], world.orgs["fr"], email="tard@example.test", role="editor", base_url="http://x/"
    )
    Invitation.objects.update(expires_at=timezone.now())
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert french("This invitation has expired. Ask your administrator for a new one.") in response.content.decode()


def test_the_api_answers_in_the_users_language(world):
    officer = world.users["fr_officer"]
    officer.language = "fr"
    officer.save()
    _token, key = services.create_api_token(officer, name="lecture", scope="read")
    response = Client().post(
        "/api/v1/tokens", {"name": "x"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == french("This API token is read-only.")
