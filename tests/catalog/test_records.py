"""A right holder's logistics and legal records — IP rights, applications for action, contacts, trade parties, and
per sheet its usual routes and known counterfeits — through the pages, the API and the services: created, edited,
removed; refused when invalid (and then nothing changes); hidden from rivals; read but not written by officers."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token
from ipm.catalog import records, services
from ipm.catalog.models import (
    ApplicationForAction,
    Contact,
    CounterfeitVariant,
    IPRight,
    PartyRole,
    ProductRevision,
    Route,
    TradeParty,
)
from tests.catalog.sheets import jpeg

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(world):
    return world.users["brand_editor"]


@pytest.fixture
def holder(world):
    return world.orgs["brand"]


@pytest.fixture
def web(client_for, editor):
    return client_for(editor)


@pytest.fixture
def sheet(editor, holder):
    brand = services.create_brand(editor, holder, name="Aurelia")
    product = services.create_product(editor, brand, name="Silk scarf", gtins=["4006381333931"])
    services.add_clue(editor, product, language="en", title="Stitching")
    return product


@pytest.fixture
def published(editor, sheet):
    services.publish_product(editor, sheet)
    return sheet


@pytest.fixture
def rival_sheet(world):
    author = world.users["rival_editor"]
    brand = services.create_brand(author, world.orgs["rival"], name="Rival")
    return services.create_product(author, brand, name="Rival scarf", gtins=["4006381333948"])


def url(name, *args):
    return reverse(f"catalog:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


class Caller:
    def __init__(self, user, scope=ApiScope.WRITE):
        _token, key = create_api_token(user, name="tests", scope=scope)
        self.client = Client(headers={"authorization": f"Bearer {key}"})

    def __call__(self, method, path, body=None, **query):
        send = getattr(self.client, method.lower())
        if body is not None:
            return send(BASE + path, json.dumps(body), content_type="application/json", query_params=query)
        return send(BASE + path, query_params=query)


@pytest.fixture
def api(world):
    return lambda key, scope=ApiScope.WRITE: Caller(world.users[key], scope)


def counts() -> dict:
    models = (IPRight, ApplicationForAction, Contact, TradeParty, Route, CounterfeitVariant, ProductRevision)
    return {model.__name__: model.objects.count() for model in models}


def error_fields(response) -> set:
    assert response.status_code == 422, response.content
    return {tuple(detail["location"])[-1] for detail in response.json()["error"]["details"]}


TODAY = timezone.localdate()
PAST, FUTURE = TODAY - timedelta(days=400), TODAY + timedelta(days=400)


# --- Pages: each kind created, edited, removed ------------------------------------------------------------------


def test_the_records_home_lists_the_kinds_and_opens_a_sheets_routes(web, holder, sheet):
    page = text(web.get(url("records_home", holder.pk)))
    for title in ("IP rights", "Applications for action", "Contacts", "Trade parties", "Silk scarf"):
        assert title in page
    response = web.get(url("records_home", holder.pk), {"product": sheet.pk, "kind": "counterfeits"})
    assert response["Location"] == url("sheet_records", sheet.pk, "counterfeits")


def test_ip_rights_through_the_pages_with_the_expired_badge(web, holder, sheet):
    data = {
        "kind": "trademark",
        "office": "EUIPO",
        "number": "018000001",
        "classes": "25",
        "registered_on": PAST.isoformat(),
        "expires_on": (TODAY - timedelta(days=1)).isoformat(),
        "products": [sheet.pk],
    }
    response = web.post(url("record_create", holder.pk, "ip-rights"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    right = IPRight.objects.get(right_holder=holder, number="018000001")
    assert right.is_expired and list(right.products.all()) == [sheet]
    page = text(web.get(url("record_list", holder.pk, "ip-rights")))
    assert "018000001" in page and "data-expired" in page

    response = web.post(url("record_edit", "ip-rights", right.pk), {**data, "expires_on": FUTURE.isoformat()})
    assert response.status_code == 302
    right.refresh_from_db()
    assert not right.is_expired
    assert "data-expired" not in text(web.get(url("record_list", holder.pk, "ip-rights")))

    assert web.post(url("record_remove", "ip-rights", right.pk)).status_code == 302
    assert not IPRight.objects.filter(pk=right.pk).exists()


def test_an_application_for_action_keeps_the_input_when_its_dates_are_reversed(web, holder):
    right = records.create_ip_right(
        holder.members.get(email__startswith="brand_editor"), holder, office="WIPO", number="1"
    )
    data = {
        "country": "FR",
        "reference": "FR-AFA-2026",
        "valid_from": FUTURE.isoformat(),
        "valid_until": TODAY.isoformat(),
        "ip_rights": [right.pk],
    }
    before = counts()
    response = web.post(url("record_create", holder.pk, "applications"), data)
    assert response.status_code == 200
    assert "The end of validity is before its start." in text(response)
    assert 'value="FR-AFA-2026"' in text(response)  # the input is kept
    assert counts() == before

    response = web.post(url("record_create", holder.pk, "applications"), {**data, "valid_from": PAST.isoformat()})
    assert response.status_code == 302
    application = ApplicationForAction.objects.get(reference="FR-AFA-2026")
    assert list(application.ip_rights.all()) == [right] and not application.is_expired

    response = web.post(
        url("record_edit", "applications", application.pk),
        {**data, "valid_from": PAST.isoformat(), "valid_until": (TODAY - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 302
    page = text(web.get(url("record_list", holder.pk, "applications")))
    assert "FR-AFA-2026" in page and "data-expired" in page and "France" in page
    web.post(url("record_remove", "applications", application.pk))
    assert not ApplicationForAction.objects.exists()


def test_contacts_through_the_pages(web, holder):
    data = {
        "name": "Léa Martin",
        "function": "Brand protection",
        "phone": "+33 1 23 45 67 89",
        "emergency_phone": "+33 6 12 34 56 78",
        "email": "lea@example.test",
        "countries": ["FR", "BE"],
        "languages": "fr, en",
        "is_legal_representative": "on",
    }
    assert web.post(url("record_create", holder.pk, "contacts"), data).status_code == 302
    contact = Contact.objects.get(right_holder=holder)
    assert [str(c) for c in contact.countries] == ["BE", "FR"] and contact.languages == "fr, en"
    page = text(web.get(url("record_list", holder.pk, "contacts")))
    assert "24/7" in page and "+33 6 12 34 56 78" in page and "Legal representative" in page

    before = counts()
    response = web.post(
        url("record_edit", "contacts", contact.pk), {**data, "emergency_phone": "call us", "email": "x@"}
    )
    assert response.status_code == 200 and 'value="call us"' in text(response)
    assert "is not a phone number" in text(response)
    contact.refresh_from_db()
    assert contact.emergency_phone == "+33 6 12 34 56 78" and counts() == before

    assert web.post(url("record_remove", "contacts", contact.pk)).status_code == 302
    assert not Contact.objects.exists()


def test_trade_parties_and_a_shared_known_infringer(web, holder):
    data = {"role": PartyRole.KNOWN_INFRINGER, "name": "Fakes Ltd", "country": "CN", "address": "Guangzhou"}
    assert web.post(url("record_create", holder.pk, "parties"), data).status_code == 302
    party = TradeParty.objects.get(right_holder=holder)
    page = text(web.get(url("record_list", holder.pk, "parties")))
    assert "Fakes Ltd" in page and "Shared with customs" in page and "data-infringer" in page

    assert web.post(url("record_edit", "parties", party.pk), {**data, "role": "importer"}).status_code == 302
    party.refresh_from_db()
    assert party.role == "importer"
    assert "Shared with customs" not in text(web.get(url("record_list", holder.pk, "parties")))
    web.post(url("record_remove", "parties", party.pk))
    assert not TradeParty.objects.exists()


def test_routes_of_a_sheet_with_a_revision_each(web, sheet):
    revisions = sheet.revisions.count()
    data = {"origin": "CN", "transit": ["AE"], "destination": "FR", "ports": "cnsha, FRLEH", "modes": ["sea", "road"]}
    assert web.post(url("sheet_record_create", sheet.pk, "routes"), data).status_code == 302
    route = Route.objects.get(product=sheet)
    assert route.port_list == ["CNSHA", "FRLEH"] and route.mode_list == ["sea", "road"]
    assert sheet.revisions.count() == revisions + 1
    assert sheet.revisions.order_by("-number").first().summary == "Route added"
    page = text(web.get(url("sheet_records", sheet.pk, "routes")))
    assert "CNSHA" in page and "United Arab Emirates" in page and "Sea" in page

    before = counts()
    response = web.post(url("sheet_record_edit", "routes", route.pk), {**data, "ports": "CNSHA, ROTTERDAM"})
    assert response.status_code == 200 and "is not a UN/LOCODE" in text(response)
    assert 'value="CNSHA, ROTTERDAM"' in text(response) and counts() == before

    assert web.post(url("sheet_record_edit", "routes", route.pk), {**data, "ports": "NLRTM"}).status_code == 302
    route.refresh_from_db()
    assert route.ports == "NLRTM"
    assert web.post(url("sheet_record_remove", "routes", route.pk)).status_code == 302
    assert not Route.objects.exists() and sheet.revisions.count() == revisions + 3


def test_known_counterfeits_with_their_photo(web, sheet):
    photo = SimpleUploadedFile("fake.jpg", jpeg(), content_type="image/jpeg")
    data = {"name": "Blurred logo", "description": "The logo is printed, not woven.", "first_seen": PAST.isoformat()}
    response = web.post(url("sheet_record_create", sheet.pk, "counterfeits"), {**data, "photo": photo})
    assert response.status_code == 302
    variant = CounterfeitVariant.objects.get(product=sheet)
    assert variant.photo and str(variant) == "Blurred logo"
    page = text(web.get(url("sheet_records", sheet.pk, "counterfeits")))
    assert "Blurred logo" in page and "<img" in page

    response = web.post(
        url("sheet_record_edit", "counterfeits", variant.pk), {**data, "name": "Blurred", "remove_photo": "on"}
    )
    assert response.status_code == 302
    variant = CounterfeitVariant.objects.get(pk=variant.pk)
    assert not variant.photo and str(variant) == "Blurred"

    not_a_picture = SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")
    response = web.post(url("sheet_record_edit", "counterfeits", variant.pk), {**data, "photo": not_a_picture})
    assert response.status_code == 200 and not CounterfeitVariant.objects.get(pk=variant.pk).photo

    assert web.post(url("sheet_record_remove", "counterfeits", variant.pk)).status_code == 302
    assert not CounterfeitVariant.objects.exists()


# --- Who may: pages ---------------------------------------------------------------------------------------------


def test_a_rival_gets_404_and_a_viewer_403_and_nothing_changes(world, client_for, holder, sheet):
    editor = world.users["brand_editor"]
    right = records.create_ip_right(editor, holder, office="EUIPO", number="7")
    route = records.create_route(editor, sheet, origin="CN", destination="FR")
    rival = client_for(world.users["rival_admin"])
    officer = client_for(world.users["fr_officer"])
    before = counts()
    for client in (rival, officer):
        assert client.get(url("record_list", holder.pk, "ip-rights")).status_code == 404
        assert client.get(url("record_edit", "ip-rights", right.pk)).status_code == 404
        assert client.post(url("record_remove", "ip-rights", right.pk)).status_code == 404
        assert client.post(url("sheet_record_remove", "routes", route.pk)).status_code == 404
    viewer = client_for(world.users["brand_viewer"])
    assert viewer.get(url("record_list", holder.pk, "ip-rights")).status_code == 200
    assert viewer.post(url("record_remove", "ip-rights", right.pk)).status_code == 403
    assert viewer.post(url("record_create", holder.pk, "contacts"), {"name": "X"}).status_code == 403
    assert counts() == before


# --- Services: validation changes nothing -----------------------------------------------------------------------


def test_the_services_validate_and_write_nothing_on_error(world, editor, holder, sheet, rival_sheet):
    before = counts()
    cases = [
        (lambda: records.create_route(editor, sheet, origin="CN", destination="FR", ports="CNSHA NLRT"), "ports"),
        (lambda: records.create_route(editor, sheet, origin="XX", destination="FR"), "origin"),
        (lambda: records.create_route(editor, sheet, origin="CN", destination="FR", modes="teleport"), "modes"),
        (lambda: records.create_route(editor, sheet, origin="CN", destination="FR", transit=["ZZ"]), "transit"),
        (
            lambda: records.create_application(
                editor, holder, country="FR", reference="A", valid_from=TODAY, valid_until=PAST
            ),
            "valid_until",
        ),
        (
            lambda: records.create_ip_right(
                editor, holder, office="O", number="1", registered_on=TODAY, expires_on=PAST
            ),
            "expires_on",
        ),
        (
            lambda: records.create_ip_right(editor, holder, office="O", number="1", products=[rival_sheet.pk]),
            "products",
        ),
        (lambda: records.create_contact(editor, holder, name="A", products=[rival_sheet]), "products"),
        (lambda: records.create_contact(editor, holder, name="A", email="not-an-address"), "email"),
        (lambda: records.create_contact(editor, holder, name="A", countries=["FR", "QQ"]), "countries"),
        (lambda: records.create_contact(editor, holder, name="A", languages="english!"), "languages"),
        (lambda: records.create_trade_party(editor, holder, role="smuggler", name="A", country="FR"), "role"),
        (lambda: records.create_trade_party(editor, holder, role="importer", name="A", country="Narnia"), "country"),
        (lambda: records.create_variant(editor, sheet, name=""), "name"),
    ]
    for attempt, field in cases:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert field in caught.value.message_dict, (field, caught.value.message_dict)
    assert counts() == before

    records.create_ip_right(editor, holder, office="EUIPO", number="1")
    with pytest.raises(ValidationError) as caught:
        records.create_ip_right(editor, holder, office="EUIPO", number="1")
    assert "number" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        records.create_contact(world.users["rival_editor"], holder, name="Intruder")
    with pytest.raises(PermissionDenied):
        records.create_route(world.users["rival_editor"], sheet, origin="CN", destination="FR")


# --- The API ----------------------------------------------------------------------------------------------------


def test_each_kind_through_the_api(api, holder, sheet):
    editor = api("brand_editor")
    right = editor("POST", "/ip-rights", {"office": "EUIPO", "number": "9", "expires_on": PAST.isoformat()})
    assert right.status_code == 201, right.content
    right = right.json()
    assert right["is_expired"] and right["right_holder_id"] == holder.pk
    response = editor(
        "PATCH", f"/ip-rights/{right['id']}", {"expires_on": FUTURE.isoformat(), "product_ids": [sheet.pk]}
    )
    assert (
        response.status_code == 200
        and not response.json()["is_expired"]
        and response.json()["product_ids"] == [sheet.pk]
    )

    application = editor(
        "POST",
        "/applications-for-action",
        {
            "country": "fr",
            "reference": "R1",
            "valid_from": PAST.isoformat(),
            "valid_until": FUTURE.isoformat(),
            "ip_right_ids": [right["id"]],
        },
    )
    assert application.status_code == 201 and application.json()["country"] == "FR"
    assert application.json()["ip_right_ids"] == [right["id"]]
    contact = editor("POST", "/contacts", {"name": "Desk", "emergency_phone": "+1 202 555 0100", "countries": ["US"]})
    assert contact.status_code == 201 and contact.json()["countries"] == ["US"]
    party = editor("POST", "/trade-parties", {"role": "known_infringer", "name": "Fakes Ltd", "country": "CN"})
    assert party.status_code == 201 and party.json()["shared_infringer"]
    route = editor(
        "POST",
        f"/products/{sheet.pk}/routes",
        {"origin": "CN", "destination": "FR", "ports": ["CNSHA"], "modes": ["air"]},
    )
    assert route.status_code == 201 and route.json()["ports"] == ["CNSHA"]
    variant = editor("POST", f"/products/{sheet.pk}/counterfeits", {"name": "Thin box", "language": "en"})
    assert variant.status_code == 201 and variant.json()["name"] == "Thin box"

    assert editor("PATCH", f"/routes/{route.json()['id']}", {"modes": ["rail"]}).json()["modes"] == ["rail"]
    assert (
        editor("PATCH", f"/counterfeits/{variant.json()['id']}", {"name": "Thinner box"}).json()["name"]
        == "Thinner box"
    )
    assert [r["name"] for r in editor("GET", "/trade-parties", right_holder_id=holder.pk).json()["items"]] == [
        "Fakes Ltd"
    ]
    assert [r["name"] for r in editor("GET", f"/products/{sheet.pk}/counterfeits").json()] == ["Thinner box"]

    for path in (
        f"/ip-rights/{right['id']}",
        f"/applications-for-action/{application.json()['id']}",
        f"/contacts/{contact.json()['id']}",
        f"/trade-parties/{party.json()['id']}",
        f"/routes/{route.json()['id']}",
        f"/counterfeits/{variant.json()['id']}",
    ):
        assert editor("DELETE", path).status_code == 204, path
    assert counts() | {"ProductRevision": 0} == dict.fromkeys(counts(), 0)


def test_api_validation_errors_change_nothing(api, holder, sheet, rival_sheet):
    editor = api("brand_editor")
    before = counts()
    path = f"/products/{sheet.pk}/routes"
    assert error_fields(editor("POST", path, {"origin": "CN", "destination": "FR", "ports": ["CN-SHA"]})) == {"ports"}
    assert error_fields(editor("POST", path, {"origin": "QQ", "destination": "FR"})) == {"origin"}
    body = {"country": "FR", "reference": "R", "valid_from": TODAY.isoformat(), "valid_until": PAST.isoformat()}
    assert error_fields(editor("POST", "/applications-for-action", body)) == {"valid_until"}
    assert error_fields(editor("POST", "/contacts", {"name": "A", "product_ids": [rival_sheet.pk]})) == {"products"}
    assert counts() == before


def test_officers_read_but_do_not_write_and_rivals_see_nothing(world, api, holder, published, rival_sheet):
    editor = world.users["brand_editor"]
    right = records.create_ip_right(editor, holder, office="EUIPO", number="5")
    party = records.create_trade_party(editor, holder, role="known_infringer", name="Fakes Ltd", country="CN")
    route = records.create_route(editor, published, origin="CN", destination="FR")
    officer, rival = api("fr_officer"), api("rival_editor")
    before = counts()

    assert [r["id"] for r in officer("GET", "/ip-rights").json()["items"]] == [right.pk]
    assert [r["id"] for r in officer("GET", "/trade-parties").json()["items"]] == [party.pk]
    assert [r["id"] for r in officer("GET", f"/products/{published.pk}/routes").json()] == [route.pk]
    assert officer("PATCH", f"/ip-rights/{right.pk}", {"number": "6"}).status_code == 403
    assert officer("DELETE", f"/routes/{route.pk}").status_code == 403
    assert officer("POST", "/contacts", {"name": "X"}).status_code == 403  # for their own administration
    assert officer("POST", "/contacts", {"name": "X", "right_holder_id": holder.pk}).status_code == 404

    assert rival("GET", "/ip-rights").json()["items"] == []
    assert rival("PATCH", f"/ip-rights/{right.pk}", {"number": "6"}).status_code == 404
    assert rival("DELETE", f"/trade-parties/{party.pk}").status_code == 404
    assert rival("DELETE", f"/routes/{route.pk}").status_code == 404
    assert rival("POST", f"/products/{published.pk}/routes", {"origin": "CN", "destination": "FR"}).status_code == 404
    assert api("brand_editor", ApiScope.READ)("DELETE", f"/ip-rights/{right.pk}").status_code == 403
    assert counts() == before


def test_the_catalogue_and_the_sheet_link_to_the_records(web, holder, sheet):
    assert url("records_home", holder.pk) in text(web.get(url("catalogue", holder.pk)))
    page = text(web.get(url("sheet_edit", sheet.pk)))
    assert url("sheet_records", sheet.pk, "routes") in page and url("sheet_records", sheet.pk, "counterfeits") in page


def test_gs1_company_prefixes_through_the_pages_refuse_overlaps(web, holder, world, client_for):
    from ipm.catalog.models import CompanyPrefix

    assert web.post(url("record_create", holder.pk, "prefixes"), {"prefix": "761 2345"}).status_code == 302
    prefix = CompanyPrefix.objects.get(right_holder=holder)
    assert prefix.prefix == "7612345"
    assert "7612345" in text(web.get(url("record_list", holder.pk, "prefixes")))

    # Equal to, inside or extending a registered prefix — anyone's — is refused and nothing is written.
    rival_web = client_for(world.users["rival_admin"])
    for value in ("7612345", "76123", "761234599"):
        response = rival_web.post(url("record_create", world.orgs["rival"].pk, "prefixes"), {"prefix": value})
        assert response.status_code == 200 and "overlaps" in text(response), value
    response = web.post(url("record_create", holder.pk, "prefixes"), {"prefix": "12ab"})
    assert "4 to 12 digits" in text(response)
    assert CompanyPrefix.objects.count() == 1

    # Another right holder cannot touch it.
    assert rival_web.post(url("record_remove", "prefixes", prefix.pk)).status_code == 404
    assert web.post(url("record_edit", "prefixes", prefix.pk), {"prefix": "7612346"}).status_code == 302
    prefix.refresh_from_db()
    assert prefix.prefix == "7612346"
    web.post(url("record_remove", "prefixes", prefix.pk))
    assert not CompanyPrefix.objects.exists()
