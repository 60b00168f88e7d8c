"""Recording audit events. Every domain action that the audit log must show calls ``record``."""

from ipm.audit.models import AuditAction, AuditEvent


def client_address(request) -> str | None:
    """The client's address as seen by the server. Behind a proxy, configure it to set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(action, *, actor=None, organisation=None, target=None, request=None, actor_email="", **details):
    """Append one event. ``organisation`` defaults to the target's organisation, then the actor's."""
    if organisation is None and target is not None:
        organisation = getattr(target, "organisation", None) or (
            target if target.__class__.__name__ == "Organisation" else None
        )
    if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
        organisation = actor.organisation
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=real_actor,
        actor_email=(real_actor.email if real_actor else actor_email)[:254],
        organisation=organisation,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        details=details,
    )


def record_sign_in_failure(email: str, *, request=None, **details):
    """A refused sign-in: wrong password, wrong second-factor code, or too many attempts. The address is kept as
    typed (it may belong to nobody); the organisation is the account's when the address is known."""
    from django.contrib.auth import get_user_model

    email = (email or "")[:254]
    known = (
        get_user_model().objects.filter(email__iexact=email).select_related("organisation").first() if email else None
    )
    return record(
        AuditAction.SIGN_IN_FAILED,
        actor_email=email,
        organisation=known.organisation if known else None,
        target=known,
        request=request,
        **details,
    )
