"""Sign-in events and Django admin actions feed the audit log."""

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from ipm.audit.models import AuditAction
from ipm.audit.services import record


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    record(AuditAction.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = (credentials.get("email") or credentials.get("username") or "")[:254]
    known = get_user_model().objects.filter(email__iexact=email).select_related("organisation").first()
    record(
        AuditAction.SIGN_IN_FAILED,
        actor_email=email,
        organisation=known.organisation if known else None,
        target=known,
        request=request,
    )


@receiver(password_changed)
def on_password_changed(sender, request, user, **kwargs):
    record(AuditAction.PASSWORD_CHANGED, actor=user, target=user, request=request)


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    record(AuditAction.PASSWORD_RESET, actor_email=user.email, target=user, request=request)


@receiver(authenticator_added)
def on_second_factor_added(sender, request, user, authenticator, **kwargs):
    record(AuditAction.TWO_FACTOR_ENABLED, actor=user, target=user, request=request, kind=authenticator.type)


@receiver(authenticator_removed)
def on_second_factor_removed(sender, request, user, authenticator, **kwargs):
    record(AuditAction.TWO_FACTOR_DISABLED, actor=user, target=user, request=request, kind=authenticator.type)


@receiver(post_save, sender=LogEntry)
def on_admin_action(sender, instance: LogEntry, created, **kwargs):
    if not created:
        return
    record(
        AuditAction.ADMIN_ACTION,
        actor=instance.user,
        organisation=None,
        kind=instance.get_action_flag_display() if hasattr(instance, "get_action_flag_display") else "",
        flag=instance.action_flag,
        object_type=str(instance.content_type) if instance.content_type_id else "",
        object_id=instance.object_id or "",
        object=instance.object_repr,
        change=instance.get_change_message(),
    )
