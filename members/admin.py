from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cluster_portal.core.admin_decisions import DecisionActionsMixin
from cluster_portal.core.admin_rows import NamedRowsTabularInline
from cluster_portal.core.audit import AuditedChangePageMixin, audit_record
from cluster_portal.core.csv_export import csv_response
from cluster_portal.core.enums import AuditAction

from .enums import OrganisationDecision
from .forms import LogoUploadForm
from .models import Invitation, Organisation, OrganisationMembership, User
from .services import (
    organisation_approve,
    organisation_reinstate,
    organisation_reject,
    organisation_resign,
    organisation_save_by_coordinator,
    organisation_suspend,
)


class MembershipInline(NamedRowsTabularInline):
    """Who belongs where, for reading. Roles change only through the colleague services
    (invitations, the last-admin rule), never by editing rows here."""

    model = OrganisationMembership
    extra = 0
    fields = readonly_fields = ["user", "organisation", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationAdminForm(LogoUploadForm, forms.ModelForm):
    class Meta:
        model = Organisation
        fields: list[str] = []  # the admin's fieldsets choose them


@admin.register(User)
class UserAdmin(AuditedChangePageMixin, DjangoUserAdmin):
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

    def is_others_record(self, request, obj) -> bool:
        return obj.pk != request.user.pk

    def save_model(self, request, obj, form, change):
        # Rights are compared before the user is saved and after its groups are (in
        # save_related), so that one audit entry says what changed.
        request.rights_before = _rights(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        person = form.instance
        super().save_related(request, form, formsets, change)
        before, after = getattr(request, "rights_before", None), _rights(person)
        if change and before is not None and before != after and person.pk != request.user.pk:
            audit_record(
                actor=request.user,
                action=AuditAction.ROLE_CHANGED,
                target=person,
                detail=_rights_change(before, after),
            )


def _rights(person) -> dict:
    person = type(person).objects.get(pk=person.pk)
    return {
        "active": person.is_active,
        "staff": person.is_staff,
        "superuser": person.is_superuser,
        "groups": sorted(person.groups.values_list("name", flat=True)),
        "permissions": sorted(person.user_permissions.values_list("codename", flat=True)),
    }


def _rights_change(before: dict, after: dict) -> str:
    return "; ".join(
        f"{name}: {before[name]} → {after[name]}" for name in after if before[name] != after[name]
    )[:255]


@admin.register(Organisation)
class OrganisationAdmin(AuditedChangePageMixin, DecisionActionsMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "region", "city", "status", "is_public", "joined_on"]
    list_filter = ["status", "kind", "region", "is_public"]
    search_fields = ["name", "nip", "regon", "krs", "city"]
    prepopulated_fields = {"slug": ["name"]}
    # Status changes go through the membership services (with history and notifications),
    # never through a plain edit.
    readonly_fields = [
        "status",
        "current_logo",
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
            {"fields": ["website", "description", "specialisations", "size_band"]},
        ),
        (
            _("Logo"),
            {"fields": ["current_logo", "logo_upload"]},
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "contact_email", "contact_phone", "contact_is_public"]},
        ),
        (_("Decision"), {"fields": ["decided_by", "decided_at", "decision_message"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("current logo"))
    def current_logo(self, organisation):
        if not organisation.logo_thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="80">',
            organisation.logo_thumbnail.url,
            _("Logo of %(name)s") % {"name": organisation.name},
        )

    def is_others_record(self, request, obj) -> bool:
        return not obj.memberships.filter(user=request.user).exists()

    def save_model(self, request, obj, form, change):
        organisation_save_by_coordinator(
            actor=request.user, organisation=obj, logo=form.processed_logo
        )

    def _decide(self, request, queryset, *, service, decision, message_required):
        title = str(OrganisationDecision(decision).label)
        return self.decide(
            request,
            queryset,
            decide_one=lambda organisation, data: service(
                organisation=organisation, actor=request.user, message=data["message"]
            ),
            action=decision,
            title=title,
            message_required=message_required,
            done_message=lambda done: (
                ngettext(
                    "%(title)s: done for %(count)d organisation.",
                    "%(title)s: done for %(count)d organisations.",
                    done,
                )
                % {"title": title, "count": done}
            ),
        )

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_approve,
            decision=OrganisationDecision.APPROVE,
            message_required=False,
        )

    @admin.action(description=_("Reject the selected applications"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_reject,
            decision=OrganisationDecision.REJECT,
            message_required=True,
        )

    @admin.action(description=_("Suspend the selected members"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_suspend,
            decision=OrganisationDecision.SUSPEND,
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
            decision=OrganisationDecision.RESIGN,
            message_required=False,
        )

    @admin.action(description=_("Reinstate the selected suspended members"), permissions=["change"])
    def reinstate(self, request, queryset):
        return self._decide(
            request,
            queryset,
            service=organisation_reinstate,
            decision=OrganisationDecision.REINSTATE,
            message_required=False,
        )

    @admin.action(description=_("Export the selected organisations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
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

        def cell(organisation, name):
            display = getattr(organisation, f"get_{name}_display", None)
            return display() if display else getattr(organisation, name)

        audit_record(
            actor=request.user,
            action=AuditAction.ADMIN_EXPORT,
            target=Organisation,
            detail=f"csv: {queryset.count()} rows",
        )
        return csv_response(
            filename="members",
            header=[capfirst(Organisation._meta.get_field(name).verbose_name) for name in columns],
            rows=(
                [cell(organisation, name) for name in columns]
                for organisation in queryset.order_by("name")
            ),
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


# allauth's admin shows and edits an authenticator's `data`: the TOTP secret and the
# recovery-code seed, which belong to their owner alone (DESIGN.md, "Secrets"). Ours lists
# second factors so that a lost one can be deleted, and shows nothing that works as a code.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
