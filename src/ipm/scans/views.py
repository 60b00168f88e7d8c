"""The scan page (``/scan/``) and the scan history (``/scan/history/``). Thin: the look-up and the log are in
``scans.services``, who may scan and read the log in ``ipm.access.policy``."""

from urllib.parse import urlencode

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render

from ipm.access import policy
from ipm.catalog import presentation
from ipm.connected.verification import OFFICER_POST_SESSION_KEY
from ipm.scans import services
from ipm.scans.decoding import PhotoError
from ipm.scans.models import ScanResult, ScanSource

HISTORY_PAGE_SIZE = 25
# The only sources a page may claim: the camera script marks its reads; anything else was typed (or sent by a
# keyboard-wedge scanner, which looks the same to the page).
PAGE_SOURCES = {ScanSource.CAMERA.value: ScanSource.CAMERA}


class PostError(ValidationError):
    """The officer's post is not a UN/LOCODE: the scan is not made (nothing changes) and the field says why."""


def _remember_officer_post(request, value: str) -> None:
    """Where the officer works (a UN/LOCODE, optional), kept in the session: it goes with each IPM Connected
    verification (docs/connected-protocol.md, ``context.location``), never with the officer's identity."""
    from ipm.connected.verification import check_location

    try:
        post = check_location(value)
    except ValidationError as error:
        raise PostError(error.message_dict["location"]) from None
    if post:
        request.session[OFFICER_POST_SESSION_KEY] = post
    else:
        request.session.pop(OFFICER_POST_SESSION_KEY, None)


def _shown_code(code: str) -> str:
    """The code as put back into the field: a GS separator is invisible and may not survive a copy, so it is shown
    as ``<GS>``, which the parser reads as a separator too."""
    return code.replace("\x1d", "<GS>")


# 'wasm-unsafe-eval' lets the page compile WebAssembly and nothing else (no eval() of JavaScript): the camera
# reader (zxing-wasm, served from our own static files) needs it in browsers without a native BarcodeDetector.
# Only this page gets it; scripts still load from this origin alone.
@csp_update({"script-src": ["'wasm-unsafe-eval'"]})
@login_required
def scan(request):
    user = request.user
    if not policy.may_scan(user):
        raise PermissionDenied
    context = {"code": "", "outcome": None, "invalid": None, "photo_error": "", "empty": False, "post_error": ""}
    context["post"] = request.session.get(OFFICER_POST_SESSION_KEY, "")
    if request.method == "POST":
        code = request.POST.get("code", "")
        image = request.FILES.get("image")
        context["code"] = _shown_code(code[:1000])
        context["post"] = request.POST.get("post", context["post"])[:20]
        try:
            _remember_officer_post(request, context["post"])
            if image is not None:
                outcome = services.scan(user, image=image, source=ScanSource.PHOTO)
            elif not code.strip():
                context["empty"] = True
                outcome = None
            else:
                source = PAGE_SOURCES.get(request.POST.get("source", ""), ScanSource.PAGE)
                outcome = services.scan(user, code=code, source=source)
        except PostError as error:
            context["post_error"] = error.messages[0]
        except PhotoError as error:
            context["photo_error"] = error.messages[0]
        except services.InvalidCode as error:
            context["invalid"] = error.items
        else:
            if outcome is not None and outcome.single_product is not None:
                return redirect(_product_page(user, outcome.results[0]))
            if outcome is not None:
                _add_connected_panels(user, outcome)
            context["outcome"] = outcome
    return render(request, "scans/scan.html", context)


def _product_of(item):
    """The sheet as ``connected.services.services_for`` reads it, built from what the look-up read already."""
    return item.product.stand_in_product() if item.product is not None else None


def _product_page(user, item) -> str:
    """The product page; when a Connected service secures the item and the user may verify it, with the scan's
    log id (``?scan=``): the page's "Connected verification" panel then asks the service about the item."""
    from ipm.connected.verification import offers_for

    url = item.product.url
    if (
        item.log_id is not None
        and item.may_be_secured
        and offers_for(user, product=_product_of(item), parsed=item.parsed)
    ):
        url = f"{url}?{urlencode({'scan': item.log_id})}"
    return url


def _add_connected_panels(user, outcome) -> None:
    """Several codes answered on the page: each one's "Connected verification" panel, when a service secures it."""
    from ipm.connected.verification import panel_for

    for item in outcome.results:
        item.connected_panel = None
        if item.may_be_secured and item.log_id is not None:
            item.connected_panel = panel_for(user, item.log_id, product=_product_of(item), parsed=item.parsed)


@login_required
def history(request):
    user = request.user
    sees_others = policy.sees_others_scans(user)
    mine_only = not sees_others or request.GET.get("mine") == "1"
    logs = (
        services.scan_history(user, mine_only=mine_only)
        .select_related("user", "product__brand", "right_holder")
        .prefetch_related("product__translations")
        .annotate(product_readable=Exists(policy.visible_products(user).filter(pk=OuterRef("product_id"))))
    )
    paginator = Paginator(logs, HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    language = presentation.reader_language()
    rows = [
        (log, presentation.list_name(log.product, language) if log.product_id and log.product_readable else None)
        for log in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "sees_others": sees_others,
        "mine_only": mine_only,
        "query": urlencode({"mine": "1"}) if sees_others and mine_only else "",
        "results": ScanResult,
        "may_scan": policy.may_scan(user),
    }
    return render(request, "scans/history.html", context)
