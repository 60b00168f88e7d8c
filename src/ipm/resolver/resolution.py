"""What the resolver answers for one GS1 Digital Link request and one requester: the applicable links, the default
one, the choice of a link of a requested type, and the RFC 9264 linkset.

Links apply at three levels — the GTIN, a batch/lot, a serial number — and a request inherits the links of every
level up to the GTIN (resolver standard 2.5.9). IPM's own product page is one of the GTIN's links (a ``gs1:pip``):
the officer's page for a requester who may read the sheet, else the public page when the sheet is public.

Which sheets and links a requester may learn about is the access policy's decision (``resolvable_products``,
``resolver_links``); nothing here widens it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.catalog.models import IdentifierKind, ProductIdentifier
from ipm.resolver.digital_link import DigitalLinkRequest
from ipm.resolver.models import GS1_VOCABULARY, LinkLevel, LinkType, ResolverLink

DEFAULT_LINK = GS1_VOCABULARY + "defaultLink"
LEVEL_ORDER = {LinkLevel.SERIAL: 0, LinkLevel.LOT: 1, LinkLevel.GTIN: 2}  # most specific first
# Within one link type and level: the right holder's links on the GTIN or the sheet, then those of its GTIN range,
# then IPM's own page.
RANK_EXPLICIT, RANK_RANGE, RANK_OWN = 0, 1, 2
# "linkType" values that name a link type of the GS1 vocabulary, however it is spelled (CURIE or full URI).
VOCABULARY_PREFIXES = ("gs1:", "https://ref.gs1.org/voc/", "https://gs1.org/voc/", "http://gs1.org/voc/")
LINKSET_KEYWORDS = {"linkset", "all"}  # "all" was the keyword before resolver standard 1.0; still understood
DEFAULT_KEYWORDS = {"defaultLink", "defaultLinkMulti"}
LANGUAGE_RANGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Link:
    link_type: str  # a term of the GS1 vocabulary: "pip"
    href: str
    title: str
    level: str = LinkLevel.GTIN
    language: str = ""
    media_type: str = ""
    rank: int = RANK_EXPLICIT
    order: int = 0
    is_default: bool = False

    @property
    def link_type_uri(self) -> str:
        return GS1_VOCABULARY + self.link_type

    def as_target(self) -> dict:
        """The link as a target object of an RFC 9264 linkset, with the attributes the GS1 schema knows."""
        target = {"href": self.href, "title": self.title}
        if self.media_type:
            target["type"] = self.media_type
        if self.language:
            target["hreflang"] = [self.language]
        return target


@dataclass(frozen=True)
class Resolution:
    request: DigitalLinkRequest
    links: tuple[Link, ...]
    default: Link
    item_description: str = ""

    def links_of_type(self, link_type: str) -> list[Link]:
        return [link for link in self.links if link.link_type == link_type]

    def choose(self, link_type: str, accept_language: str = "") -> Link | None:
        """The link of ``link_type`` to redirect to: among those of the most specific level that has one, the best
        match for the requester's languages (a link in none of them comes last, one with no language between),
        then the right holder's own before its range's before IPM's page."""
        if link_type in DEFAULT_KEYWORDS:
            return self.default
        candidates = self.links_of_type(link_type)
        if not candidates:
            return None
        level = min(LEVEL_ORDER[link.level] for link in candidates)
        candidates = [link for link in candidates if LEVEL_ORDER[link.level] == level]
        accepted = accepted_languages(accept_language)
        return min(candidates, key=lambda link: (language_rank(link.language, accepted), link.rank, link.order))

    def linkset(self, root: str) -> dict:
        """The RFC 9264 linkset (``application/linkset+json``): one context object per level that has links,
        anchored on the uncompressed GS1 Digital Link URI of that level on this resolver; link types as URIs of the
        GS1 vocabulary; the default link under ``gs1:defaultLink`` with its title only (standard 2.5.8), on the
        level it belongs to."""
        request = self.request
        anchors = {LinkLevel.GTIN: root + request.path()}
        if request.lot is not None:
            anchors[LinkLevel.LOT] = root + request.path(lot=request.lot)
        if request.serial is not None:
            anchors[LinkLevel.SERIAL] = root + request.path(serial=request.serial)
        contexts = []
        for level, anchor in anchors.items():
            links = [link for link in self.links if link.level == level]
            if not links:
                continue
            context: dict = {"anchor": anchor}
            if level == LinkLevel.GTIN and self.item_description:
                context["itemDescription"] = self.item_description
            for link in links:
                context.setdefault(link.link_type_uri, []).append(link.as_target())
            if self.default.level == level:
                context[DEFAULT_LINK] = [{"href": self.default.href, "title": self.default.title}]
            contexts.append(context)
        return {"linkset": contexts}


def requested_link_type(value: str) -> str | None:
    """The vocabulary term named by a ``linkType`` value (``gs1:pip``, ``https://ref.gs1.org/voc/pip`` …), the
    keyword ``linkset``, or None for something that is neither (no such link: a 404)."""
    if value in LINKSET_KEYWORDS:
        return "linkset"
    for prefix in VOCABULARY_PREFIXES:
        if value.startswith(prefix):
            term = value[len(prefix) :]
            return term if term in LinkType.values or term in DEFAULT_KEYWORDS else None
    return None


def accepted_languages(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, most wanted first (q=0 and ``*`` left out)."""
    ranges = []
    for position, part in enumerate((header or "")[:500].split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and LANGUAGE_RANGE.match(tag) and quality > 0:
            ranges.append((-quality, position, tag.lower()))
    return [tag for _quality, _position, tag in sorted(ranges)]


def language_rank(language: str, accepted: list[str]) -> tuple[int, int]:
    """Lower is better: an exact match on a more wanted range, then a match on the primary language only; a link
    in no particular language after every match; a link in a language not asked for last."""
    if not accepted:
        return (0, 0)
    if not language:
        return (len(accepted), 0)
    language = language.lower()
    for position, wanted in enumerate(accepted):
        if language == wanted:
            return (position, 0)
        if language.split("-")[0] == wanted.split("-")[0]:
            return (position, 1)
    return (len(accepted) + 1, 0)


def _company_prefix_candidates(gtin14: str) -> list[str]:
    """The GS1 company prefixes a GTIN-14 may start with after its indicator digit (as registered in IPM: 4 to 12
    digits of the GTIN-13 form)."""
    return [gtin14[1 : 1 + length] for length in range(4, 13)]


def product_name(product, language: str | None = None) -> str:
    """The sheet's name in ``language`` (default: the active one), else in its source language, else in any."""
    for code in (language or get_language() or "en", product.source_language):
        name = product.safe_translation_getter("name", language_code=code)
        if name:
            return name
    return product.safe_translation_getter("name", any_language=True) or ""


def _stored_link(link: ResolverLink) -> Link:
    return Link(
        link_type=link.link_type,
        href=link.target_url,
        title=link.title,
        level=link.level,
        language=link.language,
        media_type=link.media_type,
        rank=RANK_RANGE if link.company_prefix_id else RANK_EXPLICIT,
        order=link.pk,
        is_default=link.is_default,
    )


def resolve(user, request: DigitalLinkRequest, absolute: Callable[[str], str]) -> Resolution | None:
    """The links ``user`` gets for ``request``, or None when the resolver knows nothing it may tell about this
    GTIN (a 404). ``absolute`` turns a path of this site into an absolute URL."""
    identifier = (
        ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=request.gtin)
        .select_related("product__brand")
        .first()
    )
    product = identifier.product if identifier else None
    readable = bool(
        product is not None
        and policy.is_active_member(user)
        and policy.visible_products(user).filter(pk=product.pk).exists()
    )
    resolvable = product is not None and (readable or policy.is_publicly_resolvable(product))

    target = Q(gtin=request.gtin) | Q(company_prefix__prefix__in=_company_prefix_candidates(request.gtin))
    if product is not None:
        target |= Q(product=product)
    level = Q(level=LinkLevel.GTIN)
    if request.lot is not None:
        level |= Q(level=LinkLevel.LOT, qualifier=request.lot)
    if request.serial is not None:
        level |= Q(level=LinkLevel.SERIAL, qualifier=request.serial)
    found = policy.resolver_links(user).filter(target & level)
    if identifier is not None:
        # A GTIN that a sheet holds belongs to that sheet's right holder: no other right holder's range speaks for it.
        found = found.filter(right_holder_id=identifier.right_holder_id)
    links = [_stored_link(link) for link in found.order_by("pk")]

    language = get_language() or "en"
    description, own = "", None
    if resolvable:
        if readable:
            own = Link(
                LinkType.PIP,
                absolute(reverse("catalog:product_detail", args=[product.pk])),
                _("IPM product sheet for customs officers"),
                media_type="text/html",
                rank=RANK_OWN,
            )
        else:
            own = Link(
                LinkType.PIP,
                absolute(reverse("resolver:public_product", args=[request.gtin])),
                _("Product page on IPM"),
                media_type="text/html",
                rank=RANK_OWN,
            )
        links.append(own)
        description = f"{product_name(product, language)} — {product.brand.name}"
    if not links:
        return None
    links.sort(key=lambda link: (-LEVEL_ORDER[link.level], link.rank, link.order))  # the GTIN's links first
    return Resolution(request, tuple(links), _default(links, own), description)


def _default(links: list[Link], own: Link | None) -> Link:
    """The right holder's default of the most specific level; else IPM's page; else the first link of the most
    specific level (standard 2.5.9: any request URI has a default at its level or above)."""
    for level in (LinkLevel.SERIAL, LinkLevel.LOT, LinkLevel.GTIN):
        chosen = [link for link in links if link.is_default and link.level == level]
        if chosen:
            return min(chosen, key=lambda link: (link.rank, link.order))
    if own is not None:
        return own
    return min(links, key=lambda link: (LEVEL_ORDER[link.level], link.rank, link.order))
