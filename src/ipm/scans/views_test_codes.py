"""The printable test barcodes of the demo (``/scan/test-codes/``): see ``ipm.scans.printable_codes``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog.models import IdentifierKind, ProductIdentifier
from ipm.scans import printable_codes


@login_required
def printable_test_codes(request):
    """Everyone who may scan may print the codes: they hold nothing secret. A product's name and a link to its
    page are shown only when the user may read that sheet; otherwise the demo's own name for it."""
    user = request.user
    if not policy.may_scan(user):
        raise PermissionDenied
    demo = printable_codes.demo_products()
    identifiers = (
        ProductIdentifier.objects.filter(
            kind=IdentifierKind.GTIN,
            value__in=["0" + gtin13 for _sku, gtin13, _name in demo],
            product__in=policy.visible_products(user),
        )
        .select_related("product")
        .prefetch_related("product__translations")
    )
    visible = {identifier.value: identifier.product for identifier in identifiers}
    language = presentation.reader_language()
    products = []
    for sku, gtin13, demo_name in demo:
        product = visible.get("0" + gtin13)
        products.append(
            {
                "codes": printable_codes.DemoProductCodes(
                    sku=sku,
                    gtin13=gtin13,
                    name=presentation.list_name(product, language).name if product else demo_name,
                    codes=printable_codes.product_codes(gtin13),
                ),
                "url": reverse("catalog:product_detail", args=[product.pk]) if product else "",
            }
        )
    context = {
        "products": products,
        "other_codes": printable_codes.other_codes(),
        "secured_codes": printable_codes.secured_codes(),
    }
    return render(request, "scans/test_codes.html", context)
