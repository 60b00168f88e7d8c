"""Which Connected services secure a scanned item (``connected.services.services_for``, run on every scan with a
match); prints the figures.

    .venv/bin/python bench/connected_services_for.py [--holders 300] [--runs 2000]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/connected_services_for.py

The database holds ``--holders`` right holders, each with a company prefix, a brand and 10 sheets with a GTIN;
100 providers with 3 approved services each (claims: prefixes, brand names, GTINs, 200 code formats and URL
patterns in all); every right holder links its brand to the service claiming its name and to a random one, and one
sheet to a third. Timed: a sheet's look-up (product and GTIN), a GTIN without a sheet (prefix owner), a non-GS1 code
(URL patterns and code formats); median, p95, max, and the queries each takes. Uses its own database (a temporary
SQLite file, or IPM_DATABASE_URL, flushed).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="ipm-bench-connected-")
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


def gtin14(body12: str) -> str:
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(body12))
    return "0" + body12 + str((10 - total % 10) % 10)


def populate(holders: int):
    from ipm.accounts.models import Organisation, OrganisationKind
    from ipm.catalog.models import Brand, CompanyPrefix, Product, ProductIdentifier
    from ipm.connected.models import Service, ServiceCoverage, ServiceLink, ServiceStatus

    rng = random.Random(5)
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Holder {n}", kind=OrganisationKind.RIGHT_HOLDER) for n in range(holders)]
    )
    prefixes = [f"{7000000 + n}" for n in range(holders)]
    CompanyPrefix.objects.bulk_create(
        [CompanyPrefix(right_holder=org, prefix=prefix) for org, prefix in zip(orgs, prefixes, strict=True)]
    )
    brands = Brand.objects.bulk_create([Brand(right_holder=org, name=f"Brand {n}") for n, org in enumerate(orgs)])
    products = Product.objects.bulk_create([Product(brand=brand) for brand in brands for _ in range(10)])
    gtins = {}
    identifiers = []
    for index, product in enumerate(products):
        holder = index // 10
        gtin = gtin14(f"{prefixes[holder]}{index % 10:05d}")
        gtins[product.pk] = gtin
        identifiers.append(
            ProductIdentifier(product=product, value=gtin, right_holder_id=brands[holder].right_holder_id)
        )
    ProductIdentifier.objects.bulk_create(identifiers)
    providers = Organisation.objects.bulk_create(
        [Organisation(name=f"Provider {n}", kind=OrganisationKind.SERVICE_PROVIDER) for n in range(100)]
    )
    services = Service.objects.bulk_create(
        [
            Service(
                provider=provider,
                name=f"{provider.name} / {k}",
                reach="verification_api",
                verification_url="https://verify.example/ipm",
                status=ServiceStatus.APPROVED,
                secret="x",
            )
            for provider in providers
            for k in range(3)
        ]
    )
    coverage = []
    for n, service in enumerate(services):
        for prefix in rng.sample(prefixes, 5):
            coverage.append(ServiceCoverage(service=service, kind="company_prefix", value=prefix))
        coverage.append(ServiceCoverage(service=service, kind="brand", value=f"Brand {n % holders}"))
        coverage.append(ServiceCoverage(service=service, kind="gtin", value=rng.choice(list(gtins.values()))))
        if n < 200:
            coverage.append(ServiceCoverage(service=service, kind="code_format", value=rf"P{n:03d}-\d{{6}}"))
            coverage.append(ServiceCoverage(service=service, kind="url_pattern", value=f"qr{n}.example/v/"))
    ServiceCoverage.objects.bulk_create(coverage, ignore_conflicts=True)
    links = []
    for n, brand in enumerate(brands):
        # The service that claims the brand by name, and another one picked at random.
        for service in {services[n % len(services)], rng.choice(services)}:
            links.append(ServiceLink(service=service, right_holder_id=brand.right_holder_id, brand=brand))
        links.append(
            ServiceLink(service=rng.choice(services), right_holder_id=brand.right_holder_id, product=products[n * 10])
        )
    ServiceLink.objects.bulk_create(links, ignore_conflicts=True)
    return products, gtins, prefixes


def timed(label, calls, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, found = [], 0, 0
    for n in range(runs):
        call = calls[n % len(calls)]
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            found += len(call())
            times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured))
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{label:42} median {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  max {times[-1]:6.2f} ms  "
        f"queries ≤ {queries}  services found per call {found / runs:.2f}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    setup()
    from benchenv import database_label, machine_label

    from ipm.catalog.models import Product
    from ipm.connected.services import services_for

    products, gtins, prefixes = populate(args.holders)
    sheets = list(Product.objects.filter(pk__in=[p.pk for p in products]).select_related("brand"))
    rng = random.Random(7)
    rng.shuffle(sheets)
    print(f"services_for — {database_label()} — {machine_label()} — Python {platform.python_version()}")
    print(f"{args.holders} right holders, {len(sheets)} sheets, 300 approved services, {args.runs} calls each")
    timed("sheet (product + GTIN)", [lambda s=s: services_for(product=s, gtin=gtins[s.pk]) for s in sheets], args.runs)
    unknown = [gtin14(f"{prefix}99999") for prefix in prefixes]
    timed("GTIN without a sheet (prefix owner)", [lambda g=g: services_for(gtin=g) for g in unknown], args.runs)
    codes = [f"P{n:03d}-{n:06d}" for n in range(200)] + [f"https://qr{n}.example/v/{n}" for n in range(200)]
    codes += ["no-such-format", "https://nowhere.example/x"]
    timed(
        "non-GS1 code (200 formats, 200 URL patterns)", [lambda c=c: services_for(raw_code=c) for c in codes], args.runs
    )


if __name__ == "__main__":
    main()
