"""The secretariat onboards organisations: kinds, one customs administration per country, 2FA defaults."""

import pytest
from django.test import Client

from ipm.accounts.models import Invitation, Organisation, OrganisationKind, Role, User
from ipm.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import activate_totp, french, only_link, path_of

URL = "/organisations/new/"


def onboard(client, **fields):
    data = {"name": "New organisation", "kind": OrganisationKind.RIGHT_HOLDER, **fields}
    return client.post(URL, data)


def test_secretariat_onboards_a_customs_administration_with_its_first_admin(
    world, client_for, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["secretariat_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = onboard(
            client, name="Aduana ES", kind="customs", country="ES", first_admin_email="jefe@aduana.example"
        )
    organisation = Organisation.objects.get(name="Aduana ES")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.kind == OrganisationKind.CUSTOMS
    assert organisation.country == "ES"
    assert organisation.require_two_factor is True
    invitation = Invitation.objects.get(email="jefe@aduana.example")
    assert (invitation.organisation, invitation.role) == (organisation, Role.ADMIN)
    assert AuditEvent.objects.filter(action=AuditAction.ORGANISATION_ONBOARDED, organisation=organisation).exists()

    link = path_of(only_link(mailbox.to("jefe@aduana.example")[0], "/invitations/"))
    Client().post(
        link,
        {"full_name": "Jefe", "password": "a long enough passphrase", "password_again": "a long enough passphrase"},
    )
    assert User.objects.get(email="jefe@aduana.example").organisation == organisation


@pytest.mark.parametrize(
    "kind, two_factor",
    [
        (OrganisationKind.SECRETARIAT, True),
        (OrganisationKind.RIGHT_HOLDER, False),
        (OrganisationKind.LEGAL_REPRESENTATIVE, False),
        (OrganisationKind.SERVICE_PROVIDER, False),
    ],
)
def test_two_factor_is_on_by_default_for_customs_and_secretariat_only(world, client_for, kind, two_factor):
    response = onboard(client_for(world.users["secretariat_admin"]), name=f"Org {kind}", kind=kind)
    assert response.status_code == 302
    assert Organisation.objects.get(name=f"Org {kind}").require_two_factor is two_factor


def test_a_second_customs_administration_for_a_country_is_refused(world, client_for):
    client = client_for(world.users["secretariat_admin"])
    response = onboard(client, name="Douane FR bis", kind="customs", country="FR")
    assert response.status_code == 200
    assert "This country already has a customs administration in IPM." in response.content.decode()
    assert not Organisation.objects.filter(name="Douane FR bis").exists()


def test_the_refusal_is_translated(world, client_for):
    admin = world.users["secretariat_admin"]
    admin.language = "fr"
    admin.save()
    response = onboard(client_for(admin), name="Douane FR bis", kind="customs", country="FR")
    assert response.status_code == 200
    assert french("This country already has a customs administration in IPM.") in response.content.decode()
    assert not Organisation.objects.filter(name="Douane FR bis").exists()


def test_a_customs_administration_needs_a_country(world, client_for):
    response = onboard(client_for(world.users["secretariat_admin"]), name="Nowhere", kind="customs")
    assert response.status_code == 200
    assert "A customs administration must have a country." in response.content.decode()
    assert not Organisation.objects.filter(name="Nowhere").exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "pirate"}, "Select a valid choice"),
        ({"country": "XX"}, "Select a valid choice"),
        ({"name": ""}, "This field is required."),
        ({"first_admin_email": "nobody"}, "Enter a valid email address."),
    ],
)
def test_bad_onboarding_input_changes_nothing(world, client_for, mailbox, fields, message):
    before = Organisation.objects.count()
    response = onboard(client_for(world.users["secretariat_admin"]), **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before
    assert not Invitation.objects.exists()


def test_an_existing_first_admin_address_rolls_the_organisation_back(world, client_for, mailbox):
    response = onboard(
        client_for(world.users["secretariat_admin"]), name="Rolled back", first_admin_email="fr_admin@example.test"
    )
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert not Organisation.objects.filter(name="Rolled back").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ORGANISATION_ONBOARDED).exists()
    assert mailbox.to("fr_admin@example.test") == []


@pytest.mark.parametrize("member", ["secretariat_editor", "secretariat_viewer", "fr_admin", "brand_admin"])
def test_only_secretariat_admins_onboard(world, client_for, member):
    client = client_for(world.users[member])
    before = Organisation.objects.count()
    assert client.get(URL).status_code == 403
    assert onboard(client, name="Sneaky").status_code == 403
    assert Organisation.objects.count() == before


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_secretariat_suspends_an_organisation_and_its_members_are_signed_out(world, client_for):
    officer = client_for(world.users["fr_officer"])
    assert officer.get("/").context["user"].is_authenticated
    response = client_for(world.users["secretariat_admin"]).post(
        f"/organisations/{world.orgs['fr'].pk}/status/", {"active": "0"}
    )
    assert response.status_code == 302
    world.orgs["fr"].refresh_from_db()
    assert not world.orgs["fr"].is_active
    assert AuditEvent.objects.filter(action=AuditAction.ORGANISATION_SUSPENDED, organisation=world.orgs["fr"]).exists()
    assert not officer.get("/").context["user"].is_authenticated


@pytest.mark.parametrize("member, org_key", [("fr_admin", "fr"), ("secretariat_admin", "secretariat")])
def test_suspension_is_for_the_secretariat_and_never_of_itself(world, client_for, member, org_key):
    response = client_for(world.users[member]).post(f"/organisations/{world.orgs[org_key].pk}/status/", {"active": "0"})
    assert response.status_code in {403, 404}
    world.orgs[org_key].refresh_from_db()
    assert world.orgs[org_key].is_active


def test_an_admin_may_require_two_factor_but_only_the_secretariat_lifts_it_for_customs(world, client_for):
    fr = world.orgs["fr"]
    fr.require_two_factor = True
    fr.save()
    data = {"name": fr.name, "email": "", "website": ""}  # require_two_factor unchecked = lift it
    activate_totp(world.users["fr_admin"])  # or every page would lead to the 2FA set-up
    client = client_for(world.users["fr_admin"])
    response = client.post(f"/organisations/{fr.pk}/settings/", data)
    assert response.status_code == 200
    assert "Only the secretariat can lift the two-factor requirement here." in response.content.decode()
    fr.refresh_from_db()
    assert fr.require_two_factor

    response = client_for(world.users["secretariat_admin"]).post(f"/organisations/{fr.pk}/settings/", data)
    assert response.status_code == 302
    fr.refresh_from_db()
    assert not fr.require_two_factor
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_UPDATED, organisation=fr)
    assert event.details["changed"]["require_two_factor"] == [True, False]


def test_a_right_holder_admin_manages_its_own_two_factor_setting(world, client_for):
    brand = world.orgs["brand"]
    activate_totp(world.users["brand_admin"])
    client = client_for(world.users["brand_admin"])
    data = {"name": brand.name, "email": "", "website": ""}
    assert client.post(f"/organisations/{brand.pk}/settings/", {**data, "require_two_factor": "on"}).status_code == 302
    brand.refresh_from_db()
    assert brand.require_two_factor
    assert client.post(f"/organisations/{brand.pk}/settings/", data).status_code == 302
    brand.refresh_from_db()
    assert not brand.require_two_factor
    # ...and not another organisation's.
    assert client.post(f"/organisations/{world.orgs['rival'].pk}/settings/", data).status_code == 404
