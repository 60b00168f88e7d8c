"""Forms of the logistics and legal records pages. They parse and present; ``catalog.records`` validates and
decides (UN/LOCODEs, dates in order, countries, phones, products of the same right holder)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ipm.catalog.forms import AuthoringForm, country_choices, image_input, split_list
from ipm.catalog.models import PartyRole, RightKind, TransportMode


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(AuthoringForm):
    """A record's form: ``holder_products`` / ``holder_brands`` / ``holder_rights`` fill the choices of the right
    holder's own objects; ``initial_for(record)`` fills the form from a record."""

    LIST_FIELDS: tuple[str, ...] = ()  # typed as text, one value per line or separated by commas

    def __init__(self, *args, products=None, brands=None, ip_rights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("products", products), ("brand", brands), ("ip_rights", ip_rights)):
            if name in self.fields and queryset is not None:
                self.fields[name].queryset = queryset
        for name in ("country", "origin", "destination"):
            if name in self.fields:
                self.fields[name].choices = country_choices(blank=True)
        for name in ("countries", "transit"):
            if name in self.fields:
                self.fields[name].choices = country_choices()

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.LIST_FIELDS:
            data[name] = split_list(data.get(name, ""))
        for name in ("products", "ip_rights"):
            if name in data:
                data[name] = list(data[name])
        return data

    @classmethod
    def initial_for(cls, record) -> dict:
        initial = {}
        for name in cls.base_fields:
            value = getattr(record, name, None)
            if name in {"products", "ip_rights"}:
                value = [obj.pk for obj in value.all()]
            elif name in {"countries", "transit"}:
                value = [str(code) for code in value]
            elif name in {"country", "origin", "destination"}:
                value = str(value or "")
            elif name == "brand":
                value = record.brand_id
            initial[name] = value
        return initial


def products_field():
    return forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=None,
        required=False,
        help_text=_("None chosen: all the right holder's products."),
    )


class IPRightForm(RecordForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RightKind.choices, initial=RightKind.TRADEMARK)
    office = forms.CharField(label=_("Office"), max_length=100, help_text=_("e.g. EUIPO, WIPO, INPI, USPTO"))
    number = forms.CharField(label=_("Registration number"), max_length=64)
    classes = forms.CharField(label=_("Classes"), max_length=200, required=False, help_text=_("Nice or Locarno"))
    holder_name = forms.CharField(label=_("Registered holder"), max_length=200, required=False)
    registered_on = forms.DateField(label=_("Registered on"), required=False, widget=date_input())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=date_input())
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=None, required=False)
    products = products_field()


class ApplicationForm(RecordForm):
    country = forms.ChoiceField(label=_("Country"))
    reference = forms.CharField(label=_("Reference"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), widget=date_input())
    ip_rights = forms.ModelMultipleChoiceField(label=_("IP rights covered"), queryset=None, required=False)


class ContactForm(RecordForm):
    LIST_FIELDS = ("languages",)

    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    organisation_name = forms.CharField(
        label=_("Company"), max_length=200, required=False, help_text=_("e.g. the law firm of a representative")
    )
    is_legal_representative = forms.BooleanField(label=_("Legal representative"), required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    emergency_phone = forms.CharField(
        label=_("24/7 phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.CharField(label=_("Email"), max_length=254, required=False, widget=forms.EmailInput())
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, help_text=_("None chosen: customs of every country call this contact.")
    )
    languages = forms.CharField(
        label=_("Languages spoken"), max_length=100, required=False, help_text=_("Codes, e.g. en, fr, ar")
    )
    products = products_field()

    @classmethod
    def initial_for(cls, record) -> dict:
        return {**super().initial_for(record), "languages": record.languages}


class CompanyPrefixForm(RecordForm):
    prefix = forms.CharField(
        label=_("GS1 company prefix"),
        max_length=14,
        help_text=_("4 to 12 digits, as allocated by your GS1 member organisation, e.g. 7612345"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )


class TradePartyForm(RecordForm):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.ChoiceField(label=_("Country"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    products = products_field()


class RouteForm(RecordForm):
    LIST_FIELDS = ("ports",)

    origin = forms.ChoiceField(label=_("Origin"))
    transit = forms.MultipleChoiceField(label=_("Transit countries"), required=False)
    destination = forms.ChoiceField(label=_("Destination"))
    ports = forms.CharField(
        label=_("Ports (UN/LOCODE)"), max_length=300, required=False, help_text=_("e.g. CNSHA, NLRTM, FRLEH")
    )
    modes = forms.MultipleChoiceField(
        label=_("Modes of transport"),
        choices=TransportMode.choices,
        required=False,
    )

    @classmethod
    def initial_for(cls, record) -> dict:
        return {**super().initial_for(record), "ports": ", ".join(record.port_list), "modes": record.mode_list}


class VariantForm(RecordForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("How to recognise it"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    first_seen = forms.DateField(label=_("First seen"), required=False, widget=date_input())
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=image_input(),
        help_text=_("A photo of the fake as seized. Location and other metadata are removed."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data.pop("photo", None)
        data.pop("remove_photo", None)
        return data
