"""The resolver links pages of a right holder: the list (every reader of its catalogue), and adding, changing and
removing links (its authors). Objects are fetched through the access policy, as on the records pages
(``catalog.views_records``): another catalogue's holder or link answers 404, a reader who may not write 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog.fetching import authored_holder, readable_holder
from ipm.catalog.forms import show_service_error
from ipm.catalog.models import CompanyPrefix, IdentifierKind
from ipm.resolver import services
from ipm.resolver.forms import ResolverLinkForm
from ipm.resolver.models import LinkLevel

PAGE_SIZE = 25


def _editable_link(request, pk):
    link = get_object_or_404(policy.catalogue_resolver_links(request.user).select_related("right_holder"), pk=pk)
    if not policy.editable_resolver_links(request.user).filter(pk=link.pk).exists():
        raise PermissionDenied
    return link


def _form(request, holder, *, link=None):
    # Through the policy like every other list, though only a holder the user may author reaches this form.
    products = policy.catalogue_products(request.user).filter(brand__right_holder=holder)
    products = products.prefetch_related("translations")
    prefixes = CompanyPrefix.objects.filter(right_holder=holder)
    initial = ResolverLinkForm.initial_for(link) if link is not None else None
    data = request.POST if request.method == "POST" else None
    return ResolverLinkForm(data, initial=initial, products=products, prefixes=prefixes)


def _try_path(link) -> str:
    """A resolver path that reaches the link, to try it: the link's GTIN, or its sheet's first GTIN."""
    gtin = link.gtin
    if not gtin and link.product_id:
        codes = [code for code in link.product.identifiers.all() if code.kind == IdentifierKind.GTIN]
        gtin = codes[0].value if codes else ""
    if not gtin:
        return ""
    path = f"/01/{gtin}"
    if link.level == LinkLevel.LOT:
        path += f"/10/{link.qualifier}"
    elif link.level == LinkLevel.SERIAL:
        path += f"/21/{link.qualifier}"
    return f"{path}?linkType=gs1:{link.link_type}"


@login_required
def link_list(request, pk):
    holder = readable_holder(request, pk)
    found = (
        policy.catalogue_resolver_links(request.user)
        .filter(right_holder=holder)
        .select_related("company_prefix")
        .prefetch_related("product__translations", "product__identifiers")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    language = presentation.reader_language()
    rows = []
    for link in page:
        product_name = ""
        if link.product_id:
            product_name = presentation.list_name(link.product, language).values.get("name") or f"#{link.product_id}"
        rows.append((link, product_name, _try_path(link)))
    context = {
        "holder": holder,
        "page": page,
        "rows": rows,
        "may_author": policy.may_author_catalogue(request.user, holder),
    }
    return render(request, "resolver/links/list.html", context)


@login_required
def link_create(request, pk):
    holder = authored_holder(request, pk)
    form = _form(request, holder)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.create_link(request.user, holder, request=request, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("%(link)s added.") % {"link": link})
            return redirect("resolver:link_list", pk=holder.pk)
    return render(request, "resolver/links/form.html", {"holder": holder, "form": form, "link": None})


@login_required
def link_edit(request, pk):
    link = _editable_link(request, pk)
    holder = link.right_holder
    form = _form(request, holder, link=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_link(request.user, link, request=request, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("%(link)s saved.") % {"link": link})
            return redirect("resolver:link_list", pk=holder.pk)
    return render(request, "resolver/links/form.html", {"holder": holder, "form": form, "link": link})


@login_required
@require_POST
def link_remove(request, pk):
    link = _editable_link(request, pk)
    label, holder_pk = str(link), link.right_holder_id
    services.delete_link(request.user, link, request=request)
    messages.success(request, _("%(link)s removed.") % {"link": label})
    return redirect("resolver:link_list", pk=holder_pk)
