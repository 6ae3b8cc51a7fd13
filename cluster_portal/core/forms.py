import uuid

from django import forms
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field of the site drawn by one template, templates/forms/field.html:
    `{{ form.name.as_field_group }}` in a page. Templates come from the project's settings,
    so templates/ may also override Django's widgets (the admin's date and time inputs)."""

    field_template_name = "forms/field.html"


class SubmissionKeyField(forms.UUIDField):
    """A hidden key, new on every page load, sent back with the form.

    A double click, a browser's retry or a resent request carries the same key, so the
    service that creates something recognises the twin of what it created a moment ago and
    answers with that instead of creating it again. A form sent again from a new page has a
    new key: a deliberate second submission is never mistaken for a repeat.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        # Not required: a page loaded before this field existed still submits, unprotected.
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)
