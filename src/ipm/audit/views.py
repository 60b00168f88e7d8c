from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.audit.models import AuditAction

PAGE_SIZE = 50


def _day_bound(value: str, end: bool):
    try:
        day = parse_date(value) if value else None
    except ValueError:  # well formed but impossible, like 2024-13-45
        day = None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@login_required
def audit_log(request):
    if not policy.may_read_audit_log(request.user):
        raise PermissionDenied
    events = policy.visible_audit_events(request.user).select_related("actor", "organisation")
    filters = {key: request.GET.get(key, "").strip() for key in ("action", "who", "organisation", "since", "until")}
    errors = []
    if filters["action"] in AuditAction.values:
        events = events.filter(action=filters["action"])
    if filters["who"]:
        events = events.filter(actor_email__icontains=filters["who"])
    if filters["organisation"].isdigit() and policy.is_secretariat(request.user):
        events = events.filter(organisation_id=int(filters["organisation"]))
    for key, end in (("since", False), ("until", True)):
        if filters[key]:
            bound = _day_bound(filters[key], end)
            if bound is None:
                errors.append(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": filters[key]})
            else:
                events = events.filter(**{"occurred_at__lte" if end else "occurred_at__gte": bound})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "actions": AuditAction.choices,
            "organisations": policy.visible_organisations(request.user) if policy.is_secretariat(request.user) else [],
            "query": query.urlencode(),
        },
    )
