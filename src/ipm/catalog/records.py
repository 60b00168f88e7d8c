"""Domain actions on a right holder's logistics and legal records: IP rights, applications for action, contacts,
trade parties (known infringers included) and, per product sheet, usual routes and known counterfeits.

Same contract as ``catalog.services``: the access policy first (``PermissionDenied``), then validation
(``ValidationError`` keyed by field, translated), then one transaction. Routes and known counterfeits belong to a
sheet: every change to them records a revision of the sheet (always: the sheet's snapshot does not hold them, so
``services._after_change`` would see no difference). An update takes only the fields it is given.
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import Organisation, User
from ipm.catalog.models import (
    UNLOCODE_VALIDATOR,
    ApplicationForAction,
    Brand,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IPRight,
    PartyRole,
    Product,
    RightKind,
    Route,
    TradeParty,
    TransportMode,
)
from ipm.catalog.services import country_codes, record_revision, snapshot, validate_country, validate_language
from ipm.search import indexing as search_index

LIST_SPLIT = re.compile(r"[\s,;]+")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]*$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15  # ITU E.164: at most 15 digits
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP 47 tag, simply: "en", "fr", "pt-BR"


# --- Checks -----------------------------------------------------------------------------------------------------


def _split(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part for part in LIST_SPLIT.split(value or "") if part]


def _may_author(actor: User, right_holder: Organisation) -> None:
    if not policy.may_author_catalogue(actor, right_holder):
        raise PermissionDenied


def _may_edit(actor: User, record) -> None:
    if not policy.editable_catalogue_records(actor, type(record)).filter(pk=record.pk).exists():
        raise PermissionDenied


def _may_edit_sheet(actor: User, product: Product) -> None:
    if not policy.editable_products(actor).filter(pk=product.pk).exists():
        raise PermissionDenied


def _required(fields: dict, names: tuple[str, ...], errors: dict) -> None:
    for name in names:
        if name in fields and not (str(fields[name] or "").strip()):
            errors.setdefault(name, []).append(_("This field is required."))


def _country(fields: dict, name: str, errors: dict, *, required: bool = False) -> None:
    if name not in fields:
        return
    try:
        fields[name] = validate_country(fields[name], name)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.message_dict[name])
        return
    if required and not fields[name]:
        errors.setdefault(name, []).append(_("Choose a country."))


def _countries(fields: dict, name: str, errors: dict) -> None:
    if name not in fields:
        return
    codes = []
    for code in _split(fields[name]):
        try:
            codes.append(validate_country(code, name))
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.message_dict[name])
    fields[name] = list(dict.fromkeys(codes))


def _choice(fields: dict, name: str, choices, errors: dict) -> None:
    if name in fields and fields[name] not in choices.values:
        errors.setdefault(name, []).append(_("“%(value)s” is not one of the choices.") % {"value": fields[name]})


def _dates_in_order(first: date | None, last: date | None, name: str, errors: dict, message: str) -> None:
    if first is not None and last is not None and last < first:
        errors.setdefault(name, []).append(message)


def _phone(fields: dict, name: str, errors: dict) -> None:
    if name not in fields:
        return
    value = " ".join((fields[name] or "").split())
    fields[name] = value
    digits = sum(ch.isdigit() for ch in value)
    if value and (not PHONE.match(value) or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS):
        errors.setdefault(name, []).append(
            _("“%(value)s” is not a phone number: digits, spaces and + ( ) - . / only, 6 to 15 digits.")
            % {"value": value}
        )


def _products(right_holder: Organisation, fields: dict, errors: dict) -> None:
    """Product ids (or sheets) of the same right holder; an unknown id is refused like another holder's."""
    if "products" not in fields:
        return
    ids = {getattr(p, "pk", p) for p in fields["products"] or []}
    found = list(Product.objects.filter(pk__in=ids, brand__right_holder=right_holder))
    if len(found) != len(ids):
        errors.setdefault("products", []).append(_("Choose product sheets of this right holder only."))
    fields["products"] = found


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _save(record, fields: dict, m2m: tuple[str, ...] = ()) -> None:
    for name, value in fields.items():
        if name not in m2m:
            setattr(record, name, value)
    record.full_clean(exclude=["right_holder", "product", *m2m], validate_unique=False)
    record.save()
    for name in m2m:
        if name in fields:
            getattr(record, name).set(fields[name])


def _delete(actor: User, record) -> None:
    _may_edit(actor, record)
    record.delete()


# --- IP rights --------------------------------------------------------------------------------------------------

IP_RIGHT_FIELDS = {"kind", "office", "number", "classes", "holder_name", "registered_on", "expires_on", "brand"}


def _clean_ip_right(right_holder: Organisation, record: IPRight, fields: dict) -> dict:
    errors: dict = {}
    for name in ("office", "number", "classes", "holder_name"):
        if name in fields:
            fields[name] = " ".join((fields[name] or "").split())
    _required(fields, ("office", "number"), errors)
    _choice(fields, "kind", RightKind, errors)
    if fields.get("brand") is not None:
        brand_id = getattr(fields["brand"], "pk", fields["brand"])
        fields["brand"] = Brand.objects.filter(pk=brand_id, right_holder=right_holder).first()
        if fields["brand"] is None:
            errors.setdefault("brand", []).append(_("Choose a brand of this right holder."))
    _products(right_holder, fields, errors)
    _dates_in_order(
        fields.get("registered_on", record.registered_on),
        fields.get("expires_on", record.expires_on),
        "expires_on",
        errors,
        _("The expiry date is before the registration date."),
    )
    _raise(errors)
    return fields


def _save_ip_right(record: IPRight, fields: dict) -> IPRight:
    try:
        with transaction.atomic():
            _save(record, fields, ("products",))
    except IntegrityError as error:
        raise ValidationError(
            {"number": _("This right holder already has this registration at this office.")}
        ) from error
    return record


@transaction.atomic
def create_ip_right(actor: User, right_holder: Organisation, **fields) -> IPRight:
    _may_author(actor, right_holder)
    fields = {"office": "", "number": "", **fields}
    record = IPRight(right_holder=right_holder)
    return _save_ip_right(record, _clean_ip_right(right_holder, record, fields))


@transaction.atomic
def update_ip_right(actor: User, record: IPRight, **fields) -> IPRight:
    _may_edit(actor, record)
    return _save_ip_right(record, _clean_ip_right(record.right_holder, record, fields))


def delete_ip_right(actor: User, record: IPRight) -> None:
    _delete(actor, record)


# --- Applications for action ------------------------------------------------------------------------------------

APPLICATION_FIELDS = {"country", "reference", "valid_from", "valid_until", "ip_rights"}


def _clean_application(right_holder: Organisation, record: ApplicationForAction, fields: dict) -> dict:
    errors: dict = {}
    if "reference" in fields:
        fields["reference"] = " ".join((fields["reference"] or "").split())
    _required(fields, ("reference",), errors)
    _country(fields, "country", errors, required=True)
    for name in ("valid_from", "valid_until"):
        if name in fields and fields[name] is None:
            errors.setdefault(name, []).append(_("This field is required."))
    _dates_in_order(
        fields.get("valid_from", record.valid_from if record.pk else None),
        fields.get("valid_until", record.valid_until if record.pk else None),
        "valid_until",
        errors,
        _("The end of validity is before its start."),
    )
    if "ip_rights" in fields:
        ids = {getattr(r, "pk", r) for r in fields["ip_rights"] or []}
        found = list(IPRight.objects.filter(pk__in=ids, right_holder=right_holder))
        if len(found) != len(ids):
            errors.setdefault("ip_rights", []).append(_("Choose IP rights of this right holder only."))
        fields["ip_rights"] = found
    _raise(errors)
    return fields


@transaction.atomic
def create_application(actor: User, right_holder: Organisation, **fields) -> ApplicationForAction:
    _may_author(actor, right_holder)
    fields = {"country": "", "reference": "", "valid_from": None, "valid_until": None, **fields}
    record = ApplicationForAction(right_holder=right_holder)
    _save(record, _clean_application(right_holder, record, fields), ("ip_rights",))
    return record


@transaction.atomic
def update_application(actor: User, record: ApplicationForAction, **fields) -> ApplicationForAction:
    _may_edit(actor, record)
    _save(record, _clean_application(record.right_holder, record, fields), ("ip_rights",))
    return record


def delete_application(actor: User, record: ApplicationForAction) -> None:
    _delete(actor, record)


# --- Contacts ---------------------------------------------------------------------------------------------------

CONTACT_FIELDS = {
    "name",
    "function",
    "organisation_name",
    "is_legal_representative",
    "phone",
    "emergency_phone",
    "email",
    "countries",
    "languages",
    "products",
}


def _clean_contact(right_holder: Organisation, record: Contact, fields: dict) -> dict:
    errors: dict = {}
    for name in ("name", "function", "organisation_name"):
        if name in fields:
            fields[name] = " ".join((fields[name] or "").split())
    _required(fields, ("name",), errors)
    _phone(fields, "phone", errors)
    _phone(fields, "emergency_phone", errors)
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip()
        if fields["email"]:
            try:
                validate_email(fields["email"])
            except ValidationError:
                errors.setdefault("email", []).append(
                    _("“%(value)s” is not an e-mail address.") % {"value": fields["email"]}
                )
    _countries(fields, "countries", errors)
    if "languages" in fields:
        tags = _split(fields["languages"])
        bad = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if bad:
            errors.setdefault("languages", []).append(
                _("“%(value)s” is not a language code such as en, fr or pt-BR.") % {"value": ", ".join(bad)}
            )
        fields["languages"] = ", ".join(dict.fromkeys(tags))
    _products(right_holder, fields, errors)
    _raise(errors)
    return fields


@transaction.atomic
def create_contact(actor: User, right_holder: Organisation, **fields) -> Contact:
    _may_author(actor, right_holder)
    fields = {"name": "", **fields}
    record = Contact(right_holder=right_holder)
    _save(record, _clean_contact(right_holder, record, fields), ("products",))
    return record


@transaction.atomic
def update_contact(actor: User, record: Contact, **fields) -> Contact:
    _may_edit(actor, record)
    _save(record, _clean_contact(record.right_holder, record, fields), ("products",))
    return record


def delete_contact(actor: User, record: Contact) -> None:
    _delete(actor, record)


# --- Trade parties ----------------------------------------------------------------------------------------------

TRADE_PARTY_FIELDS = {"role", "name", "address", "country", "notes", "products"}


def _clean_trade_party(right_holder: Organisation, record: TradeParty, fields: dict) -> dict:
    errors: dict = {}
    if "name" in fields:
        fields["name"] = " ".join((fields["name"] or "").split())
    _required(fields, ("name",), errors)
    _choice(fields, "role", PartyRole, errors)
    _country(fields, "country", errors, required=True)
    _products(right_holder, fields, errors)
    _raise(errors)
    return fields


@transaction.atomic
def create_trade_party(actor: User, right_holder: Organisation, **fields) -> TradeParty:
    _may_author(actor, right_holder)
    fields = {"role": "", "name": "", "country": "", **fields}
    record = TradeParty(right_holder=right_holder)
    _save(record, _clean_trade_party(right_holder, record, fields), ("products",))
    search_index.trade_parties_changed(right_holder)  # manufacturers' countries are searched
    return record


@transaction.atomic
def update_trade_party(actor: User, record: TradeParty, **fields) -> TradeParty:
    _may_edit(actor, record)
    _save(record, _clean_trade_party(record.right_holder, record, fields), ("products",))
    search_index.trade_parties_changed(record.right_holder)
    return record


@transaction.atomic
def delete_trade_party(actor: User, record: TradeParty) -> None:
    _delete(actor, record)
    search_index.trade_parties_changed(record.right_holder)


# --- GS1 company prefixes ---------------------------------------------------------------------------------------


def _clean_company_prefix(right_holder: Organisation, record: CompanyPrefix, fields: dict) -> dict:
    """A prefix is 4 to 12 digits and must not equal, contain or extend another registered prefix: a scanned GTIN
    must lead to one right holder only."""
    errors: dict = {}
    prefix = "".join(str(fields.get("prefix") or "").split())
    fields = {"prefix": prefix}
    if not re.fullmatch(r"\d{4,12}", prefix):
        errors["prefix"] = [_("A GS1 company prefix has 4 to 12 digits.")]
    else:
        shorter = [prefix[:n] for n in range(4, len(prefix) + 1)]
        overlapping = CompanyPrefix.objects.exclude(pk=record.pk).filter(
            Q(prefix__in=shorter) | Q(prefix__startswith=prefix)
        )
        if overlapping.exists():
            errors["prefix"] = [_("This prefix is already registered in IPM, or overlaps one that is.")]
    _raise(errors)
    return fields


@transaction.atomic
def create_company_prefix(actor: User, right_holder: Organisation, **fields) -> CompanyPrefix:
    _may_author(actor, right_holder)
    record = CompanyPrefix(right_holder=right_holder)
    _save(record, _clean_company_prefix(right_holder, record, fields))
    return record


@transaction.atomic
def update_company_prefix(actor: User, record: CompanyPrefix, **fields) -> CompanyPrefix:
    _may_edit(actor, record)
    _save(record, _clean_company_prefix(record.right_holder, record, fields))
    return record


def delete_company_prefix(actor: User, record: CompanyPrefix) -> None:
    _delete(actor, record)


# --- Routes (per sheet) -----------------------------------------------------------------------------------------

ROUTE_FIELDS = {"origin", "transit", "destination", "ports", "modes"}


def _clean_route(fields: dict) -> dict:
    errors: dict = {}
    _country(fields, "origin", errors, required=True)
    _country(fields, "destination", errors, required=True)
    _countries(fields, "transit", errors)
    if "ports" in fields:
        ports = [port.upper() for port in _split(fields["ports"])]
        for port in ports:
            try:
                UNLOCODE_VALIDATOR(port)
            except ValidationError:
                errors.setdefault("ports", []).append(
                    _("“%(value)s” is not a UN/LOCODE (2 letters, then 3 letters or digits, e.g. NLRTM).")
                    % {"value": port}
                )
            else:
                if port[:2] not in country_codes():
                    errors.setdefault("ports", []).append(
                        _("“%(value)s” does not start with an ISO 3166 country code.") % {"value": port}
                    )
        fields["ports"] = ", ".join(dict.fromkeys(ports))
    if "modes" in fields:
        modes = [mode.lower() for mode in _split(fields["modes"])]
        for mode in modes:
            if mode not in TransportMode.values:
                errors.setdefault("modes", []).append(_("“%(value)s” is not a mode of transport.") % {"value": mode})
        fields["modes"] = ",".join(dict.fromkeys(modes))
    _raise(errors)
    return fields


@transaction.atomic
def create_route(actor: User, product: Product, **fields) -> Route:
    _may_edit_sheet(actor, product)
    fields = _clean_route({"origin": "", "destination": "", **fields})
    before = snapshot(product)
    route = Route(product=product)
    _save(route, fields)
    record_revision(product, actor, before=before, summary=_("Route added"))
    return route


@transaction.atomic
def update_route(actor: User, route: Route, **fields) -> Route:
    product = route.product
    _may_edit_sheet(actor, product)
    fields = _clean_route(fields)
    before = snapshot(product)
    _save(route, fields)
    record_revision(product, actor, before=before, summary=_("Route changed"))
    return route


@transaction.atomic
def delete_route(actor: User, route: Route) -> None:
    product = route.product
    _may_edit_sheet(actor, product)
    before = snapshot(product)
    route.delete()
    record_revision(product, actor, before=before, summary=_("Route removed"))


# --- Known counterfeits (per sheet) -----------------------------------------------------------------------------

VARIANT_FIELDS = {"language", "name", "description", "first_seen"}


def _clean_variant(fields: dict, *, creating: bool) -> dict:
    errors: dict = {}
    if "language" in fields:
        try:
            validate_language(fields["language"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if "name" in fields:
        fields["name"] = " ".join((fields["name"] or "").split())
    if creating or "name" in fields:
        _required(fields, ("name",), errors)
    if fields.get("first_seen") and fields["first_seen"] > date.today():
        errors.setdefault("first_seen", []).append(_("This date is in the future."))
    _raise(errors)
    return fields


def _save_variant(variant: CounterfeitVariant, fields: dict) -> None:
    language = fields.pop("language", None) or variant.product.source_language
    if "first_seen" in fields:
        variant.first_seen = fields["first_seen"]
    variant.set_current_language(language)
    for name in ("name", "description"):
        if name in fields:
            setattr(variant, name, fields[name] or "")
    if not variant.safe_translation_getter("name", language_code=language):
        raise ValidationError({"name": _("This field is required.")})
    variant.save()


@transaction.atomic
def create_variant(actor: User, product: Product, **fields) -> CounterfeitVariant:
    _may_edit_sheet(actor, product)
    fields = _clean_variant({"name": "", **fields}, creating=True)
    before = snapshot(product)
    variant = CounterfeitVariant(product=product)
    _save_variant(variant, fields)
    record_revision(product, actor, before=before, summary=_("Known counterfeit added"))
    return variant


@transaction.atomic
def update_variant(actor: User, variant: CounterfeitVariant, **fields) -> CounterfeitVariant:
    product = variant.product
    _may_edit_sheet(actor, product)
    fields = _clean_variant(fields, creating=False)
    before = snapshot(product)
    _save_variant(variant, fields)
    record_revision(product, actor, before=before, summary=_("Known counterfeit changed"))
    return variant


@transaction.atomic
def delete_variant(actor: User, variant: CounterfeitVariant) -> None:
    product = variant.product
    _may_edit_sheet(actor, product)
    before = snapshot(product)
    variant.delete()
    record_revision(product, actor, before=before, summary=_("Known counterfeit removed"))
