from django.db import transaction

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify

from .models import Event
from .selectors import event_audience


def event_publish(*, event: Event) -> int:
    """Publish an event and announce it in the same transaction."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.is_published:
            return 0
        event.is_published = True
        event.save(update_fields=["is_published", "updated_at"])
        return event_announce(event=event)


def event_announce(*, event: Event) -> int:
    """Tell the event's audience about a published event, once (the dedupe key sees to it)."""
    if not event.is_published:
        return 0
    return notify(
        recipients=event_audience(event=event),
        kind="events.announcement",
        category=NotificationCategory.EVENTS,
        context={"event": event},
        dedupe_key=f"event-announcement:{event.pk}",
        link=event.get_absolute_url(),
    )
