"""Connected pages: the providers' services (list, form, service page with its secret shown once, its claims, its
links and its figures), the secretariat's approval queue, and the right holders' "Secured by" pages.

Thin: objects come through the access policy (another organisation's service, brand or product answers 404; a reader
who may not act, 403) and every write is a ``connected.services`` action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipm.access import policy
from ipm.catalog import presentation
from ipm.connected import services
from ipm.connected.forms import LinkForm, ReasonForm, ServiceForm
from ipm.connected.models import ServiceStatus, VerificationOutcome
from ipm.web.forms import add_validation_error


def _visible_service(request, pk):
    return get_object_or_404(policy.visible_services(request.user).select_related("provider"), pk=pk)


def _manageable_service(request, pk):
    service = _visible_service(request, pk)
    if not policy.manageable_services(request.user).filter(pk=service.pk).exists():
        raise PermissionDenied
    return service


# --- Services -----------------------------------------------------------------------------------------------------


@login_required
def service_list(request):
    """Providers: their services; the secretariat: every service, by status (the approval queue first); right
    holders and representatives: the approved services and their own brands, to choose which secures what."""
    user = request.user
    found = policy.visible_services(user).select_related("provider")
    status = request.GET.get("status", "")
    if status not in ServiceStatus.values:
        status = ""
    if status:
        found = found.filter(status=status)
    brands = policy.visible_brands(user).filter(right_holder__in=policy.link_right_holders(user))
    provider = services.provider_of(user)
    context = {
        "services": found.order_by("status", "name", "pk")[:500],
        "status": status,
        "statuses": ServiceStatus.choices if policy.is_secretariat(user) else [],
        "pending_count": policy.visible_services(user).filter(status=ServiceStatus.PENDING).count()
        if policy.may_approve_services(user)
        else 0,
        "may_register": provider is not None and policy.may_register_service(user, provider),
        "brands": brands.order_by("name")[:200],
    }
    return render(request, "connected/service_list.html", context)


@login_required
def service_create(request):
    provider = services.provider_of(request.user)
    if provider is None or not policy.may_register_service(request.user, provider):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, initial={"timeout_ms": 3000})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.register_service(request.user, provider, request=request, **form.service_fields())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Service registered: the secretariat will review it."))
            return redirect("connected:service_detail", service.pk)
    return render(request, "connected/service_form.html", {"form": form, "service": None})


@login_required
def service_edit(request, pk):
    service = _manageable_service(request, pk)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(request.user, service, request=request, **form.service_fields())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Service saved."))
            return redirect("connected:service_detail", service.pk)
    return render(request, "connected/service_form.html", {"form": form, "service": service})


def _service_page(request, service, *, secret=None):
    user = request.user
    insider = policy.is_secretariat(user) or service.provider_id == user.organisation_id
    links = []
    if insider:
        language = presentation.reader_language()
        found = (
            policy.visible_service_links(user)
            .filter(service=service, active=True)
            .select_related("brand", "product__brand")
            .prefetch_related("product__translations")
        )
        for link in found[:500]:
            product = link.product
            product_name = presentation.list_name(product, language).values.get("name") if product else ""
            brand_name = link.brand.name if link.brand else product.brand.name
            links.append({"brand": brand_name, "product": product_name or ""})
    figures = policy.provider_verification_figures(user, service) if insider else None
    context = {
        "service": service,
        "insider": insider,
        "coverage": services.coverage_report(service) if insider else [],
        "links": links,
        "figures": figures,
        "outcomes": [
            (VerificationOutcome(outcome).label if outcome in VerificationOutcome.values else outcome, count)
            for outcome, count in (figures or {}).get("by_outcome", {}).items()
        ],
        "may_manage": policy.manageable_services(user).filter(pk=service.pk).exists(),
        "may_hold_secret": policy.may_hold_service_secret(user, service),
        "may_approve": policy.may_approve_services(user),
        "secret": secret,
        "reason_form": ReasonForm(),
    }
    return render(request, "connected/service_detail.html", context)


@login_required
def service_detail(request, pk):
    return _service_page(request, _visible_service(request, pk))


@login_required
@require_POST
def service_secret(request, pk):
    """``action=reveal`` (the secret made at approval, once) or ``action=rotate``: the page then shows the secret,
    this once; it is never shown again."""
    service = _visible_service(request, pk)
    if not policy.may_hold_service_secret(request.user, service):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "rotate":
            secret = services.rotate_secret(request.user, service, request=request)
        else:
            secret = services.reveal_secret(request.user, service, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("connected:service_detail", service.pk)
    service.refresh_from_db()
    response = _service_page(request, service, secret=secret)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def service_decide(request, pk):
    """The secretariat's administrators: ``action=approve``, ``reject`` or ``suspend`` (the two last with a reason)."""
    service = _visible_service(request, pk)
    if not policy.may_approve_services(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approve_service(request.user, service, request=request)
            messages.success(request, _("Service approved: its provider's administrators can now see its secret."))
        elif action in {"reject", "suspend"}:
            decide = services.reject_service if action == "reject" else services.suspend_service
            decide(request.user, service, request.POST.get("reason", ""), request=request)
            messages.success(request, _("Service rejected.") if action == "reject" else _("Service suspended."))
        else:
            messages.error(request, _("Choose approve, reject or suspend."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("connected:service_detail", service.pk)


@login_required
@require_POST
def service_submit(request, pk):
    service = _manageable_service(request, pk)
    try:
        services.submit_service(request.user, service, request=request)
        messages.success(request, _("Submitted again: the secretariat will review it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("connected:service_detail", service.pk)


# --- "Secured by": a right holder's brand or product ----------------------------------------------------------------


def _secured_by(request, *, brand=None, product=None):
    user = request.user
    holder = brand.right_holder if brand is not None else product.brand.right_holder
    may_link = policy.may_link_services(user, holder)
    found = policy.visible_service_links(user).filter(active=True).select_related("service__provider")
    found = found.filter(brand=brand) if brand is not None else found.filter(product=product)
    linked = {link.service_id for link in found}
    choices = policy.linkable_services(user).exclude(pk__in=linked).select_related("provider").order_by("name")
    form = LinkForm(request.POST or None, services=choices)
    if request.method == "POST":
        if not may_link:
            raise PermissionDenied
        if form.is_valid():
            try:
                if brand is not None:
                    services.link_brand(user, form.cleaned_data["service"], brand, request=request)
                else:
                    services.link_product(user, form.cleaned_data["service"], product, request=request)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The service now secures it."))
                return redirect(request.path)
    brand_links, products = [], []
    if brand is not None:  # each sheet of the brand has its own page, for a service that secures one product only
        language = presentation.reader_language()
        sheets = policy.catalogue_products(user).filter(brand=brand).prefetch_related("translations")[:200]
        products = [
            (sheet.pk, presentation.list_name(sheet, language).values.get("name") or sheet.pk) for sheet in sheets
        ]
    if product is not None:
        brand_links = policy.visible_service_links(user).filter(active=True, brand_id=product.brand_id)
        brand_links = brand_links.select_related("service__provider")
    name = (
        brand.name
        if brand is not None
        else presentation.list_name(product, presentation.reader_language()).values.get("name")
    )
    context = {
        "brand": brand,
        "product": product,
        "holder": holder,
        "name": name or "",
        "links": found,
        "brand_links": brand_links,
        "products": products,
        "form": form,
        "may_link": may_link,
    }
    return render(request, "connected/secured_by.html", context, status=422 if form.errors else 200)


@login_required
def brand_secured_by(request, pk):
    brand = get_object_or_404(
        policy.visible_brands(request.user).filter(right_holder__in=policy.readable_catalogues(request.user)), pk=pk
    )
    return _secured_by(request, brand=brand)


@login_required
def product_secured_by(request, pk):
    product = get_object_or_404(policy.catalogue_products(request.user).select_related("brand__right_holder"), pk=pk)
    return _secured_by(request, product=product)


@login_required
@require_POST
def unlink(request, pk):
    link = get_object_or_404(
        policy.visible_service_links(request.user).filter(active=True).select_related("service"), pk=pk
    )
    if not policy.editable_service_links(request.user).filter(pk=link.pk).exists():
        raise PermissionDenied
    services.unlink(request.user, link, request=request)
    messages.success(request, _("The service no longer secures it."))
    if link.product_id:
        return redirect("connected:product_secured_by", link.product_id)
    return redirect("connected:brand_secured_by", link.brand_id)
