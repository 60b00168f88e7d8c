"""EPCIS capture through the API, against the REST binding's behaviour: 202 + Location of a capture job, the
document stored whole or not at all, idempotent by eventID, and only about the GTINs the capturer speaks for."""

import pytest

from ipm.accounts.models import ApiScope
from ipm.epcis import services
from ipm.epcis.models import CaptureJob, EpcisEvent, EpcisItem
from tests.api.helpers import assert_error
from tests.epcis.helpers import (
    RIVAL_PREFIX,
    Caller,
    commissioning,
    document,
    event,
    gtin_of,
    register_prefixes,
    sgtin,
)
from tests.epcis.standards import EXAMPLES, example, official_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(world):
    register_prefixes(world)
    made = {}

    def get(key, scope=ApiScope.WRITE):
        if (key, scope) not in made:
            made[key, scope] = Caller(world.users[key], scope)
        return made[key, scope]

    return get


def job_of(response) -> dict:
    assert response.status_code == 202, response.content[:800]
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/epcis/capture/{body['id']}")
    assert response["GS1-EPCIS-Version"] == "2.0.0"
    return body


def test_the_secretariat_captures_every_example_of_the_standard(caller):
    total = 0
    for path in EXAMPLES:
        body = job_of(caller("secretariat_editor").capture(example(path.name)))
        assert body["status"] == "success", (path.name, body["errors"])
        assert body["success"] and not body["running"] and body["errors"] == []
        total += body["stored_count"]
        # The job answers at its Location too.
        again = caller("secretariat_editor").get(f"/api/v1/epcis/capture/{body['id']}")
        assert again.status_code == 200 and again.json()["stored_count"] == body["stored_count"]
    assert EpcisEvent.objects.count() == total > 0
    # Example 9.6.3 names SGTINs: they are indexed as GTIN-14 + serial.
    assert EpcisItem.objects.filter(gtin="10614141073464", serial="2017").exists()
    # Digital Links are read with the project's own parser.
    assert EpcisItem.objects.filter(gtin="70614141123451", serial="2018").exists()


def test_a_right_holder_captures_events_about_its_own_gtins(caller, world):
    doc = document(commissioning([sgtin("A1"), sgtin("A2")], lot="L1", expiry="2028-05-31"), event([sgtin("A1")]))
    assert official_errors(doc) == []
    body = job_of(caller("brand_editor").capture(doc))
    assert body["status"] == "success", body["errors"]
    assert (body["event_count"], body["stored_count"], body["duplicate_count"]) == (2, 2, 0)
    events = list(EpcisEvent.objects.order_by("event_time"))
    assert {e.right_holder_id for e in events} == {world.orgs["brand"].pk}
    assert {e.organisation_id for e in events} == {world.orgs["brand"].pk}
    first = events[0]
    assert (first.event_type, first.action, first.biz_step, first.disposition) == (
        "ObjectEvent",
        "ADD",
        "commissioning",
        "active",
    )
    item = first.items.get(serial="A1")
    assert (item.gtin, item.lot, str(item.expiry)) == (gtin_of(), "L1", "2028-05-31")
    # The observation carries no ILMD: lot and expiry are the commissioning event's business.
    assert events[1].items.get().lot == ""


def test_a_legal_representative_captures_for_the_right_holder_that_mandated_it(caller, world):
    body = job_of(caller("counsel_editor").capture(document(commissioning([sgtin("C1")]))))
    assert body["status"] == "success", body["errors"]
    stored = EpcisEvent.objects.get()
    assert (stored.organisation_id, stored.right_holder_id) == (world.orgs["counsel"].pk, world.orgs["brand"].pk)
    # The right holder reads the job and the event; another right holder does not.
    assert caller("brand_viewer").get(f"/api/v1/epcis/capture/{body['id']}").status_code == 200
    assert caller("brand_viewer").get("/api/v1/epcis/events").json()["count"] == 1
    assert_error(caller("rival_admin").get(f"/api/v1/epcis/capture/{body['id']}"), 404, "not_found")
    assert caller("rival_admin").get("/api/v1/epcis/events").json()["count"] == 0


def test_events_about_another_right_holders_gtins_refuse_the_whole_document(caller):
    doc = document(commissioning([sgtin("B1")]), commissioning([sgtin("X1", prefix=RIVAL_PREFIX)]))
    body = job_of(caller("brand_editor").capture(doc))
    assert body["status"] == "failed" and not body["success"]
    assert body["errors"] == [
        {
            "pointer": "/epcisBody/eventList/1/epcList/0",
            "message": f"GTIN {gtin_of(RIVAL_PREFIX)} belongs to another right holder: you may capture events "
            "about the products you speak for only.",
        }
    ]
    assert EpcisEvent.objects.count() == 0 and EpcisItem.objects.count() == 0


def test_gtins_nobody_claims_are_for_the_secretariat_only(caller):
    doc = document(commissioning(["urn:epc:id:sgtin:7777777.012345.1"]))
    body = job_of(caller("brand_editor").capture(doc))
    assert body["status"] == "failed"
    assert "belongs to no right holder in IPM" in body["errors"][0]["message"]
    assert job_of(caller("secretariat_admin").capture(doc))["status"] == "success"


def test_one_invalid_event_refuses_the_whole_document_with_per_event_errors(caller):
    broken = event([sgtin("B2")])
    del broken["eventTime"]
    broken["action"] = "MOVE"
    doc = document(commissioning([sgtin("B1")]), broken)
    body = job_of(caller("brand_editor").capture(doc))
    assert body["status"] == "failed"
    assert {error["pointer"] for error in body["errors"]} == {
        "/epcisBody/eventList/1/eventTime",
        "/epcisBody/eventList/1/action",
    }
    assert EpcisEvent.objects.count() == 0


def test_capturing_is_idempotent_by_event_id(caller):
    doc = document(
        commissioning([sgtin("I1")], eventID="urn:uuid:11111111-2222-3333-4444-555555555555"),
        event([sgtin("I1")]),  # no eventID: IPM derives one from the content
    )
    assert job_of(caller("brand_editor").capture(doc))["stored_count"] == 2
    again = job_of(caller("brand_editor").capture(doc))
    assert (again["status"], again["stored_count"], again["duplicate_count"]) == ("success", 0, 2)
    assert EpcisEvent.objects.count() == 2
    assert EpcisEvent.objects.filter(event_id__startswith="ni:///sha-256;").count() == 1


def test_an_error_declaration_withdraws_an_event(caller):
    ident = "urn:uuid:99999999-2222-3333-4444-555555555555"
    job_of(caller("brand_editor").capture(document(commissioning([sgtin("E1")], eventID=ident))))
    declared = commissioning([sgtin("E1")], eventID=ident)
    declared["errorDeclaration"] = {"declarationTime": "2026-02-01T00:00:00Z", "reason": "incorrect_data"}
    body = job_of(caller("brand_editor").capture(document(declared)))
    assert body["status"] == "success" and body["duplicate_count"] == 1
    assert EpcisEvent.objects.get(event_id=ident).error_declared_at is not None


def test_intended_markets_and_countries_of_locations(caller):
    location = "urn:epc:id:sgln:4006381.00001.0"
    header = {
        "epcisMasterData": {
            "vocabularyList": [
                {
                    "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
                    "vocabularyElementList": [
                        {"id": location, "attributes": [{"id": "urn:epcglobal:cbv:mda#countryCode", "attribute": "MA"}]}
                    ],
                }
            ]
        }
    }
    shipping = event(
        [sgtin("M1")],
        biz_step="shipping",
        disposition="in_transit",
        bizLocation={"id": location},
        **{"ipm:intendedMarkets": ["fr", "DE"]},
    )
    doc = document(commissioning([sgtin("M1")], **{"ipm:country": "IT"}), shipping, header=header)
    assert official_errors(doc) == []
    assert job_of(caller("brand_editor").capture(doc))["status"] == "success"
    first, second = EpcisEvent.objects.order_by("event_time")
    assert (first.country, second.country, second.intended_markets) == ("IT", "MA", ["DE", "FR"])

    bad = event([sgtin("M2")], **{"ipm:intendedMarkets": ["France"]})
    body = job_of(caller("brand_editor").capture(document(bad)))
    assert body["errors"][0]["pointer"] == "/epcisBody/eventList/0/ipm:intendedMarkets"


def test_one_event_sent_alone(caller):
    alone = commissioning([sgtin("S1")])
    alone["@context"] = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    body = job_of(caller("brand_editor").capture(alone, path="/api/v1/epcis/events", content_type="application/json"))
    assert body["status"] == "success" and body["stored_count"] == 1
    del alone["@context"]
    body = job_of(caller("brand_editor").capture(alone, path="/api/v1/epcis/events"))
    assert body["status"] == "failed" and body["errors"][0]["pointer"] == "/@context"


def test_the_list_of_jobs_and_the_history_of_one_item(caller):
    job_of(caller("brand_editor").capture(document(commissioning([sgtin("H1"), sgtin("H2")]), event([sgtin("H1")]))))
    jobs = caller("brand_admin").get("/api/v1/epcis/capture").json()
    assert jobs["count"] == 1 and jobs["items"][0]["status"] == "success"
    assert caller("fr_admin").get("/api/v1/epcis/capture").json()["count"] == 0
    history = caller("brand_viewer").get("/api/v1/epcis/events", gtin=gtin_of(), serial="H1").json()
    assert [e["action"] for e in history["items"]] == ["ADD", "OBSERVE"]
    assert history["items"][0]["items"][0]["serial"] in {"H1", "H2"}
    assert history["items"][0]["event"]["bizStep"] == "commissioning"


@pytest.mark.parametrize(
    ("body", "content_type", "headers", "status", "code"),
    [
        (b"{not json", "application/json", {}, 400, "bad_request"),
        (b"[1, 2]", "application/json", {}, 400, "bad_request"),
        (b"{}", "text/plain", {}, 415, "unsupported_media_type"),
        (b"{}", "application/json", {"GS1-EPCIS-Version": "1.2"}, 400, "bad_request"),
    ],
)
def test_a_body_that_cannot_be_read_answers_at_once(caller, body, content_type, headers, status, code):
    response = caller("brand_editor").capture(body, content_type=content_type, **headers)
    assert_error(response, status, code)
    assert CaptureJob.objects.count() == 0


def test_a_document_that_is_not_epcis_becomes_a_failed_job(caller):
    body = job_of(caller("brand_editor").capture({"type": "Invoice"}))
    assert body["status"] == "failed" and body["errors"][0]["pointer"] == "/type"


@pytest.mark.parametrize("key", ["fr_officer", "brand_viewer", "provider_admin", "other_counsel_admin"])
def test_who_may_not_capture_gets_403(caller, key):
    assert_error(caller(key).capture(document(commissioning([sgtin("F1")]))), 403, "forbidden")
    assert CaptureJob.objects.count() == 0


def test_a_read_only_token_may_not_capture(caller):
    assert_error(caller("brand_editor", ApiScope.READ).capture(document()), 403, "forbidden")


def test_a_large_document_is_captured_by_the_background_worker(caller, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_EVENT_LIMIT", 2)
    doc = document(commissioning([sgtin(f"W{n}") for n in range(3)]), *(event([sgtin(f"W{n}")]) for n in range(3)))
    with django_capture_on_commit_callbacks(execute=True):
        body = job_of(caller("brand_editor").capture(doc))
        assert body["status"] == "running" and body["running"]
    done = caller("brand_editor").get(f"/api/v1/epcis/capture/{body['id']}").json()
    assert (done["status"], done["stored_count"]) == ("success", 4)
    assert CaptureJob.objects.get(pk=body["id"]).document is None  # not kept once captured


def test_a_large_invalid_document_fails_in_the_background_and_stores_nothing(
    caller, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "SYNC_EVENT_LIMIT", 1)
    doc = document(commissioning([sgtin("V1")]), event([sgtin("V1")], action="JUMP"))
    with django_capture_on_commit_callbacks(execute=True):
        body = job_of(caller("brand_editor").capture(doc))
    done = caller("brand_editor").get(f"/api/v1/epcis/capture/{body['id']}").json()
    assert done["status"] == "failed" and done["errors"][0]["pointer"] == "/epcisBody/eventList/1/action"
    assert EpcisEvent.objects.count() == 0


def test_a_provider_captures_about_the_products_linked_to_its_services_only(caller, world):
    from ipm.catalog import services as catalog
    from ipm.connected.models import Reach, Service, ServiceLink, ServiceStatus

    editor = world.users["brand_editor"]
    brand = catalog.create_brand(editor, world.orgs["brand"], name="Secured")
    linked = catalog.create_product(editor, brand, name="Linked", gtins=[gtin_of(reference="054321")])
    service = Service.objects.create(
        provider=world.orgs["provider"], name="Trace", reach=Reach.VERIFICATION_API, status=ServiceStatus.APPROVED
    )
    ServiceLink.objects.create(service=service, right_holder=world.orgs["brand"], product=linked)

    body = job_of(caller("provider_editor").capture(document(commissioning([sgtin("P1", reference="054321")]))))
    assert body["status"] == "success", body["errors"]
    assert EpcisEvent.objects.get().right_holder_id == world.orgs["brand"].pk
    # Another product of the same right holder (its company prefix) is out of reach.
    other = job_of(caller("provider_editor").capture(document(commissioning([sgtin("P2")]))))
    assert other["status"] == "failed" and "belongs to another right holder" in other["errors"][0]["message"]
    # The other provider has no link: it may not capture at all.
    assert_error(caller("other_provider_editor").capture(document()), 403, "forbidden")


def test_a_body_larger_than_djangos_in_memory_limit_is_read(caller, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    big = commissioning([sgtin("BIG")], **{"example:notes": "x" * (2 * 1024 * 1024)})
    body = job_of(caller("brand_editor").capture(document(big)))
    assert body["status"] == "success", body["errors"]


def test_too_many_events_answer_413_and_store_nothing(caller, monkeypatch):
    monkeypatch.setattr(services, "MAX_EVENTS", 2)
    doc = document(*(event([sgtin(f"Z{n}")]) for n in range(3)))
    assert_error(caller("brand_editor").capture(doc), 413, "too_large")
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 100)
    assert_error(caller("brand_editor").capture(document(event([sgtin("Z9")]))), 413, "too_large")
    assert CaptureJob.objects.count() == 0


def test_an_event_stored_by_another_capture_meanwhile_counts_as_a_duplicate(caller, world, monkeypatch):
    """Two captures of the same event at once: the unique eventID refuses the second insert, which then looks
    again and finds a duplicate (no error, nothing stored twice)."""
    ident = "urn:uuid:77777777-2222-3333-4444-555555555555"
    job_of(caller("brand_editor").capture(document(commissioning([sgtin("R1")], eventID=ident))))
    real_filter = EpcisEvent.objects.filter
    calls = []

    def blind_first_look(*args, **kwargs):  # the first look-up misses what the other capture stored
        queryset = real_filter(*args, **kwargs)
        if "event_id__in" in kwargs and not calls:
            calls.append(1)
            return queryset.none()
        return queryset

    monkeypatch.setattr(EpcisEvent.objects, "filter", blind_first_look)
    again = job_of(caller("brand_editor").capture(document(commissioning([sgtin("R1")], eventID=ident))))
    assert (again["status"], again["stored_count"], again["duplicate_count"]) == ("success", 0, 1)
    assert calls == [1] and EpcisEvent.objects.count() == 1
