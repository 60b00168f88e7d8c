"""The officer's "Connected verification" panel: the product page (or the scan page) shows one card per service that
secures the scanned item; the card asks ``verify`` for the verdict as soon as the page is shown, and the "open the
provider's app" button goes through ``launch``, which records the launch. Thin: ``connected.verification`` does it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from ipm.access import policy
from ipm.connected import verification as verifying
from ipm.connected.models import Service

# Schemes an app link may not open, whatever was registered (registration refuses them already).
_NEVER = {"javascript", "data", "file", "vbscript", "blob"}


def _scan_and_service(request):
    user = request.user
    if not policy.may_verify_scans(user):
        raise PermissionDenied
    scan_id, public_id = request.POST.get("scan", ""), request.POST.get("service", "")
    if not scan_id.isdigit() or not public_id:
        raise Http404
    scan = get_object_or_404(policy.verifiable_scan_logs(user).select_related("product__brand"), pk=scan_id)
    service = get_object_or_404(Service.objects.select_related("provider"), public_id=public_id)
    return scan, service


def _location(request) -> str:
    """The UN/LOCODE the verification is made at: the request's, else the post the officer gave on the scan page."""
    return request.POST.get("location") or request.session.get(verifying.OFFICER_POST_SESSION_KEY, "")


@login_required
@require_POST
def verify(request):
    """The verdict card of one service for one scan (an HTML fragment the panel's script puts in place)."""
    scan, service = _scan_and_service(request)
    # The panel's script asks for the card alone; a browser without script posts the form and gets a whole page.
    template = "connected/_verdict.html" if request.headers.get("IPM-Fragment") else "connected/verdict_page.html"
    context = {"service": service, "scan": scan, "error": "", "verification": None}
    try:
        verification = verifying.verify_scan(request.user, scan, service, _location(request))
    except PermissionDenied as error:
        context["error"] = str(error)
        return render(request, template, context, status=403)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, template, context, status=400)
    words = verifying.reason_words()
    context.update(
        verification=verification,
        reasons=[(code, words.get(code, code)) for code in verification.reasons],
        fault_text=verifying.fault_words().get(verification.fault, ""),
        history=verifying.history_report(verification.history),
    )
    return render(request, template, context)


class _AppRedirect(HttpResponseRedirect):
    """A redirect to the provider's app: its own scheme (``providerapp://``) as well as https."""

    def __init__(self, url: str, scheme: str):
        self.allowed_schemes = ["https", "http", scheme]
        super().__init__(url)


@login_required
@require_POST
def launch(request):
    """Record that the officer opened the provider's app (or its Digital Link page) for this scan, and open it."""
    scan, service = _scan_and_service(request)
    target, _verification = verifying.launch(request.user, scan, service)
    scheme = target.split(":", 1)[0].lower() if ":" in target else ""
    if not target or not scheme or scheme in _NEVER:
        raise PermissionDenied
    return _AppRedirect(target, scheme)
