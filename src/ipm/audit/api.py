from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from ipm.access import policy
from ipm.api.common import Pagination, require_two_factor
from ipm.audit.models import AuditAction

router = Router(tags=["Audit log"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    action: AuditAction
    actor_email: str
    organisation_id: int | None
    target_type: str
    target_id: str
    target_repr: str
    ip_address: str | None
    details: dict


@router.get("/audit-events", response=list[AuditEventOut], summary="Audit log (secretariat; admins: own organisation)")
@paginate(Pagination)
def list_audit_events(request, action: AuditAction | None = None, since: datetime | None = None):
    require_two_factor(request)
    if not policy.may_read_audit_log(request.user):
        raise PermissionDenied
    events = policy.visible_audit_events(request.user)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(occurred_at__gte=since)
    return events
