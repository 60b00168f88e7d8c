"""Domain actions for organisations and people. Every write to accounts data goes through a function here.

Each action checks the access policy first and raises ``PermissionDenied`` when the actor may not act, or
``ValidationError`` (with a translated message) when the input is wrong; either way nothing is written.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import (
    ApiScope,
    ApiToken,
    Invitation,
    Mandate,
    Organisation,
    OrganisationKind,
    Role,
    User,
    role_label,
)
from ipm.accounts.token_lookup import usable_token_with_owner
from ipm.audit.models import AuditAction
from ipm.audit.services import record
from ipm.notifications.services import queue_email

KINDS_WITH_MANDATORY_TWO_FACTOR = {OrganisationKind.SECRETARIAT, OrganisationKind.CUSTOMS}


def sync_platform_flags(user: User) -> None:
    """Secretariat admins are the only staff: they get Django's admin site, nobody else does."""
    is_platform_admin = user.organisation.kind == OrganisationKind.SECRETARIAT and user.role == Role.ADMIN
    user.is_staff = user.is_superuser = is_platform_admin


# --- Organisations ----------------------------------------------------------------------------------------------


@transaction.atomic
def onboard_organisation(
    actor: User,
    *,
    name: str,
    kind: str,
    country: str = "",
    email: str = "",
    website: str = "",
    require_two_factor: bool | None = None,
    first_admin_email: str = "",
    base_url: str = "",
    request=None,
) -> tuple[Organisation, Invitation | None]:
    """The secretariat brings a new organisation onto the platform and, optionally, invites its first admin."""
    if not policy.may_onboard_organisations(actor):
        raise PermissionDenied
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Unknown kind of organisation.")})
    if kind == OrganisationKind.CUSTOMS:
        if not country:
            raise ValidationError({"country": _("A customs administration must have a country.")})
        if Organisation.objects.filter(kind=OrganisationKind.CUSTOMS, country=country).exists():
            raise ValidationError({"country": _("This country already has a customs administration in IPM.")})
    if require_two_factor is None:
        require_two_factor = kind in KINDS_WITH_MANDATORY_TWO_FACTOR
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        country=country,
        email=email,
        website=website,
        require_two_factor=require_two_factor,
    )
    organisation.full_clean()
    organisation.save()
    record(AuditAction.ORGANISATION_ONBOARDED, actor=actor, target=organisation, request=request, kind=kind)
    invitation = None
    if first_admin_email:
        invitation, _token = invite_user(
            actor, organisation, email=first_admin_email, role=Role.ADMIN, base_url=base_url, request=request
        )
    return organisation, invitation


@transaction.atomic
def update_organisation(actor: User, organisation: Organisation, *, request=None, **changes) -> Organisation:
    """Change an organisation's contact details or its two-factor requirement."""
    if not policy.manageable_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    allowed = {"name", "email", "website", "require_two_factor"}
    if set(changes) - allowed:
        raise ValidationError(_("These settings cannot be changed here."))
    if (
        "require_two_factor" in changes
        and changes["require_two_factor"] != organisation.require_two_factor
        and not policy.may_set_two_factor_requirement(actor, organisation, changes["require_two_factor"])
    ):
        raise PermissionDenied(_("Only the secretariat can lift the two-factor requirement here."))
    before = {field: getattr(organisation, field) for field in changes}
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    organisation.save()
    changed = {f: [before[f], getattr(organisation, f)] for f in changes if before[f] != getattr(organisation, f)}
    if changed:
        record(
            AuditAction.ORGANISATION_UPDATED,
            actor=actor,
            target=organisation,
            request=request,
            changed=changed,
        )
    return organisation


@transaction.atomic
def set_organisation_active(actor: User, organisation: Organisation, active: bool, *, request=None) -> None:
    """Suspending an organisation signs all its members out at their next request (see the middleware)."""
    if not policy.may_change_organisation_status(actor, organisation):
        raise PermissionDenied
    if organisation.is_active == active:
        return
    organisation.is_active = active
    organisation.save(update_fields=["is_active"])
    action = AuditAction.ORGANISATION_REACTIVATED if active else AuditAction.ORGANISATION_SUSPENDED
    record(action, actor=actor, target=organisation, request=request)


# --- Invitations ------------------------------------------------------------------------------------------------


def _queue_invitation_mail(invitation: Invitation, token: str, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("accept_invitation", args=[token])
    inviter_language = invitation.invited_by.language if invitation.invited_by else ""
    with translation.override(inviter_language or translation.get_language() or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "link": link,
            "valid_days": settings.INVITATION_VALID_DAYS,
            "role": role_label(invitation.role, invitation.organisation.kind),
        }
        subject = _("You are invited to join %(organisation)s on IPM") % {"organisation": invitation.organisation.name}
        body = render_to_string("accounts/email/invitation.txt", context)
    queue_email([invitation.email], subject, body)


@transaction.atomic
def invite_user(
    actor: User, organisation: Organisation, *, email: str, role: str, base_url: str, request=None
) -> tuple[Invitation, str]:
    """Invite a person by email. A new invitation to the same address replaces any pending one.

    Returns the invitation and the clear token (only its hash is stored)."""
    if not policy.may_invite(actor, organisation):
        raise PermissionDenied
    email = (email or "").strip().lower()
    if role not in policy.assignable_roles(actor, organisation):
        raise ValidationError({"role": _("This role cannot be given here.")})
    _validate_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).update(
        revoked_at=timezone.now()
    )
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(AuditAction.INVITATION_SENT, actor=actor, target=invitation, request=request, email=email, role=role)
    _queue_invitation_mail(invitation, token, base_url)
    return invitation, token


def _validate_email(email: str) -> None:
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error


def find_invitation(token: str) -> Invitation:
    """The invitation for a token, or a ValidationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=Invitation.hash_token(token or "")).first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid. Ask your administrator for a new one."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used. Sign in with your account instead."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn. Ask your administrator for a new one."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask your administrator for a new one."))
    if not invitation.organisation.is_active:
        raise ValidationError(_("This organisation is not active on IPM."))
    return invitation


def accept_invitation(token: str, *, full_name: str, password: str, language: str = "", request=None) -> User:
    """Create the invited person's account. The invitation is consumed in the same transaction, so a link
    used twice at once still makes one account."""
    with transaction.atomic():
        invitation = find_invitation(token)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used. Sign in with your account instead."))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("A user with this email address already exists."))
        user = User(
            email=invitation.email,
            full_name=full_name.strip(),
            organisation=invitation.organisation,
            role=invitation.role,
            language=language if language in dict(settings.LANGUAGES) else "",
        )
        validate_password(password, user)
        user.set_password(password)
        sync_platform_flags(user)
        try:
            user.save()
        except IntegrityError as error:
            raise ValidationError(_("A user with this email address already exists.")) from error
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        record(AuditAction.INVITATION_ACCEPTED, actor=user, target=user, request=request)
    return user


@transaction.atomic
def revoke_invitation(actor: User, invitation: Invitation, *, request=None) -> None:
    if not policy.manageable_invitations(actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    if not invitation.is_pending:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        AuditAction.INVITATION_REVOKED,
        actor=actor,
        target=invitation,
        request=request,
        email=invitation.email,
    )


# --- Members ----------------------------------------------------------------------------------------------------


def _require_manageable(actor: User, member: User) -> None:
    if not policy.manageable_users(actor).filter(pk=member.pk).exists():
        raise PermissionDenied


@transaction.atomic
def change_role(actor: User, member: User, role: str, *, request=None) -> User:
    _require_manageable(actor, member)
    if role not in policy.assignable_roles(actor, member.organisation):
        raise ValidationError({"role": _("This role cannot be given here.")})
    if member.role == role:
        return member
    previous = member.role
    member.role = role
    sync_platform_flags(member)
    member.save(update_fields=["role", "is_staff", "is_superuser"])
    record(AuditAction.ROLE_CHANGED, actor=actor, target=member, request=request, before=previous, after=role)
    return member


@transaction.atomic
def set_user_active(actor: User, member: User, active: bool, *, request=None) -> User:
    """Deactivating keeps the account and its history; its sessions and tokens stop working at once."""
    _require_manageable(actor, member)
    if member.is_active == active:
        return member
    member.is_active = active
    member.save(update_fields=["is_active"])
    if not active:
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=member):
            session.end()
    record(
        AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED,
        actor=actor,
        target=member,
        request=request,
    )
    return member


@transaction.atomic
def update_preferences(user: User, *, full_name=None, language=None, time_zone=None) -> User:
    from zoneinfo import available_timezones

    if language is not None and language not in {"", *dict(settings.LANGUAGES)}:
        raise ValidationError({"language": _("Unknown language.")})
    if time_zone is not None and time_zone not in {"", *available_timezones()}:
        raise ValidationError({"time_zone": _("Unknown time zone.")})
    for field, value in {"full_name": full_name, "language": language, "time_zone": time_zone}.items():
        if value is not None:
            setattr(user, field, value.strip())
    user.save(update_fields=["full_name", "language", "time_zone"])
    return user


# --- Mandates ---------------------------------------------------------------------------------------------------


@transaction.atomic
def grant_mandate(actor: User, right_holder: Organisation, representative: Organisation, *, request=None):
    if not policy.may_grant_mandate(actor, right_holder):
        raise PermissionDenied
    if representative.kind != OrganisationKind.LEGAL_REPRESENTATIVE or not representative.is_active:
        raise ValidationError({"representative": _("Choose an active legal representative.")})
    existing = Mandate.objects.filter(
        right_holder=right_holder, representative=representative, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    mandate = Mandate.objects.create(right_holder=right_holder, representative=representative)
    record(AuditAction.MANDATE_GRANTED, actor=actor, organisation=right_holder, target=mandate, request=request)
    return mandate


@transaction.atomic
def revoke_mandate(actor: User, mandate: Mandate, *, request=None) -> None:
    if not policy.may_grant_mandate(actor, mandate.right_holder):
        raise PermissionDenied
    if mandate.revoked_at is not None:
        return
    mandate.revoked_at = timezone.now()
    mandate.save(update_fields=["revoked_at"])
    record(
        AuditAction.MANDATE_REVOKED,
        actor=actor,
        organisation=mandate.right_holder,
        target=mandate,
        request=request,
    )


# --- API tokens -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(
    user: User, *, name: str, scope: str = ApiScope.READ, expires_in_days: int | None = None, request=None
) -> tuple[ApiToken, str]:
    """Returns the token row and the clear key, which is shown to the user once and never stored."""
    if not policy.is_active_member(user):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you recognise it later.")})
    if scope not in ApiScope.values:
        raise ValidationError({"scope": _("Unknown scope.")})
    if expires_in_days is not None and not (1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS):
        raise ValidationError(
            {"expires_in_days": _("A token may last from 1 to %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}}
        )
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        scope=scope,
        key_hash=ApiToken.hash_key(key),
        hint=key[: len(ApiToken.PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    record(AuditAction.API_TOKEN_CREATED, actor=user, target=token, request=request, scope=scope)
    return token, key


@transaction.atomic
def revoke_api_token(user: User, token: ApiToken, *, request=None) -> None:
    if not policy.own_api_tokens(user).filter(pk=token.pk).exists():
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(AuditAction.API_TOKEN_REVOKED, actor=user, target=token, request=request)


def authenticate_api_key(key: str) -> ApiToken | None:
    """The usable token for a clear key, with its user, or None. Marks the token as used (at most once a
    minute, so a busy integration does not write on every call)."""
    if not key or not key.startswith(ApiToken.PREFIX) or len(key) > 100:
        return None
    token = usable_token_with_owner(ApiToken.hash_key(key))  # every API call: kept lean, see token_lookup
    if token is None or not token.user.is_active or not token.user.organisation.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
