"""The pages of a right holder's logistics and legal records: IP rights, applications for action, contacts, trade
parties (under ``/products/manage/<holder>/records/``) and, per sheet, usual routes and known counterfeits (under
``/products/manage/sheets/<sheet>/records/``).

Thin, like the other authoring pages: objects are fetched through the access policy (another right holder's record
answers 404); every write is a call to ``catalog.records`` (or ``media_services.set_variant_photo``), whose
``PermissionDenied`` answers 403 and whose ``ValidationError`` is shown on the form, the input kept. Readers of a
catalogue (viewers included) read these lists; its editors and admins change them.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipm.access import policy
from ipm.catalog import forms_records, media_services, presentation, records
from ipm.catalog.fetching import authored_holder, readable_holder
from ipm.catalog.forms import show_service_error
from ipm.catalog.models import (
    ApplicationForAction,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IPRight,
    Product,
    Route,
    TradeParty,
    TransportMode,
)
from ipm.catalog.views_authoring import PAGE_SIZE, _posted, _sheet_context

MAX_PICKER_SHEETS = 500

# --- What each kind of record is --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    form: type
    create: object
    update: object
    delete: object
    title: str
    new: str
    icon: str
    row: str  # the template of one row of the list


HOLDER_KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "ip-rights",
            IPRight,
            forms_records.IPRightForm,
            records.create_ip_right,
            records.update_ip_right,
            records.delete_ip_right,
            gettext_lazy("IP rights"),
            gettext_lazy("New IP right"),
            "bi-award",
            "catalog/records/_ip_right.html",
        ),
        Kind(
            "applications",
            ApplicationForAction,
            forms_records.ApplicationForm,
            records.create_application,
            records.update_application,
            records.delete_application,
            gettext_lazy("Applications for action"),
            gettext_lazy("New application for action"),
            "bi-file-earmark-check",
            "catalog/records/_application.html",
        ),
        Kind(
            "contacts",
            Contact,
            forms_records.ContactForm,
            records.create_contact,
            records.update_contact,
            records.delete_contact,
            gettext_lazy("Contacts"),
            gettext_lazy("New contact"),
            "bi-telephone",
            "catalog/records/_contact.html",
        ),
        Kind(
            "prefixes",
            CompanyPrefix,
            forms_records.CompanyPrefixForm,
            records.create_company_prefix,
            records.update_company_prefix,
            records.delete_company_prefix,
            gettext_lazy("GS1 company prefixes"),
            gettext_lazy("New GS1 company prefix"),
            "bi-upc",
            "catalog/records/_prefix.html",
        ),
        Kind(
            "parties",
            TradeParty,
            forms_records.TradePartyForm,
            records.create_trade_party,
            records.update_trade_party,
            records.delete_trade_party,
            gettext_lazy("Trade parties"),
            gettext_lazy("New trade party"),
            "bi-truck",
            "catalog/records/_party.html",
        ),
    )
}
SHEET_KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "routes",
            Route,
            forms_records.RouteForm,
            records.create_route,
            records.update_route,
            records.delete_route,
            gettext_lazy("Usual routes"),
            gettext_lazy("New route"),
            "bi-signpost-split",
            "catalog/records/_route.html",
        ),
        Kind(
            "counterfeits",
            CounterfeitVariant,
            forms_records.VariantForm,
            records.create_variant,
            records.update_variant,
            records.delete_variant,
            gettext_lazy("Known counterfeits"),
            gettext_lazy("New known counterfeit"),
            "bi-exclamation-octagon",
            "catalog/records/_variant.html",
        ),
    )
}


def _kind(kinds: dict, slug: str) -> Kind:
    if slug not in kinds:
        raise Http404
    return kinds[slug]


# --- Fetching through the access policy -------------------------------------------------------------------------


def _holder_record(request, kind: Kind, pk):
    """A record of a catalogue the user reads in full (officers read records through the API only), to edit."""
    user = request.user
    found = policy.visible_catalogue_records(user, kind.model).filter(right_holder__in=policy.readable_catalogues(user))
    record = get_object_or_404(found.select_related("right_holder"), pk=pk)
    if not policy.editable_catalogue_records(user, kind.model).filter(pk=record.pk).exists():
        raise PermissionDenied
    return record


def _readable_sheet(request, pk):
    return get_object_or_404(policy.catalogue_products(request.user).select_related("brand__right_holder"), pk=pk)


def _editable_sheet(request, pk):
    product = _readable_sheet(request, pk)
    if not policy.editable_products(request.user).filter(pk=product.pk).exists():
        raise PermissionDenied
    return product


def _sheet_record(request, kind: Kind, pk):
    user = request.user
    found = policy.visible_product_records(user, kind.model).filter(product__in=policy.catalogue_products(user))
    record = get_object_or_404(found.select_related("product__brand__right_holder"), pk=pk)
    if not policy.editable_product_records(user, kind.model).filter(pk=record.pk).exists():
        raise PermissionDenied
    return record


def _choices(holder) -> dict:
    """The right holder's own objects a record may point at."""
    return {
        "products": Product.objects.filter(brand__right_holder=holder).prefetch_related("translations"),
        "brands": holder.brands.order_by("name"),
        "ip_rights": IPRight.objects.filter(right_holder=holder),
    }


# --- A right holder's records -----------------------------------------------------------------------------------


@login_required
def records_home(request, pk):
    """The four kinds of records with their counts, and a sheet picker for its routes and known counterfeits."""
    holder = readable_holder(request, pk)
    products = policy.catalogue_products(request.user).filter(brand__right_holder=holder)
    chosen = request.GET.get("product", "")
    if chosen.isdigit():
        product = get_object_or_404(products, pk=int(chosen))
        kind = _kind(SHEET_KINDS, request.GET.get("kind", "routes"))
        return redirect("catalog:sheet_records", pk=product.pk, kind=kind.slug)
    visible = policy.visible_catalogue_records
    sections = [
        (kind, visible(request.user, kind.model).filter(right_holder=holder).count()) for kind in HOLDER_KINDS.values()
    ]
    language = presentation.reader_language()
    listed = presentation.listing_queryset(products)[:MAX_PICKER_SHEETS]
    sheets = [(p.pk, presentation.list_name(p, language).values.get("name") or f"#{p.pk}") for p in listed]
    context = {"holder": holder, "sections": sections, "sheets": sheets, "sheet_kinds": SHEET_KINDS.values()}
    return render(request, "catalog/records/home.html", context)


@login_required
def record_list(request, pk, kind):
    kind = _kind(HOLDER_KINDS, kind)
    holder = readable_holder(request, pk)
    found = policy.visible_catalogue_records(request.user, kind.model).filter(right_holder=holder)
    related = "ip_rights" if kind.model is ApplicationForAction else "products"
    if hasattr(kind.model, related):  # GS1 company prefixes concern no product
        found = found.prefetch_related(related)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "holder": holder,
        "kind": kind,
        "page": page,
        "may_author": policy.may_author_catalogue(request.user, holder),
    }
    return render(request, "catalog/records/list.html", context)


def _holder_form(request, kind: Kind, holder, *, record=None):
    initial = kind.form.initial_for(record) if record is not None else None
    return kind.form(_posted(request)[0], initial=initial, **_choices(holder))


@login_required
def record_create(request, pk, kind):
    kind = _kind(HOLDER_KINDS, kind)
    holder = authored_holder(request, pk)
    form = _holder_form(request, kind, holder)
    if request.method == "POST" and form.is_valid():
        try:
            record = kind.create(request.user, holder, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("%(record)s added.") % {"record": record})
            return redirect("catalog:record_list", pk=holder.pk, kind=kind.slug)
    context = {"holder": holder, "kind": kind, "form": form, "record": None}
    return render(request, "catalog/records/form.html", context)


@login_required
def record_edit(request, kind, pk):
    kind = _kind(HOLDER_KINDS, kind)
    record = _holder_record(request, kind, pk)
    holder = record.right_holder
    form = _holder_form(request, kind, holder, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(request.user, record, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("%(record)s saved.") % {"record": record})
            return redirect("catalog:record_list", pk=holder.pk, kind=kind.slug)
    context = {"holder": holder, "kind": kind, "form": form, "record": record}
    return render(request, "catalog/records/form.html", context)


@login_required
@require_POST
def record_remove(request, kind, pk):
    kind = _kind(HOLDER_KINDS, kind)
    record = _holder_record(request, kind, pk)
    label = str(record)
    kind.delete(request.user, record)
    messages.success(request, _("%(record)s removed.") % {"record": label})
    return redirect("catalog:record_list", pk=record.right_holder_id, kind=kind.slug)


# --- A sheet's routes and known counterfeits --------------------------------------------------------------------


def _variant_initial(variant: CounterfeitVariant, language: str) -> dict:
    text = variant.safe_translation_getter
    return {
        "name": text("name", language_code=language) or text("name", any_language=True) or "",
        "description": text("description", language_code=language) or text("description", any_language=True) or "",
        "first_seen": variant.first_seen,
    }


def _sheet_form(request, kind: Kind, product, *, record=None):
    if record is None:
        initial = None
    elif kind.model is CounterfeitVariant:
        initial = _variant_initial(record, presentation.reader_language())
    else:
        initial = kind.form.initial_for(record)
    return kind.form(*_posted(request), initial=initial)


def _save_photo(request, form, variant) -> bool:
    """The photo of a known counterfeit, set or removed; False (the error on the form) when it was refused."""
    data = form.cleaned_data
    try:
        if data.get("photo"):
            media_services.set_variant_photo(request.user, variant, data["photo"])
        elif data.get("remove_photo") and variant.photo:
            media_services.set_variant_photo(request.user, variant, None)
    except ValidationError as error:
        show_service_error(form, error, {"image": "photo", "upload": "photo"})
        return False
    return True


def _sheet_arguments(kind: Kind, form) -> dict:
    arguments = form.service_arguments()
    if kind.model is CounterfeitVariant:
        arguments["language"] = presentation.reader_language()
    return arguments


@login_required
def sheet_records(request, pk, kind):
    kind = _kind(SHEET_KINDS, kind)
    product = _readable_sheet(request, pk)
    found = policy.visible_product_records(request.user, kind.model).filter(product=product)
    if kind.model is CounterfeitVariant:
        found = found.prefetch_related("translations")
    context = _sheet_context(
        request,
        product,
        kind.slug,
        kind=kind,
        records=found,
        sheet_kinds=SHEET_KINDS.values(),
        modes=TransportMode.choices,
    )
    return render(request, "catalog/records/sheet_list.html", context)


@login_required
def sheet_record_create(request, pk, kind):
    kind = _kind(SHEET_KINDS, kind)
    product = _editable_sheet(request, pk)
    form = _sheet_form(request, kind, product)
    if request.method == "POST" and form.is_valid():
        try:
            record = kind.create(request.user, product, **_sheet_arguments(kind, form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if kind.model is CounterfeitVariant and not _save_photo(request, form, record):
                messages.warning(request, _("The known counterfeit was saved, but not its photo."))
                return redirect("catalog:sheet_record_edit", kind=kind.slug, pk=record.pk)
            messages.success(request, _("%(record)s added.") % {"record": record})
            return redirect("catalog:sheet_records", pk=product.pk, kind=kind.slug)
    context = _sheet_context(request, product, kind.slug, kind=kind, form=form, record=None)
    return render(request, "catalog/records/sheet_form.html", context)


@login_required
def sheet_record_edit(request, kind, pk):
    kind = _kind(SHEET_KINDS, kind)
    record = _sheet_record(request, kind, pk)
    product = record.product
    form = _sheet_form(request, kind, product, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(request.user, record, **_sheet_arguments(kind, form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if kind.model is not CounterfeitVariant or _save_photo(request, form, record):
                messages.success(request, _("%(record)s saved.") % {"record": record})
                return redirect("catalog:sheet_records", pk=product.pk, kind=kind.slug)
    context = _sheet_context(request, product, kind.slug, kind=kind, form=form, record=record)
    return render(request, "catalog/records/sheet_form.html", context)


@login_required
@require_POST
def sheet_record_remove(request, kind, pk):
    kind = _kind(SHEET_KINDS, kind)
    record = _sheet_record(request, kind, pk)
    label = str(record)
    kind.delete(request.user, record)
    messages.success(request, _("%(record)s removed.") % {"record": label})
    return redirect("catalog:sheet_records", pk=record.product_id, kind=kind.slug)
