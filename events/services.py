from django.contrib.auth import get_user_model
from django.db import transaction

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.services import notify

from .models import Event


def event_audience(*, event: Event):
    """People to tell about an event: everyone in an active member organisation, or, for a
    centre's event, the people of that centre's participating organisations."""
    users = get_user_model().objects.filter(
        is_active=True, memberships__organisation__status="active"
    )
    centre_ids = list(event.centres.values_list("id", flat=True))
    if centre_ids:
        users = users.filter(
            memberships__organisation__centre_participations__centre_id__in=centre_ids,
            memberships__organisation__centre_participations__status="active",
        )
    return users.distinct().only("id", "email", "preferred_language", "is_active")


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
