"""How long the outbox keeps what it sent, and forgetting a person's mail."""

from django.db import transaction
from django.db.models import Q

from .enums import NotificationStatus
from .models import Notification, NotificationPreference


def notification_bodies_clear(*, sent_before) -> int:
    """Clear the bodies of mail sent (or given up) before `sent_before`; subject, kind,
    status and dates stay for the admin. Returns how many rows were cleared; a second run
    clears none."""
    with transaction.atomic():
        return (
            Notification.objects.filter(
                Q(status=NotificationStatus.SENT, sent_at__lt=sent_before)
                | Q(
                    status__in=[NotificationStatus.FAILED, NotificationStatus.SKIPPED],
                    created_at__lt=sent_before,
                )
            )
            .exclude(body_text="", body_html="", attachments=[], sealed="")
            .update(body_text="", body_html="", attachments=[], sealed="")
        )


def notifications_forget(*, user, email: str) -> int:
    """Delete every notification to `user` or to `email` and the user's preferences."""
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user).delete()
        deleted, _per_model = Notification.objects.filter(
            Q(recipient=user) | Q(to_email__iexact=email)
        ).delete()
    return deleted
