"""Server time of the officer's product page (and the API's sheet and GTIN look-up) on a large catalogue.

    .venv/bin/python bench/officer_page.py [--products 100000] [--database PATH] [--requests 300]

Builds the catalogue with the bulk importer into a SQLite file (kept with --database, so a second run skips the
import), or uses IPM_DATABASE_URL when set (that database is flushed first — never point it at real data).
Times requests in-process with Django's test client: that is the server's time without the network.
"""

import argparse
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", help="SQLite file to build or reuse")
    args = parser.parse_args()
    database = args.database or str(Path(tempfile.mkdtemp(prefix="ipm-bench-")) / "bench.sqlite3")
    os.environ.setdefault("IPM_DATABASE_URL", f"sqlite:///{database}")
    os.environ["IPM_VAR_DIR"] = str(Path(database).parent)
    os.environ["IPM_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipm.settings"
    sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]
    import django

    django.setup()
    from catalogue_import import generate
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    from ipm.accounts.models import Organisation, OrganisationKind, Role, User
    from ipm.catalog import importing, services
    from ipm.catalog.models import Product, ProductIdentifier

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    holder = Organisation.objects.filter(name="Bench holder").first()
    if holder is None or Product.objects.count() < args.products:
        if connection.vendor == "postgresql" or holder is not None:
            call_command("flush", interactive=False, verbosity=0)
        holder = Organisation.objects.create(name="Bench holder", kind=OrganisationKind.RIGHT_HOLDER)
        author = User.objects.create_user("bench@example.test", "x" * 12, organisation=holder, role=Role.ADMIN)
        for b in range(5):
            services.create_brand(author, holder, name=f"Brand {b}")
        started = time.perf_counter()
        report = importing.import_rows(author, holder, importing.read_rows(io.BytesIO(generate(args.products)), "csv"))
        assert report.ok, report.errors[:3]
        print(f"built {args.products:,} sheets in {time.perf_counter() - started:.0f} s")
    customs, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.CUSTOMS, country="FR", defaults={"name": "Bench customs"}
    )
    officer = User.objects.filter(email="officer@example.test").first() or User.objects.create_user(
        "officer@example.test", "x" * 12, organisation=customs, role=Role.EDITOR
    )
    client = Client()
    client.force_login(officer)
    ids = list(Product.objects.values_list("pk", flat=True))
    gtins = list(ProductIdentifier.objects.filter(kind="gtin").values_list("value", flat=True)[:5000])
    rng = random.Random(7)
    settings.DEBUG = True  # to count queries; templates are cached either way

    def measure(name, make_url):
        client.get(make_url())  # warm-up
        times, queries = [], []
        for _ in range(args.requests):
            url = make_url()
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            queries.append(len(connection.queries))
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:<28} median {statistics.median(times):6.1f} ms   p95 {percentile(times, 0.95):6.1f} ms   "
            f"queries {max(queries)}"
        )

    print(
        f"database: {connection.vendor}, {len(ids):,} sheets, {ProductIdentifier.objects.count():,} identifiers; "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    measure("officer product page", lambda: f"/products/{rng.choice(ids)}/")
    measure("API sheet", lambda: f"/api/v1/products/{rng.choice(ids)}")
    measure("API look-up by GTIN", lambda: f"/api/v1/products/by-gtin/{rng.choice(gtins)}")
    measure("product list (first page)", lambda: "/products/")


if __name__ == "__main__":
    main()
