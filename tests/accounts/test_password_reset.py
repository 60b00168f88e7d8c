"""Password reset by email, through allauth and the real SMTP server."""

from django.test import Client

from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import only_link, path_of, sign_in

NEW_PASSWORD = "tangerine cobalt harbour 7"


def request_reset(email, mailbox):
    response = Client().post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    return mailbox.to(email)


def follow_reset_link(mail):
    client = Client()
    link = path_of(only_link(mail, "/accounts/password/reset/key/"))
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key out of the address bar into the session
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client, form_url, link


def test_reset_by_email_then_sign_in_with_the_new_password(world, mailbox, password):
    received = request_reset("fr_officer@example.test", mailbox)
    assert len(received) == 1
    mail = received[0]
    assert mail.subject.startswith("[IPM] ")
    assert "Hello from IPM!" in mail.body  # not "Hello from !": the site's name reaches allauth's templates
    client, form_url, _link = follow_reset_link(mail)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_RESET, target_id=str(world.users["fr_officer"].pk)
    ).exists()

    assert sign_in(Client(), "fr_officer@example.test", NEW_PASSWORD)["Location"] == "/"
    old = sign_in(Client(), "fr_officer@example.test", password)
    assert old.status_code == 200  # the old password no longer works


def test_a_reset_link_works_once(world, mailbox):
    mail = request_reset("fr_officer@example.test", mailbox)[0]
    client, form_url, link = follow_reset_link(mail)
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    again = Client()
    response = again.get(link, follow=True)
    assert "The password reset link was invalid" in response.content.decode()
    response = again.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link,
        {"password1": "yet another passphrase 9", "password2": "yet another passphrase 9"},
    )
    world.users["fr_officer"].refresh_from_db()
    assert world.users["fr_officer"].check_password(NEW_PASSWORD)


def test_a_weak_new_password_is_refused(world, mailbox, password):
    mail = request_reset("fr_officer@example.test", mailbox)[0]
    client, form_url, _link = follow_reset_link(mail)
    response = client.post(form_url, {"password1": "password1", "password2": "password1"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    world.users["fr_officer"].refresh_from_db()
    assert world.users["fr_officer"].check_password(password)


def test_a_forged_key_is_refused(world, password):
    client = Client()
    response = client.get("/accounts/password/reset/key/1-forged-key/", follow=True)
    assert "The password reset link was invalid" in response.content.decode()
    world.users["fr_officer"].refresh_from_db()
    assert world.users["fr_officer"].check_password(password)


def test_an_unknown_address_gets_no_mail_and_no_hint(db, mailbox):
    response = Client().post("/accounts/password/reset/", {"email": "ghost@example.test"})
    assert response.status_code == 302  # the same answer as for a known address
    # allauth's default would mail an invitation to sign up, which IPM does not offer.
    assert mailbox.to("ghost@example.test") == []


def test_reset_requests_are_rate_limited(world, mailbox):
    client = Client()
    for _attempt in range(5):
        client.post("/accounts/password/reset/", {"email": "fr_viewer@example.test"})
    response = client.post("/accounts/password/reset/", {"email": "fr_viewer@example.test"})
    assert response.status_code in {200, 429}
    assert len(mailbox.to("fr_viewer@example.test")) == 5
