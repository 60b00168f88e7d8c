"""The shell: home pages per role, language switching, the web app manifest and a health check."""

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ipm.access import policy
from ipm.accounts.models import OrganisationKind, role_label
from ipm.accounts.services import update_preferences

HOME_TEMPLATES = {
    OrganisationKind.SECRETARIAT: "web/home/secretariat.html",
    OrganisationKind.CUSTOMS: "web/home/customs.html",
    OrganisationKind.RIGHT_HOLDER: "web/home/right_holder.html",
    OrganisationKind.LEGAL_REPRESENTATIVE: "web/home/legal_representative.html",
    OrganisationKind.SERVICE_PROVIDER: "web/home/service_provider.html",
}


def home(request):
    user = request.user
    if not policy.is_active_member(user):
        return render(request, "web/home/public.html")
    organisation = user.organisation
    context = {
        "organisation": organisation,
        "role": role_label(user.role, organisation.kind),
        "is_admin": policy.is_org_admin(user),
        "recent_events": policy.visible_audit_events(user).select_related("actor")[:5],
    }
    if policy.is_org_admin(user):
        members = policy.visible_users(user).filter(organisation=organisation)
        context["member_figures"] = members.aggregate(
            active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
        )
        context["pending_invitations"] = (
            policy.manageable_invitations(user).filter(organisation=organisation).pending().count()
        )
    if policy.is_secretariat(user):
        context["organisation_figures"] = (
            policy.visible_organisations(user).values("kind").annotate(count=Count("pk")).order_by("kind")
        )
        context["kind_labels"] = dict(OrganisationKind.choices)
    if organisation.kind == OrganisationKind.LEGAL_REPRESENTATIVE:
        context["represented"] = policy.represented_right_holders(user)
    if organisation.kind == OrganisationKind.RIGHT_HOLDER:
        context["representatives"] = policy.visible_organisations(user).filter(
            kind=OrganisationKind.LEGAL_REPRESENTATIVE
        )
    return render(request, HOME_TEMPLATES[organisation.kind], context)


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on a signed-in user's account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        update_preferences(request.user, language=language)
    return response


@cache_control(max_age=86400, public=True)
def manifest(request):
    with translation.override(translation.get_language()):
        data = {
            "name": str(_("IPM — Interface Public-Members")),
            "short_name": "IPM",
            "description": str(_("Genuine product data for customs officers")),
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#ffffff",
            "theme_color": "#0b3d91",
            "lang": translation.get_language(),
            "dir": "rtl" if translation.get_language_bidi() else "ltr",
            "icons": [
                {"src": static("ipm/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("ipm/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("ipm/icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def healthz(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "web/errors/403.html", status=403)


def server_error(request):
    """Rendered without the shell's context processors: when the database is what failed, they would fail too."""
    from django.template.loader import get_template

    try:
        body = get_template("web/errors/500_plain.html").render({"request": request})
    except Exception:  # noqa: BLE001 - the last line of defence must not raise
        body = "<h1>500</h1>"
    return HttpResponse(body, status=500)


def bad_request(request, exception=None):
    return render(request, "web/errors/400.html", status=400)
