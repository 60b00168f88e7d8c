"""Bulk import and export: all-or-nothing, idempotent, with a per-row error report."""

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from ipm.catalog import importing, services
from ipm.catalog.models import ImportJob, ImportStatus, Product, ProductIdentifier, ProductRevision


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_admin"], world.orgs["brand"], name="Aurelia")


def csv_bytes(rows, columns=None):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or sorted({k for r in rows for k in r}))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def run(world, data: bytes, fmt="csv", dry_run=False, user="brand_admin", org="brand"):
    return importing.import_rows(
        world.users[user], world.orgs[org], importing.read_rows(io.BytesIO(data), fmt), dry_run=dry_run
    )


ROWS = [
    {
        "gtins": "4006381333931|96385074",
        "skus": "SC-1",
        "brand": "Aurelia",
        "name": "Silk scarf",
        "description": "Hand-rolled",
        "hs_code": "621410",
        "country_of_manufacture": "IT",
        "price_min": "250",
        "price_max": "420",
        "currency": "EUR",
        "name_fr": "Carré de soie",
        "clue1_title": "Hem",
        "clue1_explanation": "Rolled by hand",
        "status": "published",
    },
    {"gtins": "036000291452", "brand": "aurelia", "name": "Belt", "visible_countries": "FR|MA"},
]


def test_import_creates_sheets_with_codes_translations_and_clues(world, brand):
    report = run(world, csv_bytes(ROWS))
    assert report.ok, report.errors
    assert (report.total_rows, report.created) == (2, 2)
    scarf = ProductIdentifier.objects.get(value="04006381333931").product
    assert scarf.status == "published"
    assert set(scarf.identifiers.values_list("value", flat=True)) == {"04006381333931", "00000096385074", "SC-1"}
    scarf.set_current_language("fr")
    assert scarf.name == "Carré de soie"
    assert scarf.clues.count() == 1
    assert scarf.revisions.count() == 1
    belt = ProductIdentifier.objects.get(value="00036000291452").product
    assert belt.visible_to_all_countries is False
    assert sorted(str(v.country) for v in belt.visibility.all()) == ["FR", "MA"]


def test_importing_the_same_file_twice_changes_nothing(world, brand):
    data = csv_bytes(ROWS)
    run(world, data)
    revisions = ProductRevision.objects.count()
    report = run(world, data)
    assert report.ok and report.created == 0 and report.updated == 0
    assert Product.objects.count() == 2
    assert ProductRevision.objects.count() == revisions


def test_an_update_by_sku_changes_the_sheet_and_records_what_changed(world, brand):
    run(world, csv_bytes(ROWS))
    report = run(world, csv_bytes([{"skus": "SC-1", "brand": "Aurelia", "name": "Silk scarf", "price_max": "450"}]))
    assert report.ok and report.updated == 1
    scarf = ProductIdentifier.objects.get(value="SC-1").product
    assert str(scarf.price_max) == "450.00"
    assert scarf.price_min is not None  # a column absent from the file is kept
    assert "price_max" in scarf.revisions.first().changed_fields


def test_one_bad_row_stops_the_whole_import_with_a_report(world, brand):
    rows = [
        *ROWS,
        {"gtins": "4006381333932", "brand": "Aurelia", "name": "Bad check digit"},
        {"gtins": "5012345678900", "brand": "Unknown brand", "name": "X"},
        {"gtins": "5012345678900", "brand": "Aurelia", "name": "", "hs_code": "12"},
    ]
    report = run(world, csv_bytes(rows))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert (4, "gtins") in found  # row numbers count the header as row 1
    assert (5, "brand") in found
    assert (6, "name") in found and (6, "hs_code") in found
    assert any("check digit" in e.message for e in report.errors)
    assert Product.objects.count() == 0 and ProductIdentifier.objects.count() == 0


def test_a_gtin_of_another_right_holder_is_refused(world, brand):
    rival = services.create_brand(world.users["rival_admin"], world.orgs["rival"], name="Northwind")
    services.create_product(world.users["rival_admin"], rival, name="Pill", gtins=["4006381333931"])
    report = run(world, csv_bytes(ROWS))
    assert [e.column for e in report.errors] == ["gtins"]
    assert "already registered" in report.errors[0].message
    assert not Product.objects.filter(brand=brand).exists()


def test_duplicate_codes_within_a_file_are_refused(world, brand):
    report = run(world, csv_bytes([ROWS[1], {**ROWS[1], "name": "Again"}]))
    assert "also in row 2" in report.errors[0].message


def test_dry_run_writes_nothing_but_reports(world, brand):
    report = run(world, csv_bytes(ROWS), dry_run=True)
    assert report.ok and report.created == 2
    assert Product.objects.count() == 0


def test_publishing_without_content_is_refused(world, brand):
    report = run(world, csv_bytes([{**ROWS[1], "status": "published"}]))
    assert [e.column for e in report.errors] == ["status"]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00garbage",
        b"gtins,brand\n",  # no name column
        b"gtins,brand,name,colour\n1,2,3,4\n",  # unknown column
    ],
)
def test_unreadable_csv_files_are_refused_as_a_whole(world, brand, data):
    with pytest.raises(importing.ImportFileError):
        run(world, data)


def test_malformed_json_and_xlsx_are_refused(world, brand):
    with pytest.raises(importing.ImportFileError):
        run(world, b"{not json", fmt="json")
    with pytest.raises(importing.ImportFileError):
        run(world, b"PK\x03\x04 not really a zip", fmt="xlsx")


@pytest.mark.parametrize("fmt", importing.FORMATS)
def test_export_then_reimport_round_trips_in_every_format(world, brand, fmt):
    run(world, csv_bytes(ROWS))
    out = io.BytesIO()
    importing.write_rows(importing.export_rows(world.orgs["brand"]), fmt, out)
    if fmt == "json":
        assert json.loads(out.getvalue())["format"] == "ipm-products/1"
    report = run(world, out.getvalue(), fmt=fmt)
    assert report.ok, report.errors
    assert report.total_rows == 2 and report.created == 0 and report.updated == 0


def test_the_template_imports_once_its_brand_exists(world, brand):
    out = io.BytesIO()
    importing.write_rows(importing.template_rows(), "xlsx", out)
    services.create_brand(world.users["brand_admin"], world.orgs["brand"], name="Your brand")
    assert run(world, out.getvalue(), fmt="xlsx").ok


def test_only_authors_of_the_catalogue_may_import(world, brand):
    for user in ("brand_viewer", "rival_admin", "fr_officer", "other_counsel_admin"):
        with pytest.raises(PermissionDenied):
            run(world, csv_bytes(ROWS), user=user)
    assert run(world, csv_bytes(ROWS), user="counsel_editor").ok  # mandated representative


def test_an_import_job_runs_in_the_background_and_reports(
    world, brand, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("catalogue.csv", csv_bytes(ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        job = importing.start_import_job(world.users["brand_admin"], world.orgs["brand"], upload)
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.total_rows, job.created_count, job.error_count) == (2, 2, 0)

    bad = SimpleUploadedFile("bad.csv", csv_bytes([{"gtins": "1", "brand": "Aurelia", "name": "X"}]))
    with django_capture_on_commit_callbacks(execute=True):
        job = importing.start_import_job(world.users["brand_admin"], world.orgs["brand"], bad)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["row"] == 2 and job.errors[0]["column"] == "gtins"
    assert ImportJob.objects.count() == 2


def test_bulk_snapshots_equal_the_services_snapshot(world, brand):
    run(world, csv_bytes(ROWS))
    editor = world.users["brand_admin"]
    scarf = ProductIdentifier.objects.get(value="SC-1").product
    services.update_product(editor, scarf, intended_markets=["FR", "DE"])
    services.set_visibility(editor, scarf, all_countries=False, countries_=["MA", "FR"])
    services.add_clue(editor, scarf, language="en", title="Label", where_to_look="Inside", kind="label")
    services.add_identifier(editor, scarf, "model", "M-77", variant="large")
    ids = list(Product.objects.values_list("pk", flat=True))
    bulk = importing._snapshots(ids)
    for product in Product.objects.filter(pk__in=ids):
        assert bulk[product.pk] == services.snapshot(product)
