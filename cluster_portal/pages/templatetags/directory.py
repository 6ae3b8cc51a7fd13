"""The directory's facet controls: one line of HTML per option, written here.

A search renders 37 options (kinds, regions, centres, sort) on every request its visitor
types; drawn with the template language's loops, conditions and variables they were 70 % of
the results' rendering. The two values that come from data, an option's value and its label,
are escaped here as a template would escape them; the rest is fixed text and numbers.
"""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def escape(value) -> str:
    # What django.utils.html.escape writes (html.escape of the text), without its wrapper
    # for lazy strings, which cost as much as the escaping itself for 74 values a page.
    return html.escape(str(value))


@register.simple_tag
def facet_checkboxes(name: str, options) -> SafeString:
    """A multiple-choice facet's options as list items, each a labelled checkbox and count."""
    name = escape(name)
    items = []
    for index, option in enumerate(options):
        none = "" if option.count or option.selected else " facet-option-none"
        checked = " checked" if option.selected else ""
        items.append(
            f'<li><label class="facet-option{none}"><input type="checkbox" name="{name}"'
            f' value="{escape(option.value)}" id="id_{name}_{index}"{checked}>'
            f'<span class="facet-label">{escape(option.label)}</span>'
            f' <span class="facet-count">({int(option.count)})</span></label></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 -- every value above is escaped


@register.simple_tag
def facet_select_options(options) -> SafeString:
    """A single-choice facet's options for its select; the count follows where there is one."""
    items = []
    for option in options:
        selected = " selected" if option.selected else ""
        count = "" if option.count is None else f" ({int(option.count)})"
        value, label = escape(option.value), escape(option.label)
        items.append(f'<option value="{value}"{selected}>{label}{count}</option>')
    return mark_safe("".join(items))  # noqa: S308 -- every value above is escaped
