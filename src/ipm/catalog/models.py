"""The catalogue: what right holders tell customs about their genuine products.

A right holder (an ``accounts.Organisation`` of kind right holder) owns brands; a product sheet belongs to a
brand. Text that officers read is translatable (django-parler); each sheet has a source language that officers
fall back to. Who sees what is decided in ``ipm.access.policy``; every write goes through ``catalog.services``.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from parler.models import TranslatableModel, TranslatedFields

from ipm.accounts.models import Organisation

HS_CODE_VALIDATOR = RegexValidator(r"^\d{6}$", _("An HS code has exactly 6 digits."))
UNLOCODE_VALIDATOR = RegexValidator(r"^[A-Z]{2}[A-Z2-9]{3}$", _("A UN/LOCODE is 2 letters and 3 letters or digits."))


def _random_image_name(folder: str) -> str:
    # Random names: an uploaded file's name never reaches the storage, and names cannot be guessed.
    return f"catalog/{folder}/{uuid.uuid4().hex}.jpg"


def upload_brand_logo(instance, filename):
    return _random_image_name("logos")


def upload_product_photo(instance, filename):
    return _random_image_name("photos")


def upload_clue_image(instance, filename):
    return _random_image_name("clues")


def upload_variant_photo(instance, filename):
    return _random_image_name("variants")


class Brand(TranslatableModel):
    right_holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="brands",
        limit_choices_to={"kind": "right_holder"},
        verbose_name=_("right holder"),
    )
    name = models.CharField(_("name"), max_length=200)
    logo = models.ImageField(_("logo"), upload_to=upload_brand_logo, blank=True)
    translations = TranslatedFields(description=models.TextField(_("description"), blank=True))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [models.UniqueConstraint(fields=["right_holder", "name"], name="unique_brand_name_per_holder")]

    def __str__(self):
        return self.name


class CompanyPrefix(models.Model):
    """A GS1 company prefix of a right holder: it lets a scan of an unknown GTIN still name the brand owner."""

    right_holder = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="company_prefixes", verbose_name=_("right holder")
    )
    prefix = models.CharField(
        _("GS1 company prefix"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{4,12}$", _("A GS1 company prefix has 4 to 12 digits."))],
    )

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("GS1 company prefix")
        verbose_name_plural = _("GS1 company prefixes")

    def __str__(self):
        return self.prefix


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ProductStatus.PUBLISHED)

    def visible_in_country(self, country: str):
        """Sheets whose right holder lets this country's administration see them."""
        # A subquery rather than a join: no DISTINCT needed, which keeps large lists fast.
        chosen = ProductVisibility.objects.filter(country=country).values("product_id")
        return self.filter(Q(visible_to_all_countries=True) | Q(pk__in=chosen))


class Product(TranslatableModel):
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="products", verbose_name=_("brand"))
    status = models.CharField(
        _("status"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT, db_index=True
    )
    source_language = models.CharField(
        _("source language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the sheet is written in; officers without a translation read this one."),
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        description=models.TextField(_("description"), blank=True),
        packaging=models.TextField(_("packaging"), blank=True),
        text_updated_at=models.DateTimeField(_("text updated"), default=timezone.now),
    )
    hs_code = models.CharField(_("HS code"), max_length=6, blank=True, validators=[HS_CODE_VALIDATOR])
    country_of_manufacture = CountryField(_("country of manufacture"), blank=True)
    intended_markets = CountryField(_("intended markets"), multiple=True, blank=True)
    price_min = models.DecimalField(
        _("lowest price"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_max = models.DecimalField(
        _("highest price"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. EUR"))
    visible_to_all_countries = models.BooleanField(
        _("visible to every customs administration"),
        default=True,
        help_text=_("Otherwise only the administrations of the chosen countries see this sheet."),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), default=timezone.now)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("product sheet")
        verbose_name_plural = _("product sheets")
        indexes = [models.Index(fields=["brand", "status"])]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or f"#{self.pk}"

    @property
    def right_holder_id(self):
        return self.brand.right_holder_id


class ProductVisibility(models.Model):
    """A country whose customs administration may see a sheet that is not visible to all."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="visibility")
    country = CountryField(_("country"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "country"], name="unique_product_country")]
        indexes = [models.Index(fields=["country", "product"])]

    def __str__(self):
        return f"{self.product_id} → {self.country}"


class IdentifierKind(models.TextChoices):
    GTIN = "gtin", _("GTIN (barcode)")
    SKU = "sku", _("SKU / article number")
    MODEL = "model", _("Model number")
    NDC = "ndc", _("National Drug Code")
    OTHER = "other", _("Other code")


class ProductIdentifier(models.Model):
    """A code that identifies a product. GTINs are stored as GTIN-14 (unique across the platform) so that any
    printed form (EAN-8, UPC-A, EAN-13, ITF-14) finds the same product by an exact, indexed lookup."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=8, choices=IdentifierKind.choices, default=IdentifierKind.GTIN)
    value = models.CharField(_("normalised value"), max_length=64)
    printed_value = models.CharField(_("as printed"), max_length=64, blank=True)
    variant = models.CharField(_("variant"), max_length=120, blank=True, help_text=_("e.g. size, colour, pack"))
    # Denormalised so that SKU uniqueness per right holder is a database constraint, not a hope.
    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["value"],
                condition=Q(kind="gtin"),
                name="gtin_unique_across_platform",
                violation_error_message=_("This GTIN is already registered in IPM."),
            ),
            models.UniqueConstraint(
                fields=["right_holder", "kind", "value"],
                condition=~Q(kind="gtin"),
                name="code_unique_per_right_holder",
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.printed_value or self.value}"


class PhotoView(models.TextChoices):
    FRONT = "front", _("Front")
    BACK = "back", _("Back side")
    SIDE = "side", _("Side")
    TOP = "top", _("Top")
    DETAIL = "detail", _("Detail")
    PACKAGING = "packaging", _("Packaging")
    LABEL = "label", _("Label")
    OTHER = "other", _("Other")


class ProductPhoto(TranslatableModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=upload_product_photo, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    view = models.CharField(_("view"), max_length=16, choices=PhotoView.choices, default=PhotoView.FRONT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(caption=models.CharField(_("caption"), max_length=200, blank=True))
    # SHA-256 of the bytes IPM was given (before re-encoding): lets an import recognise a picture it already holds,
    # so importing the same file twice adds no photo. Empty for photos stored before it was recorded.
    source_sha256 = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.product_id} {self.view}"


class ClueKind(models.TextChoices):
    PACKAGING = "packaging", _("Packaging")
    LABEL = "label", _("Label and printing")
    PRODUCT = "product", _("The product itself")
    SECURITY_FEATURE = "security_feature", _("Overt security feature")
    DOCUMENTS = "documents", _("Documents and price")
    OTHER = "other", _("Other")


class Clue(TranslatableModel):
    """One way to tell genuine from counterfeit, shown as a genuine/counterfeit photo pair. Only overt features
    belong here: covert features must never be described to a platform with many readers."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="clues")
    kind = models.CharField(_("kind"), max_length=20, choices=ClueKind.choices, default=ClueKind.PRODUCT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        explanation=models.TextField(_("explanation"), blank=True),
        where_to_look=models.CharField(_("where to look"), max_length=300, blank=True),
        text_updated_at=models.DateTimeField(_("text updated"), default=timezone.now),
    )
    genuine_image = models.ImageField(_("genuine detail"), upload_to=upload_clue_image, blank=True)
    counterfeit_image = models.ImageField(_("counterfeit detail"), upload_to=upload_clue_image, blank=True)
    # Rectangles to highlight on each photo, in fractions of the image size: [{"x":…, "y":…, "w":…, "h":…}].
    genuine_marks = models.JSONField(_("marks on the genuine photo"), default=list, blank=True)
    counterfeit_marks = models.JSONField(_("marks on the counterfeit photo"), default=list, blank=True)
    # As ProductPhoto.source_sha256, for each side's picture.
    genuine_source_sha256 = models.CharField(max_length=64, null=True, blank=True, editable=False)
    counterfeit_source_sha256 = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("clue")
        verbose_name_plural = _("clues")

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or f"#{self.pk}"


class CounterfeitVariant(TranslatableModel):
    """A known fake of the product, as seized, with its own photos."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="counterfeit_variants")
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        description=models.TextField(_("description"), blank=True),
    )
    photo = models.ImageField(_("photo"), upload_to=upload_variant_photo, blank=True)
    first_seen = models.DateField(_("first seen"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("known counterfeit")
        verbose_name_plural = _("known counterfeits")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or f"#{self.pk}"


class PartyRole(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Authorised manufacturer")
    FACTORY = "factory", _("Factory")
    LICENSEE = "licensee", _("Licensee")
    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    DISTRIBUTOR = "distributor", _("Distributor")
    KNOWN_INFRINGER = "known_infringer", _("Known infringer")


class TradeParty(models.Model):
    """A company in the right holder's supply chain — or a known infringer the right holder chooses to share."""

    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="trade_parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    country = CountryField(_("country"))
    notes = models.TextField(_("notes"), blank=True)
    products = models.ManyToManyField(
        Product, related_name="trade_parties", blank=True, help_text=_("None chosen: all the right holder's products")
    )

    class Meta:
        ordering = ["role", "country", "name"]
        verbose_name = _("trade party")
        verbose_name_plural = _("trade parties")

    def __str__(self):
        return f"{self.get_role_display()}: {self.name} ({self.country})"


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    POST = "post", _("Post")
    COURIER = "courier", _("Express courier")


class Route(models.Model):
    """A usual route of the genuine goods: origin, transit and destination, ports and modes of transport."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="routes")
    origin = CountryField(_("origin"))
    transit = CountryField(_("transit countries"), multiple=True, blank=True)
    destination = CountryField(_("destination"))
    ports = models.CharField(
        _("ports (UN/LOCODE)"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. CNSHA, NLRTM, FRLEH")
    )
    modes = models.CharField(_("modes of transport"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")

    def __str__(self):
        return f"{self.origin} → {self.destination}"

    @property
    def port_list(self):
        return [p for p in (self.ports or "").replace(" ", "").split(",") if p]

    @property
    def mode_list(self):
        return [m for m in (self.modes or "").split(",") if m]


class RightKind(models.TextChoices):
    TRADEMARK = "trademark", _("Trademark")
    DESIGN = "design", _("Design")
    PATENT = "patent", _("Patent")
    COPYRIGHT = "copyright", _("Copyright")
    GEOGRAPHICAL_INDICATION = "gi", _("Geographical indication")


class IPRight(models.Model):
    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ip_rights")
    brand = models.ForeignKey(Brand, on_delete=models.SET_NULL, null=True, blank=True, related_name="ip_rights")
    kind = models.CharField(_("kind"), max_length=16, choices=RightKind.choices, default=RightKind.TRADEMARK)
    office = models.CharField(_("office"), max_length=100, help_text=_("e.g. EUIPO, WIPO, INPI, USPTO"))
    number = models.CharField(_("registration number"), max_length=64)
    classes = models.CharField(_("classes"), max_length=200, blank=True, help_text=_("Nice or Locarno classes"))
    holder_name = models.CharField(_("registered holder"), max_length=200, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    products = models.ManyToManyField(Product, related_name="ip_rights", blank=True)

    class Meta:
        ordering = ["kind", "office", "number"]
        verbose_name = _("IP right")
        verbose_name_plural = _("IP rights")
        constraints = [
            models.UniqueConstraint(fields=["right_holder", "kind", "office", "number"], name="unique_ip_right")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.office} {self.number}"

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class ApplicationForAction(models.Model):
    """A right holder's application for customs action in a country, with its validity."""

    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="applications_for_action")
    country = CountryField(_("country"))
    reference = models.CharField(_("reference"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    ip_rights = models.ManyToManyField(IPRight, related_name="applications_for_action", blank=True)

    class Meta:
        ordering = ["country", "-valid_until"]
        verbose_name = _("application for action")
        verbose_name_plural = _("applications for action")

    def __str__(self):
        return f"{self.country} {self.reference}"

    @property
    def is_expired(self):
        return self.valid_until < timezone.localdate()


class Contact(models.Model):
    """Who customs should call about a right holder's products, for some countries and languages."""

    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    organisation_name = models.CharField(
        _("company"), max_length=200, blank=True, help_text=_("e.g. the law firm, when the contact is a representative")
    )
    is_legal_representative = models.BooleanField(_("legal representative"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    emergency_phone = models.CharField(_("24/7 phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True, help_text=_("None chosen: every country"))
    languages = models.CharField(_("languages spoken"), max_length=100, blank=True, help_text=_("e.g. en, fr, ar"))
    products = models.ManyToManyField(
        Product, related_name="contacts", blank=True, help_text=_("None chosen: all the right holder's products")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class ProductRevision(models.Model):
    """A snapshot of a whole sheet after each change: who, when, what changed, and the sheet as it was."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    summary = models.CharField(_("what"), max_length=300)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    snapshot = models.JSONField(_("sheet as it was"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["product", "number"], name="unique_revision_number")]

    def __str__(self):
        return f"{self.product_id} r{self.number}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Refused: see the errors")
    CRASHED = "crashed", _("Stopped by an internal error")


def upload_import_file(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{uuid.uuid4().hex}.{suffix[:5]}"


class ImportJob(models.Model):
    """One bulk import of product sheets, run by a background task. All rows are written or none is."""

    right_holder = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    file = models.FileField(_("file"), upload_to=upload_import_file)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    dry_run = models.BooleanField(_("dry run"), default=False, help_text=_("Check the file without writing anything"))
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("sheets created"), default=0)
    updated_count = models.PositiveIntegerField(_("sheets updated"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"row": 3, "column": "gtins", "message": …}]
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self):
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class StaleSheetReminder(models.Model):
    """When a right holder was last reminded by email of its published sheets that nobody has reviewed for too
    long (``catalog.reminders``): at most one reminder a week, however often the daily job runs."""

    right_holder = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="stale_sheet_reminder", verbose_name=_("right holder")
    )
    last_sent_at = models.DateTimeField(_("last reminder sent"), null=True, blank=True)
    sheet_count = models.PositiveIntegerField(_("sheets in the last reminder"), default=0)

    class Meta:
        verbose_name = _("stale-sheet reminder")
        verbose_name_plural = _("stale-sheet reminders")

    def __str__(self):
        return f"{self.right_holder_id} {self.last_sent_at}"
