"""The demo's track-and-trace history: Aurelia Luxury Goods tells IPM, in EPCIS 2.0, the story of the secured watches
the reference provider knows (``ipm_reference_provider.demo``), so that scanning each printable "secured item" code
shows the history findings beside the provider's verdict: commissioned and shipped to the demo's markets; one
serial never commissioned; one decommissioned (stolen); one shipped to the United States and Japan only; one
printed with a foreign lot; one cloned (seen in Jebel Ali, United Arab Emirates, an hour before).

Loaded by ``ipm demo`` through the capture service, like any right holder's document. Idempotent: the events have
fixed eventIDs; the cloned code's sighting is replaced by a fresh one (an hour before now) at each load, so the
demo shows it on any day it is run.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from ipm.accounts.models import Organisation, OrganisationKind, Role, User
from ipm.epcis import services
from ipm.epcis.models import CaptureJob, CaptureStatus, EpcisEvent

RIGHT_HOLDER_NAME = "Aurelia Luxury Goods"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ipm": services.IPM_NAMESPACE}]
FACTORY = "urn:epc:id:sgln:7612345.00001.0"
CLONE_SIGHTING = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "ipm:epcis:demo:cloned-sighting"))


def _event_id(name: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"ipm:epcis:demo:{name}"))


def _epc(gtin: str, serial: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/21/{serial}"


def _time(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _event(name, epcs, *, when, action="OBSERVE", biz_step, disposition, **extra) -> dict:
    return {
        "type": "ObjectEvent",
        "eventID": name if name.startswith("urn:") else _event_id(name),
        "eventTime": _time(when),
        "eventTimeZoneOffset": "+01:00",
        "action": action,
        "bizStep": biz_step,
        "disposition": disposition,
        "epcList": epcs,
        "readPoint": {"id": FACTORY},
        **extra,
    }


def demo_document(now=None) -> dict:
    from ipm_reference_provider import demo as provider

    now = now or timezone.now()
    gtin, codes = provider.DEMO_GTIN, provider.DEMO_SERIALS
    start = now.replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=60)
    in_markets = [s for s in provider.COMMISSIONED if s not in (codes["outside_market"], codes["decommissioned"])]
    events = [
        _event(
            "commissioning",
            [_epc(gtin, serial) for serial in provider.COMMISSIONED],
            when=start,
            action="ADD",
            biz_step="commissioning",
            disposition="active",
            ilmd={"cbvmda:lotNumber": provider.DEMO_LOT, "cbvmda:itemExpirationDate": provider.DEMO_EXPIRY},
            **{"ipm:country": "CH"},
        ),
        _event(
            "shipping-markets",
            [_epc(gtin, serial) for serial in [*in_markets, codes["decommissioned"]]],
            when=start + timedelta(days=10),
            biz_step="shipping",
            disposition="in_transit",
            **{"ipm:intendedMarkets": list(provider.DEMO_MARKETS), "ipm:country": "CH"},
        ),
        _event(
            "shipping-other-markets",
            [_epc(gtin, codes["outside_market"])],
            when=start + timedelta(days=10),
            biz_step="shipping",
            disposition="in_transit",
            **{"ipm:intendedMarkets": list(provider.OTHER_MARKETS), "ipm:country": "CH"},
        ),
        _event(
            "decommissioning-stolen",
            [_epc(gtin, codes["decommissioned"])],
            when=start + timedelta(days=20),
            action="DELETE",
            biz_step="decommissioning",
            disposition="stolen",
            **{"ipm:country": "FR"},
        ),
        _event(
            CLONE_SIGHTING,
            [_epc(gtin, codes["cloned"])],
            when=now - timedelta(hours=1),
            biz_step="inspecting",
            disposition="in_progress",
            **{"ipm:country": provider.CLONE_SIGHTING_COUNTRY},
        ),
    ]
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(now),
        "epcisBody": {"eventList": events},
    }


def load_demo_history() -> CaptureJob:
    """Capture the demo's document as the right holder's editor (again: only the new sighting is stored)."""
    holder = Organisation.objects.get(kind=OrganisationKind.RIGHT_HOLDER, name=RIGHT_HOLDER_NAME)
    editor = User.objects.filter(organisation=holder, role__in=[Role.EDITOR, Role.ADMIN], is_active=True).first()
    EpcisEvent.objects.filter(event_id=CLONE_SIGHTING).delete()  # the sighting is always an hour old
    job = services.start_capture(editor, demo_document())
    if job.status != CaptureStatus.SUCCESS:
        raise RuntimeError(f"the demo's EPCIS document was refused: {job.errors[:3]}")
    return job
