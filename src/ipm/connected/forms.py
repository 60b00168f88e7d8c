"""Forms of the Connected pages. Coverage is typed one value per line, one box per kind; ``connected.services``
checks and normalises every line."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ipm.connected.models import MAX_TIMEOUT_MS, CoverageKind, Reach
from ipm.web.forms import StyledForm

COVERAGE_FIELDS = {
    CoverageKind.COMPANY_PREFIX: "cover_company_prefix",
    CoverageKind.GTIN: "cover_gtin",
    CoverageKind.BRAND: "cover_brand",
    CoverageKind.URL_PATTERN: "cover_url_pattern",
    CoverageKind.CODE_FORMAT: "cover_code_format",
}


def _lines(label, help_text):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "spellcheck": "false", "autocapitalize": "none"}),
    )


class ServiceForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reach = forms.ChoiceField(label=_("How IPM reaches it"), choices=Reach.choices)
    verification_url = forms.CharField(
        label=_("Verification URL"),
        required=False,
        max_length=200,
        help_text=_("For a verification API: the HTTPS address IPM posts its signed requests to."),
        widget=forms.URLInput,
    )
    app_link_template = forms.CharField(
        label=_("App link template"),
        required=False,
        max_length=500,
        help_text=_(
            "For app launch, e.g. https://verify.example.com/?gtin={gtin}&serial={serial}. Placeholders: {code} "
            "{gtin} {serial} {lot} {expiry} {digital_link} {country}."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false", "autocapitalize": "none"}),
    )
    link_hosts = forms.CharField(
        label=_("Digital Link hosts"),
        required=False,
        max_length=500,
        help_text=_("For GS1 Digital Link: the hosts of your gs1:verificationService links, comma-separated."),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false", "autocapitalize": "none"}),
    )
    timeout_ms = forms.IntegerField(
        label=_("Time-out (milliseconds)"), min_value=100, max_value=MAX_TIMEOUT_MS, initial=3000
    )
    cover_company_prefix = _lines(_("GS1 company prefixes"), _("One per line, e.g. 4006381."))
    cover_gtin = _lines(_("GTINs"), _("One per line."))
    cover_brand = _lines(_("Brands"), _("One brand name per line, as you know it."))
    cover_url_pattern = _lines(
        _("URL patterns"), _("For codes that are not GS1: host/path-prefix, one per line, e.g. qr.example.com/v/")
    )
    cover_code_format = _lines(
        _("Code formats"),
        _("For codes that are not GS1: a regular expression the whole code matches, one per line, e.g. ABC-\\d{8}"),
    )

    def add_error(self, field, error):
        """Errors ``connected.services`` finds after the form's own checks are marked on their fields as the form's
        are (a refused coverage line names itself above the form)."""
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    @classmethod
    def initial_for(cls, service) -> dict:
        initial = {name: getattr(service, name) for name in ("name", "description", "reach", "timeout_ms")}
        initial.update(
            verification_url=service.verification_url,
            app_link_template=service.app_link_template,
            link_hosts=service.link_hosts,
        )
        for kind, field in COVERAGE_FIELDS.items():
            initial[field] = "\n".join(line.value for line in service.coverage.all() if line.kind == kind)
        return initial

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("name", "description", "reach", "verification_url", "app_link_template", "link_hosts")
        }
        fields["timeout_ms"] = data["timeout_ms"]
        fields["coverage"] = [
            (kind, line.strip())
            for kind, field in COVERAGE_FIELDS.items()
            for line in (data.get(field) or "").splitlines()
            if line.strip()
        ]
        return fields


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason (the provider reads it)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkForm(StyledForm):
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: f"{service.name} — {service.provider.name}"
