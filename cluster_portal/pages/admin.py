from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import NewsPost, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            _("Polish"),
            {"fields": ["cluster_name_pl", "tagline_pl", "about_pl", "goals_pl", "benefits_pl"]},
        ),
        (
            _("English"),
            {"fields": ["cluster_name_en", "tagline_en", "about_en", "goals_en", "benefits_en"]},
        ),
        (_("Contact"), {"fields": ["contact_email", "contact_phone", "address"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is one row: the list would only ever show it, so open it directly.
        settings_row = SiteSettings.load()
        return redirect(reverse("admin:pages_sitesettings_change", args=[settings_row.pk]))


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title_pl", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title_pl", "title_en", "body_pl", "body_en"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title_pl"]}
    fieldsets = [
        (None, {"fields": ["slug", "is_published", "published_at"]}),
        (_("Polish"), {"fields": ["title_pl", "lead_pl", "body_pl"]}),
        (_("English"), {"fields": ["title_en", "lead_en", "body_en"]}),
    ]
