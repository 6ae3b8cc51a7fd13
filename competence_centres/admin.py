from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CentreParticipation, CompetenceCentre


@admin.register(CompetenceCentre)
class CompetenceCentreAdmin(admin.ModelAdmin):
    list_display = ["name_pl", "name_en", "order", "leader", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_pl", "name_en"]
    autocomplete_fields = ["leader", "coordinators"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "order", "is_active", "leader", "coordinators"]}),
        (_("Polish"), {"fields": ["name_pl", "summary_pl", "description_pl"]}),
        (_("English"), {"fields": ["name_en", "summary_en", "description_en"]}),
    ]


@admin.register(CentreParticipation)
class CentreParticipationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "centre", "status", "requested_at", "decided_at"]
    list_filter = ["status", "centre"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "centre"]
    readonly_fields = [
        "organisation",
        "centre",
        "status",
        "motivation",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_message",
    ]
