from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Event
from .services import event_publish


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_pl", "kind", "starts_at", "city", "audience", "is_published"]
    list_filter = ["is_published", "kind", "audience", "centres"]
    search_fields = ["title_pl", "title_en", "venue", "city"]
    date_hierarchy = "starts_at"
    # Publishing announces the event to its audience: it goes through the service (the
    # action below), never through a checkbox.
    readonly_fields = ["is_published"]
    actions = ["publish"]
    prepopulated_fields = {"slug": ["title_pl"]}
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Seven centres fit in a list of checkboxes; the two-box filter widget would be more
        # to operate, and its search icons carry ARIA that screen readers cannot use.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    fieldsets = [
        (None, {"fields": ["kind", "slug", "audience", "is_published", "centres"]}),
        (_("Polish"), {"fields": ["title_pl", "summary_pl", "description_pl"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "description_en"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "venue", "city", "online_url"]}),
        (
            _("Registration"),
            {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]},
        ),
    ]

    @admin.action(description=_("Publish and announce the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        announced = published = 0
        for event in queryset:
            if event.is_published:
                continue
            announced += event_publish(event=event)
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d event published; %(people)d people notified.",
                "%(count)d events published; %(people)d people notified.",
                published,
            )
            % {"count": published, "people": announced},
            messages.SUCCESS if published else messages.WARNING,
        )
