"""The audit log: who did what, to what, when and from where. Rows are only ever added."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor authentication enabled")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor authentication disabled")
    ORGANISATION_ONBOARDED = "organisation_onboarded", _("Organisation onboarded")
    ORGANISATION_UPDATED = "organisation_updated", _("Organisation settings changed")
    ORGANISATION_SUSPENDED = "organisation_suspended", _("Organisation suspended")
    ORGANISATION_REACTIVATED = "organisation_reactivated", _("Organisation re-activated")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User re-activated")
    MANDATE_GRANTED = "mandate_granted", _("Mandate granted")
    MANDATE_REVOKED = "mandate_revoked", _("Mandate revoked")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    ADMIN_ACTION = "admin_action", _("Admin site action")
    RESOLVER_LINK_CREATED = "resolver_link_created", _("Resolver link added")
    RESOLVER_LINK_CHANGED = "resolver_link_changed", _("Resolver link changed")
    RESOLVER_LINK_REMOVED = "resolver_link_removed", _("Resolver link removed")
    # IPM Connected (connected.services)
    CONNECTED_SERVICE_REGISTERED = "connected_service_registered", _("Connected service registered")
    CONNECTED_SERVICE_CHANGED = "connected_service_changed", _("Connected service changed")
    CONNECTED_SERVICE_SUBMITTED = "connected_service_submitted", _("Connected service submitted again")
    CONNECTED_SERVICE_APPROVED = "connected_service_approved", _("Connected service approved")
    CONNECTED_SERVICE_REJECTED = "connected_service_rejected", _("Connected service rejected")
    CONNECTED_SERVICE_SUSPENDED = "connected_service_suspended", _("Connected service suspended")
    CONNECTED_SECRET_ROTATED = "connected_secret_rotated", _("Connected service secret rotated")
    CONNECTED_SECRET_REVEALED = "connected_secret_revealed", _("Connected service secret shown")
    CONNECTED_LINK_CREATED = "connected_link_created", _("Product secured by a Connected service")
    CONNECTED_LINK_REMOVED = "connected_link_removed", _("Connected service link removed")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too, so the log still says who it was after an account is deleted.
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation concerned"),
    )
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.actor_email}"
