"""Small EPCIS documents for the tests: object events about SGTINs of a company prefix the test registers."""

import json

from django.test import Client

from ipm.accounts.models import ApiScope
from ipm.accounts.services import create_api_token
from ipm.catalog.models import CompanyPrefix

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ipm": "urn:x-ipm:epcis:"}]
PREFIX = "4006381"  # the brand's GS1 company prefix in these tests
RIVAL_PREFIX = "5012345"


def sgtin(serial: str, prefix: str = PREFIX, reference: str = "012345") -> str:
    return f"urn:epc:id:sgtin:{prefix}.{reference}.{serial}"


def gtin_of(prefix: str = PREFIX, reference: str = "012345") -> str:
    from ipm.epcis.identifiers import trade_item

    return trade_item(sgtin("1", prefix, reference)).gtin


def event(epcs, *, action="OBSERVE", biz_step=None, disposition=None, time="2026-01-10T10:00:00.000Z", **extra):
    body = {
        "type": "ObjectEvent",
        "eventTime": time,
        "eventTimeZoneOffset": "+00:00",
        "action": action,
        "epcList": list(epcs),
    }
    if biz_step:
        body["bizStep"] = biz_step
    if disposition:
        body["disposition"] = disposition
    body.update(extra)
    return body


def commissioning(epcs, *, lot=None, expiry=None, time="2026-01-01T08:00:00.000Z", **extra):
    ilmd = {}
    if lot:
        ilmd["cbvmda:lotNumber"] = lot
    if expiry:
        ilmd["cbvmda:itemExpirationDate"] = expiry
    if ilmd:
        extra["ilmd"] = ilmd
    return event(epcs, action="ADD", biz_step="commissioning", disposition="active", time=time, **extra)


def document(*events, header=None) -> dict:
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-20T00:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }
    if header:
        doc["epcisHeader"] = header
    return doc


def register_prefixes(world):
    CompanyPrefix.objects.create(right_holder=world.orgs["brand"], prefix=PREFIX)
    CompanyPrefix.objects.create(right_holder=world.orgs["rival"], prefix=RIVAL_PREFIX)


class Caller:
    """An API client with a personal token of the user (write scope unless told)."""

    def __init__(self, user, scope=ApiScope.WRITE):
        _token, key = create_api_token(user, name="tests", scope=scope)
        self.client = Client(headers={"authorization": f"Bearer {key}"})

    def capture(self, document, *, path="/api/v1/epcis/capture", content_type="application/ld+json", **headers):
        body = document if isinstance(document, bytes | str) else json.dumps(document)
        return self.client.post(path, body, content_type=content_type, headers=headers)

    def get(self, path, **params):
        return self.client.get(path, params)
