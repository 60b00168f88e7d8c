"""What the two EPCIS benchmarks share: a database of their own, a right holder with a GS1 company prefix and its
editor, and generated EPCIS events about SGTINs of that prefix."""

import os
import sys
import tempfile
from pathlib import Path

PREFIX = "4006381"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ipm": "urn:x-ipm:epcis:"}]


def setup() -> None:
    """Django on a fresh SQLite file in a temporary folder, or on IPM_DATABASE_URL (flushed first: never point it
    at real data)."""
    tmp = tempfile.mkdtemp(prefix="ipm-bench-epcis-")
    os.environ.setdefault("IPM_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["IPM_VAR_DIR"] = tmp
    os.environ["IPM_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipm.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)


def right_holder_editor():
    from ipm.accounts.models import Organisation, OrganisationKind, Role, User
    from ipm.catalog.models import CompanyPrefix

    holder = Organisation.objects.create(name="Bench holder", kind=OrganisationKind.RIGHT_HOLDER)
    CompanyPrefix.objects.create(right_holder=holder, prefix=PREFIX)
    return User.objects.create_user("bench-epcis@example.test", "x" * 12, organisation=holder, role=Role.EDITOR)


def sgtin(serial: int | str, reference: str = "012345") -> str:
    return f"urn:epc:id:sgtin:{PREFIX}.{reference}.{serial}"


def event(epcs, *, action="OBSERVE", biz_step="shipping", disposition="in_transit", minute=0, **extra) -> dict:
    hours, minutes = divmod(minute, 60)
    days, hours = divmod(hours, 24)
    return {
        "type": "ObjectEvent",
        "eventTime": f"2026-{1 + days // 28:02d}-{1 + days % 28:02d}T{hours:02d}:{minutes:02d}:00.000Z",
        "eventTimeZoneOffset": "+01:00",
        "action": action,
        "bizStep": biz_step,
        "disposition": disposition,
        "epcList": list(epcs),
        "readPoint": {"id": f"urn:epc:id:sgln:{PREFIX}.00001.0"},
        **extra,
    }


def document(events) -> dict:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-01T00:00:00Z",
        "epcisBody": {"eventList": events},
    }
