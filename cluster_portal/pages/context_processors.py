from django.conf import settings

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


def site(request):
    """The cluster's name, contact and the current section for the layout."""
    site_settings = SiteSettings.load()
    return {
        "site_settings": site_settings,
        "contact_email": site_settings.contact_email or settings.PORTAL_CONTACT_EMAIL,
        "nav_section": _nav_section(request),
        "portal_demo_mode": settings.PORTAL_DEMO_MODE,
    }
