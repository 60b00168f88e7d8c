"""Helpers the account, API and audit tests share: signing in through allauth's real forms, reading links out
of the mail the SMTP server received, TOTP codes from pyotp."""

import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

LINK = re.compile(r"https?://[^\s<>\"]+")


def fresh_cache() -> None:
    """allauth keeps its rate-limit counters and used TOTP codes in the cache; tests must not share them."""
    cache.clear()


def links_in(mail) -> list[str]:
    return LINK.findall(mail.body)


def only_link(mail, containing: str) -> str:
    found = [link for link in links_in(mail) if containing in link]
    assert len(found) == 1, f"expected one link with {containing!r} in:\n{mail.body}"
    return found[0]


def path_of(url: str) -> str:
    """The test client takes paths; mail carries absolute links to the test server's host."""
    return re.sub(r"^https?://[^/]+", "", url)


def sign_in(client: Client, email: str, password: str, **extra):
    """POST allauth's sign-in form, as a browser would."""
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def activate_totp(user) -> pyotp.TOTP:
    """Give the user a TOTP authenticator through allauth's own API; returns a pyotp generator for its codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return pyotp.TOTP(secret)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


from tests.hashers import QUICK_HASHERS  # noqa: E402,F401  (kept importable from here)


def french(message: str, **params) -> str:
    """The French catalogue's text for a message, which must exist (a test fails if it is still English)."""
    from django.utils import translation

    with translation.override("fr"):
        translated = translation.gettext(message)
    assert translated != message, f"no French translation for {message!r}"
    return translated % params if params else translated
