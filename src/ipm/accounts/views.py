"""Pages for organisations, members, invitations, preferences and API tokens. Thin: parse the form, fetch
objects through the access policy, call a service, render."""

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipm.access import policy
from ipm.accounts import forms, services
from ipm.accounts.models import OrganisationKind, role_label
from ipm.web.forms import add_validation_error

PAGE_SIZE = 25


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- Organisations ----------------------------------------------------------------------------------------------


@login_required
def organisation_list(request):
    if not policy.is_secretariat(request.user):
        return redirect("organisation_detail", pk=request.user.organisation_id)
    organisations = policy.visible_organisations(request.user).annotate(member_count=Count("members"))
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(country__iexact=query))
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations.order_by("kind", "name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": OrganisationKind.choices},
    )


@login_required
def organisation_onboard(request):
    if not policy.may_onboard_organisations(request.user):
        raise PermissionDenied
    form = forms.OnboardOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation, invitation = services.onboard_organisation(
                request.user, **form.cleaned_data, base_url=_base_url(request), request=request
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s is now on IPM.") % {"name": organisation.name})
            if invitation:
                messages.info(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_onboard.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(policy.visible_organisations(request.user), pk=pk)
    manageable = policy.manageable_organisations(request.user).filter(pk=pk).exists()
    members = policy.visible_users(request.user).filter(organisation=organisation).order_by("-is_active", "email")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "manageable": manageable,
        "page": page,
        "member_roles": {m.pk: role_label(m.role, organisation.kind) for m in page},
        "may_change_status": policy.may_change_organisation_status(request.user, organisation),
        "mandates": policy.visible_mandates(request.user)
        .filter(Q(right_holder=organisation) | Q(representative=organisation), revoked_at__isnull=True)
        .select_related("right_holder", "representative"),
        "may_grant_mandate": policy.may_grant_mandate(request.user, organisation),
    }
    if manageable:
        context["invitations"] = policy.manageable_invitations(request.user).filter(organisation=organisation).pending()
        context["invite_form"] = forms.InviteForm(organisation=organisation)
        context["settings_form"] = forms.OrganisationSettingsForm(
            initial={
                "name": organisation.name,
                "email": organisation.email,
                "website": organisation.website,
                "require_two_factor": organisation.require_two_factor,
            }
        )
    representatives = policy.legal_representatives_for_choice(request.user)
    if context["may_grant_mandate"] and representatives.exists():
        context["mandate_form"] = forms.MandateForm(representatives=representatives)
    return render(request, "accounts/organisation_detail.html", context)


def _manageable_organisation(request, pk):
    return get_object_or_404(policy.manageable_organisations(request.user), pk=pk)


@login_required
def organisation_settings(request, pk):
    organisation = _manageable_organisation(request, pk)
    form = forms.OrganisationSettingsForm(
        request.POST or None,
        initial={
            "name": organisation.name,
            "email": organisation.email,
            "website": organisation.website,
            "require_two_factor": organisation.require_two_factor,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, organisation, **form.cleaned_data, request=request)
        except ValidationError as error:
            add_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("require_two_factor", str(error) or _("You may not change this setting."))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_settings.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def organisation_status(request, pk):
    organisation = get_object_or_404(policy.visible_organisations(request.user), pk=pk)
    activate = request.POST.get("active") == "1"
    services.set_organisation_active(request.user, organisation, activate, request=request)
    if activate:
        messages.success(request, _("%(name)s is active again.") % {"name": organisation.name})
    else:
        messages.warning(request, _("%(name)s is suspended: its members cannot sign in.") % {"name": organisation.name})
    return redirect("organisation_detail", pk=organisation.pk)


# --- Invitations ------------------------------------------------------------------------------------------------


@login_required
def invite(request, pk):
    organisation = _manageable_organisation(request, pk)
    form = forms.InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite_user(
                request.user,
                organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=_base_url(request),
                request=request,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/invite.html",
        {"organisation": organisation, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    invitation = get_object_or_404(
        policy.manageable_invitations(request.user).filter(organisation_id=pk), pk=invitation_pk
    )
    try:
        services.revoke_invitation(request.user, invitation, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("organisation_detail", pk=pk)


def accept_invitation(request, token):
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", status=409)
    try:
        invitation = services.find_invitation(token)
    except ValidationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": " ".join(error.messages)}, status=410)
    form = forms.AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                language=translation.get_language(),
                request=request,
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # Tell allauth the password was just typed, so setting up a required second factor right after
            # does not ask for it again (allauth keeps that record itself; this is its own recording call). Only a
            # record marked "reauthenticated" spares the prompt: allauth's own password re-prompt writes the same.
            record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
            messages.success(request, _("Welcome to IPM, %(name)s.") % {"name": user.get_short_name()})
            return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "role": role_label(invitation.role, invitation.organisation.kind),
        },
    )


# --- Members ----------------------------------------------------------------------------------------------------


@login_required
def member_edit(request, pk):
    member = get_object_or_404(policy.manageable_users(request.user), pk=pk)
    form = forms.MemberRoleForm(request.POST or None, initial={"role": member.role}, organisation=member.organisation)
    if request.method == "POST":
        action = request.POST.get("action", "role")
        if action in {"deactivate", "reactivate"}:
            services.set_user_active(request.user, member, action == "reactivate", request=request)
            if action == "reactivate":
                messages.success(request, _("%(name)s can sign in again.") % {"name": member})
            else:
                messages.warning(request, _("%(name)s can no longer sign in.") % {"name": member})
            return redirect("member_edit", pk=member.pk)
        if form.is_valid():
            try:
                services.change_role(request.user, member, form.cleaned_data["role"], request=request)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Role changed."))
                return redirect("organisation_detail", pk=member.organisation_id)
    return render(
        request,
        "accounts/member_edit.html",
        {"member": member, "form": form, "role": role_label(member.role, member.organisation.kind)},
    )


# --- Mandates ---------------------------------------------------------------------------------------------------


@login_required
@require_POST
def mandate_grant(request, pk):
    right_holder = get_object_or_404(policy.visible_organisations(request.user), pk=pk)
    if not policy.may_grant_mandate(request.user, right_holder):
        raise PermissionDenied
    form = forms.MandateForm(request.POST, representatives=policy.legal_representatives_for_choice(request.user))
    if form.is_valid():
        mandate = services.grant_mandate(
            request.user, right_holder, form.cleaned_data["representative"], request=request
        )
        messages.success(
            request,
            _("%(firm)s may now act for %(name)s.") % {"firm": mandate.representative, "name": right_holder},
        )
    else:
        messages.error(request, _("Choose an active legal representative."))
    return redirect("organisation_detail", pk=pk)


@login_required
@require_POST
def mandate_revoke(request, pk, mandate_pk):
    mandate = get_object_or_404(policy.visible_mandates(request.user).filter(right_holder_id=pk), pk=mandate_pk)
    services.revoke_mandate(request.user, mandate, request=request)
    messages.success(request, _("The mandate of %(firm)s was revoked.") % {"firm": mandate.representative})
    return redirect("organisation_detail", pk=pk)


# --- Personal settings ------------------------------------------------------------------------------------------


@login_required
def preferences(request):
    user = request.user
    form = forms.PreferencesForm(
        request.POST or None,
        initial={"full_name": user.full_name, "language": user.language, "time_zone": user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            response = redirect("preferences")
            if user.language:
                translation.activate(user.language)

                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            messages.success(request, _("Preferences saved."))
            return response
    from allauth.mfa.models import Authenticator

    return render(
        request,
        "accounts/preferences.html",
        {
            "form": form,
            "has_two_factor": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "role": role_label(user.role, user.organisation.kind),
        },
    )


@login_required
def api_tokens(request):
    form = forms.ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_api_token(request.user, **form.cleaned_data, request=request)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form = forms.ApiTokenForm()
    tokens = policy.own_api_tokens(request.user)
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/api_tokens.html", {"form": form, "page": page, "new_key": new_key})


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(policy.own_api_tokens(request.user), pk=pk)
    services.revoke_api_token(request.user, token, request=request)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
