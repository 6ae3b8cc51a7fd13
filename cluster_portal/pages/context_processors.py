import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import translation

from .models import SiteSettings

NAV_SECTIONS = {"members", "competence_centres", "projects", "events"}
# The site's own pages that belong to a section of the menu.
PAGE_SECTIONS = {"directory": "members", "organisation_detail": "members", "my_cluster": ""}


def _nav_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace in NAV_SECTIONS:
        return match.namespace
    if match.namespace == "pages":
        if match.url_name.startswith("news"):
            return "news"
        return PAGE_SECTIONS.get(match.url_name, "")
    return ""


@functools.lru_cache(maxsize=32)
def _layout_links(language: str, script_prefix: str) -> dict:
    """The layout's links in one language: reversed once per process, not on every page
    (they were a tenth of a plain page's time)."""
    with translation.override(language):
        links = {
            name: reverse(url_name)
            for name, url_name in (
                ("home", "home"),
                ("directory", "pages:directory"),
                ("centres", "competence_centres:list"),
                ("projects", "projects:index"),
                ("events", "events:list"),
                ("news", "pages:news_list"),
                ("about", "pages:about"),
                ("privacy", "pages:privacy"),
            )
        }
    languages = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            own_name = translation.gettext(name)
        languages.append(
            {"code": code, "name": own_name, "url": reverse("switch_language", args=[code])}
        )
    links["languages"] = languages
    # The layout's own files, for the same reason: three `{% static %}` tags looked up the
    # manifest and joined URLs on every page, a quarter of the layout's rendering. They
    # change only with a deployment (a new process).
    links["static"] = {
        "favicon": static("img/favicon.svg"),
        "css": static("css/portal.css"),
        "htmx": static("vendor/htmx/htmx.min.js"),
    }
    return links


@receiver(setting_changed)
def _forget_on_new_settings(*, setting, **kwargs) -> None:
    # Tests that change where static files or URLs live.
    if setting in {"STATIC_URL", "STORAGES", "ROOT_URLCONF", "LANGUAGES"}:
        _layout_links.cache_clear()


def site(request):
    """The cluster's name, contact, the layout's links and the current section."""
    site_settings = SiteSettings.load()
    return {
        "layout_links": _layout_links(translation.get_language(), get_script_prefix()),
        "site_settings": site_settings,
        "contact_email": site_settings.contact_email or settings.PORTAL_CONTACT_EMAIL,
        "nav_section": _nav_section(request),
        "portal_demo_mode": settings.PORTAL_DEMO_MODE,
    }
