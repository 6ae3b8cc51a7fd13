"""URLs of the objects every public page links to, reversed once per process.

A URL depends only on the view's name, its arguments, the active language (the language
prefix), the script prefix and the URLconf, and reversing took a tenth of a plain page's time
(the about page links the seven centres; a directory card its organisation). So each
combination is reversed once and kept.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def reverse_kept(viewname: str, **kwargs) -> str:
    """`reverse(viewname, kwargs=kwargs)`, kept per language, script prefix and URLconf."""
    return _reverse(
        viewname, tuple(sorted(kwargs.items())), get_language(), get_script_prefix(), get_urlconf()
    )


@functools.lru_cache(maxsize=8192)
def _reverse(viewname, items, language, script_prefix, urlconf) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(items))


@receiver(setting_changed)
def _forget_on_new_urlconf(*, setting, **kwargs) -> None:
    # Tests that swap the root URLconf (override_settings) clear Django's resolver caches too.
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
