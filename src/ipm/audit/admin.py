from django.contrib import admin

from ipm.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is appended to by the application and never edited by hand."""

    list_display = ["occurred_at", "action", "actor_email", "organisation", "target_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
