"""Secretariat views of Connected data. Approval, secrets and links go through ``connected.services`` (pages and
API), so the admin shows services read-mostly and verifications read-only."""

from django.contrib import admin

from ipm.connected.models import Service, ServiceCoverage, ServiceLink, Verification


class CoverageInline(admin.TabularInline):
    model = ServiceCoverage
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "provider", "reach", "status", "approved_at"]
    list_filter = ["status", "reach"]
    search_fields = ["name", "public_id", "provider__name"]
    readonly_fields = ["public_id", "status", "approved_at", "approved_by", "created_at", "updated_at"]
    inlines = [CoverageInline]


@admin.register(ServiceLink)
class ServiceLinkAdmin(admin.ModelAdmin):
    list_display = ["service", "right_holder", "brand", "product", "active", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["brand", "product", "created_by"]


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """Read-only: verifications are records of what a provider answered."""

    list_display = ["created_at", "service", "outcome", "fault", "country", "latency_ms"]
    list_filter = ["outcome", "fault", "country"]
    search_fields = ["request_id", "gtin", "serial"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
