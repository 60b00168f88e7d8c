"""Capture of a 10,000-event EPCIS document (issue 5 target: under 10 s); prints the figures.

    .venv/bin/python bench/epcis_capture.py [--events 10000] [--epcs 5]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/epcis_capture.py

The document: one commissioning event (with ILMD lot and expiry) for every four observations (shipping,
receiving …), each naming ``--epcs`` SGTINs. Timed: reading the JSON, validating it, and the whole capture
(validation, GTIN owners, writing events and their item index), then the same document again (every event
already held: idempotent by eventID). Uses its own database (see epcis_common.setup).
"""

import argparse
import json
import os
import platform
import resource
import time

from epcis_common import document, event, right_holder_editor, setup, sgtin

STEPS = [("receiving", "in_progress"), ("shipping", "in_transit"), ("storing", "sellable_not_accessible")]


def generate(count: int, epcs: int) -> dict:
    events = []
    for n in range(count):
        serials = [sgtin(f"{n // 5}-{k}") for k in range(epcs)]
        if n % 5 == 0:
            events.append(
                event(
                    serials,
                    action="ADD",
                    biz_step="commissioning",
                    disposition="active",
                    minute=n,
                    eventID=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                    ilmd={"cbvmda:lotNumber": f"L{n // 500}", "cbvmda:itemExpirationDate": "2028-12-31"},
                )
            )
        else:
            step, disposition = STEPS[n % 3]
            extra = {"ipm:intendedMarkets": ["FR", "DE"]} if step == "shipping" else {}
            events.append(event(serials, biz_step=step, disposition=disposition, minute=n, **extra))
    return document(events)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--epcs", type=int, default=5)
    args = parser.parse_args()
    setup()
    from benchenv import database_label, machine_label
    from django.db import connection

    from ipm.epcis import services, validation
    from ipm.epcis.models import CaptureJob, CaptureStatus, EpcisEvent, EpcisItem

    user = right_holder_editor()
    raw = json.dumps(generate(args.events, args.epcs)).encode()
    print(f"database: {database_label()}; machine: {machine_label()}, Python {platform.python_version()}")
    print(f"document: {args.events:,} events, {args.events * args.epcs:,} EPCs, {len(raw) / 1e6:.1f} MB JSON")

    started = time.perf_counter()
    doc = services.read_document(raw)
    read = time.perf_counter() - started
    started = time.perf_counter()
    problems = validation.validate_document(doc)
    validated = time.perf_counter() - started
    assert not problems, problems[:3]
    print(f"read JSON {read * 1000:,.0f} ms; validate {validated * 1000:,.0f} ms")

    for attempt in ("capture", "same document again"):
        doc = services.read_document(raw)
        started = time.perf_counter()
        job = CaptureJob.objects.create(organisation=user.organisation, created_by=user, event_count=args.events)
        services.run_capture(job, doc, user)
        elapsed = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == CaptureStatus.SUCCESS, job.errors[:3]
        print(
            f"{attempt}: {elapsed:.2f} s ({args.events / elapsed:,.0f} events/s); stored {job.stored_count:,}, "
            f"already held {job.duplicate_count:,} — target < 10 s: {'met' if elapsed < 10 else 'MISSED'}"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"events {EpcisEvent.objects.count():,}, items {EpcisItem.objects.count():,}; peak memory {peak_mib:,.0f} MiB;"
        f" {connection.vendor}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
