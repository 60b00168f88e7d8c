"""The audit log: who reads it (secretariat: everything; an organisation's admins: their own organisation), what
the page and the API show, and the events that Django's admin site adds."""

import html
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, DELETION
from django.test import Client
from django.utils import timezone

from ipm.accounts import services
from ipm.accounts.models import Mandate, Organisation
from ipm.audit.models import AuditAction, AuditEvent
from ipm.audit.services import record
from tests.accounts.helpers import french, sign_in
from tests.api.helpers import api_client, assert_error


@pytest.fixture
def events(world):
    """One event in each of three organisations, and one that concerns no organisation."""
    fr = services.change_role(world.users["fr_admin"], world.users["fr_viewer"], "editor")
    ma = services.change_role(world.users["ma_admin"], world.users["ma_viewer"], "editor")
    brand = services.change_role(world.users["brand_admin"], world.users["brand_viewer"], "editor")
    record(AuditAction.SIGN_IN_FAILED, actor_email="stranger@example.test")
    return {"fr": fr, "ma": ma, "brand": brand}


def shown_targets(response):
    """The events on the page, leaving out the sign-in of whoever is reading it."""
    return sorted(event.target_repr for event in response.context["page"] if event.action != AuditAction.SIGN_IN)


def test_the_secretariat_admin_reads_everything(world, client_for, events):
    response = client_for(world.users["secretariat_admin"]).get("/audit/")
    assert response.status_code == 200
    assert shown_targets(response) == ["", "brand_viewer", "fr_viewer", "ma_viewer"]
    assert "stranger@example.test" in response.content.decode()


def test_an_organisation_admin_reads_only_their_own(world, client_for, events):
    response = client_for(world.users["fr_admin"]).get("/audit/")
    assert response.status_code == 200
    assert shown_targets(response) == ["fr_viewer"]
    page = response.content.decode()
    assert "ma_viewer" not in page and "stranger@example.test" not in page


def test_an_organisation_admin_cannot_widen_the_filter(world, client_for, events):
    response = client_for(world.users["fr_admin"]).get(f"/audit/?organisation={world.orgs['ma'].pk}")
    assert shown_targets(response) == ["fr_viewer"]


@pytest.mark.parametrize(
    "member", ["fr_officer", "fr_viewer", "secretariat_editor", "secretariat_viewer", "brand_editor"]
)
def test_members_who_are_not_admins_cannot_read_it(world, client_for, events, member):
    assert client_for(world.users[member]).get("/audit/").status_code == 403
    assert_error(api_client(world.users[member]).get("/api/v1/audit-events"), 403, "forbidden")


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert_error(Client().get("/api/v1/audit-events"), 401, "not_authenticated")


def test_filters_on_the_page(world, client_for, events):
    client = client_for(world.users["secretariat_admin"])
    assert shown_targets(client.get("/audit/?action=sign_in_failed")) == [""]
    assert shown_targets(client.get("/audit/?who=ma_admin")) == ["ma_viewer"]
    assert shown_targets(client.get(f"/audit/?organisation={world.orgs['brand'].pk}")) == ["brand_viewer"]
    today = timezone.now().date()
    assert len(shown_targets(client.get(f"/audit/?since={today}&until={today}"))) == 4
    assert shown_targets(client.get(f"/audit/?until={today - timedelta(days=1)}")) == []


@pytest.mark.parametrize("query", ["since=yesterday", "until=2024-13-45", "since=%00"])
def test_a_bad_date_is_explained(world, client_for, events, query):
    response = client_for(world.users["secretariat_admin"]).get(f"/audit/?{query}")
    assert response.status_code == 200
    assert "is not a date (YYYY-MM-DD)" in response.content.decode()


def test_a_bad_date_is_explained_in_french(world, client_for, events):
    admin = world.users["secretariat_admin"]
    admin.language = "fr"
    admin.save()
    response = client_for(admin).get("/audit/?since=hier")
    expected = french("“%(value)s” is not a date (YYYY-MM-DD).", value="hier")
    assert html.escape(expected) in response.content.decode()


@pytest.mark.parametrize("query", ["action=nonsense", "organisation=abc", "page=999", "page=-1"])
def test_odd_filters_never_break_the_page(world, client_for, events, query):
    assert client_for(world.users["secretariat_admin"]).get(f"/audit/?{query}").status_code == 200


# --- The API ------------------------------------------------------------------------------------------------


def test_the_api_follows_the_same_rules(world, events):
    everything = api_client(world.users["secretariat_admin"]).get("/api/v1/audit-events?action=role_changed").json()
    assert everything["count"] == 3
    own = api_client(world.users["ma_admin"]).get("/api/v1/audit-events?action=role_changed").json()
    assert [item["target_repr"] for item in own["items"]] == ["ma_viewer"]
    assert own["items"][0]["details"] == {"before": "viewer", "after": "editor"}
    assert own["items"][0]["organisation_id"] == world.orgs["ma"].pk


def test_the_api_filters(world, events):
    client = api_client(world.users["secretariat_admin"])
    assert client.get("/api/v1/audit-events?action=sign_in_failed").json()["count"] == 1
    assert client.get("/api/v1/audit-events?action=role_changed").json()["count"] == 3
    later = (timezone.now() + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/audit-events?since={later}").json()["count"] == 0
    assert client.get("/api/v1/audit-events?limit=1").json()["items"].__len__() == 1
    assert_error(client.get("/api/v1/audit-events?action=nonsense"), 422, "invalid_input")
    assert_error(client.get("/api/v1/audit-events?since=yesterday"), 422, "invalid_input")


def test_the_log_is_newest_first(world, events):
    items = api_client(world.users["secretariat_admin"]).get("/api/v1/audit-events").json()["items"]
    times = [item["occurred_at"] for item in items]
    assert times == sorted(times, reverse=True)


def test_sign_ins_are_in_the_log_of_the_users_organisation(world, client_for, password):
    sign_in(Client(), "ma_officer@example.test", password)
    sign_in(Client(), "ma_officer@example.test", "wrong password")
    query = "/api/v1/audit-events?since=2000-01-01T00:00:00Z"
    items = api_client(world.users["ma_admin"]).get(query).json()["items"]
    assert [(item["action"], item["actor_email"]) for item in items if item["action"].startswith("sign_in")] == [
        ("sign_in_failed", "ma_officer@example.test"),
        ("sign_in", "ma_officer@example.test"),
    ]
    fr_items = api_client(world.users["fr_admin"]).get(query).json()["items"]
    assert not [item for item in fr_items if item["action"].startswith("sign_in")]


def test_the_log_cannot_be_edited_in_the_admin(world, client_for, events):
    client = client_for(world.users["secretariat_admin"])
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- Django's admin site ------------------------------------------------------------------------------------


def test_an_admin_site_change_is_audited(world, client_for):
    admin = world.users["secretariat_admin"]
    provider = world.orgs["provider"]
    client = client_for(admin)
    response = client.post(
        f"/admin/accounts/organisation/{provider.pk}/change/",
        {
            "name": "Provider A (renamed)",
            "kind": provider.kind,
            "country": "",
            "email": "",
            "website": "",
            "is_active": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    provider.refresh_from_db()
    assert provider.name == "Provider A (renamed)"
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_ACTION)
    assert event.actor == admin
    assert event.details["object_id"] == str(provider.pk)
    assert event.details["object"] == "Provider A (renamed)"
    assert "Changed" in event.details["change"]


def test_admin_site_additions_and_deletions_are_audited(world, client_for):
    client = client_for(world.users["secretariat_admin"])
    response = client.post(
        "/admin/accounts/mandate/add/",
        {
            "representative": world.orgs["other_counsel"].pk,
            "right_holder": world.orgs["rival"].pk,
            "granted_at_0": "2026-01-01",
            "granted_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mandate = Mandate.objects.get(representative=world.orgs["other_counsel"])
    client.post(f"/admin/accounts/mandate/{mandate.pk}/delete/", {"post": "yes"})
    assert not Mandate.objects.filter(pk=mandate.pk).exists()
    events = AuditEvent.objects.filter(action=AuditAction.ADMIN_ACTION).order_by("id")
    assert [event.details["flag"] for event in events] == [ADDITION, DELETION]
    assert {event.details["object_id"] for event in events} == {str(mandate.pk)}


def test_a_bulk_deletion_in_the_admin_site_is_audited_object_by_object(world, client_for):
    """Django writes the log entries of a bulk action with bulk_create, which sends no post_save."""
    second = Mandate.objects.create(representative=world.orgs["counsel"], right_holder=world.orgs["rival"])
    ids = [world.mandate.pk, second.pk]
    response = client_for(world.users["secretariat_admin"]).post(
        "/admin/accounts/mandate/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not Mandate.objects.filter(pk__in=ids).exists()
    events = AuditEvent.objects.filter(action=AuditAction.ADMIN_ACTION)
    assert sorted(int(event.details["object_id"]) for event in events) == sorted(ids)
    assert all(event.actor == world.users["secretariat_admin"] for event in events)


@pytest.mark.parametrize("member", ["fr_admin", "secretariat_editor", "brand_admin"])
def test_the_admin_site_is_for_secretariat_admins_only(world, client_for, member):
    client = client_for(world.users[member])
    response = client.get("/admin/accounts/organisation/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    before = Organisation.objects.count()
    client.post("/admin/accounts/organisation/add/", {"name": "Sneaky", "kind": "right_holder"})
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(action=AuditAction.ADMIN_ACTION).exists()
