"""The access policy: the only place that decides who may see and do what.

Two kinds of answer:

* ``visible_*`` / ``manageable_*`` return a queryset of the objects a user may see or act on. Views and API
  endpoints fetch objects *through* these querysets (``get_object_or_404(policy.visible_users(user), pk=…)``), so
  an object of another organisation answers 404 and its existence does not leak.
* ``may_*`` answer yes or no for one action on one object, for things that are not a lookup.

Every rule takes the acting user first. An anonymous or deactivated user may see and do nothing here.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from ipm.accounts.models import (
    ApiToken,
    Invitation,
    Mandate,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from ipm.audit.models import AuditEvent


def is_active_member(user) -> bool:
    """Signed in, not deactivated, and in an organisation that is not suspended."""
    return bool(user and user.is_authenticated and user.is_active and user.organisation.is_active)


def is_secretariat(user) -> bool:
    return is_active_member(user) and user.organisation.kind == OrganisationKind.SECRETARIAT


def is_secretariat_admin(user) -> bool:
    return is_secretariat(user) and user.role == Role.ADMIN


def is_org_admin(user) -> bool:
    return is_active_member(user) and user.role == Role.ADMIN


def is_officer(user) -> bool:
    """Any member of a customs administration: officers, its admins and its viewers."""
    return is_active_member(user) and user.organisation.kind == OrganisationKind.CUSTOMS


# --- Organisations ----------------------------------------------------------------------------------------------


def represented_right_holders(user) -> QuerySet[Organisation]:
    """The right holders whose active mandate the user's legal-representative organisation holds."""
    if not is_active_member(user) or user.organisation.kind != OrganisationKind.LEGAL_REPRESENTATIVE:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        mandates_given__representative=user.organisation, mandates_given__revoked_at__isnull=True
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """The secretariat sees every organisation; everyone else sees their own and those linked by a mandate."""
    if not is_active_member(user):
        return Organisation.objects.none()
    if is_secretariat(user):
        return Organisation.objects.all()
    own = user.organisation
    linked = Q(pk=own.pk)
    if own.kind == OrganisationKind.LEGAL_REPRESENTATIVE:
        linked |= Q(mandates_given__representative=own, mandates_given__revoked_at__isnull=True)
    elif own.kind == OrganisationKind.RIGHT_HOLDER:
        linked |= Q(mandates_held__right_holder=own, mandates_held__revoked_at__isnull=True)
    return Organisation.objects.filter(linked).distinct()


def manageable_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose members, invitations and settings the user administers."""
    if is_secretariat_admin(user):
        return Organisation.objects.all()
    if is_org_admin(user):
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def may_onboard_organisations(user) -> bool:
    return is_secretariat_admin(user)


def may_change_organisation_status(user, organisation: Organisation) -> bool:
    """Only the secretariat suspends or re-activates an organisation, and never its own."""
    return is_secretariat_admin(user) and organisation.kind != OrganisationKind.SECRETARIAT


def may_set_two_factor_requirement(user, organisation: Organisation, required: bool) -> bool:
    """An organisation's admin may make 2FA mandatory for its members. Lifting the requirement from the
    secretariat or a customs administration is the secretariat's decision alone."""
    if not manageable_organisations(user).filter(pk=organisation.pk).exists():
        return False
    if required or is_secretariat_admin(user):
        return True
    return organisation.kind not in {OrganisationKind.SECRETARIAT, OrganisationKind.CUSTOMS}


# --- Mandates ---------------------------------------------------------------------------------------------------


def visible_mandates(user) -> QuerySet[Mandate]:
    if is_secretariat(user):
        return Mandate.objects.all()
    if not is_active_member(user):
        return Mandate.objects.none()
    own = user.organisation_id
    return Mandate.objects.filter(Q(right_holder_id=own) | Q(representative_id=own))


def may_grant_mandate(user, right_holder: Organisation) -> bool:
    """A right holder's admin (or the secretariat on its behalf) grants and revokes its mandates."""
    return right_holder.kind == OrganisationKind.RIGHT_HOLDER and (
        manageable_organisations(user).filter(pk=right_holder.pk).exists()
    )


def legal_representatives_for_choice(user) -> QuerySet[Organisation]:
    """Representatives a right holder's admin may pick when granting a mandate: all active ones."""
    if not is_active_member(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=OrganisationKind.LEGAL_REPRESENTATIVE, is_active=True)


# --- People -----------------------------------------------------------------------------------------------------


def visible_users(user) -> QuerySet[User]:
    """Members of your own organisation; the secretariat sees everyone."""
    if is_secretariat(user):
        return User.objects.select_related("organisation")
    if not is_active_member(user):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id).select_related("organisation")


def manageable_users(user) -> QuerySet[User]:
    """People whose role and status the user may change. A customs administration's admin manages only its own
    officers; nobody manages themselves (so an organisation cannot lose its last admin by accident)."""
    return (
        User.objects.filter(organisation__in=manageable_organisations(user))
        .exclude(pk=getattr(user, "pk", None))
        .select_related("organisation")
    )


def assignable_roles(user, organisation: Organisation) -> list[str]:
    if not manageable_organisations(user).filter(pk=organisation.pk).exists():
        return []
    return [Role.ADMIN, Role.EDITOR, Role.VIEWER]


def manageable_invitations(user) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation__in=manageable_organisations(user))


def may_invite(user, organisation: Organisation) -> bool:
    return organisation.is_active and manageable_organisations(user).filter(pk=organisation.pk).exists()


# --- API tokens -------------------------------------------------------------------------------------------------


def own_api_tokens(user) -> QuerySet[ApiToken]:
    """A personal token is seen and revoked by its owner only."""
    if not is_active_member(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


# --- Audit log --------------------------------------------------------------------------------------------------


def visible_audit_events(user) -> QuerySet[AuditEvent]:
    """The secretariat reads the whole log; an organisation's admins read their own organisation's events."""
    if is_secretariat_admin(user):
        return AuditEvent.objects.all()
    if is_org_admin(user):
        return AuditEvent.objects.filter(organisation_id=user.organisation_id)
    return AuditEvent.objects.none()


def may_read_audit_log(user) -> bool:
    return is_secretariat_admin(user) or is_org_admin(user)


# --- Platform ---------------------------------------------------------------------------------------------------


def may_use_admin_site(user) -> bool:
    """Django's admin is a secretariat tool only."""
    return is_secretariat_admin(user) and user.is_staff


def two_factor_satisfied(user) -> bool:
    """False when the user's organisation requires a second factor the user has not set up yet."""
    if not is_active_member(user) or not user.organisation.require_two_factor:
        return True
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


# --- Catalogue --------------------------------------------------------------------------------------------------
# Drafts are seen only by their right holder, its mandated legal representatives, and the secretariat (which may
# act on a right holder's behalf, e.g. for a bulk import). Officers see published sheets visible to their country.


def _catalogue_authors(user):
    """Organisation ids whose catalogue the user may read in full (drafts included)."""
    if not is_active_member(user):
        return None
    kind = user.organisation.kind
    if kind == OrganisationKind.RIGHT_HOLDER:
        return [user.organisation_id]
    if kind == OrganisationKind.LEGAL_REPRESENTATIVE:
        return list(represented_right_holders(user).values_list("pk", flat=True))
    return None


def catalogue_right_holders(user) -> QuerySet[Organisation]:
    """Right holders whose catalogue the user may author (editors and admins; viewers only read)."""
    if not is_active_member(user) or user.role == Role.VIEWER:
        return Organisation.objects.none()
    if is_secretariat(user):
        return Organisation.objects.filter(kind=OrganisationKind.RIGHT_HOLDER)
    authors = _catalogue_authors(user)
    return Organisation.objects.filter(pk__in=authors or [])


def visible_brands(user):
    from ipm.catalog.models import Brand

    if not is_active_member(user):
        return Brand.objects.none()
    authors = _catalogue_authors(user)
    if authors is not None:
        return Brand.objects.filter(right_holder_id__in=authors)
    if is_secretariat(user):
        return Brand.objects.all()
    if is_officer(user):
        # Only brands with a sheet the officer may read: a brand whose sheets are all drafts, or shared with other
        # countries only, must not become known through its name.
        return Brand.objects.filter(Exists(visible_products(user).filter(brand=OuterRef("pk"))))
    return Brand.objects.none()


def editable_brands(user):
    from ipm.catalog.models import Brand

    return Brand.objects.filter(right_holder__in=catalogue_right_holders(user))


def visible_products(user):
    """Product sheets the user may read: their own catalogue in full; officers, published sheets visible to
    their country; the secretariat, everything."""
    from ipm.catalog.models import Product

    if not is_active_member(user):
        return Product.objects.none()
    if is_secretariat(user):
        return Product.objects.all()
    authors = _catalogue_authors(user)
    if authors is not None:
        return Product.objects.filter(brand__right_holder_id__in=authors)
    if is_officer(user):
        return Product.objects.published().visible_in_country(user.organisation.country.code)
    return Product.objects.none()


@dataclass(frozen=True)
class ProductScope:
    """``visible_products(user)`` restated as facts a search index holds about each sheet, so that the index can
    narrow its candidates before the database applies ``visible_products`` itself (which it always does). At most
    one of the three is set; none: the user reads no sheet."""

    everything: bool = False
    right_holder_ids: tuple[int, ...] = ()  # every sheet of these right holders, drafts included
    # Published sheets visible to every country or to this one ("" for an administration without a country).
    published_for_country: str | None = None


def product_search_scope(user) -> ProductScope:
    """The same rule as ``visible_products``, in the terms of ``ProductScope``."""
    if not is_active_member(user):
        return ProductScope()
    if is_secretariat(user):
        return ProductScope(everything=True)
    authors = _catalogue_authors(user)
    if authors is not None:
        return ProductScope(right_holder_ids=tuple(sorted(authors)))
    if is_officer(user):
        return ProductScope(published_for_country=user.organisation.country.code or "")
    return ProductScope()


def editable_products(user):
    from ipm.catalog.models import Product

    return Product.objects.filter(brand__right_holder__in=catalogue_right_holders(user))


def may_author_catalogue(user, right_holder: Organisation) -> bool:
    return catalogue_right_holders(user).filter(pk=right_holder.pk).exists()


def readable_catalogues(user) -> QuerySet[Organisation]:
    """Right holders whose whole catalogue — drafts, history, imports — the user reads (the authoring pages): its
    own members and its mandated representatives, viewers included, and the secretariat. Officers read published
    sheets through ``visible_products`` and never reach these pages."""
    if not is_active_member(user):
        return Organisation.objects.none()
    if is_secretariat(user):
        return Organisation.objects.filter(kind=OrganisationKind.RIGHT_HOLDER)
    return Organisation.objects.filter(pk__in=_catalogue_authors(user) or [], kind=OrganisationKind.RIGHT_HOLDER)


def catalogue_products(user):
    """The sheets of the catalogues the user reads in full (see ``readable_catalogues``)."""
    from ipm.catalog.models import Product

    return Product.objects.filter(brand__right_holder__in=readable_catalogues(user))


def visible_import_jobs(user):
    """Bulk imports into the catalogues the user reads in full, whoever ran them."""
    from ipm.catalog.models import ImportJob

    return ImportJob.objects.filter(right_holder__in=readable_catalogues(user))


def visible_catalogue_records(user, model):
    """IP rights, applications for action, contacts, trade parties of the right holders whose catalogue the user
    reads in full; officers see those of right holders with a sheet visible to them (known infringers included
    only where the right holder shares them, which is the only reason such a record exists)."""
    if not is_active_member(user):
        return model.objects.none()
    if is_secretariat(user):
        return model.objects.all()
    authors = _catalogue_authors(user)
    if authors is not None:
        return model.objects.filter(right_holder_id__in=authors)
    if is_officer(user):
        holders = visible_products(user).values("brand__right_holder_id")
        return model.objects.filter(right_holder_id__in=holders)
    return model.objects.none()


def editable_catalogue_records(user, model):
    return model.objects.filter(right_holder__in=catalogue_right_holders(user))


def products_visible_in_country(country: str):
    """The sheets an officer of ``country`` sees: published and shared with that country's administration (the
    rule ``visible_products`` applies to officers), for a right holder's "see it as an officer of X" preview."""
    from ipm.catalog.models import Product

    return Product.objects.published().visible_in_country(country)


def may_preview_as_officer(user, product) -> bool:
    """Those who may edit a sheet may see it as an officer of any country would."""
    return editable_products(user).filter(pk=product.pk).exists()


def visible_sheet_records(user, model, product):
    """The records of a sheet's right holder (contacts, IP rights, applications for action) that a reader of
    the sheet sees with it: none unless the user may read that sheet. Cheaper than ``visible_catalogue_records``
    for one sheet, since the test is on that sheet alone."""
    holder = visible_products(user).filter(pk=product.pk).values("brand__right_holder_id")
    return model.objects.filter(right_holder_id__in=holder)


def visible_product_records(user, model):
    """Routes and known counterfeits (records that belong to one sheet): seen by whoever sees their sheet."""
    return model.objects.filter(product__in=visible_products(user))


def editable_product_records(user, model):
    return model.objects.filter(product__in=editable_products(user))


# --- GS1 resolver -----------------------------------------------------------------------------------------------
# IPM answers as a GS1-Conformant resolver for the GTINs it holds, to anyone: a GTIN is printed on the pack, but what
# IPM holds about it is not public. A visitor learns only that a published sheet shared with every country exists
# (its name, its brand, the right holder's public links); drafts and country-restricted sheets stay unknown to whoever
# may not read them, exactly as on the officer's pages. Links marked "customs only" are for officers (and for those
# who read the right holder's catalogue in full).


def publicly_resolvable_products():
    """Sheets whose existence, name and brand anyone may learn through the resolver and its public product page:
    published and shared with every country's administration. A rule about everybody, so it takes no user."""
    from ipm.catalog.models import Product

    return Product.objects.published().filter(visible_to_all_countries=True)


def is_publicly_resolvable(product) -> bool:
    """``publicly_resolvable_products`` for one sheet already loaded (the resolver's fast path, no query)."""
    from ipm.catalog.models import ProductStatus

    return product.status == ProductStatus.PUBLISHED and product.visible_to_all_countries


def resolvable_products(user):
    """Sheets the resolver answers for, for this requester: the public ones and those the user may read."""
    if not is_active_member(user):
        return publicly_resolvable_products()
    return publicly_resolvable_products() | visible_products(user)


def resolver_links(user):
    """Links the resolver shows this requester: those of a sheet it answers for (``resolvable_products``) and those
    of GTIN ranges and explicit GTINs; links marked customs-only only to officers and to those who read the right
    holder's catalogue in full (its people, its representatives, the secretariat)."""
    from ipm.resolver.models import ResolverLink

    links = ResolverLink.objects.filter(Q(product__isnull=True) | Q(product__in=resolvable_products(user)))
    if is_officer(user):
        return links
    return links.filter(Q(customs_only=False) | Q(right_holder__in=readable_catalogues(user)))


def catalogue_resolver_links(user):
    """A right holder's links as its authoring pages and the API list them: read by those who read its catalogue in
    full. Officers meet links through the resolver only."""
    from ipm.resolver.models import ResolverLink

    return ResolverLink.objects.filter(right_holder__in=readable_catalogues(user))


def editable_resolver_links(user):
    """Links its authors manage: the right holder's editors and admins, its mandated representatives', the
    secretariat's."""
    from ipm.resolver.models import ResolverLink

    return ResolverLink.objects.filter(right_holder__in=catalogue_right_holders(user))


# --- Scans ------------------------------------------------------------------------------------------------------
# Looking a code up answers with what the scanner may read anyway (``visible_products``). The scan log, though, is
# customs data: which officer checked which goods, where and when. Its readers are the scanner, the officer's own
# administration (its admins), and the secretariat; a right holder never reads officers' scans (figures about its
# products will come from statistics, aggregated).


def may_scan(user) -> bool:
    """Whoever reads product sheets may look a code up: officers, the secretariat, right holders and their
    representatives. Service providers read no sheet, so a scan would tell them nothing they may know."""
    return is_active_member(user) and user.organisation.kind != OrganisationKind.SERVICE_PROVIDER


def scan_company_prefixes(user):
    """GS1 company prefixes whose owner a scan names when the exact product is not readable ("the brand is in IPM,
    the product is not"). A right holder registers a prefix precisely so that scans name it, and who owns a prefix
    is public through GS1 anyway; a suspended right holder is not named."""
    from ipm.catalog.models import CompanyPrefix

    if not may_scan(user):
        return CompanyPrefix.objects.none()
    return CompanyPrefix.objects.filter(right_holder__is_active=True)


def scan_contacts(user, right_holder: Organisation):
    """The contacts of a prefix owner that a scan shows. Officers get the right holder's general contacts (those
    tied to no product in particular) even when none of its sheets is visible to their country: calling the right
    holder is what an officer does next with goods it has no sheet for. Contacts tied to sheets stay with those
    sheets. Everyone else gets the contacts they read anyway."""
    from ipm.catalog.models import Contact

    if not may_scan(user):
        return Contact.objects.none()
    if is_officer(user):
        return Contact.objects.filter(right_holder=right_holder, products=None)
    return visible_catalogue_records(user, Contact).filter(right_holder=right_holder, products=None)


def visible_scan_logs(user):
    """The secretariat reads every scan; a customs administration's admins read the scans of their country's
    officers; everyone else reads their own scans only."""
    from ipm.scans.models import ScanLog

    if not is_active_member(user):
        return ScanLog.objects.none()
    if is_secretariat(user):
        return ScanLog.objects.all()
    if is_officer(user) and user.role == Role.ADMIN:
        return ScanLog.objects.filter(country=user.organisation.country.code)
    return ScanLog.objects.filter(user=user)


def sees_others_scans(user) -> bool:
    """Whether ``visible_scan_logs`` may hold other people's scans (the history then says who scanned)."""
    return is_secretariat(user) or (is_officer(user) and user.role == Role.ADMIN)


# --- Connected: services, links, verifications (who sees and runs what) ----------------------------------------
# A provider's people see their own services; right holders, their representatives and officers see approved ones
# (to choose one, to know who answered). The secretariat sees all and its admins approve. A right holder's link puts
# its brand or product under a service: its authors and mandated representatives make and remove links; the
# provider sees the links to its services (brand and product names only). Verifications are customs data: the
# secretariat reads all, an administration's admins their country's, an officer their own; a right holder reads
# those of its products without the officer's identity; a provider reads aggregate figures of its services only.


def is_provider_member(user) -> bool:
    return is_active_member(user) and user.organisation.kind == OrganisationKind.SERVICE_PROVIDER


def visible_services(user):
    from ipm.connected.models import Service, ServiceStatus

    if not is_active_member(user):
        return Service.objects.none()
    if is_secretariat(user):
        return Service.objects.all()
    if is_provider_member(user):
        return Service.objects.filter(provider_id=user.organisation_id)
    if user.organisation.kind in {
        OrganisationKind.RIGHT_HOLDER,
        OrganisationKind.LEGAL_REPRESENTATIVE,
        OrganisationKind.CUSTOMS,
    }:
        return Service.objects.filter(status=ServiceStatus.APPROVED, provider__is_active=True)
    return Service.objects.none()


def may_register_service(user, provider: Organisation) -> bool:
    """A provider's administrators register its services (the secretariat's administrators may on its behalf)."""
    if provider.kind != OrganisationKind.SERVICE_PROVIDER or not provider.is_active:
        return False
    return is_secretariat_admin(user) or (
        is_provider_member(user) and is_org_admin(user) and user.organisation == provider
    )


def manageable_services(user):
    """Services whose description, reach and coverage the user changes: its provider's administrators', and the
    secretariat's administrators'."""
    from ipm.connected.models import Service

    if is_secretariat_admin(user):
        return Service.objects.all()
    if is_provider_member(user) and is_org_admin(user):
        return Service.objects.filter(provider_id=user.organisation_id)
    return Service.objects.none()


def may_approve_services(user) -> bool:
    return is_secretariat_admin(user)


def may_hold_service_secret(user, service) -> bool:
    """The shared secret is shown to the provider's administrators only: not to the secretariat, which approves the
    service but must never be able to answer in the provider's name."""
    return is_provider_member(user) and is_org_admin(user) and service.provider_id == user.organisation_id


def linkable_services(user):
    """Services a right holder may put its brands and products under: approved ones."""
    from ipm.connected.models import ServiceStatus

    if not link_right_holders(user).exists():
        return visible_services(None)
    return visible_services(user).filter(status=ServiceStatus.APPROVED)


def link_right_holders(user) -> QuerySet[Organisation]:
    """Right holders whose brands and products the user puts under a service: the right holder's editors and admins
    and its mandated representatives'. The secretariat approves providers and does not choose them for a brand."""
    if is_secretariat(user):
        return Organisation.objects.none()
    return catalogue_right_holders(user)


def may_link_services(user, right_holder: Organisation) -> bool:
    return link_right_holders(user).filter(pk=right_holder.pk).exists()


def visible_service_links(user):
    """The secretariat sees every link; a right holder's people and representatives its links; a provider's people
    the links to its services (the API and pages show them the brand and product names only)."""
    from ipm.connected.models import ServiceLink

    if not is_active_member(user):
        return ServiceLink.objects.none()
    if is_secretariat(user):
        return ServiceLink.objects.all()
    if is_provider_member(user):
        return ServiceLink.objects.filter(service__provider_id=user.organisation_id)
    return ServiceLink.objects.filter(right_holder_id__in=_catalogue_authors(user) or [])


def editable_service_links(user):
    from ipm.connected.models import ServiceLink

    return ServiceLink.objects.filter(right_holder__in=link_right_holders(user))


def visible_verifications(user):
    """Recorded verifications the user reads. For a right holder (and its representatives) the rows come without
    who asked: ``verification_shows_officer`` tells the API and pages to drop the officer's identity."""
    from ipm.connected.models import Verification

    if not is_active_member(user):
        return Verification.objects.none()
    if is_secretariat(user):
        return Verification.objects.all()
    if is_officer(user):
        if user.role == Role.ADMIN:
            return Verification.objects.filter(country=user.organisation.country.code)
        return Verification.objects.filter(user=user)
    authors = _catalogue_authors(user)
    if authors:
        return Verification.objects.filter(right_holder_id__in=authors)
    return Verification.objects.none()


def verification_shows_officer(user) -> bool:
    """Whether the user may learn which officer (person, organisation) asked: the secretariat and customs only."""
    return is_secretariat(user) or is_officer(user)


def figures_verifications(user, service):
    """The verifications behind a service's aggregate figures: its provider's people and the secretariat."""
    from ipm.connected.models import Verification

    if is_secretariat(user) or (is_provider_member(user) and service.provider_id == user.organisation_id):
        return Verification.objects.filter(service_id=service.pk)
    return Verification.objects.none()


def provider_verification_figures(user, service, *, days: int = 30) -> dict:
    """Counts of a service's verifications by outcome, country and day (the last ``days`` days): what a provider
    learns about its own service. Never a row, never who asked."""
    from datetime import timedelta

    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    rows = figures_verifications(user, service).filter(created_at__gte=timezone.now() - timedelta(days=days))
    by_outcome = dict(rows.order_by().values_list("outcome").annotate(n=Count("pk")))
    by_country = dict(rows.order_by().values_list("country").annotate(n=Count("pk")))
    by_day = [
        {"day": day.isoformat(), "count": count}
        for day, count in rows.order_by()
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    ]
    return {
        "days": days,
        "total": sum(by_outcome.values()),
        "by_outcome": by_outcome,
        "by_country": by_country,
        "by_day": by_day,
    }


# --- Connected: verifying scanned items (the officer's flow) ----------------------------------------------------


def may_verify_scans(user) -> bool:
    """Who may ask a Connected service about an item in hand: customs officers (any member of an administration)
    and the secretariat. Right holders and their representatives look codes up but do not ask providers: a
    verification is a sighting of the item for the provider, and only an inspection should make one."""
    return is_officer(user) or is_secretariat(user)


def verifiable_scan_logs(user):
    """The scans ``user`` may start a verification for: their own, when they may verify at all."""
    from ipm.scans.models import ScanLog

    if not may_verify_scans(user):
        return ScanLog.objects.none()
    return ScanLog.objects.filter(user=user)


# --- EPCIS: track-and-trace events (capture and reading) --------------------------------------------------------
# A right holder tells IPM the history of its serialised items; the history checks of a scan rely on it, so only
# those who speak for the owner of a GTIN may capture events about it. Events and capture jobs are read by the
# capturer's organisation, by the right holder they concern (its members and mandated representatives) and by the
# secretariat; officers never read events, only the findings of a scan's history check.


def epcis_capturable_gtin_owners(user) -> QuerySet[Organisation]:
    """Right holders about whose GTINs (those of their sheets and of their GS1 company prefixes) the user may
    capture EPCIS events: as for authoring the catalogue, the right holder's editors and admins, its mandated
    representatives' and the secretariat's (any right holder); viewers never.

    Service providers never speak for a whole right holder: they get product by product what right holders
    linked to their services (``epcis_capturable_provider_gtins``)."""
    if not is_active_member(user) or user.organisation.kind == OrganisationKind.SERVICE_PROVIDER:
        return Organisation.objects.none()
    return catalogue_right_holders(user)


def epcis_capturable_provider_gtins(user) -> set[str]:
    """GTIN-14s of the products right holders linked to the user's services, about which a service provider may
    capture EPCIS events (the owner's other products stay out of reach): its editors and admins, for the products
    (and the brands' products) linked to its approved services by active links."""
    from ipm.catalog.models import IdentifierKind, ProductIdentifier
    from ipm.connected.models import ServiceLink, ServiceStatus

    if not is_provider_member(user) or user.role == Role.VIEWER:
        return set()
    links = ServiceLink.objects.filter(
        active=True, service__provider_id=user.organisation_id, service__status=ServiceStatus.APPROVED
    )
    linked = Q(product__in=links.filter(product__isnull=False).values("product_id")) | Q(
        product__brand__in=links.filter(brand__isnull=False).values("brand_id")
    )
    return set(ProductIdentifier.objects.filter(linked, kind=IdentifierKind.GTIN).values_list("value", flat=True))


def may_capture_epcis(user) -> bool:
    """Whether the user may send EPCIS documents at all (each event is then checked against its GTINs' owners)."""
    if not is_active_member(user) or user.role == Role.VIEWER:
        return False
    if is_secretariat(user):
        return True
    return epcis_capturable_gtin_owners(user).exists() or bool(epcis_capturable_provider_gtins(user))


def may_capture_epcis_for_unclaimed_gtins(user) -> bool:
    """Events about GTINs that no right holder in IPM claims (no sheet, no company prefix): the secretariat's
    editors and admins only (e.g. to load a standard's example documents); a right holder may speak only for its
    own GTINs."""
    return is_secretariat(user) and user.role != Role.VIEWER


def visible_epcis_capture_jobs(user):
    """Capture jobs: the capturer's organisation, the right holders their stored events concern, the secretariat."""
    from ipm.epcis.models import CaptureJob, EpcisEvent

    if not is_active_member(user):
        return CaptureJob.objects.none()
    if is_secretariat(user):
        return CaptureJob.objects.all()
    concerned = EpcisEvent.objects.filter(job=OuterRef("pk"), right_holder__in=readable_catalogues(user))
    return CaptureJob.objects.filter(Q(organisation_id=user.organisation_id) | Exists(concerned))


def visible_epcis_events(user):
    """Events: the capturer's organisation, the right holder concerned (members, mandated representatives), the
    secretariat."""
    from ipm.epcis.models import EpcisEvent

    if not is_active_member(user):
        return EpcisEvent.objects.none()
    if is_secretariat(user):
        return EpcisEvent.objects.all()
    return EpcisEvent.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(right_holder__in=readable_catalogues(user))
    )
