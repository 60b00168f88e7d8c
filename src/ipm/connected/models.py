"""IPM Connected: the authentication and track-and-trace services that secure products, and what they answered.

A service provider (an ``accounts.Organisation`` of kind service provider) registers services; the secretariat
approves them. A service only *claims* what it can cover (``ServiceCoverage``); it secures a product only when the
product's right holder links the product or its brand to it (``ServiceLink``) — a service never claims a product on
its own. Every call IPM makes is recorded as a ``Verification``. Who sees what is decided in
``ipm.access.policy``; every write goes through ``connected.services``.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipm.accounts.models import Organisation

PUBLIC_ID_PREFIX = "svc_"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
MAX_TIMEOUT_MS = 10_000


def new_public_id() -> str:
    """``svc_`` and 10 random base32 characters: the ``service`` member of protocol requests, safe to show."""
    return PUBLIC_ID_PREFIX + "".join(secrets.choice(_BASE32) for _ in range(10))


class ServiceStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    REJECTED = "rejected", _("Rejected")


class Reach(models.TextChoices):
    VERIFICATION_API = "verification_api", _("Verification API")
    APP_LAUNCH = "app_launch", _("App launch")
    DIGITAL_LINK = "digital_link", _("GS1 Digital Link")


class Service(models.Model):
    public_id = models.CharField(_("service id"), max_length=20, unique=True, default=new_public_id, editable=False)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="connected_services",
        limit_choices_to={"kind": "service_provider"},
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    reach = models.CharField(_("reached by"), max_length=20, choices=Reach.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    verification_url = models.URLField(_("verification URL"), blank=True)
    app_link_template = models.CharField(
        _("app link template"),
        max_length=500,
        blank=True,
        help_text=_("Placeholders: {code} {gtin} {serial} {lot} {expiry} {digital_link} {country}"),
    )
    link_hosts = models.CharField(
        _("Digital Link hosts"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated hosts its gs1:verificationService links live on"),
    )
    timeout_ms = models.PositiveIntegerField(
        _("time-out (ms)"), default=3000, validators=[MinValueValidator(100), MaxValueValidator(MAX_TIMEOUT_MS)]
    )
    protocol_version = models.PositiveSmallIntegerField(_("protocol version"), default=1)
    # The shared secret (base64url): IPM must hold it in clear to sign requests. Shown once to the provider.
    secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True, editable=False)
    # When the provider's administrators were shown the current secret: it is shown once, never again.
    secret_shown_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Connected service")
        verbose_name_plural = _("Connected services")

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == ServiceStatus.APPROVED

    def secrets_accepted(self, now=None) -> list[str]:
        """The secrets a signature may be made with: the current one, and the previous one while it is valid."""
        now = now or timezone.now()
        accepted = [self.secret] if self.secret else []
        if self.previous_secret and self.previous_secret_valid_until and self.previous_secret_valid_until > now:
            accepted.append(self.previous_secret)
        return accepted

    @property
    def link_host_list(self) -> list[str]:
        return [h.strip().lower() for h in (self.link_hosts or "").split(",") if h.strip()]


class CoverageKind(models.TextChoices):
    COMPANY_PREFIX = "company_prefix", _("GS1 company prefix")
    GTIN = "gtin", _("GTIN")
    BRAND = "brand", _("Brand")
    URL_PATTERN = "url_pattern", _("URL pattern")
    CODE_FORMAT = "code_format", _("Code format")


class ServiceCoverage(models.Model):
    """What a provider declares its service can cover. A claim, not a right: it counts only with a right holder's
    link, and a prefix or GTIN claim only where the linking right holder owns that prefix or product."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coverage")
    kind = models.CharField(_("kind"), max_length=16, choices=CoverageKind.choices)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        constraints = [models.UniqueConstraint(fields=["service", "kind", "value"], name="unique_service_coverage")]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


class ServiceLink(models.Model):
    """A right holder puts one of its brands or products under a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="links")
    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="connected_links")
    brand = models.ForeignKey(
        "catalog.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="connected_links"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="connected_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("linked"), default=timezone.now)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service link")
        verbose_name_plural = _("service links")
        constraints = [
            models.CheckConstraint(
                condition=(Q(brand__isnull=False) & Q(product__isnull=True))
                | (Q(brand__isnull=True) & Q(product__isnull=False)),
                name="service_link_brand_xor_product",
            ),
            models.UniqueConstraint(
                fields=["service", "brand"], condition=Q(brand__isnull=False), name="unique_service_brand_link"
            ),
            models.UniqueConstraint(
                fields=["service", "product"], condition=Q(product__isnull=False), name="unique_service_product_link"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "active"], name="connected_link_product"),
            models.Index(fields=["brand", "active"], name="connected_link_brand"),
        ]

    def __str__(self):
        return f"{self.service_id} ← {self.brand_id or ''}{self.product_id or ''}"


class VerificationOutcome(models.TextChoices):
    AUTHENTIC = "authentic", _("Authentic")
    COUNTERFEIT = "counterfeit", _("Counterfeit")
    SUSPECT = "suspect", _("Suspect")
    UNKNOWN = "unknown", _("Unknown to the provider")
    UNAVAILABLE = "unavailable", _("Service unavailable")
    LAUNCHED = "launched", _("Provider app opened")


class Verification(models.Model):
    """One question IPM asked a service about an item in hand, and its answer (or the fault)."""

    request_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="verifications")
    reach = models.CharField(_("reached by"), max_length=20, choices=Reach.choices)
    scan = models.ForeignKey(
        "scans.ScanLog", on_delete=models.SET_NULL, null=True, blank=True, related_name="verifications"
    )
    # The officer: never sent to the provider, never shown to providers or right holders.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="connected_verifications"
    )
    country = models.CharField(_("country"), max_length=2)
    location_unlocode = models.CharField(_("location (UN/LOCODE)"), max_length=5, blank=True)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="connected_verifications"
    )
    brand = models.ForeignKey(
        "catalog.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="connected_verifications"
    )
    right_holder = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="connected_verifications_held"
    )
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    serial = models.CharField(_("serial number"), max_length=20, blank=True)
    lot = models.CharField(_("batch/lot"), max_length=20, blank=True)
    request_body = models.JSONField(default=dict, blank=True)  # exactly what was sent (no identity in it)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VerificationOutcome.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    message_language = models.CharField(max_length=16, blank=True)
    evidence_url = models.URLField(_("evidence"), blank=True, max_length=500)
    # timeout, refused, http_status, malformed, signature, request_id, verdict, circuit_open
    fault = models.CharField(_("fault"), max_length=40, blank=True)
    fault_detail = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    history = models.JSONField(default=dict, blank=True)  # the EPCIS/scan-log HistoryReport as JSON
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        indexes = [
            models.Index(fields=["service", "created_at"], name="connected_verif_service"),
            models.Index(fields=["right_holder", "created_at"], name="connected_verif_holder"),
            models.Index(fields=["country", "created_at"], name="connected_verif_country"),
        ]

    def __str__(self):
        return f"{self.service_id} {self.outcome} {self.created_at:%Y-%m-%d %H:%M}"
