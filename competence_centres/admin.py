from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.errors import DomainError

from .forms import AdminDecisionForm
from .models import CentreParticipation, CompetenceCentre
from .services import participation_decide


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
        """Ask for the message on a confirmation page, then decide through the service."""
        form = AdminDecisionForm(request.POST if "apply" in request.POST else None)
        form.fields["message"].required = message_required
        queryset = queryset.select_related("organisation", "centre")
        if "apply" in request.POST and form.is_valid():
            done = 0
            for participation in queryset:
                try:
                    participation_decide(
                        participation=participation,
                        actor=request.user,
                        accept=accept,
                        message=form.cleaned_data["message"],
                    )
                except DomainError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    continue
                self.log_change(request, participation, f"{title}: {form.cleaned_data['message']}")
                done += 1
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(title)s: done for %(count)d request.",
                        "%(title)s: done for %(count)d requests.",
                        done,
                    )
                    % {"title": title, "count": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/competence_centres/centreparticipation/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "action": action,
                "participations": list(queryset),
                "form": form,
            },
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
