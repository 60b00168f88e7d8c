"""The officer's pages: the list (and search) of sheets and the read-only product page. Right holders and their
representatives use the same page to see a sheet as officers do (``?as_country=FR``: as an officer of France)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django_countries import countries

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog.models import ProductStatus
from ipm.catalog.services import HS_CHAPTERS, country_codes
from ipm.connected.verification import panel_for
from ipm.search import services as search
from ipm.search.hs import chapter_choices

PAGE_SIZE = 25
MAX_QUERY_LENGTH = search.MAX_QUERY_LENGTH


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
        # after a scan (?scan=<log id>): the services securing the item, asked about it as the page shows
        "connected_panel": panel_for(user, request.GET.get("scan", ""), product=product),
    }
    return render(request, "catalog/officer/product_detail.html", context)


@login_required
def product_list(request):
    """The sheets the reader may see: one search box (names, brands, descriptions, clues, codes, in every language;
    a GTIN is looked up exactly) with filters by brand, HS chapter and country of manufacture. Without words, the
    list of sheets, newest first."""
    user = request.user
    brands = presentation.brands_with_sheets(policy.visible_brands(user), policy.visible_products(user))
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    brand = request.GET.get("brand", "")
    brand = brand if brand.isdigit() else ""
    chapter = request.GET.get("hs_chapter", "")
    chapter = chapter if chapter in HS_CHAPTERS else ""
    country = request.GET.get("country", "").upper()
    country = country if country in country_codes() else ""
    page = search.search_products(
        user,
        query,
        brand_id=brand or None,
        hs_chapter=chapter or None,
        country=country or None,
        page=request.GET.get("page", "") if request.GET.get("page", "").isdigit() else 1,
        per_page=PAGE_SIZE,
    )
    filters = {"q": query, "brand": brand, "hs_chapter": chapter, "country": country}
    context = {
        "page": page,
        "brands": brands,
        "brand": brand,
        "q": query,
        "hs_chapter": chapter,
        "chapters": chapter_choices(),
        "country": country,
        "countries": list(countries),
        "filtered": bool(brand or chapter or country),
        "query": urlencode({key: value for key, value in filters.items() if value}),
        "show_status": not policy.is_officer(user),
    }
    return render(request, "catalog/officer/product_list.html", context)
