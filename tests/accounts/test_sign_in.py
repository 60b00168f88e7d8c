"""Signing in through allauth's real forms: passwords (Argon2), failures audited and rate limited, TOTP as a
second step, recovery codes, mandatory 2FA per organisation, session lifetime."""

import pyotp
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from ipm import settings as ipm_settings
from ipm.accounts import services
from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import activate_totp, sign_in

MFA_URL = "/accounts/2fa/authenticate/"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
REAUTHENTICATE_URL = "/accounts/reauthenticate/"


def signed_in_user(client):
    return client.get("/").context["user"]


def test_sign_in_with_email_and_password(world, password):
    officer = world.users["fr_officer"]
    client = Client()
    response = sign_in(client, "FR_OFFICER@example.test", password)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(client) == officer
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert (event.actor, event.organisation, event.ip_address) == (officer, world.orgs["fr"], "127.0.0.1")


def test_passwords_are_hashed_with_argon2(world, password, settings):
    assert ipm_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = ipm_settings.PASSWORD_HASHERS
    officer = world.users["fr_officer"]
    assert officer.password.startswith("argon2$argon2id$")
    # Signing in upgrades a hash with weaker parameters to production's (the tests use cheaper ones).
    sign_in(Client(), officer.email, password)
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert password not in officer.password


@pytest.mark.parametrize("email", ["fr_officer@example.test", "nobody@example.test"])
def test_a_wrong_password_is_refused_and_audited(world, email):
    client = Client()
    response = sign_in(client, email, "not the password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_email == email
    assert event.ip_address == "127.0.0.1"
    assert "not the password" not in str(event.details)
    if email.startswith("fr_"):
        assert event.organisation == world.orgs["fr"]
        assert event.target_id == str(world.users["fr_officer"].pk)
    else:
        assert event.organisation is None
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_repeated_failures_are_rate_limited(world, password):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    client = Client()
    for _attempt in range(5):
        response = sign_in(client, "fr_officer@example.test", "guess")
        assert "are not correct" in response.content.decode()
    blocked = sign_in(client, "fr_officer@example.test", password)
    assert blocked.status_code == 200
    assert "Too many failed login attempts. Try again later." in blocked.content.decode()
    assert not signed_in_user(client).is_authenticated
    # The refused attempt is in the audit log too, marked as rate limited.
    failures = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor_email="fr_officer@example.test")
    assert failures.count() == 6
    assert failures.filter(details__reason="rate_limited").count() == 1
    # Another account is not locked by these failures.
    assert sign_in(Client(), "fr_viewer@example.test", password).status_code == 302


def test_the_address_is_limited_across_accounts(world, password):
    client = Client()
    for number in range(10):
        sign_in(client, f"someone{number}@example.test", "guess")
    response = sign_in(client, "fr_viewer@example.test", password)
    assert "Too many failed login attempts. Try again later." in response.content.decode()


def test_a_suspended_organisations_member_cannot_sign_in(world, password):
    services.set_organisation_active(world.users["secretariat_admin"], world.orgs["brand"], False)
    client = Client()
    sign_in(client, "brand_editor@example.test", password)
    assert not signed_in_user(client).is_authenticated


# --- Two-factor authentication ------------------------------------------------------------------------------


def test_totp_is_a_second_step(world, password):
    officer = world.users["fr_officer"]
    totp = activate_totp(officer)
    client = Client()
    response = sign_in(client, officer.email, password)
    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    assert not signed_in_user(client).is_authenticated
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()

    response = client.post(MFA_URL, {"code": totp.now()})
    assert response.status_code == 302
    assert signed_in_user(client) == officer
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=officer).count() == 1


def test_a_wrong_totp_code_is_refused_and_audited(world, password):
    officer = world.users["fr_officer"]
    totp = activate_totp(officer)
    client = Client()
    sign_in(client, officer.email, password)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = client.post(MFA_URL, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (event.actor_email, event.organisation) == (officer.email, world.orgs["fr"])
    assert event.details.get("stage") == "two_factor"


def test_a_totp_code_from_another_secret_is_refused(world, password):
    officer = world.users["fr_officer"]
    activate_totp(officer)
    client = Client()
    sign_in(client, officer.email, password)
    stranger = pyotp.TOTP(pyotp.random_base32())
    client.post(MFA_URL, {"code": stranger.now()})
    assert not signed_in_user(client).is_authenticated


def test_a_totp_code_works_once(world, password):
    officer = world.users["fr_officer"]
    totp = activate_totp(officer)
    code = totp.now()
    first = Client()
    sign_in(first, officer.email, password)
    first.post(MFA_URL, {"code": code})
    assert signed_in_user(first) == officer
    second = Client()
    sign_in(second, officer.email, password)
    response = second.post(MFA_URL, {"code": code})
    assert "Incorrect code." in response.content.decode()
    assert not signed_in_user(second).is_authenticated


def test_the_code_step_cannot_be_skipped(world, password):
    officer = world.users["fr_officer"]
    activate_totp(officer)
    client = Client()
    sign_in(client, officer.email, password)
    # Going elsewhere instead of entering the code leaves the person signed out.
    assert not signed_in_user(client).is_authenticated
    assert client.get("/settings/").status_code == 302


def test_recovery_codes_sign_in_once_each(world, password):
    officer = world.users["fr_officer"]
    activate_totp(officer)
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    client = Client()
    sign_in(client, officer.email, password)
    client.post(MFA_URL, {"code": codes[0]})
    assert signed_in_user(client) == officer
    again = Client()
    sign_in(again, officer.email, password)
    response = again.post(MFA_URL, {"code": codes[0]})
    assert "Incorrect code." in response.content.decode()
    assert not signed_in_user(again).is_authenticated


def reauthenticate(client, password):
    """allauth asks for the password again before any change to the second factors."""
    response = client.post(REAUTHENTICATE_URL, {"password": password})
    assert response.status_code == 302, response.content.decode()[:3000]


def test_activating_totp_through_the_page(world, client_for, password, django_capture_on_commit_callbacks):
    viewer = world.users["brand_viewer"]
    client = client_for(viewer)
    assert client.get(ACTIVATE_URL)["Location"].startswith(REAUTHENTICATE_URL)
    reauthenticate(client, password)
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth announces the new factor after the commit
        response = client.post(ACTIVATE_URL, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, actor=viewer).exists()
    # From now on the code is asked for at sign-in.
    fresh = Client()
    assert sign_in(fresh, viewer.email, password)["Location"] == MFA_URL


def test_a_wrong_code_does_not_activate_totp(world, client_for, password):
    from allauth.mfa.models import Authenticator

    client = client_for(world.users["brand_viewer"])
    reauthenticate(client, password)
    client.get(ACTIVATE_URL)
    response = client.post(ACTIVATE_URL, {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=world.users["brand_viewer"]).exists()


# --- Mandatory 2FA ------------------------------------------------------------------------------------------


@pytest.fixture
def two_factor_required(world):
    organisation = world.orgs["brand"]
    organisation.require_two_factor = True
    organisation.save()
    return organisation


@pytest.mark.parametrize("path", ["/", "/settings/", "/settings/tokens/", f"/organisations/{1}/", "/audit/"])
def test_mandatory_two_factor_leads_every_page_to_its_set_up(world, client_for, two_factor_required, path, password):
    client = client_for(world.users["brand_admin"])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(ACTIVATE_URL)
    # The set-up itself, and the password check before it, stay reachable.
    assert client.get(REAUTHENTICATE_URL).status_code == 200
    reauthenticate(client, password)
    assert client.get(ACTIVATE_URL).status_code == 200


def test_mandatory_two_factor_after_signing_in_with_a_password(world, two_factor_required, password):
    client = Client()
    response = sign_in(client, "brand_editor@example.test", password, follow=True)
    assert [hop for hop, _status in response.redirect_chain if hop.startswith(ACTIVATE_URL)]
    # Completing the set-up opens the pages.
    reauthenticate(client, password)
    secret = client.get(ACTIVATE_URL).context["form"].secret
    assert client.post(ACTIVATE_URL, {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_api_refuses_until_two_factor_is_set_up(world, client_for, two_factor_required):
    _token, key = services.create_api_token(world.users["brand_editor"], name="erp", scope="write")
    for client, headers in (
        (client_for(world.users["brand_editor"]), {}),
        (Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}),
    ):
        for path in ("/api/v1/me", "/api/v1/organisations", "/api/v1/tokens"):
            response = client.get(path, **headers)
            assert response.status_code == 403, path
            error = response.json()["error"]
            assert error["code"] == "forbidden"
            assert "two-factor" in error["message"]
            assert error["details"] == []


def test_once_set_up_the_pages_open(world, client_for, two_factor_required):
    activate_totp(world.users["brand_admin"])
    client = client_for(world.users["brand_admin"])
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_other_organisations_are_not_affected(world, client_for, two_factor_required):
    assert client_for(world.users["rival_admin"]).get("/").status_code == 200


# --- Sessions -----------------------------------------------------------------------------------------------


def test_a_session_lasts_one_shift_and_ends_with_the_browser(world, password):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    response = sign_in(client, "fr_officer@example.test", password)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 8 * 3600 - 60 < remaining <= 8 * 3600


def test_an_expired_session_is_signed_out(world, password):
    client = Client()
    sign_in(client, "fr_officer@example.test", password)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_out_is_audited(world, password):
    client = Client()
    sign_in(client, "fr_officer@example.test", password)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not signed_in_user(client).is_authenticated
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=world.users["fr_officer"]).exists()


def test_open_sign_up_is_closed(db):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"email": "walk-in@example.test", "password1": "a fine long passphrase", "password2": "a fine long passphrase"},
    )
    from ipm.accounts.models import User

    assert not User.objects.filter(email="walk-in@example.test").exists()
    assert response.status_code in {200, 302, 403}
