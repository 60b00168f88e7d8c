"""The scan log: one row per code an officer (or anyone who may scan) looked up, whatever the answer.

It is the raw material of later statistics (scans per country, per right holder, unknown codes) and of clone checks
(the same GTIN and serial number seen in two places), so it keeps the parsed key fields in indexed columns rather
than re-parsing the raw code. Who may read it is decided in ``ipm.access.policy.visible_scan_logs``; every row is
written by ``ipm.scans.services.scan``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ipm.accounts.models import Organisation
from ipm.catalog.models import Brand, Product

MAX_RAW_CODE_LENGTH = 512  # as ipm.gs1.MAX_CODE_LENGTH: a longer input is refused unparsed, and kept cut here


class ScanSource(models.TextChoices):
    API = "api", _("API")
    PAGE = "page", _("Typed or scanner")
    CAMERA = "camera", _("Camera")
    PHOTO = "photo", _("Photo")


class ScanResult(models.TextChoices):
    PRODUCT = "product", _("Product found")
    BRAND = "brand", _("Brand owner found, product unknown")
    NONE = "none", _("Unknown")
    INVALID = "invalid", _("Unreadable code")


class ScanLog(models.Model):
    # SET_NULL everywhere: the log outlives a deleted account or sheet, and statistics must not lose the scan.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
        db_index=False,  # the (user, created_at) index serves look-ups by user
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
        db_index=False,  # read through ``country`` or ``user``; an index per column would slow every scan down
    )
    # The country of the officer's customs administration at the time of the scan; null for everyone else.
    country = CountryField(_("country"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    source = models.CharField(_("source"), max_length=8, choices=ScanSource.choices)
    symbology = models.CharField(_("symbology"), max_length=3, blank=True)  # e.g. "]d2", when known
    raw_code = models.CharField(_("code"), max_length=MAX_RAW_CODE_LENGTH)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    lot = models.CharField(_("batch/lot"), max_length=20, blank=True)
    serial = models.CharField(_("serial number"), max_length=20, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=ScanResult.choices)
    # No index of their own on product, brand and right holder: every index is one more page written by each scan
    # (bench: about 80 µs per random-keyed index on SQLite), sheets and brands are archived rather than deleted,
    # and a product's scans are found through its GTINs ((gtin, serial) below).
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
        db_index=False,
    )
    brand = models.ForeignKey(
        Brand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brand"),
        db_index=False,
    )
    right_holder = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("right holder"),
        db_index=False,
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)  # stable problem codes, e.g. ["truncated"]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [
            models.Index(fields=["created_at"], name="scanlog_created"),
            models.Index(fields=["user", "created_at"], name="scanlog_user_created"),
            models.Index(fields=["country", "created_at"], name="scanlog_country_created"),
            models.Index(fields=["gtin", "serial"], name="scanlog_gtin_serial"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.result} {self.raw_code[:40]}"
