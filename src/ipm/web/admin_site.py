"""Django's admin site is for the secretariat only; the rule lives in the access policy."""

from django.contrib import admin

from ipm.access import policy


def _secretariat_only(request):
    return policy.may_use_admin_site(request.user)


admin.site.has_permission = _secretariat_only
admin.site.site_header = "IPM"
admin.site.site_title = "IPM"
