"""Bilingual content stored as `<field>_pl` / `<field>_en` columns.

The cluster office writes the Polish text and, where they can, the English one; readers get the
text in their language and the other one when a translation is missing.
"""

from django.conf import settings
from django.utils.translation import get_language


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class TranslatedField:
    """A read-only attribute that picks `<name>_<active language>` with a fallback."""

    def __init__(self, name: str):
        self.name = name

    def __set_name__(self, owner, attribute):
        self.attribute = attribute

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        active = (get_language() or settings.LANGUAGE_CODE)[:2]
        order = [active, *[code for code in content_languages() if code != active]]
        for code in order:
            value = getattr(instance, f"{self.name}_{code}", "")
            if value:
                return value
        return ""
