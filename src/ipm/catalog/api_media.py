"""API for a sheet's pictures (photos, a clue's genuine and counterfeit photos) and for bulk imports: uploads are
multipart forms. Objects are fetched through the access policy (404 when hidden); writes go through
``catalog.media_services`` and ``catalog.importing``, which check that the caller may make them (403 otherwise).
A file that is not an accepted picture answers 422 with the API's error shape, and nothing is stored."""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipm.access import policy
from ipm.api.common import require_two_factor, require_write
from ipm.catalog import importing, media_services
from ipm.catalog.media import THUMBNAIL_SIZES, thumbnail_url
from ipm.catalog.models import ImportStatus, PhotoView

router = Router(tags=["Catalogue pictures and imports"])

MAX_REPORTED_ERRORS = 100


# --- Schemas ------------------------------------------------------------------------------------------------------


class PhotoFileOut(Schema):
    id: int
    view: PhotoView
    caption: str
    width: int
    height: int
    url: str = Field(description="The stored original")
    thumbnails: dict[str, str] = Field(description="By the longest side in pixels")


class ClueImagesOut(Schema):
    id: int
    genuine_image_url: str
    genuine_thumbnail_url: str
    counterfeit_image_url: str
    counterfeit_thumbnail_url: str
    genuine_marks: list
    counterfeit_marks: list


class ImportErrorOut(Schema):
    row: int | None
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    right_holder_id: int
    original_name: str
    file_format: str
    dry_run: bool
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created_count: int
    updated_count: int
    error_count: int
    errors: list[ImportErrorOut] = Field(description=f"The first {MAX_REPORTED_ERRORS} errors")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# --- Helpers ------------------------------------------------------------------------------------------------------


def _url(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def _photo_out(request, photo) -> dict:
    return {
        "id": photo.pk,
        "view": photo.view,
        "caption": photo.safe_translation_getter("caption", default="", any_language=True) or "",
        "width": photo.width,
        "height": photo.height,
        "url": _url(request, photo.image.url if photo.image else ""),
        "thumbnails": {str(size): _url(request, thumbnail_url(photo.image, size)) for size in THUMBNAIL_SIZES},
    }


def _clue_images_out(request, clue) -> dict:
    sides = {}
    for side in ("genuine", "counterfeit"):
        picture = getattr(clue, f"{side}_image")
        sides[f"{side}_image_url"] = _url(request, picture.url if picture else "")
        sides[f"{side}_thumbnail_url"] = _url(request, thumbnail_url(picture, THUMBNAIL_SIZES[1]))
    return {
        "id": clue.pk,
        **sides,
        "genuine_marks": clue.genuine_marks or [],
        "counterfeit_marks": clue.counterfeit_marks or [],
    }


def _job_out(job) -> dict:
    errors = [
        {"row": error.get("row"), "column": str(error.get("column") or ""), "message": str(error.get("message", ""))}
        for error in (job.errors or [])[:MAX_REPORTED_ERRORS]
    ]
    return {
        "id": job.pk,
        "right_holder_id": job.right_holder_id,
        "original_name": job.original_name,
        "file_format": job.file_format,
        "dry_run": job.dry_run,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created_count": job.created_count,
        "updated_count": job.updated_count,
        "error_count": job.error_count,
        "errors": errors,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _visible_product(request, product_id: int):
    return get_object_or_404(policy.visible_products(request.user), pk=product_id)


# --- Photos -------------------------------------------------------------------------------------------------------


@router.post("/products/{product_id}/photos", response={201: PhotoFileOut}, summary="Add a photo to a sheet")
def add_photo(
    request,
    product_id: int,
    image: Annotated[UploadedFile, File(description="JPEG, PNG, WebP, GIF or HEIC")],
    view: str = Form(PhotoView.FRONT),
    caption: str = Form("", max_length=200),
    language: str | None = Form(None, description="The caption's language; default: the sheet's source language"),
):
    require_write(request)
    product = _visible_product(request, product_id)
    photo = media_services.add_product_photo(
        request.user, product, image, view=view, caption=caption, language=language or None
    )
    return Status(201, _photo_out(request, photo))


@router.delete("/products/{product_id}/photos/{photo_id}", response={204: None}, summary="Remove a photo")
def remove_photo(request, product_id: int, photo_id: int):
    require_write(request)
    product = _visible_product(request, product_id)
    media_services.remove_product_photo(request.user, get_object_or_404(product.photos, pk=photo_id))
    return Status(204, None)


# --- Clue pictures ------------------------------------------------------------------------------------------------


@router.put(
    "/products/{product_id}/clues/{clue_id}/images",
    response=ClueImagesOut,
    summary="Set a clue's genuine and counterfeit photos and their marks",
)
def set_clue_images(
    request,
    product_id: int,
    clue_id: int,
    genuine_image: Annotated[UploadedFile | None, File()] = None,
    counterfeit_image: Annotated[UploadedFile | None, File()] = None,
    genuine_marks: str | None = Form(None, description='JSON: [{"x", "y", "w", "h"}] as fractions; kept if left out'),
    counterfeit_marks: str | None = Form(None, description="As genuine_marks"),
    remove_genuine_image: bool = Form(False),
    remove_counterfeit_image: bool = Form(False),
):
    """A photo left out is kept; ``remove_…_image`` removes it. Marks left out are kept while the photo stays."""
    require_write(request)
    product = _visible_product(request, product_id)
    clue = get_object_or_404(product.clues, pk=clue_id)

    def picture(upload, remove):
        if remove:
            return None
        return media_services.KEEP if upload is None else upload

    clue = media_services.set_clue_images(
        request.user,
        clue,
        genuine_image=picture(genuine_image, remove_genuine_image),
        counterfeit_image=picture(counterfeit_image, remove_counterfeit_image),
        genuine_marks=genuine_marks,
        counterfeit_marks=counterfeit_marks,
    )
    return _clue_images_out(request, clue)


# --- Imports ------------------------------------------------------------------------------------------------------


@router.post("/imports", response={202: ImportJobOut}, summary="Start a bulk import of sheets (CSV, XLSX, JSON, ZIP)")
def start_import(
    request,
    file: Annotated[UploadedFile, File(description="A .csv, .xlsx, .json or .zip file")],
    dry_run: bool = Form(False, description="Check the file without writing anything"),
    right_holder_id: int | None = Form(None, description="Default: your own organisation"),
):
    """The import runs in the background: follow it with ``GET /imports/{job_id}``."""
    require_write(request)
    if right_holder_id is None:
        right_holder = request.user.organisation
    else:
        right_holder = get_object_or_404(policy.visible_organisations(request.user), pk=right_holder_id)
    job = importing.start_import_job(request.user, right_holder, file, dry_run=dry_run)
    return Status(202, _job_out(job))


@router.get("/imports/{job_id}", response=ImportJobOut, summary="An import's status, counts and errors")
def get_import(request, job_id: int):
    require_two_factor(request)
    return _job_out(get_object_or_404(policy.visible_import_jobs(request.user), pk=job_id))
