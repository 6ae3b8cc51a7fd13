"""The admin's tables: names for the inputs of inline rows and a changelist's editable
columns, and row links that are cheap to write.

Django puts those inputs in table cells under a column header, with no <label>, so screen
readers announce "checkbox" or "combo box" with no name. Each input gets an aria-label
naming its column and its row, e.g. "Role: Anna Nowak".
"""

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.urls import reverse


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


class QuickRowLinksChangeList(ChangeList):
    """A changelist whose row links cost a string each, not a URL resolution.

    Django reverses each row's link, then resolves it again to add the list's filters
    (`add_preserved_filters`): for a list of 25 that was a tenth of the page. The link of a
    row differs from the others only by its key, so it is reversed once per page, and the
    filters a coordinator returns to are appended here; the base class then finds nothing
    left to add.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_link_filters, self.preserved_filters = self.preserved_filters, ""
        self._row_link_template = None

    def url_for_result(self, result):
        if self._row_link_template is None:
            placeholder = "0"
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(placeholder,),
                current_app=self.model_admin.admin_site.name,
            )
            head, _, tail = url.rpartition(f"/{placeholder}/")
            query = f"?{self.row_link_filters}" if self.row_link_filters else ""
            self._row_link_template = (f"{head}/", f"/{tail}{query}")
        head, tail = self._row_link_template
        return f"{head}{quote(getattr(result, self.pk_attname))}{tail}"


class QuickRowLinksMixin:
    """For a ModelAdmin whose list is long and often filtered (QuickRowLinksChangeList)."""

    def get_changelist(self, request, **kwargs):
        return QuickRowLinksChangeList
