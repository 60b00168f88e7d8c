"""The secretariat onboards a customs administration; its first admin joins by the invitation and, since customs
administrations require two-factor authentication, is led to set up an authenticator app before anything else."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from ipm.accounts.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import invitation_link, make_member, make_organisation, sign_in, submit, totp_code

pytestmark = pytest.mark.browser

FIRST_ADMIN = "chef.bureau@douane-ma.example"
FIRST_ADMIN_PASSWORD = "atlas cedar morning 2031"


def test_onboarding_then_mandatory_two_factor(page, new_context, live_server, mailbox, screenshot):
    secretariat = make_organisation("Secretariat", kind=OrganisationKind.SECRETARIAT)
    make_member(secretariat, "desk@secretariat.example", role=Role.ADMIN, full_name="Sam Secretariat")

    # The secretariat onboards the Moroccan customs administration and invites its first admin.
    sign_in(page, "desk@secretariat.example")
    page.locator("header").get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name="Onboard an organisation").click()
    page.get_by_label("Name").fill("Administration des Douanes MA")
    page.get_by_label("Kind").select_option(OrganisationKind.CUSTOMS)
    page.get_by_label("Country").select_option("MA")
    page.get_by_label("Email of its first administrator").fill(FIRST_ADMIN)
    screenshot(page, "1-onboarding-form")
    submit(page, "input[name=first_admin_email]")

    expect(page.get_by_text("Administration des Douanes MA is now on IPM.")).to_be_visible()
    expect(page.get_by_text(f"An invitation was sent to {FIRST_ADMIN}.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2FA required")
    screenshot(page, "2-onboarded")
    organisation = Organisation.objects.get(name="Administration des Douanes MA")
    assert (organisation.kind, organisation.country.code, organisation.require_two_factor) == (
        OrganisationKind.CUSTOMS,
        "MA",
        True,
    )

    # The first admin accepts the invitation on a phone ...
    admin = new_context(PHONE).new_page()
    admin.goto(invitation_link(mailbox, FIRST_ADMIN))
    admin.get_by_label("Your full name").fill("Karima Benali")
    admin.get_by_label("Choose a password").fill(FIRST_ADMIN_PASSWORD)
    admin.get_by_label("Password again").fill(FIRST_ADMIN_PASSWORD)
    submit(admin, "input[name=full_name]")

    # ... and is sent to set up an authenticator app before anything else.
    expect(admin).to_have_url(re.compile(r"/accounts/(2fa/totp/activate|reauthenticate)/"))
    if "/accounts/reauthenticate/" in admin.url:
        # Known problem: accepting an invitation signs the new member in with Django's login(), which allauth
        # does not count as a recent authentication, so allauth asks for the password chosen a second ago
        # before it lets anyone add an authenticator. Remove this step once the invitation view records the
        # authentication the way allauth's own sign-in does.
        screenshot(admin, "3-password-asked-again")
        admin.locator("input[name=password]").fill(FIRST_ADMIN_PASSWORD)
        submit(admin, "input[name=password]")
    expect(admin).to_have_url(re.compile(r"/accounts/2fa/totp/activate/\?required=1"))
    screenshot(admin, "4-two-factor-required")
    admin.goto("/organisations/")
    expect(admin).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))

    # The secret shown on the page is what an authenticator app reads from the QR code.
    secret = admin.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    admin.locator("input[name=code]").fill(totp_code(secret))
    submit(admin, "input[name=code]")
    expect(admin.get_by_text("Authenticator app activated.")).to_be_visible()
    screenshot(admin, "5-two-factor-activated")
    assert Authenticator.objects.filter(user__email=FIRST_ADMIN, type=Authenticator.Type.TOTP).exists()

    # Now IPM opens: the home page of the new administration.
    admin.locator(".navbar-brand").click()
    expect(admin).to_have_url(live_server.url + "/")
    expect(admin.locator("main")).to_contain_text("Welcome, Karima")
    expect(admin.locator("main")).to_contain_text("Administration des Douanes MA")
    screenshot(admin, "6-home")
