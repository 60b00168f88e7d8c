"""The officer's pages: the list of sheets and the read-only product page. Right holders and their
representatives use the same page to see a sheet as officers do (``?as_country=FR``: as an officer of France)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django_countries import countries

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog.models import ProductStatus

PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100


@login_required
def product_detail(request, pk):
    user = request.user
    product = get_object_or_404(presentation.sheet_queryset(policy.visible_products(user)), pk=pk)
    language = presentation.reader_language(request.GET.get("language"))
    may_preview, preview_error = policy.may_preview_as_officer(user, product), ""
    try:
        country, preview = presentation.reading_country(
            user, request.GET.get("as_country", ""), may_preview=may_preview
        )
    except ValidationError as error:
        (country, preview), preview_error = presentation.reading_country(user, may_preview=False), error.messages[0]
    sheet = presentation.build_sheet(user, product, language=language, country=country, preview=preview)
    context = {
        "sheet": sheet,
        "may_preview": may_preview,
        "preview_error": preview_error,
        "preview_countries": list(countries) if may_preview else [],
        "invisible_reason": presentation.invisible_reason(sheet) if sheet.visible_in_country is False else "",
        "show_status": sheet.product.status != ProductStatus.PUBLISHED,
    }
    return render(request, "catalog/officer/product_detail.html", context)


@login_required
def product_list(request):
    user = request.user
    products = policy.visible_products(user)
    brands = presentation.brands_with_sheets(policy.visible_brands(user), products)
    brand = request.GET.get("brand", "")
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if brand.isdigit():
        products = products.filter(brand_id=int(brand))
    if query:
        products = products.filter(translations__name__icontains=query).distinct()
    paginator = Paginator(presentation.listing_queryset(products), PAGE_SIZE)
    paginator.count = products.values("pk").count()  # counts ids only, not whole rows made distinct
    page = paginator.get_page(request.GET.get("page"))
    language = presentation.reader_language()
    rows = [(product, presentation.list_name(product, language)) for product in page]
    filters = {key: value for key, value in (("q", query), ("brand", brand)) if value}
    context = {
        "page": page,
        "rows": rows,
        "brands": brands,
        "brand": brand,
        "q": query,
        "query": urlencode(filters),
        "show_status": not policy.is_officer(user),
    }
    return render(request, "catalog/officer/product_list.html", context)
