"""What a person reads of their notifications, and which e-mails they want."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from .enums import ESSENTIAL_CATEGORIES, NotificationCategory
from .models import Notification, NotificationPreference


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's notifications shown on the site, newest first."""
    return Notification.objects.for_site(user).only(
        "id", "subject", "created_at", "read_at", "category", "link"
    )


def unread_count_for(*, user) -> int:
    """The header's badge: one indexed COUNT."""
    return Notification.objects.for_site(user).unread().count()


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def preference_set(*, user, category: str, email_enabled: bool) -> None:
    if category in ESSENTIAL_CATEGORIES or category not in NotificationCategory.values:
        raise ValueError(f"{category!r} cannot be switched off")
    NotificationPreference.objects.update_or_create(
        user=user, category=category, defaults={"email_enabled": email_enabled}
    )


def preference_unsubscribe(*, user_id: int, category: str, issued_at_ms: int) -> bool:
    """Switch a category off for the user of a link issued at `issued_at_ms` (Unix time in
    milliseconds). Using the link again is harmless while the category stays off.

    False when the user no longer exists, or switched the category back on after the link
    was issued: their own later choice wins over an old mail's link.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    preference = NotificationPreference.objects.filter(user=user, category=category).first()
    if preference is not None:
        if not preference.email_enabled:
            return True
        if preference.updated_at > datetime.fromtimestamp(issued_at_ms / 1000, tz=UTC):
            return False
    preference_set(user=user, category=category, email_enabled=False)
    return True


def email_categories_for(user) -> dict[str, bool]:
    disabled = set(
        NotificationPreference.objects.filter(user=user, email_enabled=False).values_list(
            "category", flat=True
        )
    )
    return {category: category not in disabled for category in NotificationCategory.values}
