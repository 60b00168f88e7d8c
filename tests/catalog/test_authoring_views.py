"""The right holders' authoring pages, driven through the test client: a sheet built, translated, published,
archived and looked up in its history; imports with progress and error reports; exports; and who may do what."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipm.catalog import importing, media_services, services
from ipm.catalog.models import (
    Brand,
    Clue,
    ImportJob,
    ImportStatus,
    Product,
    ProductIdentifier,
    ProductPhoto,
    ProductStatus,
)
from tests.catalog.sheets import jpeg


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def editor(world):
    return world.users["brand_editor"]


@pytest.fixture
def holder(world):
    return world.orgs["brand"]


@pytest.fixture
def web(client_for, editor):
    """The brand's editor in a browser."""
    return client_for(editor)


@pytest.fixture
def brand(editor, holder):
    return services.create_brand(editor, holder, name="Aurelia")


@pytest.fixture
def sheet(editor, brand):
    product = services.create_product(editor, brand, name="Silk scarf", gtins=["4006381333931"])
    services.add_clue(editor, product, language="en", title="Stitching")
    return product


def url(name, *args, **query):
    base = reverse(f"catalog:{name}", args=args)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def text(response) -> str:
    return response.content.decode()


def csv_upload(rows, name="catalogue.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sorted({key for row in rows for key in row}))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


# --- The whole path, in the browser -----------------------------------------------------------------------------


def test_a_right_holder_builds_translates_publishes_and_archives_a_sheet(web, holder, editor):
    # One catalogue: the catalogue home goes straight to it; without a brand, a new sheet asks for one first.
    response = web.get(url("manage_home"))
    assert response.status_code == 302 and response["Location"] == url("catalogue", holder.pk)
    assert "No product sheet yet" in text(web.get(url("catalogue", holder.pk)))
    assert web.get(url("sheet_create", holder.pk))["Location"] == url("brand_create", holder.pk)

    response = web.post(url("brand_create", holder.pk), {"name": "Aurelia", "description": "Silk since 1921"})
    assert response.status_code == 302
    brand = Brand.objects.get(right_holder=holder, name="Aurelia")
    assert "Aurelia" in text(web.get(url("brand_list", holder.pk)))

    # A sheet with two GTINs, typed one per line and comma-separated.
    response = web.post(
        url("sheet_create", holder.pk),
        {
            "brand": brand.pk,
            "language": "en",
            "name": "Silk scarf",
            "description": "Hand-rolled edges.",
            "gtins": "4006381333931,\n96385074",
            "hs_code": "621410",
            "country_of_manufacture": "IT",
            "intended_markets": ["FR", "DE"],
            "price_min": "250",
            "price_max": "420",
            "currency": "eur",
            "visible_to_all_countries": "on",
        },
    )
    product = Product.objects.get(brand=brand)
    assert response["Location"] == url("sheet_edit", product.pk)
    assert sorted(product.identifiers.values_list("value", flat=True)) == ["00000096385074", "04006381333931"]
    assert (product.hs_code, product.currency, str(product.country_of_manufacture)) == ("621410", "EUR", "IT")
    codes = text(web.get(url("sheet_codes", product.pk)))
    assert "4006381333931" in codes and "04006381333931" in codes  # as printed and normalised

    # Publishing is refused, with the reason, while the sheet has nothing to look at.
    response = web.post(url("sheet_status", product.pk), {"action": "publish"}, follow=True)
    assert "Add at least one photo or one genuine-versus-counterfeit clue." in messages_of(response)
    assert 'id="publication-problems"' in text(response)
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT

    # A clue, then its French translation.
    response = web.post(
        url("sheet_clues", product.pk),
        {
            "kind": "product",
            "title": "Hand-rolled hem",
            "explanation": "Rolled towards the print.",
            "where_to_look": "",
        },
    )
    clue = Clue.objects.get(product=product)
    assert response["Location"] == url("sheet_clue", product.pk, clue.pk)

    response = web.post(url("sheet_texts", product.pk, "fr"), {"name": "Carré de soie", "description": "Ourlet roulé"})
    assert response.status_code == 302
    page = web.get(url("sheet_texts", product.pk, "fr"))
    assert {s.code: s.status for s in page.context["languages"]}["fr"] == "current"
    assert "Carré de soie" in text(page)

    # The source text changes: the French translation is now older than it.
    web.post(url("sheet_texts", product.pk, "en"), {"name": "Silk scarf 90 × 90", "description": "Hand-rolled."})
    page = web.get(url("sheet_texts", product.pk, "fr"))
    assert {s.code: s.status for s in page.context["languages"]}["fr"] == "outdated"
    assert 'id="outdated-warning"' in text(page)
    assert "Older than the source" in text(web.get(url("sheet_edit", product.pk)))

    # Now it can be published; then archived.
    response = web.post(url("sheet_status", product.pk), {"action": "publish"}, follow=True)
    assert "Published: officers can now see this sheet." in messages_of(response)
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    web.post(url("sheet_status", product.pk), {"action": "review"})
    web.post(url("sheet_status", product.pk), {"action": "archive"})
    product.refresh_from_db()
    assert product.status == ProductStatus.ARCHIVED

    # The history names every change; the first version still reads as it was.
    history = web.get(url("sheet_history", product.pk))
    summaries = [revision.summary for revision, _changed in history.context["rows"]]
    assert summaries[0] == "Archived" and summaries[-1] == "Created"
    assert {"Published", "Clue added: Hand-rolled hem", "Text changed (fr)"} <= set(summaries)
    assert editor.full_name in text(history)
    first = web.get(url("sheet_version", product.pk, 1))
    assert first.status_code == 200
    body = text(first).split('id="version-banner"')[1]  # the page's header names the sheet as it is now
    assert "Silk scarf" in body and "Silk scarf 90 × 90" not in body and "Carré de soie" not in body
    assert "96385074" in body
    later = text(web.get(url("sheet_version", product.pk, product.revision)))
    assert "Carré de soie" in later and "Hand-rolled hem" in later and "This is the current version." in later


def test_a_wrong_check_digit_is_shown_on_its_field_and_the_rest_of_the_input_is_kept(web, holder, brand):
    response = web.post(
        url("sheet_create", holder.pk),
        {
            "brand": brand.pk,
            "language": "fr",
            "name": "Ceinture en cuir",
            "gtins": "4006381333931\n4006381333932",
            "hs_code": "420330",
            "price_min": "80",
            "currency": "EUR",
            "visible_to_all_countries": "on",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["gtins"] == ["“4006381333932” has a wrong check digit: it is not a valid GTIN."]
    body = text(response)
    assert 'value="Ceinture en cuir"' in body and 'value="420330"' in body and 'value="80"' in body
    assert "4006381333931\n4006381333932</textarea>" in body
    assert re.search(r'<option value="fr" selected>', body)
    assert 'aria-invalid="true"' in body
    assert not Product.objects.exists()


def test_a_service_error_lands_on_its_field(web, holder, brand):
    response = web.post(
        url("sheet_create", holder.pk),
        {"brand": brand.pk, "language": "en", "name": "Belt", "hs_code": "999999", "price_min": "5"},
    )
    assert response.status_code == 200
    assert "is not an HS code" in response.context["form"].errors["hs_code"][0]
    assert 'value="Belt"' in text(response)
    assert not Product.objects.exists()


def test_codes_are_added_and_removed_with_errors_next_to_the_field(web, sheet):
    response = web.post(url("sheet_codes", sheet.pk), {"kind": "gtin", "value": "96385075", "variant": ""})
    assert response.status_code == 200
    assert "wrong check digit" in response.context["form"].errors["value"][0]
    assert 'value="96385075"' in text(response)

    web.post(url("sheet_codes", sheet.pk), {"kind": "sku", "value": "SC-9", "variant": "large"})
    code = sheet.identifiers.get(value="SC-9")
    assert code.variant == "large"
    web.post(url("sheet_code_remove", sheet.pk, code.pk))
    assert not sheet.identifiers.filter(value="SC-9").exists()


def test_the_source_language_cannot_be_removed_but_a_translation_can(web, editor, sheet):
    services.set_product_text(editor, sheet, "ar", name="وشاح")
    response = web.post(url("sheet_text_remove", sheet.pk, "en"), follow=True)
    assert "The source language cannot be removed." in messages_of(response)
    web.post(url("sheet_text_remove", sheet.pk, "ar"))
    sheet.refresh_from_db()
    assert not sheet.has_translation("ar")
    assert web.post(url("sheet_text_remove", sheet.pk, "ar")).status_code == 404
    assert web.get(url("sheet_texts", sheet.pk, "xx")).status_code == 404


def test_clues_are_edited_translated_reordered_and_removed(web, editor, sheet):
    second = services.add_clue(editor, sheet, language="en", title="Label")
    first = sheet.clues.get(position=1)
    web.post(url("sheet_clue_move", sheet.pk, second.pk), {"direction": "up"})
    assert list(sheet.clues.values_list("pk", flat=True)) == [second.pk, first.pk]

    response = web.post(
        url("sheet_clue", sheet.pk, first.pk, language="fr"),
        {"section": "texts", "kind": "label", "title": "Couture", "explanation": "", "where_to_look": "Ourlet"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.kind == "label"
    assert first.safe_translation_getter("title", language_code="fr") == "Couture"
    page = web.get(url("sheet_clue", sheet.pk, first.pk, language="fr"))
    assert {s.code: s.status for s in page.context["clue_languages"]}["fr"] == "current"

    response = web.post(url("sheet_clue", sheet.pk, first.pk), {"section": "texts", "kind": "label", "title": ""})
    assert response.status_code == 200 and "title" in response.context["texts_form"].errors

    web.post(url("sheet_clue_remove", sheet.pk, second.pk))
    assert list(sheet.clues.all()) == [first]


def test_clue_photos_are_uploaded_with_marks_and_a_bad_file_is_refused(web, sheet, media_root):
    clue = sheet.clues.get()
    marks = json.dumps([{"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}])
    response = web.post(
        url("sheet_clue", sheet.pk, clue.pk),
        {
            "section": "images",
            "genuine_image": SimpleUploadedFile("genuine.jpg", jpeg((30, 140, 60)), content_type="image/jpeg"),
            "counterfeit_image": SimpleUploadedFile("fake.jpg", jpeg((160, 30, 30)), content_type="image/jpeg"),
            "genuine_marks": marks,
            "counterfeit_marks": "[]",
        },
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.genuine_image and clue.counterfeit_image
    assert clue.genuine_marks == [{"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}]
    page = text(web.get(url("sheet_clue", sheet.pk, clue.pk)))
    assert clue.genuine_image.name.removesuffix(".jpg") in page

    response = web.post(
        url("sheet_clue", sheet.pk, clue.pk),
        {"section": "images", "counterfeit_image": SimpleUploadedFile("fake.jpg", b"not a picture")},
    )
    assert response.status_code == 200
    assert response.context["images_form"].errors["counterfeit_image"]
    clue.refresh_from_db()
    assert clue.genuine_marks  # unchanged

    web.post(url("sheet_clue", sheet.pk, clue.pk), {"section": "images", "remove_genuine_image": "on"})
    clue.refresh_from_db()
    assert not clue.genuine_image and clue.counterfeit_image


def test_photos_are_uploaded_reordered_and_removed(web, sheet):
    for colour in ((200, 0, 0), (0, 0, 200)):
        response = web.post(
            url("sheet_photos", sheet.pk),
            {"image": SimpleUploadedFile("p.jpg", jpeg(colour), content_type="image/jpeg"), "view": "front"},
        )
        assert response.status_code == 302
    first, second = sheet.photos.all()
    web.post(url("sheet_photo_move", sheet.pk, second.pk), {"direction": "up"})
    assert list(sheet.photos.values_list("pk", flat=True)) == [second.pk, first.pk]
    response = web.post(url("sheet_photos", sheet.pk), {"image": SimpleUploadedFile("x.jpg", b"<svg/>"), "view": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    web.post(url("sheet_photo_remove", sheet.pk, first.pk))
    assert list(ProductPhoto.objects.filter(product=sheet)) == [second]


def test_visibility_is_restricted_to_chosen_countries(web, sheet):
    response = web.post(url("sheet_visibility", sheet.pk), {"visible_countries": []})
    assert response.status_code == 200
    assert response.context["form"].errors["visible_countries"]
    web.post(url("sheet_visibility", sheet.pk), {"visible_countries": ["FR", "MA"]})
    sheet.refresh_from_db()
    assert not sheet.visible_to_all_countries
    assert sorted(str(v.country) for v in sheet.visibility.all()) == ["FR", "MA"]


def test_the_sheet_page_offers_a_preview_as_an_officer_of_a_country(web, sheet):
    body = text(web.get(url("sheet_edit", sheet.pk)))
    assert f'action="{reverse("catalog:product_detail", args=[sheet.pk])}"' in body
    assert 'name="as_country"' in body and '<option value="MA">' in body


def test_the_catalogue_lists_filters_and_flags_stale_sheets(web, editor, holder, brand, sheet):
    other = services.create_product(editor, brand, name="Leather belt", gtins=["96385074"])
    services.publish_product(editor, sheet)
    Product.objects.filter(pk=sheet.pk).update(last_reviewed_at="2020-01-01T00:00:00Z")
    page = web.get(url("catalogue", holder.pk))
    rows = {row.product.pk: row for row in page.context["rows"]}
    assert rows[sheet.pk].stale and not rows[other.pk].stale
    assert "Needs review" in text(page)
    assert [r.product.pk for r in web.get(url("catalogue", holder.pk, q="belt")).context["rows"]] == [other.pk]
    assert [r.product.pk for r in web.get(url("catalogue", holder.pk, q="96385074")).context["rows"]] == [other.pk]
    assert [r.product.pk for r in web.get(url("catalogue", holder.pk, status="stale")).context["rows"]] == [sheet.pk]
    assert [r.product.pk for r in web.get(url("catalogue", holder.pk, status="draft")).context["rows"]] == [other.pk]
    assert web.get(url("catalogue", holder.pk, brand="nonsense", status="bogus")).status_code == 200


# --- Import and export ------------------------------------------------------------------------------------------

ROWS = [
    {"gtins": "4006381333931", "brand": "Aurelia", "name": "Silk scarf", "clue1_title": "Hem"},
    {"gtins": "96385074", "brand": "Aurelia", "name": "Belt", "name_fr": "Ceinture"},
]


def test_an_import_dry_run_then_the_import_itself(web, holder, brand, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(url("import_start", holder.pk), {"file": csv_upload(ROWS), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response["Location"] == url("import_job", job.pk)
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.total_rows, job.created_count) == (ImportStatus.SUCCEEDED, True, 2, 2)
    assert not Product.objects.exists()
    page = text(web.get(url("import_job", job.pk)))
    assert "The file is correct: its 2 rows can be imported." in page and 'http-equiv="refresh"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        web.post(url("import_start", holder.pk), {"file": csv_upload(ROWS)})
    assert Product.objects.filter(brand=brand).count() == 2
    listing = text(web.get(url("import_start", holder.pk)))
    assert listing.count("catalogue.csv") == 2 and "dry run" in listing


def test_a_bad_file_gets_an_error_report_naming_row_column_and_reason(
    web, holder, brand, django_capture_on_commit_callbacks
):
    rows = [*ROWS, {"gtins": "4006381333932", "brand": "Nope", "name": "Bad"}]
    with django_capture_on_commit_callbacks(execute=True):
        web.post(url("import_start", holder.pk), {"file": csv_upload(rows, "bad.csv")})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    page = web.get(url("import_job", job.pk))
    errors = {(e["row"], e["column"]) for e in page.context["page"].object_list}
    assert {(4, "gtins"), (4, "brand")} <= errors
    body = text(page)
    assert 'id="error-table"' in body and "wrong check digit" in body and "Unknown brand “Nope”" in body
    assert "Nothing was written" in body
    assert not Product.objects.exists()


def test_a_long_error_report_is_paged(web, holder, brand, django_capture_on_commit_callbacks):
    rows = [{"gtins": "1", "brand": "Aurelia", "name": f"Bad {n}"} for n in range(60)]
    with django_capture_on_commit_callbacks(execute=True):
        web.post(url("import_start", holder.pk), {"file": csv_upload(rows)})
    job = ImportJob.objects.get()
    first, second = web.get(url("import_job", job.pk)), web.get(url("import_job", job.pk, page=2))
    assert len(first.context["page"].object_list) == 50 and len(second.context["page"].object_list) == 10
    assert "Page 1 of 2" in text(first)


def test_a_running_import_refreshes_itself_and_shows_its_progress(web, editor, holder, brand):
    job = importing.start_import_job(editor, holder, csv_upload(ROWS))  # queued: its task waits for the commit
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total_rows=200, processed_rows=50)
    body = text(web.get(url("import_job", job.pk)))
    assert '<meta http-equiv="refresh" content="2">' in body and 'aria-valuenow="25"' in body


def test_an_upload_that_is_not_an_import_file_is_refused_on_the_form(web, holder, brand):
    response = web.post(url("import_start", holder.pk), {"file": SimpleUploadedFile("photo.png", b"png")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Upload a .csv, .xlsx, .json or .zip file."]
    assert not ImportJob.objects.exists()


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", importing.FORMATS)
def test_the_whole_catalogue_exports_in_every_format(web, holder, editor, sheet, fmt):
    services.set_product_text(editor, sheet, "fr", name="Carré de soie")
    response = web.get(url("catalogue_export", holder.pk, fmt))
    assert response.status_code == 200
    assert f'.{fmt}"' in response["Content-Disposition"] and "attachment" in response["Content-Disposition"]
    data = _content(response)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert list(rows[0]) == importing.COLUMNS
    elif fmt == "xlsx":
        sheet_rows = list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
        rows = [dict(zip(sheet_rows[0], (v or "" for v in values), strict=True)) for values in sheet_rows[1:]]
    else:
        rows = json.loads(data)["products"]
    assert len(rows) == 1
    assert (rows[0]["gtins"], rows[0]["name"], rows[0]["name_fr"]) == ("4006381333931", "Silk scarf", "Carré de soie")
    # Importing the export back changes nothing.
    report = importing.import_rows(editor, holder, importing.read_rows(io.BytesIO(data), fmt))
    assert report.ok and (report.created, report.updated) == (0, 0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads(web, fmt):
    response = web.get(url("import_template", fmt))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert len(_content(response)) > 100
    assert web.get(url("import_template", "exe")).status_code == 404


# --- Who may do what --------------------------------------------------------------------------------------------


def sheet_urls(product, clue, code, photo):
    """Every authoring URL of one sheet, with the method it answers."""
    p = product.pk
    return [
        ("get", url("sheet_edit", p)),
        ("post", url("sheet_edit", p)),
        ("post", url("sheet_status", p)),
        ("get", url("sheet_codes", p)),
        ("post", url("sheet_codes", p)),
        ("post", url("sheet_code_remove", p, code.pk)),
        ("get", url("sheet_texts", p, "fr")),
        ("post", url("sheet_texts", p, "fr")),
        ("post", url("sheet_text_remove", p, "fr")),
        ("get", url("sheet_clues", p)),
        ("post", url("sheet_clues", p)),
        ("get", url("sheet_clue", p, clue.pk)),
        ("post", url("sheet_clue", p, clue.pk)),
        ("post", url("sheet_clue_remove", p, clue.pk)),
        ("post", url("sheet_clue_move", p, clue.pk)),
        ("get", url("sheet_photos", p)),
        ("post", url("sheet_photos", p)),
        ("post", url("sheet_photo_remove", p, photo.pk)),
        ("post", url("sheet_photo_move", p, photo.pk)),
        ("get", url("sheet_visibility", p)),
        ("post", url("sheet_visibility", p)),
        ("get", url("sheet_history", p)),
        ("get", url("sheet_version", p, 1)),
    ]


@pytest.fixture
def full_sheet(editor, sheet):
    services.set_product_text(editor, sheet, "fr", name="Carré")
    photo = media_services.add_product_photo(editor, sheet, jpeg())
    return sheet, sheet.clues.get(), sheet.identifiers.get(), photo


WRITE_DATA = {"action": "publish", "name": "Taken", "title": "Taken", "kind": "gtin", "value": "96385074"}


def test_another_right_holder_gets_404_on_every_url_of_a_sheet(world, client_for, holder, full_sheet):
    product = full_sheet[0]
    before = (product.revision, Clue.objects.count(), ProductIdentifier.objects.count(), ProductPhoto.objects.count())
    for role in ("rival_admin", "rival_editor", "other_counsel_admin", "fr_officer"):
        web = client_for(world.users[role])
        for method, address in sheet_urls(*full_sheet):
            response = getattr(web, method)(address, WRITE_DATA if method == "post" else None)
            assert response.status_code == 404, f"{role} {method} {address}: {response.status_code}"
        for address in (url("catalogue", holder.pk), url("brand_list", holder.pk), url("import_start", holder.pk)):
            assert web.get(address).status_code == 404, f"{role} {address}"
        assert web.get(url("catalogue_export", holder.pk, "csv")).status_code == 404
    product.refresh_from_db()
    assert before == (
        product.revision,
        Clue.objects.count(),
        ProductIdentifier.objects.count(),
        ProductPhoto.objects.count(),
    )


def test_a_viewer_reads_but_every_write_is_refused(world, client_for, holder, brand, full_sheet):
    product = full_sheet[0]
    web = client_for(world.users["brand_viewer"])
    catalogue = web.get(url("catalogue", holder.pk))
    assert catalogue.status_code == 200 and "Silk scarf" in text(catalogue)
    assert url("sheet_create", holder.pk) not in text(catalogue)
    assert web.get(url("sheet_history", product.pk)).status_code == 200
    assert web.get(url("sheet_version", product.pk, 1)).status_code == 200
    assert web.get(url("catalogue_export", holder.pk, "json")).status_code == 200
    revision = product.revision
    for method, address in sheet_urls(*full_sheet):
        if address.endswith("/history/") or address.endswith("/history/1/"):
            continue
        response = getattr(web, method)(address, WRITE_DATA if method == "post" else None)
        assert response.status_code == 403, f"{method} {address}: {response.status_code}"
    for address in (url("sheet_create", holder.pk), url("brand_create", holder.pk), url("brand_edit", brand.pk)):
        assert web.get(address).status_code == 403
        assert web.post(address, {"name": "Viewer's"}).status_code == 403
    assert web.post(url("import_start", holder.pk), {"file": csv_upload(ROWS)}).status_code == 403
    product.refresh_from_db()
    assert product.revision == revision and not ImportJob.objects.exists()
    assert not Brand.objects.filter(name="Viewer's").exists()


def test_a_mandated_representative_authors_its_clients_catalogue(world, client_for, holder, full_sheet):
    web = client_for(world.users["counsel_editor"])
    assert web.get(url("manage_home"))["Location"] == url("catalogue", holder.pk)
    web.post(url("sheet_texts", full_sheet[0].pk, "es"), {"name": "Pañuelo de seda"})
    assert full_sheet[0].safe_translation_getter("name", language_code="es") == "Pañuelo de seda"


def test_who_authors_several_catalogues_picks_one_first(world, client_for, holder):
    page = client_for(world.users["secretariat_editor"]).get(url("manage_home"))
    assert page.status_code == 200
    names = [h.name for h in page.context["page"]]
    assert {"Brand A", "Brand B"} <= set(names)
    assert url("catalogue", holder.pk) in text(page)


def test_who_has_no_catalogue_is_refused(world, client_for):
    for role in ("fr_officer", "provider_admin", "other_counsel_admin"):
        assert client_for(world.users[role]).get(url("manage_home")).status_code == 403


def test_the_navigation_offers_the_catalogue_to_its_authors_only(world, client_for):
    link = f'href="{url("manage_home")}"'
    assert link in text(client_for(world.users["brand_editor"]).get("/"))
    assert link in text(client_for(world.users["counsel_admin"]).get("/"))
    assert link not in text(client_for(world.users["brand_viewer"]).get("/"))
    assert link not in text(client_for(world.users["fr_officer"]).get("/"))


def test_a_brand_logo_is_uploaded_and_a_bad_one_refused(web, brand):
    response = web.post(
        url("brand_edit", brand.pk),
        {"name": "Aurelia", "logo": SimpleUploadedFile("logo.jpg", jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.logo
    response = web.post(url("brand_edit", brand.pk), {"name": "Aurelia", "logo": SimpleUploadedFile("l.jpg", b"x")})
    assert response.status_code == 200 and response.context["form"].errors["logo"]
    response = web.post(url("brand_edit", brand.pk), {"name": "", "description": "kept"})
    assert response.status_code == 200 and "kept" in text(response)
