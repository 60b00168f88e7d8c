"""Sign-in events and Django admin actions feed the audit log."""

import functools

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.admin.models import LogEntry, LogEntryManager
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from ipm.audit.models import AuditAction
from ipm.audit.services import record, record_sign_in_failure


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    record(AuditAction.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    record_sign_in_failure(credentials.get("email") or credentials.get("username") or "", request=request)


@receiver(mfa_authentication_failed)
def on_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    record_sign_in_failure(
        user.email,
        request=request,
        stage="reauthentication" if reauthentication else "two_factor",
        kind=authenticator.type,
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
    if created:
        _record_admin_action(instance)


def _record_admin_action(entry: LogEntry) -> None:
    record(
        AuditAction.ADMIN_ACTION,
        actor=entry.user,
        organisation=None,
        kind=entry.get_action_flag_display() if hasattr(entry, "get_action_flag_display") else "",
        flag=entry.action_flag,
        object_type=str(entry.content_type) if entry.content_type_id else "",
        object_id=str(entry.object_id or ""),
        object=entry.object_repr,
        change=entry.get_change_message(),
    )


def _audit_bulk_log_entries(log_actions):
    """Django's admin writes the log entries of an action on several objects at once ("delete selected") with
    ``bulk_create``, which sends no ``post_save``; those entries are recorded here, one event per object."""

    @functools.wraps(log_actions)
    def wrapped(self, user_id, queryset, action_flag, change_message="", *, single_object=False):
        entries = log_actions(self, user_id, queryset, action_flag, change_message, single_object=single_object)
        # One entry is saved (post_save covers it); several go through bulk_create. (A manager that still overrides
        # the deprecated log_action saves each entry itself.)
        bulk = not single_object and len(entries) > 1 and type(self).log_action is LogEntryManager.log_action
        if bulk:
            for entry in entries:
                _record_admin_action(entry)
        return entries

    wrapped.ipm_audited = True
    return wrapped


if not getattr(LogEntryManager.log_actions, "ipm_audited", False):
    LogEntryManager.log_actions = _audit_bulk_log_entries(LogEntryManager.log_actions)
