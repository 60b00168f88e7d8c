"""Reminders that keep product sheets current.

Officers see on every sheet when its right holder last confirmed it (``Product.last_reviewed_at``). Once a published
sheet has gone ``IPM_REVIEW_REMINDER_MONTHS`` months (default 12) without a review, the right holder's admins and
editors get one email listing every such sheet, each in the recipient's language, with a link to the sheet where
"Mark as reviewed" is. A right holder is reminded at most once every ``REMINDER_INTERVAL`` (a week) for as long as
sheets stay stale, however often the job runs.

Django's tasks have no scheduler, so ``ipm remind_stale_sheets`` (cron, a systemd timer, a Kubernetes CronJob…)
runs ``send_stale_sheet_reminders`` once a day, or enqueues the ``remind_stale_sheets`` task for the worker.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipm.accounts.models import Organisation, OrganisationKind, Role, User
from ipm.catalog.forms import CatalogueFilterForm
from ipm.catalog.models import Product, ProductStatus, StaleSheetReminder
from ipm.catalog.presentation import list_name
from ipm.catalog.services import review_cutoff, review_months
from ipm.notifications.services import queue_email

REMINDER_INTERVAL = timedelta(days=7)


def stale_sheets(now: datetime | None = None):
    return Product.objects.filter(status=ProductStatus.PUBLISHED, last_reviewed_at__lt=review_cutoff(now))


def sheet_link(product: Product) -> str:
    """An absolute link to the sheet's page for its right holder (mail has no request to build it from)."""
    base = getattr(settings, "IPM_BASE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + reverse("catalog:sheet_edit", args=[product.pk])


@dataclass(frozen=True)
class Reminder:
    right_holder: Organisation
    recipients: list[str]
    sheets: list[Product]


def send_stale_sheet_reminders(now: datetime | None = None) -> list[Reminder]:
    """Email every active right holder that has stale published sheets and was not reminded in the last week.

    ``now`` is the moment the job runs (tests pass their own clock). Each right holder is handled in its own
    transaction, so one failure does not cancel the others' reminders; mail is queued in that transaction, so a
    reminder is either recorded and queued, or neither."""
    now = now or timezone.now()
    stale = stale_sheets(now)
    holders = Organisation.objects.filter(
        kind=OrganisationKind.RIGHT_HOLDER, is_active=True, pk__in=stale.values("brand__right_holder_id")
    ).order_by("pk")
    sent = []
    for holder in holders:
        reminder = _remind(holder, stale, now)
        if reminder is not None:
            sent.append(reminder)
    return sent


@transaction.atomic
def _remind(holder: Organisation, stale, now: datetime) -> Reminder | None:
    state, _created = StaleSheetReminder.objects.select_for_update().get_or_create(right_holder=holder)
    if state.last_sent_at is not None and now - state.last_sent_at < REMINDER_INTERVAL:
        return None
    sheets = list(
        stale.filter(brand__right_holder=holder)
        .select_related("brand")
        .prefetch_related("translations")
        .order_by("last_reviewed_at", "pk")
    )
    recipients = list(
        User.objects.filter(organisation=holder, is_active=True, role__in=[Role.ADMIN, Role.EDITOR]).order_by("pk")
    )
    if not sheets or not recipients:
        return None
    for user in recipients:
        _queue_reminder(user, holder, sheets, now)
    state.last_sent_at = now
    state.sheet_count = len(sheets)
    state.save(update_fields=["last_sent_at", "sheet_count"])
    return Reminder(holder, [user.email for user in recipients], sheets)


def _queue_reminder(user: User, holder: Organisation, sheets: list[Product], now: datetime) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        items = [
            {
                "name": list_name(product, language).name,
                "brand": product.brand.name,
                "reviewed_at": product.last_reviewed_at,
                "link": sheet_link(product),
            }
            for product in sheets
        ]
        count = len(sheets)
        subject = ngettext(
            "%(count)d product sheet of %(organisation)s needs a review",
            "%(count)d product sheets of %(organisation)s need a review",
            count,
        ) % {"count": count, "organisation": holder.name}
        body = render_to_string(
            "catalog/email/stale_sheets.txt",
            {
                "user": user,
                "organisation": holder,
                "sheets": items,
                "count": count,
                "months": review_months(),
                "interval_days": REMINDER_INTERVAL.days,
                "catalogue_link": _catalogue_link(holder),
                "now": now,
            },
        )
    queue_email([user.email], subject, body)


def _catalogue_link(holder: Organisation) -> str:
    base = getattr(settings, "IPM_BASE_URL", "") or "http://127.0.0.1:8000"
    return f"{base.rstrip('/')}{reverse('catalog:catalogue', args=[holder.pk])}?status={CatalogueFilterForm.STALE}"


def describe(reminders: list[Reminder]) -> str:
    """One line for the command's output (the operator's language: the active one)."""
    if not reminders:
        return _("No reminder was due.")
    return ngettext(
        "Reminded %(count)d right holder about stale product sheets.",
        "Reminded %(count)d right holders about stale product sheets.",
        len(reminders),
    ) % {"count": len(reminders)}
