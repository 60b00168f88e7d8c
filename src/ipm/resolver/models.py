"""Links that right holders attach to their GTINs, served by IPM's GS1-Conformant resolver.

A link says "for this product (or this range of GTINs), here is a resource of this kind": a product information
page, a verification service, a recall status… Its kind is a link type of the GS1 Web Vocabulary
(``https://ref.gs1.org/voc/``). A link applies to a product's GTINs, to every GTIN of one of the right holder's
GS1 company prefixes, or to one explicit GTIN; and at one level of the GS1 Digital Link path: the GTIN itself,
one batch/lot (``/01/{gtin}/10/{lot}``) or one serial number (``/01/{gtin}/21/{serial}``). A request inherits the
links of the less specific levels (resolver standard 2.5.9).

Who sees a link is decided in ``ipm.access.policy``; every write goes through ``resolver.services``.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipm.accounts.models import Organisation
from ipm.catalog.models import CompanyPrefix, Product

GS1_VOCABULARY = "https://ref.gs1.org/voc/"


class LinkType(models.TextChoices):
    """The GS1 Web Vocabulary link types a right holder may use: those that make sense for a brand owner talking
    to customs and the public. Stored as the vocabulary's term; published as ``https://ref.gs1.org/voc/{term}``."""

    PIP = "pip", _("Product information page")
    VERIFICATION_SERVICE = "verificationService", _("Verification service")
    CERTIFICATION_INFO = "certificationInfo", _("Certification information")
    RECALL_STATUS = "recallStatus", _("Recall status")
    SAFETY_INFO = "safetyInfo", _("Safety information")
    INSTRUCTIONS = "instructions", _("Instructions")
    TRACEABILITY = "traceability", _("Traceability")
    SUSTAINABILITY_INFO = "sustainabilityInfo", _("Sustainability information")
    EPIL = "epil", _("Electronic patient information leaflet")
    DPP = "dpp", _("Digital product passport")
    MASTER_DATA = "masterData", _("Master data")
    HOMEPAGE = "homepage", _("Home page")
    SUPPORT = "support", _("Customer support")
    FAQS = "faqs", _("Frequently asked questions")
    RELATED_VIDEO = "relatedVideo", _("Related video")

    @property
    def uri(self) -> str:
        return GS1_VOCABULARY + self.value


class LinkLevel(models.TextChoices):
    """How specific a link is: the GTIN (every unit), one batch/lot, or one serialised unit."""

    GTIN = "gtin", _("Every unit of the GTIN")
    LOT = "lot", _("One batch or lot")
    SERIAL = "serial", _("One serial number")


class ResolverLink(models.Model):
    right_holder = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="resolver_links",
        limit_choices_to={"kind": "right_holder"},
        verbose_name=_("right holder"),
    )
    # Exactly one of the three targets (a database constraint below).
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resolver_links",
        verbose_name=_("product sheet"),
    )
    company_prefix = models.ForeignKey(
        CompanyPrefix,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resolver_links",
        verbose_name=_("GS1 company prefix"),
    )
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True, db_index=True, help_text=_("As GTIN-14"))
    level = models.CharField(_("applies to"), max_length=8, choices=LinkLevel.choices, default=LinkLevel.GTIN)
    qualifier = models.CharField(_("batch/lot or serial number"), max_length=20, blank=True)
    link_type = models.CharField(_("link type"), max_length=40, choices=LinkType.choices)
    target_url = models.URLField(_("target URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=10, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    customs_only = models.BooleanField(
        _("customs only"), default=False, help_text=_("Shown only to signed-in customs officers.")
    )
    is_default = models.BooleanField(
        _("default link"), default=False, help_text=_("Where the resolver sends a request that asks for nothing else.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("resolver link")
        verbose_name_plural = _("resolver links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, company_prefix__isnull=True, gtin="")
                    | Q(product__isnull=True, company_prefix__isnull=False, gtin="")
                    | (Q(product__isnull=True, company_prefix__isnull=True) & ~Q(gtin=""))
                ),
                name="resolver_link_has_one_target",
            ),
            models.CheckConstraint(
                condition=Q(level="gtin", qualifier="") | (Q(level__in=["lot", "serial"]) & ~Q(qualifier="")),
                name="resolver_link_qualifier_matches_level",
            ),
            # One default per target and level: three partial constraints, since NULLs never collide.
            models.UniqueConstraint(
                fields=["product", "level", "qualifier"],
                condition=Q(is_default=True, product__isnull=False),
                name="one_default_link_per_product_level",
            ),
            models.UniqueConstraint(
                fields=["company_prefix", "level", "qualifier"],
                condition=Q(is_default=True, company_prefix__isnull=False),
                name="one_default_link_per_prefix_level",
            ),
            models.UniqueConstraint(
                fields=["right_holder", "gtin", "level", "qualifier"],
                condition=Q(is_default=True) & ~Q(gtin=""),
                name="one_default_link_per_gtin_level",
            ),
        ]

    def __str__(self):
        return f"{self.get_link_type_display()}: {self.title}"

    @property
    def link_type_uri(self) -> str:
        return GS1_VOCABULARY + self.link_type

    @property
    def target_kind(self) -> str:
        if self.product_id:
            return "product"
        return "prefix" if self.company_prefix_id else "gtin"
