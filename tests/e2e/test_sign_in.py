"""Signing in with a password and an authenticator app (TOTP)."""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from ipm.accounts.models import OrganisationKind, Role
from tests.e2e.helpers import PASSWORD, make_member, make_organisation, submit, totp_code, wrong_totp_code

pytestmark = pytest.mark.browser


def test_sign_in_with_two_factor(page, live_server, screenshot):
    organisation = make_organisation("Douane FR", kind=OrganisationKind.CUSTOMS, country="FR")
    user = make_member(organisation, "agent@douane.example", role=Role.EDITOR, full_name="Camille Dupont")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("agent@douane.example")
    page.locator("input[name=password]").fill(PASSWORD)
    screenshot(page, "1-credentials")
    submit(page, "input[name=password]")

    # The password alone does not sign in: the second step asks for the authenticator's code.
    code_field = page.locator("input[name=code]")
    expect(code_field).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    screenshot(page, "2-code-asked")

    code_field.fill(wrong_totp_code(secret))
    submit(page, "input[name=code]")
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    expect(page.locator("input[name=code]")).to_be_visible()
    screenshot(page, "3-wrong-code")
    # Refused, and still signed out: the navigation bar offers to sign in.
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()

    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page, "input[name=code]")

    expect(page).to_have_url(live_server.url + "/")
    main = page.locator("main")
    expect(main).to_contain_text("Douane FR")
    expect(main).to_contain_text("Welcome, Camille")
    expect(page.locator("input[name=code]")).to_have_count(0)
    screenshot(page, "4-home")
