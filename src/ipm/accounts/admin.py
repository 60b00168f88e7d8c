from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ipm.accounts.models import ApiToken, Invitation, Mandate, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "require_two_factor", "is_active"]
    list_filter = ["kind", "is_active", "require_two_factor"]
    search_fields = ["name", "email"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("IPM", {"fields": ["organisation", "role", "language", "time_zone", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "organisation", "role", "password1", "password2"]})]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["representative", "right_holder", "granted_at", "revoked_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint"]
