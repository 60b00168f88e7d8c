"""The scan's look-up says whether an IPM Connected service may secure the item (an EXISTS in the same query), so
that the costlier search for the securing services runs only for items a right holder linked to one."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipm.connected.models import Reach, Service, ServiceLink, ServiceStatus
from ipm.scans import services as scans
from ipm.scans.models import ScanSource
from tests.api.helpers import api_client
from tests.scans.conftest import CODES, build_catalogue


@pytest.fixture
def catalogue(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_catalogue(world)


def make_service(world, status=ServiceStatus.APPROVED) -> Service:
    return Service.objects.create(
        provider=world.orgs["provider"],
        name="Launcher",
        reach=Reach.APP_LAUNCH,
        status=status,
        app_link_template="https://verify.example/scan?c={code}",
    )


def item_for(world, code):
    return scans.scan(world.users["fr_officer"], code=code, source=ScanSource.API).results[0]


def test_a_product_nobody_linked_is_not_secured(world, catalogue):
    make_service(world)  # a service exists, but no right holder put anything under it
    item = item_for(world, CODES["published"])
    assert item.product is not None and not item.may_be_secured


@pytest.mark.parametrize("linked", ["brand", "product"])
def test_a_product_linked_by_its_brand_or_itself_may_be_secured(world, catalogue, linked):
    service = make_service(world)
    target = (
        {"brand": catalogue.brands["aurelia"]} if linked == "brand" else {"product": catalogue.products["published"]}
    )
    ServiceLink.objects.create(service=service, right_holder=world.orgs["brand"], **target)
    assert item_for(world, CODES["published"]).may_be_secured


@pytest.mark.parametrize("change", ["link inactive", "service suspended", "service pending"])
def test_an_inactive_link_or_an_unapproved_service_does_not_count(world, catalogue, change):
    service = make_service(world)
    link = ServiceLink.objects.create(
        service=service, right_holder=world.orgs["brand"], brand=catalogue.brands["aurelia"]
    )
    if change == "link inactive":
        ServiceLink.objects.filter(pk=link.pk).update(active=False)
    else:
        status = ServiceStatus.SUSPENDED if change == "service suspended" else ServiceStatus.PENDING
        Service.objects.filter(pk=service.pk).update(status=status)
    assert not item_for(world, CODES["published"]).may_be_secured


def test_a_gtin_of_a_linked_right_holders_prefix_may_be_secured(world, catalogue):
    item = item_for(world, CODES["in_prefix"])
    assert item.right_holder is not None and not item.may_be_secured
    ServiceLink.objects.create(
        service=make_service(world), right_holder=world.orgs["brand"], brand=catalogue.brands["aurelia"]
    )
    assert item_for(world, CODES["in_prefix"]).may_be_secured


def test_an_unknown_gtin_is_not_secured_and_a_url_is_left_to_the_services_patterns(world, catalogue):
    assert not item_for(world, CODES["unknown"]).may_be_secured
    assert item_for(world, "https://verify.example/item/123").may_be_secured


def test_scanning_an_item_nobody_secures_never_asks_for_services(world, catalogue):
    """The officer's main path keeps its one look-up: nothing reads the services' coverage for such an item."""
    make_service(world)
    client = api_client(world.users["fr_officer"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/scans", json.dumps({"code": CODES["published"]}), "application/json")
    assert response.status_code == 200 and response.json()["results"][0]["connected"] == []
    assert not [q["sql"] for q in queries.captured_queries if "connected_servicecoverage" in q["sql"]]
