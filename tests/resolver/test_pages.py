"""The right holder's resolver links pages and the public product page."""

import re

import pytest
from django.urls import reverse

from ipm.resolver.models import LinkLevel, ResolverLink
from ipm.resolver.views_links import PAGE_SIZE
from tests.resolver.conftest import DRAFT, FR_ONLY, PIP_EN, PUBLIC, RIVAL, gtin14

pytestmark = pytest.mark.django_db

LINK_ROW = re.compile(r'id="link-\d+"')


def list_url(rw, holder="brand"):
    return reverse("resolver:link_list", args=[rw.orgs[holder].pk])


def test_the_list_for_readers_with_actions_for_authors(rw):
    editor = rw.client("brand_editor").get(list_url(rw))
    assert editor.status_code == 200
    html = editor.content.decode()
    assert len(LINK_ROW.findall(html)) == len(
        [link for link in rw.links.values() if link.right_holder == rw.orgs["brand"]]
    )
    assert reverse("resolver:link_create", args=[rw.orgs["brand"].pk]) in html
    assert reverse("resolver:link_edit", args=[rw.links["pip_en"].pk]) in html
    assert f"/01/{gtin14(PUBLIC)}/10/LOT1?linkType=gs1:recallStatus" in html  # "Try it"
    assert reverse("catalog:catalogue", args=[rw.orgs["brand"].pk]) in html  # the way back
    viewer = rw.client("brand_viewer").get(list_url(rw)).content.decode()
    assert "pip_en" in viewer and reverse("resolver:link_edit", args=[rw.links["pip_en"].pk]) not in viewer
    for role in ("fr_officer", "rival_admin", "provider_admin"):
        assert rw.client(role).get(list_url(rw)).status_code == 404, role


def test_the_list_is_paged(rw):
    product = rw.products["public"]
    for number in range(PAGE_SIZE):
        ResolverLink.objects.create(
            right_holder=rw.orgs["brand"],
            product=product,
            link_type="faqs",
            target_url="https://x.example/",
            title=f"Q{number}",
        )
    client = rw.client("brand_viewer")
    first, second = client.get(list_url(rw)), client.get(list_url(rw) + "?page=2")
    assert len(LINK_ROW.findall(first.content.decode())) == PAGE_SIZE
    assert 0 < len(LINK_ROW.findall(second.content.decode())) < PAGE_SIZE


def test_the_catalogue_leads_to_the_links(rw):
    page = rw.client("brand_viewer").get(reverse("catalog:catalogue", args=[rw.orgs["brand"].pk]))
    assert list_url(rw) in page.content.decode()


def form_data(**changes):
    data = {
        "link_type": "certificationInfo",
        "title": "Organic certificate",
        "target_url": "https://cert.example/organic",
        "applies_to": "product",
        "product": "",
        "company_prefix": "",
        "gtin": "",
        "level": "gtin",
        "qualifier": "",
        "language": "en",
        "media_type": "application/pdf",
    }
    data.update(changes)
    return data


def test_add_a_link(rw):
    client = rw.client("brand_editor")
    url = reverse("resolver:link_create", args=[rw.orgs["brand"].pk])
    page = client.get(url)
    assert page.status_code == 200 and list_url(rw) in page.content.decode()  # Cancel: the way back
    response = client.post(url, form_data(product=rw.products["public"].pk, customs_only="on"))
    assert response.status_code == 302 and response["Location"] == list_url(rw)
    link = ResolverLink.objects.get(title="Organic certificate")
    assert (link.product, link.customs_only, link.media_type) == (rw.products["public"], True, "application/pdf")


def test_a_refused_form_keeps_what_was_typed(rw):
    client = rw.client("brand_editor")
    url = reverse("resolver:link_create", args=[rw.orgs["brand"].pk])
    typed = form_data(applies_to="gtin", gtin=RIVAL, target_url="http://cert.example/organic", qualifier="")
    response = client.post(url, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="http://cert.example/organic"' in html and f'value="{RIVAL}"' in html
    assert 'value="Organic certificate"' in html
    assert "https://" in html and html.count("is-invalid") == 2
    errors = response.context["form"].errors
    assert set(errors) == {"gtin", "target_url"}
    assert not ResolverLink.objects.filter(title="Organic certificate").exists()
    missing = client.post(url, form_data(applies_to="product"))
    assert "product" in missing.context["form"].errors
    batch = client.post(
        url, form_data(applies_to="company_prefix", company_prefix=rw.prefixes["brand"].pk, level="lot", qualifier="L1")
    )
    assert "level" in batch.context["form"].errors


def test_edit_a_link(rw):
    link = rw.links["recall_lot1"]
    client = rw.client("counsel_editor")
    url = reverse("resolver:link_edit", args=[link.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="LOT1"' in html and re.search(r'value="product"[^>]*checked', html)
    response = client.post(
        url,
        form_data(
            link_type="recallStatus",
            applies_to="product",
            product=rw.products["public"].pk,
            level="lot",
            qualifier="LOT2",
            title="Recall of LOT2",
            target_url="https://brand.example/recall/LOT2",
            media_type="",
        ),
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.level, link.qualifier, link.title) == (LinkLevel.LOT, "LOT2", "Recall of LOT2")
    refused = client.post(url, form_data(applies_to="product", product=rw.products["public"].pk, title=""))
    assert refused.status_code == 200 and "title" in refused.context["form"].errors
    assert rw.client("brand_viewer").get(url).status_code == 403
    assert rw.client("rival_editor").get(url).status_code == 404


def test_remove_a_link(rw):
    link = rw.links["pip_en"]
    url = reverse("resolver:link_remove", args=[link.pk])
    assert rw.client("brand_editor").get(url).status_code == 405
    assert rw.client("brand_viewer").post(url).status_code == 403
    response = rw.client("brand_editor").post(url)
    assert response.status_code == 302 and response["Location"] == list_url(rw)
    assert not ResolverLink.objects.filter(pk=link.pk).exists()


# --- The public product page ----------------------------------------------------------------------------------------


def test_the_public_page_shows_only_what_is_public(rw, anonymous):
    response = anonymous.get(f"/p/{gtin14(PUBLIC)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Silk scarf" in html and "Aurea" in html and gtin14(PUBLIC) in html
    assert PIP_EN in html and "https://cert.example/scarf.pdf" in html
    assert "verify.example" not in html  # customs only
    assert "Stitching" not in html  # the clues are for officers
    assert f"/01/{gtin14(PUBLIC)}" in html  # signing in leads back through the resolver
    french = anonymous.get(f"/p/{gtin14(PUBLIC)}/", headers={"accept-language": "fr"}).content.decode()
    assert "Foulard en soie" in french


def test_the_public_page_of_a_hidden_sheet_does_not_exist(rw, anonymous):
    for gtin in (DRAFT, FR_ONLY, "4006381000099", "not-a-gtin"):
        assert anonymous.get(f"/p/{gtin14(gtin)}/").status_code == 404
    assert rw.client("brand_admin").get(f"/p/{gtin14(DRAFT)}/").status_code == 404


def test_the_public_page_leads_a_reader_to_the_sheet(rw):
    page = rw.client("fr_officer").get(f"/p/{gtin14(PUBLIC)}/").content.decode()
    assert reverse("catalog:product_detail", args=[rw.products["public"].pk]) in page
    other = rw.client("provider_admin").get(f"/p/{gtin14(PUBLIC)}/").content.decode()
    assert "/products/" not in other
