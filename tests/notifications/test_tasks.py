"""cluster_portal/notifications/tasks.py: the delivery task is idempotent and retries what
failed for a passing reason, on a real worker."""

import pytest

from cluster_portal.notifications.enums import NotificationStatus
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.tasks import deliver_notifications_task
from events.services import event_publish
from tests.factories import EventFactory
from tests.helpers import member, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_same_task_run_again_sends_nothing_twice(celery_worker_on_redis, smtp_sink):
    for number in range(3):
        member(f"member{number}@szpital.example", "pl")
    event_publish(event=EventFactory(is_published=False))
    wait_for(lambda: len(smtp_sink.messages) == 3)
    ids = list(Notification.objects.values_list("id", flat=True))

    # Redelivery after a lost acknowledgement, or a duplicate from the sweep.
    results = [deliver_notifications_task.delay(ids=ids) for _ in range(2)]
    for result in results:
        assert result.get(timeout=20) == {"sent": 0, "skipped": 0, "failed": 0}
    assert sorted(message["To"] for message in smtp_sink.messages) == [
        "member0@szpital.example",
        "member1@szpital.example",
        "member2@szpital.example",
    ]


def test_a_delivery_that_dies_midway_is_retried_and_sent_exactly_once(
    celery_worker_on_redis, smtp_sink, settings
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    member("ponownie@szpital.example", "pl")
    smtp_sink.refuse_next = 1  # the first attempt breaks off with a temporary error
    event_publish(event=EventFactory(is_published=False))

    wait_for(lambda: len(smtp_sink.messages) == 1)
    wait_for(lambda: Notification.objects.get().status == NotificationStatus.SENT)
    notification = Notification.objects.get()
    assert notification.attempts == 2
    # Give a stray duplicate the time to show up, then check there was none.
    deliver_notifications_task.delay(ids=[notification.pk]).get(timeout=20)
    assert len(smtp_sink.messages) == 1
