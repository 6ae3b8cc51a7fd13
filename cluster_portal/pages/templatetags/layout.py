"""The site's header and footer, rendered once for visitors who are not logged in.

For a visitor the header and footer depend only on the language, the section of the menu,
the site settings and the year, yet they were most of a plain page's rendering. So
`{% site_part %}` keeps them per process, keyed by exactly those; the one piece of the
request they show, the address the language switch returns to, is put in afterwards.
Logged-in people (their menu, unread count, logout form) always get them rendered.
"""

from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Stands for the current address in a kept part; never in a real URL (quote() leaves no '#').
NEXT_MARK = "#portal-next#"
MAX_KEPT = 256
_kept: dict[tuple, str] = {}


def _render(context, template_name: str, next_value: str) -> str:
    part = context.template.engine.get_template(template_name)
    with context.push(layout_next=next_value):
        return part.render(context)


def forget_kept_parts() -> None:
    """Drop the kept parts (tests that change what they show under one process)."""
    _kept.clear()


@register.simple_tag(takes_context=True)
def site_part(context, template_name: str) -> str:
    request = context.get("request")
    # As the `urlencode` filter writes it.
    next_value = quote(request.get_full_path(), safe="/") if request is not None else ""
    user = context.get("user")
    if request is None or user is None or user.is_authenticated:
        return _render(context, template_name, next_value)
    site_settings = context.get("site_settings")
    key = (
        template_name,
        get_language(),
        context.get("nav_section", ""),
        getattr(site_settings, "pk", None),
        getattr(site_settings, "updated_at", None),
        context.get("contact_email", ""),
        timezone.localdate().year,
    )
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        kept = _kept[key] = _render(context, template_name, NEXT_MARK)
    return mark_safe(kept.replace(NEXT_MARK, next_value))  # noqa: S308 -- a rendered template
