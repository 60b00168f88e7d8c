from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ipm.accounts.models import ApiScope, OrganisationKind, Role, role_label
from ipm.web.forms import StyledForm


class OnboardOrganisationForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Required for a customs administration."),
    )
    email = forms.EmailField(label=_("Contact email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    first_admin_email = forms.EmailField(
        label=_("Email of its first administrator"),
        required=False,
        help_text=_("They receive an invitation link to set their password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *list(countries)]


class OrganisationSettingsForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Contact email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication for all members"), required=False
    )


class InviteForm(StyledForm):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["role"].choices = [(r, role_label(r, organisation.kind)) for r in Role.values]


class MemberRoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["role"].choices = [(r, role_label(r, organisation.kind)) for r in Role.values]


class AcceptInvitationForm(StyledForm):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


def _time_zone_choices():
    return [("", _("Coordinated Universal Time (UTC)"))] + [(z, z) for z in sorted(available_timezones())]


class PreferencesForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser asks")), *settings.LANGUAGES]
        self.fields["time_zone"].choices = _time_zone_choices()


class ApiTokenForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example: the system that uses it."))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiScope.choices, initial=ApiScope.READ)
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=90,
        help_text=_("Leave empty for a token that does not expire."),
    )


class MandateForm(StyledForm):
    representative = forms.ModelChoiceField(label=_("Legal representative"), queryset=None)

    def __init__(self, *args, representatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = representatives
