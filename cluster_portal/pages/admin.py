from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.errors import DomainError
from cluster_portal.core.roles import is_cluster_coordinator
from members import admin as members_admin
from members.models import User

from .models import NewsPost, SiteSettings
from .privacy import rules as privacy_rules
from .privacy.deletion import account_delete


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
        (_("Privacy notice"), {"fields": ["privacy_pl", "privacy_en"]}),
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


# Deleting an account on request crosses the apps (registrations, centre roles, the audit
# log), so the action lives here, on top, on a subclass of the members' user admin.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(members_admin.UserAdmin):
    actions = ["anonymise_on_request"]

    def has_anonymise_permission(self, request):
        return is_cluster_coordinator(request.user)

    @admin.action(description=_("Delete and anonymise (on request)"), permissions=["anonymise"])
    def anonymise_on_request(self, request, queryset):
        title = gettext("Delete and anonymise (on request)")
        if "apply" not in request.POST:
            return TemplateResponse(
                request,
                "admin/members/user/anonymise.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": title,
                    "action": "anonymise_on_request",
                    "objects": list(queryset),
                },
            )
        done = 0
        for person in queryset:
            if not privacy_rules.can_delete_account_of(request.user, person):
                self.message_user(
                    request,
                    gettext("You may not delete the account %(account)s.")
                    % {"account": f"#{person.pk}"},
                    messages.ERROR,
                )
                continue
            try:
                account_delete(user=person, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"#{person.pk}: {error}", messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account deleted and anonymised.",
                    "%(count)d accounts deleted and anonymised.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        return None
