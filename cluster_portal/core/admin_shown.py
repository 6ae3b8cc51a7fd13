"""Change pages that only show: their fieldsets drawn from values prepared in one pass.

When nothing on a page may be changed, Django draws every field through an
AdminReadonlyField (a label, a help text and the value looked up again for each) and the
nested template admin/includes/fieldset.html: on a proposal's page, a sixth of its cost
(bench/review.py). The markup here is that template's for a read-only field, so the page
looks and reads (labels, headings) as before.
"""

from django.contrib.admin.helpers import AdminReadonlyField
from django.contrib.admin.utils import display_for_field, quote
from django.core.exceptions import FieldDoesNotExist
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.text import capfirst


def _related_link(model_admin, related) -> str:
    opts = related._meta
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[quote(related.pk)],
            current_app=model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return str(related)
    return format_html('<a href="{}">{}</a>', url, related)


def _shown_field(model_admin, obj, form, name: str) -> dict:
    """A field's label, help text and value as AdminReadonlyField would show them."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is None or field.auto_created or not (field.concrete or field.many_to_many):
        # A method of the admin or the model: Django's own drawing, it is rare.
        shown = AdminReadonlyField(form, name, is_first=True, model_admin=model_admin)
        return {
            "name": name,
            "label": capfirst(shown.field["label"]),
            "help_text": shown.field["help_text"],
            "value": shown.contents(),
        }
    empty = model_admin.get_empty_value_display()
    if field.many_to_many:
        value = ", ".join(map(str, getattr(obj, name).all()))
    elif field.is_relation:
        related = getattr(obj, name)
        value = empty if related is None else _related_link(model_admin, related)
    else:
        value = display_for_field(getattr(obj, name), field, empty)
    return {
        "name": name,
        "label": capfirst(field.verbose_name),
        "help_text": field.help_text,
        "value": conditional_escape(linebreaksbr(value)),
    }


def shown_fieldsets(model_admin, request, obj, form) -> list[dict]:
    """The fieldsets of `obj`'s page, each field with its label, help text and value."""
    return [
        {
            "name": name,
            "classes": " ".join(options.get("classes", ())),
            "description": options.get("description"),
            "fields": [
                _shown_field(model_admin, obj, form, field)
                for line in options["fields"]
                # A line of several fields is shown as one field a row.
                for field in (line if isinstance(line, list | tuple) else [line])
            ],
        }
        for name, options in model_admin.get_fieldsets(request, obj)
    ]


class ShownFieldsetsMixin:
    """For a ModelAdmin whose change page may only be read (no change permission on the
    object): its change_form template draws `shown_fieldsets` through
    admin/includes/shown_fieldsets.html. Each field gets a row of its own, and a
    collapsible fieldset is shown open."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            form = context["adminform"].form
            context["shown_fieldsets"] = shown_fieldsets(self, request, obj, form)
            context["shown_label_suffix"] = form.label_suffix
        return super().render_change_form(request, context, add, change, form_url, obj)
