"""Organisations and the people in them.

Every user belongs to exactly one organisation and holds one role there. Who may see or change what is decided
in ``ipm.access``, never here.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrganisationKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    CUSTOMS = "customs", _("Customs administration")
    RIGHT_HOLDER = "right_holder", _("Right holder")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


def role_label(role: str, kind: str) -> str:
    """The member role is called "officer" in a customs administration and "editor" elsewhere."""
    if role == Role.EDITOR and kind == OrganisationKind.CUSTOMS:
        return str(_("Officer"))
    return str(Role(role).label)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_("ISO 3166-1 alpha-2. Required for a customs administration."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    require_two_factor = models.BooleanField(
        _("two-factor authentication required"),
        default=False,
        help_text=_("Members must set up a second factor before they can use IPM."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(kind="customs"),
                name="one_customs_administration_per_country",
                violation_error_message=_("This country already has a customs administration in IPM."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="customs") | ~Q(country=""),
                name="customs_administration_has_country",
                violation_error_message=_("A customs administration must have a country."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_customs(self):
        return self.kind == OrganisationKind.CUSTOMS

    @property
    def is_secretariat(self):
        return self.kind == OrganisationKind.SECRETARIAT

    @property
    def is_right_holder(self):
        return self.kind == OrganisationKind.RIGHT_HOLDER

    @property
    def is_legal_representative(self):
        return self.kind == OrganisationKind.LEGAL_REPRESENTATIVE

    @property
    def is_service_provider(self):
        return self.kind == OrganisationKind.SERVICE_PROVIDER


class Mandate(models.Model):
    """A right holder's explicit authorisation for a legal representative to act for it."""

    representative = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mandates_held",
        limit_choices_to={"kind": OrganisationKind.LEGAL_REPRESENTATIVE},
        verbose_name=_("legal representative"),
    )
    right_holder = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mandates_given",
        limit_choices_to={"kind": OrganisationKind.RIGHT_HOLDER},
        verbose_name=_("right holder"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "right_holder"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_mandate_per_pair",
            )
        ]

    def __str__(self):
        return f"{self.representative} → {self.right_holder}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """Superusers are secretariat administrators; the secretariat organisation must exist."""
        organisation = (
            fields.pop("organisation", None) or Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).first()
        )
        if organisation is None:
            organisation = Organisation.objects.create(name="IPM Secretariat", kind=OrganisationKind.SECRETARIAT)
        fields.setdefault("role", Role.ADMIN)
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, organisation=organisation, **fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_org_admin(self):
        return self.role == Role.ADMIN

    @property
    def role_label(self):
        return role_label(self.role, self.organisation.kind)


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link that lets a person join an organisation. Only a hash of the token is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_secret(token)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 is kept (it has 256 bits of entropy,
    so a slow hash would add nothing but latency to every API call)."""

    PREFIX = "ipm_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=ApiScope.choices, default=ApiScope.READ)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def hash_key(cls, key: str) -> str:
        return _hash_secret(key)

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def allows_write(self):
        return self.scope == ApiScope.WRITE
