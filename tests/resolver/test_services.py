"""The domain actions on resolver links: who may act, what is refused (and then nothing is written), one default per
target and level, partial updates, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from ipm.audit.models import AuditAction, AuditEvent
from ipm.resolver import services
from ipm.resolver.models import LinkLevel, LinkType, ResolverLink
from tests.resolver.conftest import DRAFT, OUTSIDE, PUBLIC, RIVAL, SPARE, gtin14

pytestmark = pytest.mark.django_db

VALID = {"link_type": LinkType.PIP, "target_url": "https://brand.example/new", "title": "New page"}


def create(rw, role="brand_editor", holder="brand", **fields):
    return services.create_link(rw.users[role], rw.orgs[holder], **{**VALID, **fields})


def refused(rw, **fields) -> dict:
    before = ResolverLink.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        create(rw, **fields)
    assert (ResolverLink.objects.count(), AuditEvent.objects.count()) == before
    return error.value.message_dict


@pytest.mark.parametrize(
    "role, holder",
    [("brand_editor", "brand"), ("brand_admin", "brand"), ("counsel_editor", "brand"), ("secretariat_editor", "rival")],
)
def test_authors_add_links(rw, role, holder):
    target = {"product": rw.products["public" if holder == "brand" else "rival"]}
    link = create(rw, role, holder, **target)
    assert link.right_holder == rw.orgs[holder]
    event = AuditEvent.objects.get(action=AuditAction.RESOLVER_LINK_CREATED, target_id=str(link.pk))
    assert event.organisation == rw.orgs[holder]
    assert event.actor == rw.users[role]
    assert event.details["target_url"] == VALID["target_url"]


@pytest.mark.parametrize(
    "role, holder",
    [("brand_viewer", "brand"), ("rival_editor", "brand"), ("other_counsel_admin", "brand"), ("fr_officer", "brand")],
)
def test_others_may_not(rw, role, holder):
    before = ResolverLink.objects.count()
    with pytest.raises(PermissionDenied):
        create(rw, role, holder, product=rw.products["public"])
    link = rw.links["pip_en"]
    with pytest.raises(PermissionDenied):
        services.update_link(rw.users[role], link, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.delete_link(rw.users[role], link)
    assert ResolverLink.objects.count() == before
    assert ResolverLink.objects.get(pk=link.pk).title == "pip_en"


def test_exactly_one_target_of_the_right_holders_own(rw):
    assert "target" in refused(rw)
    assert "target" in refused(rw, product=rw.products["public"], gtin=PUBLIC)
    assert "product" in refused(rw, product=rw.products["rival"])
    assert "company_prefix" in refused(rw, company_prefix=rw.prefixes["rival"])


def test_an_explicit_gtin_must_be_the_right_holders(rw):
    assert create(rw, gtin=SPARE).gtin == gtin14(SPARE)  # in its prefix, held by no sheet
    assert create(rw, gtin=DRAFT).gtin == gtin14(DRAFT)  # held by one of its sheets
    assert "gtin" in refused(rw, gtin=RIVAL)  # the rival's sheet, in the rival's prefix
    assert "gtin" in refused(rw, gtin=OUTSIDE)  # in nobody's prefix
    assert "gtin" in refused(rw, gtin="4006381000011")  # wrong check digit
    assert "gtin" in refused(rw, gtin="12345")


def test_levels_and_qualifiers(rw):
    product = rw.products["public"]
    link = create(rw, product=product, level=LinkLevel.SERIAL, qualifier=" SN-0001 ")
    assert (link.level, link.qualifier) == (LinkLevel.SERIAL, "SN-0001")
    assert create(rw, product=product, level=LinkLevel.GTIN, qualifier="ignored").qualifier == ""
    assert "qualifier" in refused(rw, product=product, level=LinkLevel.LOT)
    assert "qualifier" in refused(rw, product=product, level=LinkLevel.LOT, qualifier="LOT 1")
    assert "qualifier" in refused(rw, product=product, level=LinkLevel.LOT, qualifier="L" * 21)
    assert "level" in refused(rw, company_prefix=rw.prefixes["brand"], level=LinkLevel.LOT, qualifier="L1")
    assert "level" in refused(rw, product=product, level="batch", qualifier="L1")


@pytest.mark.parametrize(
    "url",
    [
        "http://brand.example/page",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://brand.example/file",
        "https://user:secret@brand.example/",
        "https://",
        "brand.example/page",
        "",
        "https://brand.example/" + "a" * 2000,
    ],
)
def test_target_urls_are_https_only(rw, url):
    assert "target_url" in refused(rw, product=rw.products["public"], target_url=url)


@override_settings(DEBUG=True)
def test_plain_http_while_developing(rw):
    assert create(rw, product=rw.products["public"], target_url="http://127.0.0.1:8000/x").target_url.startswith(
        "http://"
    )


def test_texts_language_and_media_type(rw):
    product = rw.products["public"]
    link = create(rw, product=product, title="  Product\n page ", language="PT_br", media_type="Text/HTML")
    assert (link.title, link.language, link.media_type) == ("Product page", "pt-BR", "text/html")
    assert "title" in refused(rw, product=product, title="   ")
    assert "language" in refused(rw, product=product, language="english")
    assert "language" in refused(rw, product=product, language="zh-Hant")  # the GS1 linkset schema refuses it
    assert "media_type" in refused(rw, product=product, media_type="html")
    assert "media_type" in refused(rw, product=product, media_type="bogus/type")
    assert "link_type" in refused(rw, product=product, link_type="gs1:pip")


def test_one_default_per_target_and_level(rw):
    product = rw.products["public"]
    first = create(rw, product=product, is_default=True)
    second = create(rw, product=product, is_default=True, target_url="https://brand.example/second")
    lot = create(rw, product=product, is_default=True, level=LinkLevel.LOT, qualifier="L1")
    first.refresh_from_db()
    assert not first.is_default and second.is_default and lot.is_default
    services.update_link(rw.users["brand_editor"], first, is_default=True)
    second.refresh_from_db()
    assert not second.is_default


def test_an_update_takes_only_what_it_is_given(rw):
    link = rw.links["pip_en"]
    services.update_link(rw.users["brand_editor"], link, title="Renamed")
    link.refresh_from_db()
    assert (link.title, link.product, link.language, link.target_url) == (
        "Renamed",
        rw.products["public"],
        "en",
        "https://brand.example/en/scarf",
    )
    services.update_link(rw.users["counsel_admin"], link, gtin=SPARE)  # a new target replaces the sheet
    link.refresh_from_db()
    assert (link.product, link.gtin) == (None, gtin14(SPARE))
    event = AuditEvent.objects.filter(action=AuditAction.RESOLVER_LINK_CHANGED).latest("pk")
    assert event.details["changed"] == ["gtin"] and event.actor == rw.users["counsel_admin"]
    with pytest.raises(ValidationError):
        services.update_link(rw.users["brand_editor"], link, target_url="http://plain.example/")
    link.refresh_from_db()
    assert link.target_url == "https://brand.example/en/scarf"


def test_delete_is_audited(rw):
    link = rw.links["verify"]
    services.delete_link(rw.users["secretariat_admin"], link)
    assert not ResolverLink.objects.filter(pk=link.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.RESOLVER_LINK_REMOVED)
    assert event.organisation == rw.orgs["brand"] and event.details["customs_only"] is True


def test_the_database_keeps_one_target_and_a_qualifier_per_level(rw):
    """The constraints behind the service's checks."""
    from django.db import IntegrityError, transaction

    holder = rw.orgs["brand"]
    for fields in (
        {"product": rw.products["public"], "gtin": gtin14(PUBLIC)},
        {},
        {"product": rw.products["public"], "level": LinkLevel.LOT},
        {"product": rw.products["public"], "qualifier": "L1"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ResolverLink.objects.create(right_holder=holder, link_type="pip", target_url="https://x.example/", **fields)
