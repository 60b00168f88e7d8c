"""EPCIS events as IPM keeps them: the event's JSON as captured, the fields history checks filter on in columns of
their own, and an index of the serialised items each event names (GTIN-14 + serial), which is what a scan is
matched against. Who reads them is decided in ``ipm.access.policy`` ("EPCIS" section); every row is written by
``ipm.epcis.services``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipm.accounts.models import Organisation


class CaptureStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCESS = "success", _("Captured")
    FAILED = "failed", _("Refused: see the errors")


class CaptureJob(models.Model):
    """One EPCIS document sent to ``/epcis/capture`` (or one event to ``/epcis/events``). All its events are
    stored or none is: a document with any problem fails whole, its errors kept here."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("captured by (organisation)")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("captured by")
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=CaptureStatus.choices, default=CaptureStatus.RUNNING)
    document_id = models.CharField(_("document id"), max_length=500, blank=True)
    # Kept while the job waits for the background worker, emptied once it has run.
    document = models.JSONField(_("document"), null=True, blank=True)
    event_count = models.PositiveIntegerField(_("events"), default=0)
    stored_count = models.PositiveIntegerField(_("events stored"), default=0)
    duplicate_count = models.PositiveIntegerField(_("events already stored"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"pointer": "/epcisBody/…", "message": …}]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("EPCIS capture")
        verbose_name_plural = _("EPCIS captures")
        indexes = [models.Index(fields=["organisation", "created_at"], name="epcis_job_org_created")]

    def __str__(self):
        return f"{self.pk} {self.status}"


class EpcisEvent(models.Model):
    job = models.ForeignKey(CaptureJob, on_delete=models.CASCADE, related_name="events", verbose_name=_("capture"))
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("captured by (organisation)")
    )
    # The right holder whose GTINs the event names; null for events that name no GTIN known to IPM (captured by
    # the secretariat only).
    right_holder = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="epcis_events",
        verbose_name=_("right holder"),
    )
    # The eventID given by the capturer, or one IPM derives from the event's content (see services.event_id):
    # capturing the same event twice stores it once.
    event_id = models.CharField(_("event ID"), max_length=500, unique=True)
    event_type = models.CharField(_("type"), max_length=24)
    action = models.CharField(_("action"), max_length=8, blank=True)
    biz_step = models.CharField(_("business step"), max_length=200, blank=True)
    disposition = models.CharField(_("disposition"), max_length=200, blank=True)
    event_time = models.DateTimeField(_("event time"))
    event_time_zone_offset = models.CharField(_("time zone offset"), max_length=6)
    read_point = models.CharField(_("read point"), max_length=500, blank=True)
    biz_location = models.CharField(_("business location"), max_length=500, blank=True)
    # Where the event happened, when the document says so (CBV master data "countryCode" of its read point or
    # business location, or the "ipm:country" extension); ISO 3166-1 alpha-2.
    country = models.CharField(_("country"), max_length=2, blank=True)
    # The markets the items are meant for ("ipm:intendedMarkets" extension), ISO 3166-1 alpha-2 codes.
    intended_markets = models.JSONField(_("intended markets"), default=list, blank=True)
    # Set when an error declaration retracted the event: history checks ignore it from then on.
    error_declared_at = models.DateTimeField(_("declared erroneous"), null=True, blank=True)
    data = models.JSONField(_("event"))
    captured_at = models.DateTimeField(_("captured"), default=timezone.now)

    class Meta:
        ordering = ["event_time", "pk"]
        verbose_name = _("EPCIS event")
        verbose_name_plural = _("EPCIS events")

    def __str__(self):
        return f"{self.event_type} {self.action} {self.biz_step} {self.event_time:%Y-%m-%d %H:%M}"


class EpcisItem(models.Model):
    """A trade item an event names: one serialised item (gtin + serial) or a lot or product class (serial
    empty). Lot and expiry come from the EPC itself or the event's ILMD."""

    class Role(models.TextChoices):
        EPC = "epc", _("listed")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        INPUT = "input", _("transformation input")
        OUTPUT = "output", _("transformation output")
        QUANTITY = "quantity", _("quantity")

    event = models.ForeignKey(EpcisEvent, on_delete=models.CASCADE, related_name="items", db_index=False)
    gtin = models.CharField(_("GTIN"), max_length=14)
    serial = models.CharField(_("serial number"), max_length=20, blank=True)
    lot = models.CharField(_("batch/lot"), max_length=20, blank=True)
    expiry = models.DateField(_("expiry date"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)

    class Meta:
        verbose_name = _("EPCIS item")
        verbose_name_plural = _("EPCIS items")
        indexes = [
            models.Index(fields=["gtin", "serial"], name="epcis_item_gtin_serial"),
            models.Index(fields=["event"], name="epcis_item_event"),
        ]

    def __str__(self):
        return f"{self.gtin} {self.serial}"
