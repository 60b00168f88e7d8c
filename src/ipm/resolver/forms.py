"""The form of the resolver links pages. It parses and presents; ``resolver.services`` validates and decides (the
target belongs to the right holder, the batch or serial number is valid, HTTPS, language and media type)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ipm.catalog.forms import AuthoringForm
from ipm.resolver.models import LinkLevel, LinkType, ResolverLink

TARGET_CHOICES = [
    ("product", _("A product sheet (all its GTINs)")),
    ("company_prefix", _("Every GTIN of a GS1 company prefix")),
    ("gtin", _("One GTIN")),
]


class ResolverLinkForm(AuthoringForm):
    link_type = forms.ChoiceField(label=_("Link type"), choices=LinkType.choices, initial=LinkType.PIP)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("What people see before they follow the link.")
    )
    target_url = forms.CharField(
        label=_("Target URL"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Where the resolver sends the request: an https:// address."),
    )
    # Not required: a change that leaves it out keeps the link's target.
    applies_to = forms.ChoiceField(
        label=_("The link is for"), choices=TARGET_CHOICES, initial="product", widget=forms.RadioSelect, required=False
    )
    product = forms.ModelChoiceField(label=_("Product sheet"), queryset=None, required=False)
    company_prefix = forms.ModelChoiceField(label=_("GS1 company prefix"), queryset=None, required=False)
    gtin = forms.CharField(
        label=_("GTIN"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
        help_text=_("8, 12, 13 or 14 digits, in one of your GS1 company prefixes."),
    )
    level = forms.ChoiceField(label=_("For which units"), choices=LinkLevel.choices, initial=LinkLevel.GTIN)
    qualifier = forms.CharField(
        label=_("Batch/lot or serial number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("Only for a link that applies to one batch or one serial number."),
    )
    language = forms.CharField(
        label=_("Language of the target"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("e.g. en, fr or pt-BR; empty when the page serves every language."),
    )
    media_type = forms.CharField(
        label=_("Media type"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("e.g. text/html or application/pdf; may be left empty."),
    )
    customs_only = forms.BooleanField(
        label=_("Customs only: shown to signed-in customs officers, never to the public"), required=False
    )
    is_default = forms.BooleanField(
        label=_("Default link: where a scan that asks for nothing in particular goes"), required=False
    )

    def __init__(self, *args, products=None, prefixes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["company_prefix"].queryset = prefixes
        # Bootstrap's radio markup comes from the template; a radio list is not a select.
        self.fields["applies_to"].widget.attrs["class"] = "form-check-input"

    def add_error(self, field, error):
        """Errors the service finds after the form's own checks are marked on their fields as the form's are."""
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    def clean(self):
        data = super().clean()
        chosen = data.get("applies_to")
        if chosen and chosen in self.fields and not data.get(chosen) and chosen not in self.errors:
            self.add_error(chosen, _("Choose what the link is for."))
        return data

    def service_arguments(self) -> dict:
        """The fields for ``resolver.services``: only the chosen target, so that changing it replaces the old."""
        data = dict(self.cleaned_data)
        chosen = data.pop("applies_to", "")
        for name in ("product", "company_prefix", "gtin"):
            value = data.pop(name)
            if name == chosen:
                data[name] = value
        return data

    @classmethod
    def initial_for(cls, link: ResolverLink) -> dict:
        initial = {name: getattr(link, name) for name in cls.base_fields if name != "applies_to"}
        initial.update(applies_to=link.target_kind.replace("prefix", "company_prefix"))
        initial.update(product=link.product_id, company_prefix=link.company_prefix_id)
        return initial
