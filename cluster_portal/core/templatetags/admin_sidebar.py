"""The admin's navigation sidebar, written in one pass.

Every admin page draws it: Django's admin/app_list.html runs a dozen tags and filters for
each model (the request's path URL-encoded three times a row), a twentieth of the CPU
instructions of a proposal's page (bench/review.py). This writes the same markup (with
show_changelinks off, as the sidebar has it) from the same `available_apps`.
"""

from django import template
from django.template.defaultfilters import urlencode
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


def _model_row(model: dict, app_label: str, path: str, add: str) -> str:
    row_id = f"{app_label}-{model['object_name'].lower()}"
    admin_url, add_url = model["admin_url"], model["add_url"]
    current = bool(admin_url) and admin_url in path
    if admin_url:
        name = format_html(
            '<a href="{}"{}>{}</a>',
            admin_url,
            format_html(' aria-current="{}"', "page") if current else "",
            model["name"],
        )
    else:
        name = model["name"]
    add_link = (
        format_html(
            '<a href="{}" class="addlink" aria-describedby="{}">{}</a>', add_url, row_id, add
        )
        if add_url
        else ""
    )
    return format_html(
        # The line breaks around the name are Django's own.
        '<tr class="model-{}{}"><th scope="row" id="{}">\n{}\n</th><td>{}</td></tr>',
        model["object_name"].lower(),
        " current-model" if current else "",
        row_id,
        name,
        add_link,
    )


@register.simple_tag(takes_context=True)
def sidebar_app_list(context) -> str:
    """admin/app_list.html's markup for `available_apps`, without the change links."""
    apps = context.get("available_apps")
    if not apps:
        return format_html(
            "<p>{}</p>", gettext("You don’t have permission to view or edit anything.")
        )
    path = urlencode(context["request"].path)
    add = gettext("Add")
    head = format_html(
        '<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>',
        gettext("Model name"),
        gettext("Add link"),
        gettext("Change or view list link"),
    )
    return format_html_join(
        "\n",
        '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">'
        "{}</a></caption>{}{}</table></div>",
        (
            (
                app["app_label"],
                " current-app" if app["app_url"] in path else "",
                app["app_url"],
                gettext("Models in the %(name)s application") % {"name": app["name"]},
                app["name"],
                head,
                format_html_join(
                    "",
                    "{}",
                    ((_model_row(model, app["app_label"], path, add),) for model in app["models"]),
                ),
            )
            for app in apps
        ),
    )
