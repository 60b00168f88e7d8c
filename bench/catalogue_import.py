"""Generate a catalogue of N products (3 GTINs each) as CSV and import it; prints time and peak memory.

    .venv/bin/python bench/catalogue_import.py [--products 100000]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/catalogue_import.py

Uses its own database: a fresh SQLite file under a temporary folder by default; with IPM_DATABASE_URL set to
PostgreSQL, the database named there is emptied (flushed) first — never point it at real data.
"""

import argparse
import csv
import io
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path


def gtin13(n: int) -> str:
    body = f"2{n:011d}"  # prefix 2: restricted circulation numbers, never a real product
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def generate(products: int) -> bytes:
    out = io.StringIO()
    columns = [
        "gtins",
        "skus",
        "brand",
        "language",
        "name",
        "description",
        "hs_code",
        "country_of_manufacture",
        "price_min",
        "price_max",
        "currency",
        "name_fr",
        "clue1_title",
        "clue1_explanation",
        "status",
    ]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for n in range(products):
        writer.writerow(
            {
                "gtins": "|".join(gtin13(3 * n + k) for k in range(3)),
                "skus": f"SKU-{n:07d}",
                "brand": f"Brand {n % 5}",
                "language": "en",
                "name": f"Product {n} leather wallet",
                "description": "Full-grain leather, embossed logo, stitched edges.",
                "hs_code": "420231",
                "country_of_manufacture": "IT",
                "price_min": "120",
                "price_max": "260",
                "currency": "EUR",
                "name_fr": f"Portefeuille en cuir {n}",
                "clue1_title": "Embossing depth",
                "clue1_explanation": "The genuine logo is embossed 0.5 mm deep with sharp edges.",
                "status": "published",
            }
        )
    return out.getvalue().encode()


def main():  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="ipm-bench-")
    os.environ.setdefault("IPM_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["IPM_VAR_DIR"] = tmp
    os.environ["IPM_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipm.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ipm.accounts.models import Organisation, OrganisationKind, Role, User
    from ipm.catalog import importing, services
    from ipm.catalog.models import Product, ProductIdentifier

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    holder = Organisation.objects.create(name="Bench holder", kind=OrganisationKind.RIGHT_HOLDER)
    user = User.objects.create_user("bench@example.test", "x" * 12, organisation=holder, role=Role.ADMIN)
    for b in range(5):
        services.create_brand(user, holder, name=f"Brand {b}")

    started = time.perf_counter()
    data = generate(args.products)
    generated = time.perf_counter() - started
    print(f"generated {args.products:,} rows ({len(data) / 1e6:.1f} MB CSV) in {generated:.1f} s")

    started = time.perf_counter()
    report = importing.import_rows(user, holder, importing.read_rows(io.BytesIO(data), "csv"))
    elapsed = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"database: {connection.vendor}; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"imported {report.created:,} products, {ProductIdentifier.objects.count():,} identifiers "
        f"in {elapsed:.1f} s ({report.created / elapsed:,.0f} products/s); peak memory {peak_mib:,.0f} MiB"
    )

    started = time.perf_counter()
    again = importing.import_rows(user, holder, importing.read_rows(io.BytesIO(data), "csv"))
    print(
        f"re-import of the same file (no change): {time.perf_counter() - started:.1f} s, "
        f"updated {again.updated}; products now {Product.objects.count():,}"
    )


if __name__ == "__main__":
    main()
