"""cluster_portal/notifications/writing.py: a notification is written in the transaction of
the change it tells about, once per dedupe key, and not for those who switched its category
off; a real worker and SMTP sink show what reaches the mailbox."""

import pytest
from django.db import transaction

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.reading import preference_set
from cluster_portal.notifications.tasks import deliver_notifications_task
from events.services import event_announce, event_publish
from tests.factories import EventFactory
from tests.helpers import member, wait_for


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_notification_of_a_rolled_back_change_is_never_sent(celery_worker_on_redis, smtp_sink):
    member("lekarz@szpital.example", "pl")
    cancelled = EventFactory(is_published=False, title_pl="Odwołany kongres")
    with pytest.raises(RuntimeError), transaction.atomic():
        event_publish(event=cancelled)
        assert Notification.objects.count() == 1
        raise RuntimeError("the publication failed after the notification was written")

    # A committed change right after it arrives; the rolled-back one never does.
    published = EventFactory(is_published=False, title_pl="Konferencja Telemedycyny")
    event_publish(event=published)
    wait_for(lambda: len(smtp_sink.messages) == 1)
    assert smtp_sink.messages[0]["Subject"] == "Nowe wydarzenie: Konferencja Telemedycyny"
    assert Notification.objects.count() == 1
    cancelled.refresh_from_db()
    assert cancelled.is_published is False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_same_reminder_twice_gives_one_mail_and_none_to_the_unsubscribed(
    celery_worker_on_redis, smtp_sink
):
    member("chce@szpital.example", "pl")
    unsubscribed = member("nie-chce@szpital.example", "pl")
    preference_set(user=unsubscribed, category=NotificationCategory.EVENTS, email_enabled=False)
    event = EventFactory(is_published=True)

    assert event_announce(event=event) == 1
    assert event_announce(event=event) == 0  # the dedupe key finds it written: nothing new
    wait_for(lambda: len(smtp_sink.messages) >= 1)
    event_announce(event=event)  # and again after it was sent
    deliver_notifications_task.delay(
        ids=list(Notification.objects.values_list("id", flat=True))
    ).get(timeout=20)

    assert [message["To"] for message in smtp_sink.messages] == ["chce@szpital.example"]
    assert list(Notification.objects.values_list("to_email", flat=True)) == ["chce@szpital.example"]
