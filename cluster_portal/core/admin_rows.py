"""The admin's tables: names for the inputs of inline rows and a changelist's editable
columns, and changelist rows that are cheap to write.

Django puts those inputs in table cells under a column header, with no <label>, so screen
readers announce "checkbox" or "combo box" with no name. Each input gets an aria-label
naming its column and its row, e.g. "Role: Anna Nowak".
"""

import datetime

from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
)
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


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


class QuickRowsChangeList(ChangeList):
    """A changelist whose rows are written in one pass, each cell a string.

    Django's `items_for_result` looks every cell up again by its column's name, formats it
    and wraps it through `format_html` (for a list of 25 proposals a third of the page,
    bench/review.py); what a column is (a model field, a method of the admin, a link) is
    the same in every row, so it is worked out once per page here, and each row is then a
    string written from its values, with Django's markup (classes, `<th>` link) unchanged.

    Each row's link, likewise: Django reverses it, then resolves it again to add the list's
    filters (`add_preserved_filters`). It differs from the other rows' only by its key, so
    it is reversed once per page, and the filters a coordinator returns to are appended
    here; the base class then finds nothing left to add.

    Lists with editable columns or shown in a popup keep Django's own drawing.
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

    @cached_property
    def quick_results(self) -> dict:
        """What admin/change_list_results.html takes, as Django's `result_list` tag gives it."""
        headers = list(result_headers(self))
        links = self.list_display_links
        columns, linked = [], False
        for index, name in enumerate(self.list_display):
            # As Django: the columns of list_display_links, else the first; a <th> the first.
            is_link = links is not None and (name in links or (not links and index == 0))
            columns.append(self._column(index, name, is_link, "td" if linked else "th"))
            linked = linked or is_link
        rows = [
            # Each cell escapes what it shows (_column's `cell`).
            mark_safe("".join(cell(result) for cell in columns))  # noqa: S308
            for result in self.result_list
        ]
        return {
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": [ResultList(None, [row]) for row in rows],
        }

    def _column(self, index: int, name, is_link: bool, link_tag: str):
        """A function writing this column's cell of a row, as `items_for_result` would."""
        model_admin = self.model_admin
        empty = model_admin.get_empty_value_display()
        classes = f"field-{_coerce_field_name(name, index)}"
        tag = link_tag if is_link else "td"
        try:
            field = _get_non_gfk_field(self.opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None

        if field is None or field.auto_created:
            if name == "action_checkbox":
                classes = "action-checkbox"

            def show(result):
                try:
                    _f, attr, value = lookup_field(name, result, model_admin)
                except ObjectDoesNotExist:
                    return classes, empty
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                shown = display_for_value(
                    value, getattr(attr, "empty_value_display", empty), boolean
                )
                if isinstance(value, datetime.date | datetime.time):
                    return f"{classes} nowrap", shown
                return classes, shown

        else:
            if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
                classes = f"{classes} nowrap"
            related = isinstance(field.remote_field, models.ManyToOneRel)

            def show(result):
                try:
                    value = getattr(result, name)
                except ObjectDoesNotExist:
                    return classes, empty
                if related:
                    return classes, empty if value is None else value
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                return classes, display_for_field(value, field, empty, avoid_link=is_link)

        def cell(result) -> str:
            row_classes, shown = show(result)
            shown = conditional_escape(shown)
            if is_link:
                shown = f'<a href="{conditional_escape(self.url_for_result(result))}">{shown}</a>'
            return f'<{tag} class="{row_classes}">{shown}</{tag}>'

        return cell


class QuickRowsMixin:
    """For a ModelAdmin whose list is long and often filtered (QuickRowsChangeList). Its
    list is drawn by admin/quick_rows_change_list.html, in place of a model's own
    change_list.html."""

    change_list_template = "admin/quick_rows_change_list.html"

    def get_changelist(self, request, **kwargs):
        return QuickRowsChangeList
