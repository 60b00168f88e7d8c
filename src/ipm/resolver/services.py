"""Domain actions on resolver links: a right holder (its editors and admins, its mandated representatives, the
secretariat on its behalf) adds, changes and removes the links that IPM's GS1 resolver serves for its GTINs.

Same contract as ``catalog.records``: the access policy first (``PermissionDenied``), then validation
(``ValidationError`` keyed by field, translated), then one transaction and an audit event. An update takes only the
fields it is given; giving any of ``product``, ``company_prefix`` or ``gtin`` replaces the link's target.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import Organisation, User
from ipm.audit.models import AuditAction
from ipm.audit.services import record
from ipm.catalog.models import CompanyPrefix, IdentifierKind, Product, ProductIdentifier
from ipm.catalog.services import normalise_gtin
from ipm.resolver.digital_link import MalformedDigitalLink, check_qualifier_value
from ipm.resolver.models import LinkLevel, LinkType, ResolverLink

LINK_FIELDS = {
    "product",
    "company_prefix",
    "gtin",
    "level",
    "qualifier",
    "link_type",
    "target_url",
    "title",
    "language",
    "media_type",
    "customs_only",
    "is_default",
}
TARGET_FIELDS = ("product", "company_prefix", "gtin")
QUALIFIER_AI = {LinkLevel.LOT: "10", LinkLevel.SERIAL: "21"}
MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 200
# What the GS1 linkset schema accepts as a language: "en" or "en-GB".
LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
# An IANA media type (RFC 6838): a registered top-level type and a subtype name.
MEDIA_TYPE = re.compile(
    r"^(application|audio|font|haptics|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$"
)


def _may_author(actor: User, right_holder: Organisation) -> None:
    if not policy.may_author_catalogue(actor, right_holder):
        raise PermissionDenied


def _may_edit(actor: User, link: ResolverLink) -> None:
    if not policy.editable_resolver_links(actor).filter(pk=link.pk).exists():
        raise PermissionDenied


# --- Checks -----------------------------------------------------------------------------------------------------


def target_url_schemes() -> list[str]:
    """HTTPS only: a resolver sends phones to these addresses. Plain HTTP is allowed while developing (DEBUG)."""
    return ["https", "http"] if settings.DEBUG else ["https"]


def _clean_url(value, errors: dict) -> str:
    url = str(value or "").strip()
    if not url:
        errors["target_url"] = [_("This field is required.")]
        return url
    schemes = target_url_schemes()
    message = _("Enter a web address that starts with https://, e.g. https://www.example.com/product.")
    try:
        URLValidator(schemes=schemes)(url)
    except ValidationError:
        errors["target_url"] = [message]
        return url
    parts = urlsplit(url)
    if parts.username or parts.password:
        errors["target_url"] = [_("A web address with a user name or password in it is not accepted.")]
    elif len(url) > MAX_URL_LENGTH:
        errors["target_url"] = [_("This web address is too long (at most 2,000 characters).")]
    return url


def _clean_target(right_holder: Organisation, fields: dict, errors: dict) -> None:
    """Exactly one target, and one of the right holder's own: its sheet, its prefix, or a GTIN it owns (in one of
    its prefixes, or held by one of its sheets) that no other right holder's sheet holds."""
    given = {name: fields.get(name) for name in TARGET_FIELDS}
    chosen = [name for name, value in given.items() if value not in (None, "")]
    if len(chosen) != 1:
        errors["target"] = [_("Choose what the link is for: a product sheet, a GS1 company prefix or one GTIN.")]
        return
    name = chosen[0]
    value = given[name]
    fields.update(product=None, company_prefix=None, gtin="")
    if name == "product":
        product = Product.objects.filter(pk=getattr(value, "pk", value), brand__right_holder=right_holder).first()
        if product is None:
            errors["product"] = [_("Choose a product sheet of this right holder.")]
        fields["product"] = product
    elif name == "company_prefix":
        prefix = CompanyPrefix.objects.filter(pk=getattr(value, "pk", value), right_holder=right_holder).first()
        if prefix is None:
            errors["company_prefix"] = [_("Choose a GS1 company prefix of this right holder.")]
        fields["company_prefix"] = prefix
    else:
        try:
            gtin = normalise_gtin(str(value)).gtin14
        except ValidationError as error:
            errors["gtin"] = error.messages
            return
        fields["gtin"] = gtin
        holders = set(
            ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=gtin).values_list(
                "right_holder_id", flat=True
            )
        )
        in_own_range = any(
            gtin[1:].startswith(prefix)
            for prefix in CompanyPrefix.objects.filter(right_holder=right_holder).values_list("prefix", flat=True)
        )
        if holders - {right_holder.pk} or not (in_own_range or right_holder.pk in holders):
            errors["gtin"] = [
                _("This GTIN is not one of this right holder's: it is in none of its GS1 company prefixes.")
            ]


def _clean_level(fields: dict, errors: dict) -> None:
    level = fields.get("level") or LinkLevel.GTIN
    fields["level"] = level
    if level not in LinkLevel.values:
        errors["level"] = [_("“%(value)s” is not one of the choices.") % {"value": level}]
        return
    qualifier = str(fields.get("qualifier") or "").strip()
    if level == LinkLevel.GTIN:
        fields["qualifier"] = ""
        return
    if fields.get("company_prefix") is not None:
        errors["level"] = [_("A batch or a serial number belongs to one product: choose a product sheet or a GTIN.")]
        return
    if not qualifier:
        errors["qualifier"] = [_("Give the batch/lot or serial number the link is for.")]
        return
    try:
        fields["qualifier"] = check_qualifier_value(QUALIFIER_AI[level], qualifier)
    except MalformedDigitalLink as error:
        errors["qualifier"] = [error.message]


def _clean_texts(fields: dict, errors: dict) -> None:
    if fields.get("link_type") not in LinkType.values:
        errors["link_type"] = [_("Choose a link type of the GS1 vocabulary.")]
    fields["title"] = " ".join(str(fields.get("title") or "").split())
    if not fields["title"]:
        errors["title"] = [_("Give the link a title: it is what people see before they follow it.")]
    elif len(fields["title"]) > MAX_TITLE_LENGTH:
        errors["title"] = [_("The title is too long (at most 200 characters).")]
    language = str(fields.get("language") or "").strip().replace("_", "-")
    if language:
        primary, _sep, region = language.partition("-")
        language = primary.lower() + (f"-{region.upper()}" if region else "")
        if not LANGUAGE.match(language):
            errors["language"] = [
                _("“%(value)s” is not a language code such as en, fr or pt-BR.") % {"value": language[:20]}
            ]
    fields["language"] = language
    media_type = str(fields.get("media_type") or "").strip().lower()
    if media_type and not MEDIA_TYPE.match(media_type):
        errors["media_type"] = [
            _("“%(value)s” is not a media type such as text/html or application/pdf.") % {"value": media_type[:40]}
        ]
    fields["media_type"] = media_type


def _clean(right_holder: Organisation, link: ResolverLink, fields: dict) -> dict:
    """The link's whole state after the change, checked; raises ``ValidationError``."""
    unknown = set(fields) - LINK_FIELDS
    if unknown:
        raise ValueError(f"unknown resolver link fields: {sorted(unknown)}")
    state = {name: getattr(link, name) for name in LINK_FIELDS}
    if any(name in fields for name in TARGET_FIELDS):
        state.update(product=None, company_prefix=None, gtin="")
    state.update(fields)
    errors: dict = {}
    _clean_target(right_holder, state, errors)
    if not {"target", "product", "company_prefix"} & set(errors):
        _clean_level(state, errors)
    state["target_url"] = _clean_url(state.get("target_url"), errors)
    _clean_texts(state, errors)
    state["customs_only"] = bool(state.get("customs_only"))
    state["is_default"] = bool(state.get("is_default"))
    if errors:
        raise ValidationError(errors)
    return state


def _save(link: ResolverLink, state: dict) -> ResolverLink:
    for name, value in state.items():
        setattr(link, name, value)
    if link.is_default:
        # One default per target and level: the new one replaces the previous default.
        same_target = Q(product=link.product) if link.product else Q(company_prefix=link.company_prefix)
        if link.gtin:
            same_target = Q(gtin=link.gtin, right_holder=link.right_holder)
        ResolverLink.objects.filter(same_target, level=link.level, qualifier=link.qualifier, is_default=True).exclude(
            pk=link.pk
        ).update(is_default=False)
    link.save()
    return link


def _details(link: ResolverLink) -> dict:
    return {
        "link_type": link.link_type,
        "target_url": link.target_url,
        "applies_to": link.target_kind,
        "level": link.level,
        "customs_only": link.customs_only,
        "is_default": link.is_default,
    }


# --- Actions ----------------------------------------------------------------------------------------------------


@transaction.atomic
def create_link(actor: User, right_holder: Organisation, *, request=None, **fields) -> ResolverLink:
    _may_author(actor, right_holder)
    link = ResolverLink(right_holder=right_holder)
    _save(link, _clean(right_holder, link, fields))
    record(
        AuditAction.RESOLVER_LINK_CREATED,
        actor=actor,
        organisation=right_holder,
        target=link,
        request=request,
        **_details(link),
    )
    return link


@transaction.atomic
def update_link(actor: User, link: ResolverLink, *, request=None, **fields) -> ResolverLink:
    _may_edit(actor, link)
    _save(link, _clean(link.right_holder, link, fields))
    record(
        AuditAction.RESOLVER_LINK_CHANGED,
        actor=actor,
        organisation=link.right_holder,
        target=link,
        request=request,
        changed=sorted(fields),
        **_details(link),
    )
    return link


@transaction.atomic
def delete_link(actor: User, link: ResolverLink, *, request=None) -> None:
    _may_edit(actor, link)
    details = _details(link)
    record(
        AuditAction.RESOLVER_LINK_REMOVED,
        actor=actor,
        organisation=link.right_holder,
        target=link,
        request=request,
        **details,
    )
    link.delete()
