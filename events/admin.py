from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_pl", "kind", "starts_at", "city", "audience", "is_published"]
    list_filter = ["is_published", "kind", "audience", "centres"]
    search_fields = ["title_pl", "title_en", "venue", "city"]
    date_hierarchy = "starts_at"
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
