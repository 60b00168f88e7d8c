"""The right holders' authoring pages: their catalogue, brands, product sheets section by section, history, bulk
import and export. Under ``/products/manage/`` (and ``/products/brands/``).

Thin, like every view: objects are fetched through the access policy's querysets (another right holder's sheet
answers 404), every write is a call to ``catalog.services`` / ``catalog.media_services`` / ``catalog.importing``,
whose ``PermissionDenied`` answers 403 and whose ``ValidationError`` is shown on the form, the input kept.
Who may read a catalogue in full (its members and mandated representatives, viewers included, and the
secretariat) reads these pages; only its editors and admins change anything.
"""

import csv
import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_countries import countries

from ipm.access import policy
from ipm.catalog import forms, importing, media_services, presentation, services
from ipm.catalog.fetching import authored_holder, readable_holder
from ipm.catalog.models import (
    ClueKind,
    IdentifierKind,
    ImportStatus,
    PhotoView,
    Product,
    ProductStatus,
)

PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 50
MAX_QUERY_LENGTH = 100
LANGUAGE_NAMES = dict(settings.LANGUAGES)
STATUS_LABELS = {
    "source": gettext_lazy("Source text"),
    "current": gettext_lazy("Up to date"),
    "outdated": gettext_lazy("Older than the source"),
    "missing": gettext_lazy("Missing"),
}
# What a revision's "changed fields" (the keys of a sheet's snapshot) are called on the history page.
FIELD_LABELS = {
    "brand": gettext_lazy("brand"),
    "status": gettext_lazy("status"),
    "source_language": gettext_lazy("source language"),
    "translations": gettext_lazy("texts"),
    "hs_code": gettext_lazy("HS code"),
    "country_of_manufacture": gettext_lazy("country of manufacture"),
    "intended_markets": gettext_lazy("intended markets"),
    "price_min": gettext_lazy("lowest price"),
    "price_max": gettext_lazy("highest price"),
    "currency": gettext_lazy("currency"),
    "visible_to_all_countries": gettext_lazy("visibility"),
    "visible_countries": gettext_lazy("countries that see it"),
    "last_reviewed_at": gettext_lazy("review date"),
    "identifiers": gettext_lazy("codes"),
    "clues": gettext_lazy("clues"),
    "photos": gettext_lazy("photos"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
SPOOL_BYTES = 16 * 1024 * 1024  # an export larger than this is written to a temporary file, not kept in memory


# --- Fetching through the access policy -------------------------------------------------------------------------


def _sheet(request, pk):
    # Not prefetched: the services snapshot the sheet before and after a change, and a prefetched (stale) list of
    # translations would make a change look like none.
    return get_object_or_404(policy.catalogue_products(request.user).select_related("brand__right_holder"), pk=pk)


def _editable_sheet(request, pk):
    product = _sheet(request, pk)
    if not policy.editable_products(request.user).filter(pk=product.pk).exists():
        raise PermissionDenied
    return product


def _posted(request) -> tuple:
    """(data, files) for a bound form on POST — even an empty one, as when every box is unticked — else (None,
    None)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _language_or_404(language: str) -> str:
    if language not in LANGUAGE_NAMES:
        raise Http404
    return language


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- What the pages show ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    status: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def language_states(statuses: dict[str, str]) -> list[LanguageState]:
    """A language's status for every UI language, in the order of the language menu."""
    return [LanguageState(code, name, statuses[code]) for code, name in settings.LANGUAGES]


def sheet_name(product: Product) -> str:
    return (
        product.safe_translation_getter("name", language_code=product.source_language)
        or product.safe_translation_getter("name", any_language=True)
        or f"#{product.pk}"
    )


def _stale_cutoff() -> datetime:
    return services.review_cutoff()


def _sheet_context(request, product: Product, section: str, **extra) -> dict:
    statuses = services.translation_status(product)
    return {
        "product": product,
        "holder": product.brand.right_holder,
        "name": sheet_name(product),
        "section": section,
        "may_edit": policy.editable_products(request.user).filter(pk=product.pk).exists(),
        "languages": language_states(statuses),
        "stale": product.status == ProductStatus.PUBLISHED and product.last_reviewed_at < _stale_cutoff(),
        "preview_countries": list(countries),
        **extra,
    }


# --- Choosing a catalogue ---------------------------------------------------------------------------------------


@login_required
def manage_home(request):
    """One catalogue: straight to it. Several (a legal representative, the secretariat): pick the right holder."""
    holders = policy.readable_catalogues(request.user).order_by("name")
    first = list(holders[:2])
    if not first:
        raise PermissionDenied
    if len(first) == 1:
        return redirect("catalog:catalogue", pk=first[0].pk)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if query:
        holders = holders.filter(name__icontains=query)
    holders = holders.annotate(sheet_count=Count("brands__products"))
    page = Paginator(holders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/authoring/home.html",
        {"page": page, "q": query, "query": urlencode({"q": query}) if query else ""},
    )


@dataclass(frozen=True)
class SheetRow:
    product: Product
    texts: presentation.Texts
    translated: int
    outdated: int
    languages: int
    stale: bool


def _sheet_row(product: Product, language: str, cutoff: datetime) -> SheetRow:
    statuses = services.translation_status(product).values()
    return SheetRow(
        product=product,
        texts=presentation.list_name(product, language),
        translated=sum(1 for status in statuses if status in {"source", "current", "outdated"}),
        outdated=sum(1 for status in statuses if status == "outdated"),
        languages=len(LANGUAGE_NAMES),
        stale=product.status == ProductStatus.PUBLISHED and product.last_reviewed_at < cutoff,
    )


@login_required
def catalogue(request, pk):
    user = request.user
    holder = readable_holder(request, pk)
    products = policy.catalogue_products(user).filter(brand__right_holder=holder)
    counts = products.aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status=ProductStatus.DRAFT)),
        published=Count("pk", filter=Q(status=ProductStatus.PUBLISHED)),
        archived=Count("pk", filter=Q(status=ProductStatus.ARCHIVED)),
        stale=Count("pk", filter=Q(status=ProductStatus.PUBLISHED, last_reviewed_at__lt=_stale_cutoff())),
    )
    filters = forms.CatalogueFilterForm(request.GET)
    filters.is_valid()  # invalid values are dropped from cleaned_data: they filter nothing
    query, brand, status = (filters.cleaned_data.get(key) for key in ("q", "brand", "status"))
    if query:
        digits = "".join(query.split())
        products = products.filter(
            Q(translations__name__icontains=query)
            | Q(identifiers__printed_value__contains=digits)
            | Q(identifiers__value__iexact=query)
        ).distinct()
    if brand:
        products = products.filter(brand_id=brand)
    if status == forms.CatalogueFilterForm.STALE:
        products = products.filter(status=ProductStatus.PUBLISHED, last_reviewed_at__lt=_stale_cutoff())
    elif status:
        products = products.filter(status=status)
    page = Paginator(presentation.listing_queryset(products), PAGE_SIZE).get_page(request.GET.get("page"))
    language, cutoff = presentation.reader_language(), _stale_cutoff()
    active = {key: value for key, value in (("q", query), ("brand", brand), ("status", status)) if value}
    context = {
        "holder": holder,
        "may_author": policy.may_author_catalogue(user, holder),
        "several_catalogues": policy.readable_catalogues(user).exclude(pk=holder.pk).exists(),
        "counts": counts,
        "page": page,
        "rows": [_sheet_row(product, language, cutoff) for product in page],
        "brands": policy.visible_brands(user).filter(right_holder=holder).order_by("name"),
        "statuses": ProductStatus.choices,
        "q": query or "",
        "brand": brand,
        "status": status or "",
        "stale_filter": forms.CatalogueFilterForm.STALE,
        "filtered": bool(active),
        "query": urlencode(active),
        "formats": importing.FORMATS,
    }
    return render(request, "catalog/authoring/catalogue.html", context)


# --- Brands -----------------------------------------------------------------------------------------------------


def _logo_error(request, brand, error: ValidationError) -> None:
    messages.warning(
        request,
        _("The brand %(name)s was saved, but not its logo: %(reason)s")
        % {"name": brand.name, "reason": " ".join(error.messages)},
    )


@login_required
def brand_list(request, pk):
    holder = readable_holder(request, pk)
    brands = (
        policy.visible_brands(request.user)
        .filter(right_holder=holder)
        .annotate(sheet_count=Count("products"))
        .order_by("name")
    )
    page = Paginator(brands, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"holder": holder, "page": page, "may_author": policy.may_author_catalogue(request.user, holder)}
    return render(request, "catalog/authoring/brand_list.html", context)


@login_required
def brand_create(request, pk):
    holder = authored_holder(request, pk)
    form = forms.BrandForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        language = presentation.reader_language()
        data = form.cleaned_data
        try:
            brand = services.create_brand(
                request.user, holder, name=data["name"], description=data["description"], language=language
            )
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Brand %(name)s created.") % {"name": brand.name})
            if data["logo"]:
                try:
                    media_services.set_brand_logo(request.user, brand, data["logo"])
                except ValidationError as error:
                    _logo_error(request, brand, error)
                    return redirect("catalog:brand_edit", pk=brand.pk)
            return redirect("catalog:brand_list", pk=holder.pk)
    return render(request, "catalog/authoring/brand_form.html", {"holder": holder, "form": form, "brand": None})


@login_required
def brand_edit(request, pk):
    user = request.user
    brands = policy.visible_brands(user).filter(right_holder__in=policy.readable_catalogues(user))
    brand = get_object_or_404(brands.select_related("right_holder"), pk=pk)
    if not policy.editable_brands(user).filter(pk=brand.pk).exists():
        raise PermissionDenied
    language = presentation.reader_language()
    initial = {
        "name": brand.name,
        "description": brand.safe_translation_getter("description", language_code=language, default=""),
    }
    form = forms.BrandForm(*_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_brand(user, brand, name=data["name"], description=data["description"], language=language)
            if data["logo"]:
                media_services.set_brand_logo(user, brand, data["logo"])
            elif data["remove_logo"] and brand.logo:
                media_services.set_brand_logo(user, brand, None)
        except ValidationError as error:
            forms.show_service_error(form, error, {"image": "logo"})
        else:
            messages.success(request, _("Brand %(name)s saved.") % {"name": brand.name})
            return redirect("catalog:brand_list", pk=brand.right_holder_id)
    context = {"holder": brand.right_holder, "form": form, "brand": brand}
    return render(request, "catalog/authoring/brand_form.html", context)


# --- A new sheet ------------------------------------------------------------------------------------------------


@login_required
def sheet_create(request, pk):
    user = request.user
    holder = authored_holder(request, pk)
    brands = policy.editable_brands(user).filter(right_holder=holder).order_by("name")
    if not brands.exists():
        messages.info(request, _("Create a brand first: every product sheet belongs to one of your brands."))
        return redirect("catalog:brand_create", pk=holder.pk)
    initial = {"language": presentation.reader_language(), "visible_to_all_countries": True}
    if request.GET.get("brand", "").isdigit():
        initial["brand"] = int(request.GET["brand"])
    form = forms.SheetCreateForm(_posted(request)[0], brands=brands, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(user, form.cleaned_data["brand"], **form.service_arguments())
        except ValidationError as error:
            forms.show_service_error(form, error, {"source_language": "language"})
        else:
            messages.success(
                request, _("Draft sheet created. Add clues and photos, then publish it for customs officers.")
            )
            return redirect("catalog:sheet_edit", pk=product.pk)
    return render(request, "catalog/authoring/sheet_create.html", {"holder": holder, "form": form})


# --- A sheet, section by section --------------------------------------------------------------------------------


@login_required
def sheet_edit(request, pk):
    """The sheet's overview: publication and its problems, then the language-independent details."""
    user = request.user
    product = _editable_sheet(request, pk)
    form = forms.SheetDetailsForm(_posted(request)[0], initial=forms.SheetDetailsForm.initial_for(product))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(user, product, **form.service_arguments())
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("catalog:sheet_edit", pk=product.pk)
    context = _sheet_context(
        request,
        product,
        "details",
        form=form,
        problems=services.publication_problems(product) if product.status != ProductStatus.PUBLISHED else [],
        counts=Product.objects.filter(pk=product.pk).aggregate(
            codes=Count("identifiers", distinct=True),
            clues=Count("clues", distinct=True),
            photos=Count("photos", distinct=True),
        ),
    )
    return render(request, "catalog/authoring/sheet_details.html", context)


STATUS_ACTIONS = {
    "publish": (services.publish_product, gettext_lazy("Published: officers can now see this sheet.")),
    "archive": (services.archive_product, gettext_lazy("Archived: officers no longer see this sheet.")),
    "draft": (services.return_to_draft, gettext_lazy("Back to draft: officers no longer see this sheet.")),
    "review": (services.mark_reviewed, gettext_lazy("Marked as reviewed: officers see the data are current.")),
}


@login_required
@require_POST
def sheet_status(request, pk):
    """Publish, archive, return to draft, or confirm the sheet is still accurate."""
    product = _sheet(request, pk)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("catalog:sheet_edit", pk=product.pk)
    service, done = action
    try:
        service(request.user, product)
    except ValidationError as error:
        if service is services.publish_product:
            messages.error(request, _("The sheet was not published. Fix what is listed under Publication first."))
        _flash_errors(request, error)
    else:
        messages.success(request, str(done))
    return redirect("catalog:sheet_edit", pk=product.pk)


@login_required
def sheet_codes(request, pk):
    product = _editable_sheet(request, pk)
    form = forms.IdentifierForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identifier = services.add_identifier(request.user, product, data["kind"], data["value"], data["variant"])
        except ValidationError as error:
            forms.show_service_error(form, error, forms.IdentifierForm.ALIASES)
        else:
            messages.success(request, _("Code %(code)s added.") % {"code": identifier.printed_value})
            return redirect("catalog:sheet_codes", pk=product.pk)
    context = _sheet_context(
        request, product, "codes", form=form, identifiers=product.identifiers.all(), gtin=IdentifierKind.GTIN
    )
    return render(request, "catalog/authoring/sheet_codes.html", context)


@login_required
@require_POST
def sheet_code_remove(request, pk, identifier):
    product = _sheet(request, pk)
    code = get_object_or_404(product.identifiers, pk=identifier)
    services.remove_identifier(request.user, code)
    messages.success(request, _("Code %(code)s removed.") % {"code": code.printed_value or code.value})
    return redirect("catalog:sheet_codes", pk=product.pk)


@login_required
def sheet_texts(request, pk, language):
    """The texts in one language — the source or a translation — with every language's state as tabs."""
    language = _language_or_404(language)
    product = _editable_sheet(request, pk)
    existing = product.has_translation(language)
    initial = {}
    if existing:
        initial = {f: product.safe_translation_getter(f, language_code=language) for f in services.PRODUCT_TEXT_FIELDS}
    form = forms.TextsForm(_posted(request)[0], initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_product_text(request.user, product, language, **form.cleaned_data)
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Texts in %(language)s saved.") % {"language": LANGUAGE_NAMES[language]})
            return redirect("catalog:sheet_texts", pk=product.pk, language=language)
    source = None
    if language != product.source_language and product.has_translation(product.source_language):
        source = {
            f: product.safe_translation_getter(f, language_code=product.source_language)
            for f in services.PRODUCT_TEXT_FIELDS
        }
    clues = [
        (clue, services.clue_translation_status(clue, product.source_language)[language])
        for clue in product.clues.prefetch_related("translations")
    ]
    context = _sheet_context(
        request,
        product,
        "texts",
        form=form,
        language=language,
        language_name=LANGUAGE_NAMES[language],
        is_source=language == product.source_language,
        existing=existing,
        source=source,
        source_language_name=LANGUAGE_NAMES.get(product.source_language, product.source_language),
        clues=clues,
        status_labels=STATUS_LABELS,
    )
    return render(request, "catalog/authoring/sheet_texts.html", context)


@login_required
@require_POST
def sheet_text_remove(request, pk, language):
    language = _language_or_404(language)
    product = _sheet(request, pk)
    if not product.has_translation(language):
        raise Http404
    try:
        services.remove_product_translation(request.user, product, language)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("catalog:sheet_texts", pk=product.pk, language=language)
    messages.success(request, _("The %(language)s translation was removed.") % {"language": LANGUAGE_NAMES[language]})
    return redirect("catalog:sheet_texts", pk=product.pk, language=product.source_language)


# --- Clues ------------------------------------------------------------------------------------------------------


@login_required
def sheet_clues(request, pk):
    product = _editable_sheet(request, pk)
    form = forms.ClueForm(_posted(request)[0], language=product.source_language)
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.add_clue(
                request.user,
                product,
                language=product.source_language,
                kind=form.cleaned_data["kind"],
                **form.texts(),
            )
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Clue added. Now add a photo of the genuine detail and one of a fake."))
            return redirect("catalog:sheet_clue", pk=product.pk, clue=clue.pk)
    clues = list(product.clues.prefetch_related("translations"))
    rows = [
        (
            clue,
            presentation.pick_texts(
                clue.translations.all(), product.source_language, product.source_language, ("title",)
            ),
            sum(
                1
                for status in services.clue_translation_status(clue, product.source_language).values()
                if status != "missing"
            ),
        )
        for clue in clues
    ]
    context = _sheet_context(
        request,
        product,
        "clues",
        form=form,
        rows=rows,
        language_count=len(LANGUAGE_NAMES),
        source_language_name=LANGUAGE_NAMES.get(product.source_language, product.source_language),
    )
    return render(request, "catalog/authoring/sheet_clues.html", context)


@login_required
def sheet_clue(request, pk, clue):
    """One clue: its texts in one language (tabs), its kind, and its genuine and counterfeit photos with marks."""
    product = _editable_sheet(request, pk)
    clue = get_object_or_404(product.clues.prefetch_related("translations"), pk=clue)
    language = request.GET.get("language") or product.source_language
    language = _language_or_404(language)
    section = request.POST.get("section") if request.method == "POST" else None
    initial = {"kind": clue.kind}
    if clue.has_translation(language):
        initial.update({f: clue.safe_translation_getter(f, language_code=language) for f in services.CLUE_TEXT_FIELDS})
    texts_form = forms.ClueForm(request.POST if section == "texts" else None, initial=initial, language=language)
    marks = {"genuine_marks": clue.genuine_marks, "counterfeit_marks": clue.counterfeit_marks}
    initial_marks = {key: _marks_json(value) for key, value in marks.items()}
    images_form = forms.ClueImagesForm(
        request.POST if section == "images" else None,
        request.FILES if section == "images" else None,
        initial=initial_marks,
    )
    form = texts_form if section == "texts" else images_form if section == "images" else None
    if form is not None and form.is_valid():
        try:
            if form is texts_form:
                services.update_clue(
                    request.user, clue, language=language, kind=texts_form.cleaned_data["kind"], **texts_form.texts()
                )
            else:
                media_services.set_clue_images(request.user, clue, **images_form.service_arguments())
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Clue saved."))
            url = reverse("catalog:sheet_clue", kwargs={"pk": product.pk, "clue": clue.pk})
            return redirect(f"{url}?{urlencode({'language': language})}")
    statuses = services.clue_translation_status(clue, product.source_language)
    source = None
    if language != product.source_language and clue.has_translation(product.source_language):
        source = {
            f: clue.safe_translation_getter(f, language_code=product.source_language) for f in services.CLUE_TEXT_FIELDS
        }
    context = _sheet_context(
        request,
        product,
        "clues",
        clue=clue,
        clue_title=clue.safe_translation_getter("title", language_code=product.source_language)
        or clue.safe_translation_getter("title", any_language=True),
        texts_form=texts_form,
        images_form=images_form,
        language=language,
        language_name=LANGUAGE_NAMES[language],
        clue_languages=language_states(statuses),
        source=source,
        source_language_name=LANGUAGE_NAMES.get(product.source_language, product.source_language),
        sides=[
            (
                "genuine",
                _("Genuine"),
                clue.genuine_image,
                clue.genuine_marks,
                images_form["genuine_image"],
                images_form["remove_genuine_image"],
                images_form["genuine_marks"],
            ),
            (
                "counterfeit",
                _("Counterfeit"),
                clue.counterfeit_image,
                clue.counterfeit_marks,
                images_form["counterfeit_image"],
                images_form["remove_counterfeit_image"],
                images_form["counterfeit_marks"],
            ),
        ],
    )
    return render(request, "catalog/authoring/sheet_clue.html", context)


def _marks_json(marks) -> str:
    return json.dumps(marks or [], separators=(",", ":"))


@login_required
@require_POST
def sheet_clue_remove(request, pk, clue):
    product = _sheet(request, pk)
    clue = get_object_or_404(product.clues, pk=clue)
    services.remove_clue(request.user, clue)
    messages.success(request, _("Clue removed."))
    return redirect("catalog:sheet_clues", pk=product.pk)


def _moved(ids: list[int], moving: int, direction: str) -> list[int]:
    """``ids`` with ``moving`` swapped with its neighbour up or down (unchanged at either end)."""
    index = ids.index(moving)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return ids


@login_required
@require_POST
def sheet_clue_move(request, pk, clue):
    product = _sheet(request, pk)
    clue = get_object_or_404(product.clues, pk=clue)
    order = _moved(list(product.clues.values_list("pk", flat=True)), clue.pk, request.POST.get("direction", ""))
    try:
        services.reorder_clues(request.user, product, order)
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(reverse("catalog:sheet_clues", kwargs={"pk": product.pk}) + f"#clue-{clue.pk}")


# --- Photos -----------------------------------------------------------------------------------------------------


@login_required
def sheet_photos(request, pk):
    product = _editable_sheet(request, pk)
    form = forms.PhotoForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            media_services.add_product_photo(
                request.user, product, data["image"], view=data["view"], caption=data["caption"]
            )
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("catalog:sheet_photos", pk=product.pk)
    photos = product.photos.prefetch_related("translations")
    context = _sheet_context(
        request, product, "photos", form=form, photos=photos, max_photos=media_services.MAX_PHOTOS_PER_PRODUCT
    )
    return render(request, "catalog/authoring/sheet_photos.html", context)


@login_required
@require_POST
def sheet_photo_remove(request, pk, photo):
    product = _sheet(request, pk)
    photo = get_object_or_404(product.photos, pk=photo)
    media_services.remove_product_photo(request.user, photo)
    messages.success(request, _("Photo removed."))
    return redirect("catalog:sheet_photos", pk=product.pk)


@login_required
@require_POST
def sheet_photo_move(request, pk, photo):
    product = _sheet(request, pk)
    photo = get_object_or_404(product.photos, pk=photo)
    order = _moved(list(product.photos.values_list("pk", flat=True)), photo.pk, request.POST.get("direction", ""))
    try:
        media_services.reorder_product_photos(request.user, product, order)
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(reverse("catalog:sheet_photos", kwargs={"pk": product.pk}) + f"#photo-{photo.pk}")


# --- Visibility -------------------------------------------------------------------------------------------------


@login_required
def sheet_visibility(request, pk):
    product = _editable_sheet(request, pk)
    initial = {
        "visible_to_all_countries": product.visible_to_all_countries,
        "visible_countries": [str(v.country) for v in product.visibility.all()],
    }
    form = forms.VisibilityForm(_posted(request)[0], initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_visibility(
                request.user,
                product,
                all_countries=data["visible_to_all_countries"],
                countries_=data["visible_countries"],
            )
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            messages.success(request, _("Visibility saved."))
            return redirect("catalog:sheet_visibility", pk=product.pk)
    chosen = [countries.name(code) for code in initial["visible_countries"]]
    context = _sheet_context(request, product, "visibility", form=form, chosen=chosen)
    return render(request, "catalog/authoring/sheet_visibility.html", context)


# --- History ----------------------------------------------------------------------------------------------------


@login_required
def sheet_history(request, pk):
    product = _sheet(request, pk)
    revisions = product.revisions.select_related("author").order_by("-number")
    page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(revision, [str(FIELD_LABELS.get(f, f)) for f in revision.changed_fields]) for revision in page]
    context = _sheet_context(request, product, "history", page=page, rows=rows)
    return render(request, "catalog/authoring/sheet_history.html", context)


def _country_names(codes) -> list[str]:
    return [countries.name(code) or code for code in codes or []]


def _texts_by_language(translations: dict, source_language: str) -> list[tuple[str, str, bool, dict]]:
    """(code, name, is source, texts) in the language menu's order, the source first."""
    order = [code for code, _name in settings.LANGUAGES]
    codes = sorted(translations, key=lambda code: (code != source_language, order.index(code) if code in order else 99))
    return [(code, LANGUAGE_NAMES.get(code, code), code == source_language, translations[code]) for code in codes]


def snapshot_view(data: dict) -> dict:
    """A revision's snapshot as the version page shows it: names instead of codes, texts by language."""
    source = data.get("source_language", "")
    kinds, clue_kinds = dict(IdentifierKind.choices), dict(ClueKind.choices)
    return {
        "brand": data.get("brand", ""),
        "status": dict(ProductStatus.choices).get(data.get("status"), data.get("status")),
        "source_language": LANGUAGE_NAMES.get(source, source),
        "texts": _texts_by_language(data.get("translations") or {}, source),
        "hs_code": data.get("hs_code", ""),
        "country_of_manufacture": countries.name(data.get("country_of_manufacture") or "") or "",
        "intended_markets": _country_names(data.get("intended_markets")),
        "price_min": data.get("price_min"),
        "price_max": data.get("price_max"),
        "currency": data.get("currency", ""),
        "visible_to_all": data.get("visible_to_all_countries", True),
        "visible_countries": _country_names(data.get("visible_countries")),
        "last_reviewed_at": _parse_datetime(data.get("last_reviewed_at")),
        "identifiers": [
            {**item, "kind_label": kinds.get(item.get("kind"), item.get("kind"))}
            for item in data.get("identifiers") or []
        ],
        "clues": [
            {
                "kind_label": clue_kinds.get(clue.get("kind"), clue.get("kind")),
                "texts": _texts_by_language(clue.get("translations") or {}, source),
                "has_genuine": bool(clue.get("genuine_image")),
                "has_counterfeit": bool(clue.get("counterfeit_image")),
            }
            for clue in data.get("clues") or []
        ],
        "photos": [
            dict(PhotoView.choices).get(photo.get("view"), photo.get("view")) for photo in data.get("photos") or []
        ],
    }


def _parse_datetime(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@login_required
def sheet_version(request, pk, number):
    product = _sheet(request, pk)
    revision = get_object_or_404(product.revisions.select_related("author"), number=number)
    context = _sheet_context(
        request,
        product,
        "history",
        revision=revision,
        version=snapshot_view(revision.snapshot or {}),
        changed=[str(FIELD_LABELS.get(f, f)) for f in revision.changed_fields],
        is_latest=revision.number == product.revision,
    )
    return render(request, "catalog/authoring/sheet_version.html", context)


# --- Import and export ------------------------------------------------------------------------------------------


@login_required
def import_start(request, pk):
    """The upload form (authors only) and the catalogue's past imports."""
    holder = readable_holder(request, pk)
    may_author = policy.may_author_catalogue(request.user, holder)
    if request.method == "POST" and not may_author:
        raise PermissionDenied
    form = forms.ImportForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.start_import_job(
                request.user, holder, form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
        except ValidationError as error:
            forms.show_service_error(form, error)
        else:
            return redirect("catalog:import_job", pk=job.pk)
    jobs = policy.visible_import_jobs(request.user).filter(right_holder=holder).select_related("created_by")
    page = Paginator(jobs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "holder": holder,
        "form": form,
        "may_author": may_author,
        "page": page,
        "formats": importing.FORMATS,
        "template_formats": ("csv", "xlsx"),
        "running": {ImportStatus.QUEUED, ImportStatus.RUNNING},
    }
    return render(request, "catalog/authoring/import.html", context)


@login_required
def import_job(request, pk):
    """One import: its progress while it runs (the page reloads itself), then the counts and the error report."""
    job = get_object_or_404(
        policy.visible_import_jobs(request.user).select_related("right_holder", "created_by"), pk=pk
    )
    running = job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}
    errors = Paginator(job.errors or [], ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "holder": job.right_holder,
        "running": running,
        "page": errors,
        "more_errors": max(0, job.error_count - len(job.errors or [])),
        "succeeded": job.status == ImportStatus.SUCCEEDED,
        "took": round((job.finished_at - job.started_at).total_seconds())
        if job.finished_at and job.started_at
        else None,
        "may_author": policy.may_author_catalogue(request.user, job.right_holder),
    }
    return render(request, "catalog/authoring/import_job.html", context)


class _Echo:
    """A file-like object that hands back what is written: csv.writer then yields lines for streaming."""

    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.DictWriter(_Echo(), fieldnames=importing.COLUMNS, extrasaction="ignore")
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow(row)


def _file_response(rows, fmt: str, file_name: str):
    """CSV is streamed row by row (a catalogue of 100,000 sheets never sits in memory); XLSX and JSON are written
    to a temporary file first, which spills to disk when large."""
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        return response
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by FileResponse)
    importing.write_rows(rows, fmt, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=file_name, content_type=CONTENT_TYPES[fmt])


@login_required
def catalogue_export(request, pk, fmt):
    """The right holder's whole catalogue in the import format; importing it back changes nothing."""
    if fmt not in importing.FORMATS:
        raise Http404
    holder = readable_holder(request, pk)
    stamp = timezone.localdate().isoformat()
    name = f"ipm-{slugify(holder.name) or holder.pk}-{stamp}.{fmt}"
    # Pictures as absolute URLs, so that another IPM can import the file.
    return _file_response(importing.export_rows(holder, base_url=request.build_absolute_uri("/")), fmt, name)


@login_required
def import_template(request, fmt):
    """An empty file in the import format with one example row."""
    if fmt not in importing.FORMATS:
        raise Http404
    return _file_response(importing.template_rows(), fmt, f"ipm-import-template.{fmt}")
