"""API for scans: ``POST /api/v1/scans`` looks a code (or a photo of barcodes) up; ``GET /api/v1/scans`` is the scan
history the caller may read. Thin: the look-up, the log and the rules are in ``scans.services`` and the policy."""

import json
from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.urls import get_script_prefix
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from ipm.api.common import Pagination, require_two_factor
from ipm.gs1 import parse_code
from ipm.scans import services
from ipm.scans.decoding import PhotoError
from ipm.scans.models import ScanResult, ScanSource

router = Router(tags=["Scans"])


# --- Schemas ------------------------------------------------------------------------------------------------------


class ProblemOut(Schema):
    code: str = Field(description="Stable: bad_check_digit, truncated, unknown_ai, invalid_date …")
    message: str = Field(description="In the caller's language")
    ai: str | None = Field(None, description="The GS1 Application Identifier it concerns, if any")


class AiValueOut(Schema):
    model_config = ConfigDict(extra="allow")
    ai: str
    title: str
    value: str


class ParsedOut(Schema):
    """What the code says (``ipm.gs1.ParsedCode.to_dict()``). Fields the parser adds later pass through."""

    model_config = ConfigDict(extra="allow")
    raw: str = Field(description="The code as received")
    form: str = Field(description="gtin, element_string, digital_link, url, text or invalid")
    ok: bool = Field(False, description="A GTIN was read and there is no problem")
    symbology: str | None = Field(None, description="The symbology identifier, e.g. ]E0, ]d2, ]Q3")
    symbology_name: str | None = None
    gtin: str | None = Field(None, description="GTIN-14")
    gtin_as_printed: str | None = None
    lot: str | None = None
    serial: str | None = None
    expiry_date: str | None = Field(None, description="ISO 8601 date")
    best_before_date: str | None = None
    production_date: str | None = None
    other_ais: list[AiValueOut] = Field(default_factory=list)
    gs1_prefix: str | None = None
    gs1_member_organisation: str | None = Field(
        None, description="The GS1 member organisation that issued the number: not the country of origin"
    )
    url: str | None = None
    digital_link_uri: str | None = None
    problems: list[ProblemOut] = Field(default_factory=list)
    warnings: list[ProblemOut] = Field(default_factory=list)


class ProductOut(Schema):
    id: int
    name: str = Field(description="In the caller's language, else the sheet's source language")
    brand_id: int
    brand: str
    right_holder_id: int
    right_holder: str
    thumbnail_url: str = Field(description="A small photo; empty when the sheet has none")
    url: str = Field(description="The product page")
    api_url: str = Field(description="The whole sheet in the API")


class BrandOut(Schema):
    id: int
    name: str


class ContactOut(Schema):
    name: str
    function: str
    organisation_name: str
    phone: str
    emergency_phone: str
    email: str
    languages: list[str]


class RightHolderOut(Schema):
    id: int
    name: str
    email: str = Field(description="The right holder's contact address, if it gave one")
    website: str
    company_prefix: str = Field(description="The registered GS1 company prefix the code starts with")
    brands: list[BrandOut] = Field(description="Its brands you know of (through sheets you may read)")
    contacts: list[ContactOut] = Field(description="Who to call, for your country")


class BarcodeOut(Schema):
    format: str = Field(description="The symbology found in the photo, e.g. EAN-13, Data Matrix")
    symbology: str


class ScanResultOut(Schema):
    match: ScanResult = Field(
        description="product: a sheet you may read; brand: the right holder owning the GS1 company prefix is in "
        "IPM, the product is not (for you); none: IPM knows nothing of it; invalid: only beside other codes of "
        "the same photo (a code alone with problems answers 400)"
    )
    parsed: ParsedOut
    product: ProductOut | None
    brand: BrandOut | None
    right_holder: RightHolderOut | None
    alerts: list[dict] = Field(description="Active alerts for this product (none yet: a later capability)")
    barcode: BarcodeOut | None = Field(description="Where the code came from, when it was read from a photo")
    scan_id: int | None = Field(None, description="This code's row in the scan log (none when the log is deferred)")
    connected: list[dict] = Field(
        default_factory=list,
        description="The IPM Connected services that secure this item, for officers: ``{service: {id, name, "
        "provider}, reach, verify: {method, url, body}}`` (verification API: POST it to get the verdict), "
        "``launch_url`` (app launch) or ``link`` (GS1 Digital Link verification page)",
    )


class ScanAnswer(Schema):
    results: list[ScanResultOut] = Field(description="One per code: a photo may hold several")


class ScanIn(Schema):
    code: str = Field(description="The payload as the scanner or camera gave it (at most 512 characters)")


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


class ErrorOut(Schema):
    error: ErrorBody


class ScanLogOut(Schema):
    id: int
    created_at: datetime
    source: ScanSource
    result: ScanResult
    code: str = Field(description="The code as received (cut at 512 characters)")
    symbology: str
    gtin: str
    lot: str
    serial: str
    problems: list[str]
    product_id: int | None
    brand_id: int | None
    right_holder_id: int | None
    country: str | None = Field(description="The officer's country; null for scans by others than officers")
    user_id: int | None
    user: str = Field(description="Who scanned")


# --- Documentation ------------------------------------------------------------------------------------------------

# The examples are what the parser really answers for these codes.
_EXAMPLE_CODE = "]d201076123450010121727123110LOT42\x1d21SN-0001"
_PARSED_EXAMPLE = parse_code(_EXAMPLE_CODE).to_dict()
_UNKNOWN_IN_PREFIX = "7612345999999"
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": ScanIn.model_json_schema(),
                "examples": {
                    "ean13": {"summary": "An EAN-13 as typed", "value": {"code": "7612345001012"}},
                    "element_string": {
                        "summary": "A GS1 DataMatrix as a scanner sends it (symbology identifier, GS separators)",
                        "value": {"code": _EXAMPLE_CODE},
                    },
                    "bracketed": {
                        "summary": "The same, as printed under the code",
                        "value": {"code": "(01)07612345001012(17)271231(10)LOT42(21)SN-0001"},
                    },
                    "digital_link": {
                        "summary": "A GS1 Digital Link from a QR code",
                        "value": {"code": "https://id.gs1.org/01/07612345001012/10/LOT42"},
                    },
                },
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["image"],
                    "properties": {
                        "image": {
                            "type": "string",
                            "format": "binary",
                            "description": "A photo of one or more barcodes: JPEG, PNG, WebP, GIF (or HEIC)",
                        }
                    },
                }
            },
        },
    },
    "responses": {
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "product": {
                            "summary": "A sheet you may read",
                            "value": {
                                "results": [
                                    {
                                        "match": "product",
                                        "parsed": _PARSED_EXAMPLE,
                                        "product": {
                                            "id": 17,
                                            "name": "Aurelia Silk Twill Scarf 90 — Riviera",
                                            "brand_id": 3,
                                            "brand": "Aurelia",
                                            "right_holder_id": 8,
                                            "right_holder": "Aurelia Luxury Goods",
                                            "thumbnail_url": "https://ipm.example/media/catalog/photos/…_160.jpg",
                                            "url": "https://ipm.example/products/17/",
                                            "api_url": "https://ipm.example/api/v1/products/17",
                                        },
                                        "brand": {"id": 3, "name": "Aurelia"},
                                        "right_holder": None,
                                        "alerts": [],
                                        "barcode": None,
                                    }
                                ]
                            },
                        },
                        "brand": {
                            "summary": "The brand owner is in IPM, the product is not",
                            "value": {
                                "results": [
                                    {
                                        "match": "brand",
                                        "parsed": parse_code(_UNKNOWN_IN_PREFIX).to_dict(),
                                        "product": None,
                                        "brand": {"id": 3, "name": "Aurelia"},
                                        "right_holder": {
                                            "id": 8,
                                            "name": "Aurelia Luxury Goods",
                                            "email": "brand-protection@aurelia.example",
                                            "website": "https://aurelia.example",
                                            "company_prefix": "7612345",
                                            "brands": [{"id": 3, "name": "Aurelia"}],
                                            "contacts": [],
                                        },
                                        "alerts": [],
                                        "barcode": None,
                                    }
                                ]
                            },
                        },
                    }
                }
            }
        },
        400: {
            "content": {
                "application/json": {
                    "example": {
                        "error": {
                            "code": "invalid_code",
                            "message": "This code cannot be read: see the details.",
                            "details": [
                                {
                                    "location": ["code"],
                                    "problem": "bad_check_digit",
                                    "ai": None,
                                    "message": "The check digit of 7612345001013 is wrong: …",
                                }
                            ],
                        }
                    }
                }
            }
        },
    },
}

# --- Scanning -----------------------------------------------------------------------------------------------------

_PHOTO_ERRORS = {"too_large": (413, "too_large"), "no_barcode": (400, "no_barcode")}


def _error(status: int, code: str, message: str, details: list[dict]) -> Status:
    return Status(status, {"error": {"code": code, "message": message, "details": details}})


def _request_payload(request) -> tuple[str | None, Any]:
    """(code, image) from a JSON body or a multipart form."""
    try:
        return _read_payload(request)
    except RequestDataTooBig as error:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: far more than any code
        raise HttpError(413, _("The request is too large.")) from error


def _read_payload(request) -> tuple[str | None, Any]:
    if request.content_type == "multipart/form-data":
        image = request.FILES.get("image")
        if image is None:
            raise ValidationError({"image": _("Send the photo in the form field “image”.")})
        return None, image
    if request.content_type not in ("application/json", ""):
        raise HttpError(415, _("Send JSON ({“code”: …}) or a multipart form with a photo in “image”."))
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise HttpError(400, "Cannot parse request body") from error
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str):
        raise ValidationError({"code": _("Send the scanned code as a string in “code”.")})
    return code, None


def _product_out(origin: str, product: services.ProductMatch) -> dict:
    return {
        "id": product.id,
        "name": product.name,
        "brand_id": product.brand_id,
        "brand": product.brand,
        "right_holder_id": product.right_holder_id,
        "right_holder": product.right_holder,
        "thumbnail_url": _absolute(origin, product.thumbnail_url) if product.thumbnail_url else "",
        "url": _absolute(origin, product.url),
        "api_url": f"{origin}{get_script_prefix()}api/v1/products/{product.id}",
    }


def _absolute(origin: str, url: str) -> str:
    """A path made absolute with the request's origin; a URL that already is one (an object store's) as it is."""
    return url if "://" in url else f"{origin}{url}"


def _right_holder_out(holder: services.RightHolderMatch) -> dict:
    return {
        "id": holder.id,
        "name": holder.name,
        "email": holder.email,
        "website": holder.website,
        "company_prefix": holder.company_prefix,
        "brands": [{"id": brand.id, "name": brand.name} for brand in holder.brands],
        "contacts": [
            {
                "name": item.contact.name,
                "function": item.contact.function,
                "organisation_name": item.contact.organisation_name,
                "phone": item.contact.phone,
                "emergency_phone": item.contact.emergency_phone,
                "email": item.contact.email,
                "languages": item.languages,
            }
            for item in holder.contacts
        ],
    }


def _connected_out(origin: str, user, item: services.ScanItem) -> list[dict]:
    """How each Connected service securing the item is reached (no provider is called here: the scan stays cheap)."""
    if not item.may_be_secured:  # most items: nothing more to ask
        return []
    from ipm.connected.verification import offers_for

    product = item.product.stand_in_product() if item.product else None
    verify_url = f"{origin}{get_script_prefix()}api/v1/connected/verifications"
    return [offer.as_api(verify_url, item.log_id) for offer in offers_for(user, product=product, parsed=item.parsed)]


def _result_out(origin: str, item: services.ScanItem, user=None) -> dict:
    barcode = item.barcode
    return {
        "match": item.match,
        "parsed": item.parsed.to_dict(),
        "product": _product_out(origin, item.product) if item.product else None,
        "brand": {"id": item.brand.id, "name": item.brand.name} if item.brand else None,
        "right_holder": _right_holder_out(item.right_holder) if item.right_holder else None,
        "alerts": item.alerts,
        "barcode": {"format": barcode.format, "symbology": barcode.symbology} if barcode else None,
        "scan_id": item.log_id,
        "connected": _connected_out(origin, user, item) if user is not None else [],
    }


@router.post(
    "/scans",
    response={200: ScanAnswer, 400: ErrorOut, 413: ErrorOut},
    summary="Look up a scanned code, or the barcodes in a photo",
    openapi_extra=REQUEST_BODY,
)
def create_scan(request):
    """Send the payload as your scanner or camera gave it — an EAN/UPC, a GS1 element string (bracketed, or raw
    with GS separators and a symbology identifier), a GS1 Digital Link — as JSON ``{"code": …}``, or a photo as
    multipart field ``image``. An unknown code is an answer (``match: none``), never a 404. A code that cannot
    be read answers 400 ``invalid_code`` with each problem in ``details``; a photo without a barcode 400
    ``no_barcode``; a file that is not a usable picture 400 ``invalid_image`` (413 ``too_large`` over the upload
    limit). Every code is recorded in the scan log."""
    require_two_factor(request)
    code, image = _request_payload(request)
    source = ScanSource.PHOTO if image is not None else ScanSource.API
    try:
        outcome = services.scan(request.user, code=code, image=image, source=source)
    except PhotoError as error:
        status, error_code = _PHOTO_ERRORS.get(error.code, (400, "invalid_image"))
        message = error.messages[0]
        return _error(status, error_code, message, [{"location": ["image"], "problem": error.code, "message": message}])
    except services.InvalidCode as error:
        location = ["image"] if image is not None else ["code"]
        details = [
            {"location": location, "problem": problem.code, "ai": problem.ai, "message": str(problem.message)}
            for item in error.items
            for problem in item.parsed.problems
        ]
        return _error(400, "invalid_code", _("This code cannot be read: see the details."), details)
    # Built to ScanAnswer's shape (tests/scans/test_api.py validates it); sent as is, since validating this answer
    # again on every scan cost a third of the endpoint's own time.
    origin = f"{request.scheme}://{request.get_host()}"
    return JsonResponse({"results": [_result_out(origin, item, request.user) for item in outcome.results]})


# --- History ------------------------------------------------------------------------------------------------------


def _log_out(log) -> dict:
    return {
        "id": log.pk,
        "created_at": log.created_at,
        "source": log.source,
        "result": log.result,
        "code": log.raw_code,
        "symbology": log.symbology,
        "gtin": log.gtin,
        "lot": log.lot,
        "serial": log.serial,
        "problems": log.problems,
        "product_id": log.product_id,
        "brand_id": log.brand_id,
        "right_holder_id": log.right_holder_id,
        "country": log.country.code if log.country else None,
        "user_id": log.user_id,
        "user": log.user.get_full_name() if log.user else "",
    }


class _LogList:
    """A lazy list the paginator slices: only the page's rows are read."""

    def __init__(self, logs):
        self.logs = logs

    def __len__(self):
        return self.logs.count()

    def __getitem__(self, index):
        return [_log_out(log) for log in self.logs[index]]


@router.get("/scans", response=list[ScanLogOut], summary="The scans you may read, newest first")
@paginate(Pagination)
def list_scans(request, mine: bool = False, result: ScanResult | None = None):
    """Your own scans; a customs administration's admins also read their officers' scans, the secretariat every
    scan. ``mine=true``: your own only."""
    require_two_factor(request)
    logs = services.scan_history(request.user, mine_only=mine).select_related("user")
    if result:
        logs = logs.filter(result=result)
    return _LogList(logs)
