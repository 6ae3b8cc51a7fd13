from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, OrganisationMembership, User


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "job_title", "phone", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "city", "status", "is_public", "joined_on"]
    list_filter = ["status", "kind", "region", "is_public"]
    search_fields = ["name", "nip", "regon", "krs", "city"]
    prepopulated_fields = {"slug": ["name"]}
    # Status changes go through the membership services (with history and notifications),
    # never through a plain edit.
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "decision_message",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "is_public", "joined_on"]}),
        (_("Legal identifiers"), {"fields": ["nip", "regon", "krs"]}),
        (_("Address"), {"fields": ["street", "postal_code", "city", "region", "country"]}),
        (
            _("Profile"),
            {"fields": ["website", "description", "specialisations", "size_band", "logo"]},
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "contact_email", "contact_phone", "contact_is_public"]},
        ),
        (_("Decision"), {"fields": ["decided_by", "decided_at", "decision_message"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
