"""Names for the inputs of the admin's tables: inline rows and a changelist's editable columns.

Django puts those inputs in table cells under a column header, with no <label>, so screen
readers announce "checkbox" or "combo box" with no name. Each input gets an aria-label
naming its column and its row, e.g. "Role: Anna Nowak".
"""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet, BaseModelFormSet


def name_row_inputs(form) -> None:
    row = str(form.instance) if form.instance.pk else ""
    for form_field in form.fields.values():
        if form_field.widget.is_hidden:
            continue
        name = f"{form_field.label}: {row}" if row else str(form_field.label)
        # Past the related-object wrapper: its `attrs` is shared by every copy of the form.
        widget = getattr(form_field.widget, "widget", form_field.widget)
        widget.attrs.setdefault("aria-label", name)


class NamedRowsInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)  # adds the "Delete" checkbox, which needs a name too
        name_row_inputs(form)


class NamedRowsModelFormSet(BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_row_inputs(form)


class NamedRowsTabularInline(admin.TabularInline):
    formset = NamedRowsInlineFormSet


class NamedEditableColumnsMixin:
    """For a ModelAdmin with `list_editable`."""

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=NamedRowsModelFormSet, **kwargs)
