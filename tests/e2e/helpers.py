"""What the browser tests share: making just the people they need, signing in, reading TOTP codes."""

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from ipm.accounts.models import Organisation, OrganisationKind, Role, User
from ipm.accounts.services import sync_platform_flags

PASSWORD = "plum orchard at dusk 47"


def make_organisation(name: str, kind: str = OrganisationKind.RIGHT_HOLDER, **fields) -> Organisation:
    fields.setdefault("require_two_factor", False)
    return Organisation.objects.create(name=name, kind=kind, **fields)


def make_member(
    organisation: Organisation, email: str, role: str = Role.ADMIN, password: str = PASSWORD, **fields
) -> User:
    user = User(email=email, organisation=organisation, role=role, **fields)
    user.set_password(password)
    sync_platform_flags(user)
    user.save()
    return user


def totp_code(secret: str) -> str:
    """The current code of an authenticator app, taken early enough in its 30-second period that the server
    (which accepts only the current period) still takes it a few seconds later."""
    totp = pyotp.TOTP(secret)
    remaining = totp.interval - time.time() % totp.interval
    if remaining < 4:
        time.sleep(remaining + 0.1)
    return totp.now()


def wrong_totp_code(secret: str) -> str:
    """A six-digit code that is none of the codes around now."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(100_000, 1_000_000, 111_111)) if code not in near)


def submit(page: Page, field_selector: str) -> None:
    """Click the submit button of the form that holds ``field_selector``."""
    page.locator(f"form:has({field_selector})").locator("button[type=submit]").first.click()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill allauth's sign-in form with email and password and submit it (no second factor handled)."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page, "input[name=password]")
    expect(page.locator("input[name=password]")).to_have_count(0)


def invitation_link(mailbox, address: str) -> str:
    """The link in the one invitation mail the SMTP server received for ``address``."""
    messages = mailbox.to(address)
    assert len(messages) == 1, [m.subject for m in mailbox.messages]
    match = re.search(r"https?://\S+/invitations/\S+/", messages[0].body)
    assert match, messages[0].body
    return match.group(0)
