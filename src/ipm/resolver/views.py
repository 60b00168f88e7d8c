"""IPM as a GS1-Conformant resolver, at the site root: ``/01/{gtin}[/22/…][/10/…][/21/…]``, the description file
``/.well-known/gs1resolver`` and the public product page ``/p/{gtin}/``.

Every answer of the resolver carries CORS headers (any origin; ``Link`` and ``Location`` readable by scripts) and
a ``Link`` header to the linkset. A valid request is redirected (307) to the default link, or to the link of the
type its ``linkType`` asks for, with its query string passed on; ``linkType=linkset`` or ``Accept:
application/linkset+json`` gets the RFC 9264 linkset instead. Errors are 400 (malformed request) or 404 (nothing
known, no link of that type), never a 200. Who learns what is the access policy's decision (``resolution``).
"""

import json

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ipm.access import policy
from ipm.catalog.models import IdentifierKind
from ipm.resolver import digital_link, resolution
from ipm.resolver.digital_link import DigitalLinkRequest, MalformedDigitalLink
from ipm.resolver.models import GS1_VOCABULARY, LinkType

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
LINKSET_MEDIA_TYPE = "application/linkset+json"
JSON_LD_MEDIA_TYPE = "application/ld+json"
JSON_LD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
# The GS1 artefact that turns a resolver's linkset into JSON-LD (GS1-Conformant Resolver 1.x, "Artefacts").
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
PREFLIGHT_MAX_AGE = 86400


# --- HTTP plumbing ------------------------------------------------------------------------------------------------


def _cors(response: HttpResponse) -> HttpResponse:
    """Any web page may call the resolver (it serves public data and ignores cookies sent cross-site)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
    response["Access-Control-Expose-Headers"] = "Link, Location, Content-Type, Content-Language, Vary"
    return response


def _finish(request, response: HttpResponse) -> HttpResponse:
    """CORS, the headers the answer depends on, and no body for HEAD."""
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    if request.method == "HEAD":
        response.content = b""
    return _cors(response)


def _accepts(request, media_type: str) -> bool:
    """Whether ``Accept`` names ``media_type`` with a quality above zero (wildcards do not count: a browser's
    ``*/*`` is not a request for JSON)."""
    for part in request.headers.get("Accept", "")[:1000].split(","):
        name, _sep, params = part.strip().partition(";")
        if name.strip().lower() != media_type:
            continue
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def _error(request, status: int, code: str, message: str, *, link_header: str = "") -> HttpResponse:
    """An error in the API's shape, or as a page when a browser asks (a person followed a QR code)."""
    if _accepts(request, "text/html"):
        response = render(request, "resolver/error.html", {"status": status, "message": message}, status=status)
    else:
        body = {"error": {"code": code, "message": str(message), "details": []}}
        response = JsonResponse(body, status=status)
    if link_header:
        response["Link"] = link_header
    return _finish(request, response)


def _preflight_or_refusal(request) -> HttpResponse | None:
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        return _cors(response)
    if request.method not in {"GET", "HEAD"}:
        response = _error(request, 405, "not_allowed", _("This method is not allowed here."))
        response["Allow"] = ALLOWED_METHODS
        return response
    return None


def _root(request) -> str:
    """This resolver's root, as the client reached it (``https://…`` behind the TLS proxy)."""
    return request.build_absolute_uri("/").rstrip("/")


def _raw_path(request) -> tuple[str, bool]:
    """The request path as sent, when the server passes it (gunicorn's ``RAW_URI``, Apache's ``REQUEST_URI``), so
    that an encoded ``/`` in a batch or serial number stays in its value; otherwise WSGI's decoded path."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        script = request.META.get("SCRIPT_NAME", "")
        return raw[len(script) :] if script and raw.startswith(script) else raw, False
    return request.path_info, True


# --- The resolver ---------------------------------------------------------------------------------------------------


def _linkset_header(root: str, dl: DigitalLinkRequest) -> str:
    return f'<{root}{dl.request_path}?linkType=linkset>; rel="linkset"; type="{LINKSET_MEDIA_TYPE}"'


def _linkset_response(request, found: resolution.Resolution, root: str, link_header: str) -> HttpResponse:
    body = found.linkset(root)
    media_type = LINKSET_MEDIA_TYPE
    if not _accepts(request, LINKSET_MEDIA_TYPE) and _accepts(request, JSON_LD_MEDIA_TYPE):
        body = {"@context": LINKSET_CONTEXT, **body}
        media_type = JSON_LD_MEDIA_TYPE
    elif not _accepts(request, LINKSET_MEDIA_TYPE) and _accepts(request, "application/json"):
        media_type = "application/json"
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=2), content_type=media_type)
    response["Link"] = f'{link_header}, <{LINKSET_CONTEXT}>; rel="{JSON_LD_CONTEXT_REL}"; type="{JSON_LD_MEDIA_TYPE}"'
    return _finish(request, response)


def _redirect(request, target: str, link_header: str) -> HttpResponse:
    """307: the client repeats its exact request at the target, which is neither permanent nor cacheable."""
    query = digital_link.passed_on_query(request.META.get("QUERY_STRING", ""))
    if query:
        address, hash_sign, fragment = target.partition("#")
        target = address + ("&" if "?" in address else "?") + query + hash_sign + fragment
    response = HttpResponse(status=307)
    response["Location"] = target
    response["Link"] = link_header
    return _finish(request, response)


@csrf_exempt  # only GET, HEAD and OPTIONS are served; anything else gets a 405 with CORS, not a CSRF page
def resolve(request, gtin="", qualifiers=""):
    refused = _preflight_or_refusal(request)
    if refused is not None:
        return refused
    raw_path, decoded = _raw_path(request)
    query = request.META.get("QUERY_STRING", "")
    try:
        dl = digital_link.parse_request(digital_link.path_segments(raw_path, decoded=decoded), query)
    except MalformedDigitalLink as error:
        return _error(request, 400, error.code, error.message)
    root = _root(request)
    found = resolution.resolve(request.user, dl, request.build_absolute_uri)
    if found is None:
        return _error(request, 404, "not_found", _("IPM has no information about this GTIN."))
    link_header = _linkset_header(root, dl)
    asked = [value for key, value in digital_link.query_pairs(query) if key == "linkType"]
    link_type = resolution.requested_link_type(asked[-1]) if asked else None
    if link_type == "linkset" or (not asked and _accepts(request, LINKSET_MEDIA_TYPE)):
        return _linkset_response(request, found, root, link_header)
    if not asked:
        return _redirect(request, found.default.href, link_header)
    link = found.choose(link_type, request.headers.get("Accept-Language", "")) if link_type else None
    if link is None:
        message = _("There is no link of the type “%(type)s” for this GTIN.") % {"type": asked[-1][:100]}
        return _error(request, 404, "no_such_link", message, link_header=link_header)
    return _redirect(request, link.href, link_header)


@csrf_exempt
def compressed(request, segment):
    """A compressed GS1 Digital Link URI (one segment of base64url characters). Decompressing it is not done yet:
    the client is told so, instead of a bare 404."""
    if not digital_link.is_compressed(segment):
        raise Http404
    refused = _preflight_or_refusal(request)
    if refused is not None:
        return refused
    return _error(
        request,
        400,
        "compressed_not_supported",
        _("This resolver does not read compressed GS1 Digital Link URIs yet: use the uncompressed form /01/{gtin}…"),
    )


@csrf_exempt
def description(request):
    """The resolver description file (GS1-Conformant Resolver, section 3), with the properties of GS1's published
    description-file schema only."""
    refused = _preflight_or_refusal(request)
    if refused is not None:
        return refused
    root = _root(request)
    body = {
        "name": "IPM — Interface Public-Members",
        "resolverRoot": root,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOCABULARY, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "contact": {"fn": "IPM"},
    }
    return _finish(request, JsonResponse(body, json_dumps_params={"indent": 2}))


# --- The public product page ----------------------------------------------------------------------------------------


def public_product(request, gtin):
    """What anyone may know of a public sheet (name, brand, the right holder's public links), for a person who
    resolved its GTIN without signing in. Drafts and sheets shared with some countries only are not found."""
    try:
        dl = digital_link.parse_request(["01", gtin], "")
    except MalformedDigitalLink as error:
        raise Http404 from error
    public = policy.publicly_resolvable_products().filter(
        identifiers__kind=IdentifierKind.GTIN, identifiers__value=dl.gtin
    )
    product = get_object_or_404(public.select_related("brand").prefetch_related("translations"))
    found = resolution.resolve(AnonymousUser(), dl, request.build_absolute_uri)
    own = request.build_absolute_uri(reverse("resolver:public_product", args=[dl.gtin]))
    links = [link for link in found.links if link.href != own] if found else []
    readable = policy.visible_products(request.user).filter(pk=product.pk).exists()
    context = {
        "product": product,
        "name": resolution.product_name(product),
        "gtin": dl.gtin,
        "links": [(link, LinkType(link.link_type).label) for link in links],
        "officer_url": reverse("catalog:product_detail", args=[product.pk]) if readable else "",
        "resolver_path": dl.request_path,
    }
    return render(request, "resolver/public_product.html", context)
