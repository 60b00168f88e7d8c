"""Domain actions of IPM Connected: providers register services, the secretariat approves them, right holders put
their brands and products under them; and ``services_for``, which finds the services securing a scanned item.

Same contract as the catalogue's actions: the access policy first (``PermissionDenied``), then validation
(``ValidationError`` keyed by field, translated), then one transaction and an audit event. A service never claims a
product on its own: its declared coverage counts only where a right holder linked the product or its brand, and a
company-prefix or GTIN claim only where that right holder owns the prefix or the product.
"""

import ipaddress
import string
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import regex
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import Organisation, OrganisationKind, User
from ipm.audit.models import AuditAction
from ipm.audit.services import record
from ipm.catalog.models import Brand, CompanyPrefix, IdentifierKind, Product, ProductIdentifier
from ipm.connected import signing
from ipm.connected.models import (
    MAX_TIMEOUT_MS,
    CoverageKind,
    Reach,
    Service,
    ServiceCoverage,
    ServiceLink,
    ServiceStatus,
)

SERVICE_FIELDS = {
    "name",
    "description",
    "reach",
    "verification_url",
    "app_link_template",
    "link_hosts",
    "timeout_ms",
    "protocol_version",
}
SUPPORTED_PROTOCOL_VERSIONS = {1}
PREVIOUS_SECRET_GRACE = timedelta(hours=24)
MIN_TIMEOUT_MS = 100
MAX_COVERAGE_LINES = 200
MAX_CODE_FORMAT_LENGTH = 200
# A provider's code format runs against every non-GS1 code scanned: bounded in time, whatever it is.
CODE_FORMAT_TIMEOUT_SECONDS = 0.02
APP_LINK_PLACEHOLDERS = {"code", "gtin", "serial", "lot", "expiry", "digital_link", "country"}
REFUSED_APP_SCHEMES = {"javascript", "data", "file", "vbscript", "blob", "about", "filesystem"}
SCHEME = regex.compile(r"^[a-z][a-z0-9+.\-]*$")
HOST = regex.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*$")


# --- Permissions ------------------------------------------------------------------------------------------------


def _may_manage(actor: User, service: Service) -> None:
    if not policy.manageable_services(actor).filter(pk=service.pk).exists():
        raise PermissionDenied


def _may_approve(actor: User) -> None:
    if not policy.may_approve_services(actor):
        raise PermissionDenied


# --- Checks -----------------------------------------------------------------------------------------------------


def loopback_http_allowed() -> bool:
    """Plain HTTP to a loopback address: for development and tests only (DEBUG or IPM_CONNECTED_ALLOW_LOOPBACK_HTTP)."""
    return bool(settings.DEBUG or getattr(settings, "IPM_CONNECTED_ALLOW_LOOPBACK_HTTP", False))


def is_loopback_host(host: str | None) -> bool:
    host = (host or "").strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean_verification_url(value, errors: dict) -> str:
    url = str(value or "").strip()
    if not url:
        errors["verification_url"] = [_("A service reached by its verification API needs its verification URL.")]
        return url
    message = _("Enter an address that starts with https://, e.g. https://verify.example.com/ipm.")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        errors["verification_url"] = [message]
        return url
    parts = urlsplit(url)
    if parts.username or parts.password:
        errors["verification_url"] = [_("An address with a user name or password in it is not accepted.")]
    elif parts.fragment:
        errors["verification_url"] = [_("The verification URL cannot have a #fragment.")]
    elif parts.scheme == "http" and not (loopback_http_allowed() and is_loopback_host(parts.hostname)):
        errors["verification_url"] = [message]
    elif len(url) > 200:
        errors["verification_url"] = [_("This address is too long (at most 200 characters).")]
    return url


def _clean_app_link_template(value, errors: dict) -> str:
    """A deep link template: a scheme IPM may hand a phone (https, or an app's own scheme; never javascript:, data:,
    file: …, nor http: except to loopback in development), and only the documented placeholders."""
    template = str(value or "").strip()
    if not template:
        errors["app_link_template"] = [_("A service reached by app launch needs its link template.")]
        return template
    if len(template) > 500:
        errors["app_link_template"] = [_("This template is too long (at most 500 characters).")]
        return template
    scheme, sep, rest = template.partition(":")
    scheme = scheme.lower()
    if not sep or "{" in scheme or not SCHEME.match(scheme) or not rest:
        errors["app_link_template"] = [
            _("The template must start with its scheme, e.g. https://verify.example.com/?c={code} or myapp://verify.")
        ]
        return template
    if scheme in REFUSED_APP_SCHEMES:
        errors["app_link_template"] = [_("Links starting with “%(scheme)s:” are not accepted.") % {"scheme": scheme}]
        return template
    if scheme == "http":
        host = urlsplit(template.replace("{", "").replace("}", "")).hostname
        if not (loopback_http_allowed() and is_loopback_host(host)):
            errors["app_link_template"] = [_("Use https:// (plain http:// is not accepted).")]
            return template
    if any(char.isspace() for char in template):
        errors["app_link_template"] = [_("A link template cannot contain spaces.")]
        return template
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    except ValueError:
        errors["app_link_template"] = [_("The braces of the template do not match.")]
        return template
    unknown = sorted(names - APP_LINK_PLACEHOLDERS)
    if unknown:
        errors["app_link_template"] = [
            _("Unknown placeholders: %(names)s. Use {code} {gtin} {serial} {lot} {expiry} {digital_link} {country}.")
            % {"names": ", ".join(f"{{{name}}}" for name in unknown)}
        ]
    return template


def _clean_link_hosts(value, errors: dict) -> str:
    hosts = [h.strip().lower() for h in str(value or "").replace(" ", ",").split(",") if h.strip()]
    if not hosts:
        errors["link_hosts"] = [_("A service reached by GS1 Digital Link needs the hosts its links live on.")]
        return ""
    bad = [host for host in hosts if not HOST.match(host)]
    if bad:
        errors["link_hosts"] = [_("Not a host name: %(hosts)s.") % {"hosts": ", ".join(bad)}]
    joined = ",".join(dict.fromkeys(hosts))
    if len(joined) > 500:
        errors["link_hosts"] = [_("Too many hosts (at most 500 characters).")]
    return joined


def clean_coverage_line(kind: str, value: str) -> str:
    """One declared coverage line, normalised; ``ValidationError`` with a message naming the line."""
    value = str(value or "").strip()
    if kind not in CoverageKind.values:
        raise ValidationError(_("“%(kind)s” is not a kind of coverage.") % {"kind": kind})
    if not value:
        raise ValidationError(_("A coverage line needs a value."))
    if len(value) > 200:
        raise ValidationError(_("A coverage value has at most 200 characters."))
    if kind == CoverageKind.COMPANY_PREFIX:
        if not (value.isdigit() and 4 <= len(value) <= 12):
            raise ValidationError(_("“%(value)s”: a GS1 company prefix has 4 to 12 digits.") % {"value": value})
        return value
    if kind == CoverageKind.GTIN:
        from ipm.catalog.services import normalise_gtin

        return normalise_gtin(value).gtin14
    if kind == CoverageKind.URL_PATTERN:
        pattern = value.lower()
        for prefix in ("https://", "http://"):
            pattern = pattern.removeprefix(prefix)
        host, _sep, path = pattern.partition("/")
        if not HOST.match(host) or any(char.isspace() for char in path) or "?" in path or "#" in path:
            raise ValidationError(
                _("“%(value)s”: write a URL pattern as host/path-prefix, e.g. qr.example.com/v/") % {"value": value}
            )
        return host + ("/" + path if path else "")
    if kind == CoverageKind.CODE_FORMAT:
        if len(value) > MAX_CODE_FORMAT_LENGTH:
            raise ValidationError(_("A code format has at most %(max)d characters.") % {"max": MAX_CODE_FORMAT_LENGTH})
        try:
            regex.compile(value)
        except regex.error as error:
            raise ValidationError(
                _("“%(value)s” is not a valid regular expression: %(error)s") % {"value": value, "error": error}
            ) from error
        if len(value.strip("^$")) < 3 or _code_format_matches(value, ""):
            raise ValidationError(_("“%(value)s” matches too much: describe the code's format.") % {"value": value})
        return value
    return value  # a brand name, as the provider knows it


def _clean_coverage(lines, errors: dict) -> list[tuple[str, str]]:
    cleaned, messages = [], []
    lines = list(lines or [])
    if len(lines) > MAX_COVERAGE_LINES:
        errors["coverage"] = [_("At most %(max)d coverage lines.") % {"max": MAX_COVERAGE_LINES}]
        return []
    for line in lines:
        kind, value = (line.get("kind"), line.get("value")) if isinstance(line, dict) else line
        try:
            cleaned.append((kind, clean_coverage_line(kind, value)))
        except ValidationError as error:
            messages.extend(error.messages)
    if messages:
        errors["coverage"] = messages
    return list(dict.fromkeys(cleaned))


def _clean(service: Service, fields: dict) -> dict:
    unknown = set(fields) - SERVICE_FIELDS - {"coverage"}
    if unknown:
        raise ValueError(f"unknown service fields: {sorted(unknown)}")
    state = {name: getattr(service, name) for name in SERVICE_FIELDS}
    state.update({name: value for name, value in fields.items() if name in SERVICE_FIELDS and value is not None})
    errors: dict = {}
    state["name"] = str(state["name"] or "").strip()
    if not state["name"]:
        errors["name"] = [_("This field is required.")]
    elif len(state["name"]) > 120:
        errors["name"] = [_("A name has at most 120 characters.")]
    state["description"] = str(state["description"] or "").strip()
    if len(state["description"]) > 5000:
        errors["description"] = [_("A description has at most 5,000 characters.")]
    if state["reach"] not in Reach.values:
        errors["reach"] = [_("Choose how IPM reaches the service.")]
    # The fields of the service's reach are required and checked (on a change: when given or when the reach changes,
    # so that a stored address stays valid); another reach's fields are checked when given.
    for field, reach, clean in (
        ("verification_url", Reach.VERIFICATION_API, _clean_verification_url),
        ("app_link_template", Reach.APP_LAUNCH, _clean_app_link_template),
        ("link_hosts", Reach.DIGITAL_LINK, _clean_link_hosts),
    ):
        required = state["reach"] == reach and (service.pk is None or service.reach != reach or field in fields)
        if required or (state[field] and field in fields):
            state[field] = clean(state[field], errors)
    try:
        state["timeout_ms"] = int(state["timeout_ms"])
        if not MIN_TIMEOUT_MS <= state["timeout_ms"] <= MAX_TIMEOUT_MS:
            raise ValueError
    except (TypeError, ValueError):
        errors["timeout_ms"] = [
            _("The time-out is between %(min)d and %(max)d milliseconds.")
            % {"min": MIN_TIMEOUT_MS, "max": MAX_TIMEOUT_MS}
        ]
    try:
        state["protocol_version"] = int(state["protocol_version"])
        if state["protocol_version"] not in SUPPORTED_PROTOCOL_VERSIONS:
            raise ValueError
    except (TypeError, ValueError):
        errors["protocol_version"] = [_("IPM speaks protocol version 1.")]
    coverage = None
    if fields.get("coverage") is not None:
        coverage = _clean_coverage(fields["coverage"], errors)
    if errors:
        raise ValidationError(errors)
    state["coverage"] = coverage
    return state


def _save(service: Service, state: dict) -> Service:
    coverage = state.pop("coverage")
    for name, value in state.items():
        setattr(service, name, value)
    service.save()
    if coverage is not None:
        keep = set(coverage)
        existing = {(line.kind, line.value): line.pk for line in service.coverage.all()}
        ServiceCoverage.objects.filter(pk__in=[pk for key, pk in existing.items() if key not in keep]).delete()
        ServiceCoverage.objects.bulk_create(
            [
                ServiceCoverage(service=service, kind=kind, value=value)
                for kind, value in coverage
                if (kind, value) not in existing
            ]
        )
    return service


def _details(service: Service) -> dict:
    return {
        "public_id": service.public_id,
        "reach": service.reach,
        "status": service.status,
        "verification_url": service.verification_url,
        "app_link_template": service.app_link_template,
        "link_hosts": service.link_hosts,
        "coverage": [f"{line.kind}:{line.value}" for line in service.coverage.all()][:50],
    }


# --- Services: registration and changes (the provider's administrators) ------------------------------------------


@transaction.atomic
def register_service(actor: User, provider: Organisation, *, request=None, **fields) -> Service:
    """A new service, pending the secretariat's approval. ``coverage``: a list of (kind, value) or dicts."""
    if not policy.may_register_service(actor, provider):
        raise PermissionDenied
    fields.setdefault("coverage", [])
    service = Service(provider=provider, reach="")
    service = _save(service, _clean(service, fields))
    record(
        AuditAction.CONNECTED_SERVICE_REGISTERED,
        actor=actor,
        organisation=provider,
        target=service,
        request=request,
        **_details(service),
    )
    return service


@transaction.atomic
def update_service(actor: User, service: Service, *, request=None, **fields) -> Service:
    """Change a service's description, how it is reached or its coverage (``coverage`` replaces the lines). Its
    status stays: coverage is a claim that only right holders' links make count."""
    _may_manage(actor, service)
    service = Service.objects.select_for_update().get(pk=service.pk)
    _save(service, _clean(service, fields))
    record(
        AuditAction.CONNECTED_SERVICE_CHANGED,
        actor=actor,
        organisation=service.provider,
        target=service,
        request=request,
        changed=sorted(fields),
        **_details(service),
    )
    return service


@transaction.atomic
def submit_service(actor: User, service: Service, *, request=None) -> Service:
    """A rejected service, changed since, goes back to the secretariat's queue."""
    _may_manage(actor, service)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status != ServiceStatus.REJECTED:
        raise ValidationError({"status": [_("Only a rejected service is submitted again.")]})
    service.status, service.status_reason = ServiceStatus.PENDING, ""
    service.save(update_fields=["status", "status_reason", "updated_at"])
    record(
        AuditAction.CONNECTED_SERVICE_SUBMITTED,
        actor=actor,
        organisation=service.provider,
        target=service,
        request=request,
    )
    return service


# --- Approval (the secretariat's administrators) ------------------------------------------------------------------


@transaction.atomic
def approve_service(actor: User, service: Service, *, request=None) -> Service:
    """Approve a pending service, or reinstate a suspended one. The first approval generates the shared secret,
    which only the provider's administrators are shown (once): the secretariat never sees it."""
    _may_approve(actor)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status == ServiceStatus.APPROVED:
        raise ValidationError({"status": [_("This service is already approved.")]})
    if not service.secret:
        service.secret = signing.new_secret()
        service.secret_shown_at = None
    service.status, service.status_reason = ServiceStatus.APPROVED, ""
    service.approved_at, service.approved_by = timezone.now(), actor
    service.save()
    record(
        AuditAction.CONNECTED_SERVICE_APPROVED,
        actor=actor,
        organisation=service.provider,
        target=service,
        request=request,
    )
    return service


def _decide(actor, service, status, reason, action, allowed_from, request):
    _may_approve(actor)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the provider a reason.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("A reason has at most 2,000 characters.")]})
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.status not in allowed_from:
        raise ValidationError(
            {"status": [_("This service cannot be %(what)s now.") % {"what": ServiceStatus(status).label.lower()}]}
        )
    service.status, service.status_reason = status, reason
    service.save(update_fields=["status", "status_reason", "updated_at"])
    record(action, actor=actor, organisation=service.provider, target=service, request=request, reason=reason)
    return service


@transaction.atomic
def reject_service(actor: User, service: Service, reason: str, *, request=None) -> Service:
    return _decide(
        actor,
        service,
        ServiceStatus.REJECTED,
        reason,
        AuditAction.CONNECTED_SERVICE_REJECTED,
        {ServiceStatus.PENDING},
        request,
    )


@transaction.atomic
def suspend_service(actor: User, service: Service, reason: str, *, request=None) -> Service:
    """Stop calling an approved service at once (links stay, and count again if it is reinstated)."""
    return _decide(
        actor,
        service,
        ServiceStatus.SUSPENDED,
        reason,
        AuditAction.CONNECTED_SERVICE_SUSPENDED,
        {ServiceStatus.APPROVED},
        request,
    )


# --- The shared secret (the provider's administrators) ------------------------------------------------------------


def _may_hold_secret(actor: User, service: Service) -> None:
    if not policy.may_hold_service_secret(actor, service):
        raise PermissionDenied


@transaction.atomic
def rotate_secret(actor: User, service: Service, *, request=None) -> str:
    """A new shared secret, returned once; the previous one stays valid for 24 hours so that the provider can
    switch without a failed verification."""
    _may_hold_secret(actor, service)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if not service.secret:
        raise ValidationError({"secret": [_("A service gets its secret when it is approved.")]})
    now = timezone.now()
    service.previous_secret = service.secret
    service.previous_secret_valid_until = now + PREVIOUS_SECRET_GRACE
    service.secret = signing.new_secret()
    service.secret_shown_at = now
    service.save()
    record(
        AuditAction.CONNECTED_SECRET_ROTATED,
        actor=actor,
        organisation=service.provider,
        target=service,
        request=request,
    )
    return service.secret


@transaction.atomic
def reveal_secret(actor: User, service: Service, *, request=None) -> str:
    """The secret generated at approval, shown to one of the provider's administrators once; after that only a
    rotation gives a new one."""
    _may_hold_secret(actor, service)
    service = Service.objects.select_for_update().get(pk=service.pk)
    if not service.secret or service.secret_shown_at is not None:
        raise ValidationError({"secret": [_("The secret was already shown. Rotate it to get a new one.")]})
    service.secret_shown_at = timezone.now()
    service.save(update_fields=["secret_shown_at", "updated_at"])
    record(
        AuditAction.CONNECTED_SECRET_REVEALED,
        actor=actor,
        organisation=service.provider,
        target=service,
        request=request,
    )
    return service.secret


# --- Links: a right holder puts a brand or product under a service --------------------------------------------------


def _link(actor: User, service: Service, right_holder: Organisation, *, brand=None, product=None, request=None):
    if not policy.may_link_services(actor, right_holder):
        raise PermissionDenied
    if not service.is_approved or not policy.linkable_services(actor).filter(pk=service.pk).exists():
        raise ValidationError({"service": [_("Choose an approved service.")]})
    target = Q(brand=brand) if brand is not None else Q(product=product)
    link = ServiceLink.objects.select_for_update().filter(target, service=service).first()
    if link is not None and link.active:
        raise ValidationError({"service": [_("This service already secures it.")]})
    if link is None:
        link = ServiceLink(service=service, brand=brand, product=product)
    link.right_holder, link.active, link.created_by, link.created_at = right_holder, True, actor, timezone.now()
    link.save()
    record(
        AuditAction.CONNECTED_LINK_CREATED,
        actor=actor,
        organisation=right_holder,
        target=link,
        request=request,
        service=service.public_id,
        brand=brand.name if brand else None,
        product=product.pk if product else None,
    )
    return link


@transaction.atomic
def link_brand(actor: User, service: Service, brand: Brand, *, request=None) -> ServiceLink:
    """Every product of the brand is secured by the service (where its coverage includes the product)."""
    return _link(actor, service, brand.right_holder, brand=brand, request=request)


@transaction.atomic
def link_product(actor: User, service: Service, product: Product, *, request=None) -> ServiceLink:
    return _link(actor, service, product.brand.right_holder, product=product, request=request)


@transaction.atomic
def unlink(actor: User, link: ServiceLink, *, request=None) -> None:
    """The service no longer secures the brand or product. The row stays (inactive) for the record."""
    if not policy.editable_service_links(actor).filter(pk=link.pk).exists():
        raise PermissionDenied
    if not link.active:
        raise ValidationError({"link": [_("This link was already removed.")]})
    link.active = False
    link.save(update_fields=["active"])
    record(
        AuditAction.CONNECTED_LINK_REMOVED,
        actor=actor,
        organisation=link.right_holder,
        target=link,
        request=request,
        service=link.service.public_id,
    )


# --- Which services secure a scanned item ---------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _compiled(pattern: str):
    return regex.compile(pattern)


def _code_format_matches(pattern: str, code: str) -> bool:
    """The whole code matches the provider's format; a pattern that takes too long counts as no match."""
    try:
        return _compiled(pattern).fullmatch(code, timeout=CODE_FORMAT_TIMEOUT_SECONDS) is not None
    except (TimeoutError, regex.error):
        return False


def _url_pattern_matches(pattern: str, code: str) -> bool:
    """``host/path-prefix`` against a URL in a code: the same host, the path starting with the prefix."""
    parts = urlsplit(code.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return False
    host, _sep, path = pattern.partition("/")
    return parts.hostname.lower() == host and (parts.path or "/").startswith("/" + path)


def _company_prefix_candidates(gtin14: str) -> list[str]:
    """Every GS1 company prefix (4 to 12 digits) a GTIN-14 can start with: its digits after the indicator digit."""
    body = gtin14[1:]
    return [body[:length] for length in range(4, 13)]


def services_for(product: Product | None = None, gtin: str | None = None, raw_code: str = "") -> list[Service]:
    """The approved services that secure a scanned item, each with ``matched_link`` (the right holder's link that
    makes it count: its brand or product, its right holder).

    GS1 item (a GTIN): the services a right holder linked to the product or its brand, whose coverage includes the
    product: its GTIN (a sheet of the linking right holder), its brand's name, or a company prefix the GTIN starts
    with (one the linking right holder owns). A GTIN without a sheet in IPM: the services a prefix owner linked one
    of its brands to, claiming that prefix. Not a GS1 code: the services whose URL pattern or code format matches
    ``raw_code`` and that a right holder linked. One or two queries; every claim is checked in SQL."""
    gtin = (gtin or "").strip()
    if product is None and not gtin:
        return _services_for_raw_code(raw_code) if raw_code else []
    prefixes = _company_prefix_candidates(gtin) if len(gtin) == 14 and gtin.isdigit() else []
    # Subqueries on the coverage line: does the right holder of the link (two levels out) own the claimed prefix?
    covered = ServiceCoverage.objects.filter(service_id=OuterRef("service_id")).alias(
        owns_prefix=Exists(
            CompanyPrefix.objects.filter(
                prefix=OuterRef("value"), right_holder_id=OuterRef(OuterRef("right_holder_id"))
            )
        )
    )
    claim = Q(kind=CoverageKind.COMPANY_PREFIX, value__in=prefixes, owns_prefix=True) if prefixes else Q(pk__in=[])
    links = ServiceLink.objects.filter(active=True, service__status=ServiceStatus.APPROVED)
    if product is not None:
        brand = product.brand
        gtins = (
            [gtin]
            if gtin
            else ProductIdentifier.objects.filter(product=product, kind=IdentifierKind.GTIN).values("value")
        )
        covered = covered.alias(
            owns_gtin=Exists(
                ProductIdentifier.objects.filter(
                    kind=IdentifierKind.GTIN,
                    value=OuterRef("value"),
                    product=product,
                    right_holder_id=OuterRef(OuterRef("right_holder_id")),
                )
            )
        )
        claim |= Q(kind=CoverageKind.GTIN, value__in=gtins, owns_gtin=True)
        claim |= Q(kind=CoverageKind.BRAND, value__iexact=brand.name)
        links = links.filter(Q(product=product) | Q(brand_id=product.brand_id), right_holder_id=brand.right_holder_id)
    elif prefixes:
        # No sheet: the prefix's owner vouches for the GTIN through a brand it linked.
        links = links.filter(brand__isnull=False, right_holder__company_prefixes__prefix__in=prefixes)
    else:
        return []
    covered = covered.filter(claim)
    found = {}
    for link in links.filter(Exists(covered)).select_related("service", "brand").order_by("product_id", "pk"):
        # A product's own link comes first (``product_id`` NULLs sort last on SQLite and first on PostgreSQL,
        # so sort here).
        current = found.get(link.service_id)
        if current is None or (link.product_id and not current.matched_link.product_id):
            link.service.matched_link = link
            found[link.service_id] = link.service
    return sorted(found.values(), key=lambda service: (service.name, service.pk))


def _services_for_raw_code(raw_code: str) -> list[Service]:
    """A code that is not GS1: URL patterns (filtered by host in SQL) and code formats (matched here, time-bounded)."""
    raw_code = raw_code.strip()
    parts = urlsplit(raw_code)
    host = (parts.hostname or "").lower() if parts.scheme.lower() in {"http", "https"} else ""
    url_claim = Q(kind=CoverageKind.URL_PATTERN) & (Q(value=host) | Q(value__startswith=host + "/")) if host else None
    claim = Q(kind=CoverageKind.CODE_FORMAT) | url_claim if url_claim is not None else Q(kind=CoverageKind.CODE_FORMAT)
    linked = ServiceLink.objects.filter(service_id=OuterRef("service_id"), active=True)
    lines = ServiceCoverage.objects.filter(claim, Exists(linked), service__status=ServiceStatus.APPROVED)
    matched = set()
    for service_id, kind, value in lines.values_list("service_id", "kind", "value"):
        if service_id in matched:
            continue
        match = _url_pattern_matches if kind == CoverageKind.URL_PATTERN else _code_format_matches
        if match(value, raw_code):
            matched.add(service_id)
    if not matched:
        return []
    found = {}
    links = ServiceLink.objects.filter(service_id__in=matched, active=True).select_related("service", "brand")
    for link in links.order_by("pk"):
        if link.service_id not in found:
            link.service.matched_link = link
            found[link.service_id] = link.service
    return sorted(found.values(), key=lambda service: (service.name, service.pk))


# --- What a provider is told about its claims ---------------------------------------------------------------------


def coverage_report(service: Service) -> list[dict]:
    """Each coverage line with whether it counts: a prefix or GTIN claim counts where a right holder that linked the
    service owns it, a brand claim where a linked brand has that name, a URL pattern or code format once any right
    holder linked the service. Shown to the provider on its service page (claims not granted are flagged)."""
    links = ServiceLink.objects.filter(service=service, active=True)
    holders = set(links.values_list("right_holder_id", flat=True))
    linked_brands = {
        name.casefold()
        for name in Brand.objects.filter(
            Q(connected_links__in=links) | Q(products__connected_links__in=links)
        ).values_list("name", flat=True)
    }
    lines = list(service.coverage.all())
    prefixes = [line.value for line in lines if line.kind == CoverageKind.COMPANY_PREFIX]
    gtins = [line.value for line in lines if line.kind == CoverageKind.GTIN]
    owned_prefixes = set(
        CompanyPrefix.objects.filter(prefix__in=prefixes, right_holder_id__in=holders).values_list("prefix", flat=True)
    )
    owned_gtins = set(
        ProductIdentifier.objects.filter(
            kind=IdentifierKind.GTIN, value__in=gtins, right_holder_id__in=holders
        ).values_list("value", flat=True)
    )
    report = []
    for line in lines:
        if line.kind == CoverageKind.COMPANY_PREFIX:
            granted = line.value in owned_prefixes
        elif line.kind == CoverageKind.GTIN:
            granted = line.value in owned_gtins
        elif line.kind == CoverageKind.BRAND:
            granted = line.value.casefold() in linked_brands
        else:
            granted = bool(holders)
        report.append(
            {
                "id": line.pk,
                "kind": line.kind,
                "kind_label": line.get_kind_display(),
                "value": line.value,
                "granted": granted,
            }
        )
    return report


def provider_of(actor: User) -> Organisation | None:
    """The provider organisation a user registers services for (their own), or None."""
    if policy.is_active_member(actor) and actor.organisation.kind == OrganisationKind.SERVICE_PROVIDER:
        return actor.organisation
    return None
