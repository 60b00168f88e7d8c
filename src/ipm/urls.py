from django.contrib import admin
from django.urls import include, path

from ipm.accounts import views as accounts
from ipm.api.main import api
from ipm.audit import views as audit
from ipm.web import admin_site  # noqa: F401  (restricts Django's admin to the secretariat)
from ipm.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("manifest.webmanifest", web.manifest, name="manifest"),
    path("language/", web.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("organisations/", accounts.organisation_list, name="organisation_list"),
    path("organisations/new/", accounts.organisation_onboard, name="organisation_onboard"),
    path("organisations/<int:pk>/", accounts.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/settings/", accounts.organisation_settings, name="organisation_settings"),
    path("organisations/<int:pk>/status/", accounts.organisation_status, name="organisation_status"),
    path("organisations/<int:pk>/invite/", accounts.invite, name="invite"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        accounts.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organisations/<int:pk>/mandates/", accounts.mandate_grant, name="mandate_grant"),
    path(
        "organisations/<int:pk>/mandates/<int:mandate_pk>/revoke/",
        accounts.mandate_revoke,
        name="mandate_revoke",
    ),
    path("members/<int:pk>/", accounts.member_edit, name="member_edit"),
    path("settings/", accounts.preferences, name="preferences"),
    path("settings/tokens/", accounts.api_tokens, name="api_tokens"),
    path("settings/tokens/<int:pk>/revoke/", accounts.api_token_revoke, name="api_token_revoke"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("products/", include("ipm.catalog.urls")),
    path("scan/", include("ipm.scans.urls")),
    path("connected/officer/", include("ipm.connected.urls_verification")),
    path("connected/", include("ipm.connected.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("media/", include("ipm.web.media_views")),
    # GS1 Digital Link paths (/01/…) and /.well-known/gs1resolver live at the root, as the standard requires.
    path("", include("ipm.resolver.urls")),
]

handler400 = "ipm.web.views.bad_request"
handler403 = "ipm.web.views.forbidden"
handler404 = "ipm.web.views.not_found"
handler500 = "ipm.web.views.server_error"
