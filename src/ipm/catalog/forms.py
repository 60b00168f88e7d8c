"""Forms of the authoring pages. They parse and present; the catalogue's services validate and decide. A service's
``ValidationError`` is shown on the form with ``show_service_error`` (its field names, and a few aliases where a
form names a field differently from the service)."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ipm.catalog import services
from ipm.catalog.models import ClueKind, IdentifierKind, PhotoView, ProductStatus
from ipm.web.forms import StyledForm, add_validation_error

LIST_SPLIT = re.compile(r"[\n\r,;]+")
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif"


def show_service_error(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors next to the fields they name (``aliases`` maps a service's field name to the
    form's); errors about anything else go above the form."""
    if aliases and hasattr(error, "error_dict"):
        renamed: dict[str, list] = {}
        for key, errors in error.error_dict.items():
            renamed.setdefault(aliases.get(key, key), []).extend(errors)
        error = ValidationError(renamed)
    add_validation_error(form, error)


def split_list(text: str) -> list[str]:
    """Values typed one per line or separated by commas or semicolons."""
    return [part.strip() for part in LIST_SPLIT.split(text or "") if part.strip()]


def country_choices(blank: bool = False) -> list[tuple[str, str]]:
    choices = [(country.code, country.name) for country in countries]
    return [("", "—"), *choices] if blank else choices


def image_input() -> forms.FileInput:
    return forms.FileInput(attrs={"accept": IMAGE_ACCEPT, "data-image-preview": ""})


class AuthoringForm(StyledForm):
    """StyledForm with taller multi-selects (a list of countries is hard to use three rows at a time)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.SelectMultiple):
                field.widget.attrs.setdefault("size", 6)
                # authoring.js lists the chosen options under the list, which shows only a few at a time
                field.widget.attrs["data-chosen-label"] = _("Chosen:")
                field.widget.attrs["data-none-label"] = _("None chosen yet.")


# --- Brands -----------------------------------------------------------------------------------------------------


class BrandForm(AuthoringForm):
    name = forms.CharField(label=_("Brand name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written in the language you are using IPM in."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=image_input(),
        help_text=_("JPEG, PNG, WebP or HEIC; it is re-encoded and shown on every sheet of the brand."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


# --- Product sheets ---------------------------------------------------------------------------------------------


class SheetFieldsMixin(forms.Form):
    """The language-independent fields of a sheet, as ``services.update_product`` takes them."""

    hs_code = forms.CharField(
        label=_("HS code"),
        required=False,
        max_length=12,
        help_text=_("6 digits of the Harmonized System, e.g. 621410."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    country_of_manufacture = forms.ChoiceField(label=_("Country of manufacture"), required=False)
    intended_markets = forms.MultipleChoiceField(
        label=_("Intended markets"),
        required=False,
        help_text=_("The countries where the genuine product is sold. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    price_min = forms.DecimalField(label=_("Lowest usual price"), required=False, min_value=0, decimal_places=2)
    price_max = forms.DecimalField(label=_("Highest usual price"), required=False, min_value=0, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code, e.g. EUR, USD, CNY."),
        widget=forms.TextInput(attrs={"class": "ipm-upper", "autocomplete": "off", "size": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country_of_manufacture"].choices = country_choices(blank=True)
        self.fields["intended_markets"].choices = country_choices()

    def sheet_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "hs_code": data["hs_code"],
            "country_of_manufacture": data["country_of_manufacture"],
            "intended_markets": data["intended_markets"],
            "price_min": data["price_min"],
            "price_max": data["price_max"],
            "currency": data["currency"],
        }


class SheetCreateForm(SheetFieldsMixin, AuthoringForm):
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=None, empty_label=None)
    language = forms.ChoiceField(
        label=_("Source language"),
        choices=settings.LANGUAGES,
        help_text=_("The language you write the sheet in; officers without a translation read this one."),
    )
    name = forms.CharField(label=_("Product name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    gtins = forms.CharField(
        label=_("GTINs (barcodes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("As printed under the barcode (8, 12, 13 or 14 digits): one per line, or separated by commas."),
    )
    visible_to_all_countries = forms.BooleanField(
        label=_("Visible to every customs administration"), required=False, initial=True
    )
    visible_countries = forms.MultipleChoiceField(
        label=_("Only these countries' administrations"),
        required=False,
        help_text=_("Used when the sheet is not visible to every administration."),
    )

    field_order = [
        "brand",
        "language",
        "name",
        "description",
        "gtins",
        "hs_code",
        "country_of_manufacture",
        "intended_markets",
        "price_min",
        "price_max",
        "currency",
        "visible_to_all_countries",
        "visible_countries",
    ]

    def __init__(self, *args, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["visible_countries"].choices = country_choices()
        self.fields["visible_to_all_countries"].widget.attrs["data-toggles"] = "id_visible_countries"

    def clean_gtins(self):
        """Every wrong GTIN at once (the service stops at the first)."""
        values = split_list(self.cleaned_data["gtins"])
        problems = []
        for value in values:
            try:
                services.normalise_gtin(value)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return values

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "language": data["language"],
            "description": data["description"],
            "gtins": data["gtins"],
            "visible_countries": None if data["visible_to_all_countries"] else data["visible_countries"],
            **self.sheet_fields(),
        }


class SheetDetailsForm(SheetFieldsMixin, AuthoringForm):
    source_language = forms.ChoiceField(
        label=_("Source language"),
        choices=settings.LANGUAGES,
        help_text=_("The language officers read when there is no translation into theirs."),
    )

    field_order = ["source_language", "hs_code", "country_of_manufacture", "intended_markets"]

    @staticmethod
    def initial_for(product) -> dict:
        return {
            "source_language": product.source_language,
            "hs_code": product.hs_code,
            "country_of_manufacture": str(product.country_of_manufacture or ""),
            "intended_markets": [str(c) for c in product.intended_markets],
            "price_min": product.price_min,
            "price_max": product.price_max,
            "currency": product.currency,
        }

    def service_arguments(self) -> dict:
        return {"source_language": self.cleaned_data["source_language"], **self.sheet_fields()}


class IdentifierForm(AuthoringForm):
    kind = forms.ChoiceField(label=_("Kind of code"), choices=IdentifierKind.choices, initial=IdentifierKind.GTIN)
    value = forms.CharField(
        label=_("Code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("A GTIN as printed under the barcode: 8, 12, 13 or 14 digits."),
    )
    variant = forms.CharField(
        label=_("Variant"), required=False, max_length=120, help_text=_("Optional: size, colour, pack…")
    )

    ALIASES = {"gtins": "value", "codes": "value"}


class TextsForm(AuthoringForm):
    name = forms.CharField(label=_("Product name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the genuine product is and looks like, in a few sentences."),
    )
    packaging = forms.CharField(
        label=_("Packaging"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the genuine product is packed: box, labels, inserts, seals."),
    )

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"lang": language, "dir": "auto"})


class VisibilityForm(AuthoringForm):
    visible_to_all_countries = forms.BooleanField(label=_("Visible to every customs administration"), required=False)
    visible_countries = forms.MultipleChoiceField(
        label=_("Only these countries' administrations"),
        required=False,
        help_text=_("Used when the sheet is not visible to every administration."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visible_countries"].choices = country_choices()
        self.fields["visible_countries"].widget.attrs["size"] = 10
        self.fields["visible_to_all_countries"].widget.attrs["data-toggles"] = "id_visible_countries"


# --- Clues ------------------------------------------------------------------------------------------------------


class ClueForm(AuthoringForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ClueKind.choices, initial=ClueKind.PRODUCT)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("What to check, in a few words: “Stitching of the logo”.")
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the genuine product differs from fakes. Describe only overt features."),
    )
    where_to_look = forms.CharField(label=_("Where to look"), required=False, max_length=300)

    def __init__(self, *args, language: str = "", with_kind: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_kind:
            del self.fields["kind"]
        for name in ("title", "explanation", "where_to_look"):
            self.fields[name].widget.attrs.update({"lang": language, "dir": "auto"})

    def texts(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "explanation", "where_to_look")}


class ClueImagesForm(AuthoringForm):
    genuine_image = forms.FileField(label=_("Genuine: new photo"), required=False, widget=image_input())
    remove_genuine_image = forms.BooleanField(label=_("Remove the genuine photo"), required=False)
    genuine_marks = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-marks": "genuine"}))
    counterfeit_image = forms.FileField(label=_("Counterfeit: new photo"), required=False, widget=image_input())
    remove_counterfeit_image = forms.BooleanField(label=_("Remove the counterfeit photo"), required=False)
    counterfeit_marks = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-marks": "counterfeit"}))

    SIDES = ("genuine", "counterfeit")

    def service_arguments(self) -> dict:
        """What ``media_services.set_clue_images`` takes: a new photo, None to remove it, nothing to keep it; marks
        only when the page changed them (left out, they stay on the same photo and go with a new one)."""
        arguments = {}
        for side in self.SIDES:
            upload = self.cleaned_data[f"{side}_image"]
            if upload:
                arguments[f"{side}_image"] = upload
            elif self.cleaned_data[f"remove_{side}_image"]:
                arguments[f"{side}_image"] = None
            if f"{side}_marks" in self.changed_data:
                arguments[f"{side}_marks"] = self.cleaned_data[f"{side}_marks"] or "[]"
        return arguments


# --- Photos -----------------------------------------------------------------------------------------------------


class PhotoForm(AuthoringForm):
    image = forms.FileField(
        label=_("Photo"),
        widget=image_input(),
        help_text=_("A clear photo of the genuine product. Location and other metadata are removed."),
    )
    view = forms.ChoiceField(label=_("View"), choices=PhotoView.choices, initial=PhotoView.FRONT)
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


# --- Import -----------------------------------------------------------------------------------------------------


class ImportForm(AuthoringForm):
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.json,.zip"}),
        help_text=_(
            "CSV, XLSX or JSON in IPM's format (download the template below), at most 200 MB; or a ZIP file with "
            "one of them and the pictures it names, at most 1 GB."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and report, without writing anything"), required=False
    )


class CatalogueFilterForm(forms.Form):
    """The filters of a catalogue's list of sheets (GET). Unknown values are ignored rather than refused."""

    STALE = "stale"

    q = forms.CharField(required=False, max_length=100)
    brand = forms.IntegerField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", ""), *ProductStatus.choices, (STALE, STALE)])
