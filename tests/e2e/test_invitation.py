"""An invitation from the organisation's admin to the new member's first page, through a real mail server."""

import pytest
from playwright.sync_api import expect

from ipm.accounts.models import Role, User
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import invitation_link, make_member, make_organisation, sign_in, submit

pytestmark = pytest.mark.browser

INVITEE = "nadia.haddad@brand-a.example"
INVITEE_PASSWORD = "sea salt caramel 1984"


def test_invitation_accepted_end_to_end(page, new_context, live_server, mailbox, screenshot):
    organisation = make_organisation("Brand A")
    make_member(organisation, "admin@brand-a.example", role=Role.ADMIN, full_name="Ines Admin")

    # The admin invites a colleague from the organisation's page.
    sign_in(page, "admin@brand-a.example")
    page.locator("header").get_by_role("link", name="My organisation").click()
    expect(page.get_by_role("heading", name="Brand A", level=1)).to_be_visible()
    page.get_by_role("link", name="Invite", exact=True).click()
    page.get_by_label("Email address").fill(INVITEE)
    page.get_by_label("Role").select_option(Role.EDITOR)
    screenshot(page, "1-invite-form")
    submit(page, "input[name=email]")

    expect(page.get_by_text(f"An invitation was sent to {INVITEE}.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(INVITEE)  # among the pending invitations
    screenshot(page, "2-invitation-sent")

    # The mail went through the SMTP server; the invitee opens its link in their own browser (a phone).
    link = invitation_link(mailbox, INVITEE)
    assert mailbox.to(INVITEE)[0].subject == "[IPM] You are invited to join Brand A on IPM"
    assert link.startswith(live_server.url)
    invitee = new_context(PHONE).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Join Brand A on IPM")
    expect(invitee.locator("main")).to_contain_text(INVITEE)
    invitee.get_by_label("Your full name").fill("Nadia Haddad")
    invitee.get_by_label("Choose a password").fill(INVITEE_PASSWORD)
    invitee.get_by_label("Password again").fill(INVITEE_PASSWORD)
    screenshot(invitee, "3-accept-form")
    submit(invitee, "input[name=full_name]")

    # Signed in as the new member, on the home page of their organisation.
    expect(invitee).to_have_url(live_server.url + "/")
    main = invitee.locator("main")
    expect(main).to_contain_text("Welcome, Nadia")
    expect(main).to_contain_text("Brand A")
    screenshot(invitee, "4-new-member-home")
    member = User.objects.get(email=INVITEE)
    assert (member.organisation, member.role, member.full_name) == (organisation, Role.EDITOR, "Nadia Haddad")

    # The link works once.
    stranger = new_context().new_page()
    response = stranger.goto(link)
    assert response.status == 410
    expect(stranger.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    expect(stranger.locator("main")).to_contain_text("already been used")
    screenshot(stranger, "5-link-used-again")
    assert User.objects.filter(email=INVITEE).count() == 1
