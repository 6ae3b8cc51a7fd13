from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.admin_decisions import DecisionActionsMixin
from cluster_portal.core.admin_rows import NamedEditableColumnsMixin

from .models import CentreParticipation, CompetenceCentre
from .services import participation_decide


@admin.register(CompetenceCentre)
class CompetenceCentreAdmin(NamedEditableColumnsMixin, admin.ModelAdmin):
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
class CentreParticipationAdmin(DecisionActionsMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "centre",
        "status",
        "requested_at",
        "requested_by",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "centre"]
    search_fields = ["organisation__name", "requested_by__email", "motivation"]
    list_select_related = ["organisation", "centre", "requested_by", "decided_by"]
    date_hierarchy = "requested_at"
    actions = ["accept", "decline"]
    # Requests come from the organisations' administrators and every change goes through the
    # services (locks, history, notifications); the rows are the history, never deleted.
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
        "left_by",
        "left_at",
    ]
    fieldsets = [
        (None, {"fields": ["organisation", "centre", "status"]}),
        (_("Request"), {"fields": ["motivation", "requested_by", "requested_at"]}),
        (_("Decision"), {"fields": ["decided_by", "decided_at", "decision_message"]}),
        (_("Departure"), {"fields": ["left_by", "left_at"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, accept, action, title, message_required):
        return self.decide(
            request,
            queryset.select_related("organisation", "centre"),
            decide_one=lambda participation, data: participation_decide(
                participation=participation,
                actor=request.user,
                accept=accept,
                message=data["message"],
            ),
            action=action,
            title=title,
            message_required=message_required,
            done_message=lambda done: (
                ngettext(
                    "%(title)s: done for %(count)d request.",
                    "%(title)s: done for %(count)d requests.",
                    done,
                )
                % {"title": title, "count": done}
            ),
        )

    @admin.action(description=_("Accept the selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        return self._decide(
            request,
            queryset,
            accept=True,
            action="accept",
            title=gettext("Accept"),
            message_required=False,
        )

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        return self._decide(
            request,
            queryset,
            accept=False,
            action="decline",
            title=gettext("Decline"),
            message_required=True,
        )
