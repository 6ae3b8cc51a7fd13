from django.conf import settings

from .models import SiteSettings


def site(request):
    """The cluster's name and contact for the layout, read once per request from the cache."""
    return {
        "site_settings": SiteSettings.load(),
        "portal_demo_mode": settings.PORTAL_DEMO_MODE,
    }
