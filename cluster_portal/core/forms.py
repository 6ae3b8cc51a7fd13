from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field of the site drawn by one template, templates/forms/field.html:
    `{{ form.name.as_field_group }}` in a page. Templates come from the project's settings,
    so templates/ may also override Django's widgets (the admin's date and time inputs)."""

    field_template_name = "forms/field.html"
