"""The privacy notice: the coordinators' text from the site settings, or the default."""

from pathlib import Path

from django.conf import settings as django_settings
from django.utils.translation import get_language

from ..models import SiteSettings

DEFAULTS = Path(__file__).parent


def retention_periods() -> dict[str, int]:
    return {
        "unverified_days": django_settings.PORTAL_RETENTION_UNVERIFIED_DAYS,
        "notification_body_days": django_settings.PORTAL_RETENTION_NOTIFICATION_BODY_DAYS,
        "declined_application_days": django_settings.PORTAL_RETENTION_DECLINED_APPLICATION_DAYS,
    }


def notice_text() -> str:
    """The notice in the current language; the other language when this one is empty; the
    portal's default (with the retention periods filled in) when both are."""
    text = SiteSettings.load().privacy
    if text.strip():
        return text
    language = "pl" if (get_language() or "pl").startswith("pl") else "en"
    default = (DEFAULTS / f"default_notice_{language}.txt").read_text(encoding="utf-8")
    return default.format(**retention_periods())
