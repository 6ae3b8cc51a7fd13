import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.errors import DomainError

from .models import Invitation, Organisation, OrganisationMembership, User
from .services import (
    organisation_approve,
    organisation_refresh_search,
    organisation_reinstate,
    organisation_reject,
    organisation_resign,
    organisation_suspend,
)


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        required=False,
        help_text=_("Sent in the e-mail with the decision and kept with the organisation."),
    )


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
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]
    actions = ["approve", "reject", "suspend", "resign", "reinstate", "export_csv"]
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        organisation_refresh_search(organisation_ids=[obj.pk])

    def _decide(self, request, queryset, *, service, action, title, message_required):
        """Ask for the message on a confirmation page, then decide through the service."""
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        form.fields["message"].required = message_required
        if "apply" in request.POST and form.is_valid():
            done = 0
            for organisation in queryset:
                try:
                    service(
                        organisation=organisation,
                        actor=request.user,
                        message=form.cleaned_data["message"],
                    )
                except DomainError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    continue
                self.log_change(request, organisation, f"{title}: {form.cleaned_data['message']}")
                done += 1
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(title)s: done for %(count)d organisation.",
                        "%(title)s: done for %(count)d organisations.",
                        done,
                    )
                    % {"title": title, "count": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/members/organisation/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "action": action,
                "organisations": list(queryset),
                "form": form,
            },
        )

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_approve,
            action="approve",
            title=gettext("Approve"),
            message_required=False,
        )

    @admin.action(description=_("Reject the selected applications"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_reject,
            action="reject",
            title=gettext("Reject"),
            message_required=True,
        )

    @admin.action(description=_("Suspend the selected members"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_suspend,
            action="suspend",
            title=gettext("Suspend"),
            message_required=True,
        )

    @admin.action(
        description=_("Record the resignation of the selected members"), permissions=["change"]
    )
    def resign(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_resign,
            action="resign",
            title=gettext("Record resignation"),
            message_required=False,
        )

    @admin.action(description=_("Reinstate the selected suspended members"), permissions=["change"])
    def reinstate(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_reinstate,
            action="reinstate",
            title=gettext("Reinstate"),
            message_required=False,
        )

    @admin.action(description=_("Export the selected organisations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Polish letters right
        writer = csv.writer(response)
        columns = [
            "name",
            "kind",
            "status",
            "nip",
            "regon",
            "krs",
            "street",
            "postal_code",
            "city",
            "region",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "joined_on",
            "is_public",
        ]
        writer.writerow([Organisation._meta.get_field(name).verbose_name for name in columns])
        for organisation in queryset.order_by("name"):
            row = []
            for name in columns:
                value = getattr(organisation, name)
                display = getattr(organisation, f"get_{name}_display", None)
                value = display() if display else value
                text = "" if value is None else str(value)
                # A cell starting with = + - @ would run as a formula in a spreadsheet.
                row.append("'" + text if text[:1] in ("=", "+", "-", "@") else text)
            writer.writerow(row)
        return response


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False
