"""The outbox with the real pieces: PostgreSQL (in CI), a Celery worker on Redis, an SMTP sink."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cluster_portal.celery import app as celery_app
from cluster_portal.notifications.delivery import notification_deliver, notification_sweep_pending
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.reading import preference_set
from cluster_portal.notifications.tasks import deliver_notifications_task
from events.services import event_announce, event_publish
from tests.conftest import require, wait_for
from tests.factories import EventFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def member(email: str, language: str = "pl"):
    user = UserFactory(email=email, preferred_language=language)
    MembershipFactory(user=user)
    return user


@contextmanager
def broker_unreachable():
    """Point the producer at a closed port, as if Redis were down, then restore it."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url, conf.task_always_eager
    conf.broker_write_url = "redis://127.0.0.1:9/0"
    conf.task_always_eager = False
    celery_app._after_fork()  # drop pooled connections so the next publish really connects
    try:
        yield
    finally:
        conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
        celery_app._after_fork()


def test_notification_of_a_rolled_back_change_is_never_sent(celery_worker_on_redis, smtp_sink):
    member("lekarz@szpital.example")
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


def test_worker_delivers_in_each_recipients_language_with_both_bodies_and_unsubscribe_headers(
    celery_worker_on_redis, smtp_sink
):
    member("anna@szpital.example", "pl")
    member("john@clinic.example", "en")
    event = EventFactory(
        is_published=False,
        title_pl="Warsztaty z cyberbezpieczeństwa",
        title_en="Cybersecurity workshop",
        city="Lublin",
    )
    assert event_publish(event=event) == 2
    wait_for(lambda: len(smtp_sink.messages) == 2)

    by_recipient = {message["To"]: message for message in smtp_sink.messages}
    polish, english = by_recipient["anna@szpital.example"], by_recipient["john@clinic.example"]
    assert polish["Subject"] == "Nowe wydarzenie: Warsztaty z cyberbezpieczeństwa"
    assert english["Subject"] == "New event: Cybersecurity workshop"

    english_text = english.get_body(("plain",)).get_content()
    english_html = english.get_body(("html",)).get_content()
    assert "The cluster invites you to a new event: Cybersecurity workshop" in english_text
    assert f"/en/events/{event.slug}/" in english_text
    assert "<h1" in english_html and "Cybersecurity workshop" in english_html
    assert "Zaproszenie" in polish.get_body(("plain",)).get_content() or "zaprasza" in (
        polish.get_body(("plain",)).get_content()
    )

    for message, language in ((polish, "pl"), (english, "en")):
        unsubscribe = str(message["List-Unsubscribe"]).strip()
        assert unsubscribe.startswith(
            f"<http://127.0.0.1:8000/{language}/notifications/unsubscribe/"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.strip("<>") in message.get_body(("plain",)).get_content()

    rows = Notification.objects.order_by("to_email")
    assert [(row.status, row.attempts) for row in rows] == [("sent", 1), ("sent", 1)]


def test_broker_down_keeps_the_change_and_the_sweep_delivers_later(
    celery_worker_on_redis, smtp_sink
):
    member("koordynator@klaster.example")
    event = EventFactory(is_published=False)
    with broker_unreachable():
        assert event_publish(event=event) == 1  # the request would succeed

    event.refresh_from_db()
    assert event.is_published is True
    notification = Notification.objects.get()
    assert notification.status == "pending"
    assert smtp_sink.messages == []

    # The beat's sweep runs once the broker is back (here: "two minutes later").
    assert notification_sweep_pending(now=timezone.now() + timedelta(minutes=2)) == 1
    wait_for(lambda: len(smtp_sink.messages) == 1)
    # The sink has the mail a moment before the worker records it as sent.
    wait_for(lambda: Notification.objects.filter(pk=notification.pk, status="sent").exists())


def test_a_fresh_pending_notification_is_left_to_its_own_task(db):
    member("nowy@szpital.example")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    assert notification_sweep_pending() == 0


def test_the_same_task_run_again_sends_nothing_twice(celery_worker_on_redis, smtp_sink):
    for number in range(3):
        member(f"member{number}@szpital.example")
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


def test_two_workers_racing_for_the_same_messages_send_each_once(db, smtp_sink):
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    for number in range(4):
        member(f"race{number}@szpital.example")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    ids = list(Notification.objects.values_list("id", flat=True))
    smtp_sink.delay = 0.2  # keep each send open while the other worker tries the same row

    reports = []

    def worker():
        try:
            reports.append(notification_deliver(ids=ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(smtp_sink.messages) == 4
    assert sorted(pk for report in reports for pk in report.sent) == sorted(ids)


def test_a_delivery_that_dies_midway_is_retried_and_sent_exactly_once(
    celery_worker_on_redis, smtp_sink, settings
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    member("ponownie@szpital.example")
    smtp_sink.refuse_next = 1  # the first attempt breaks off with a temporary error
    event_publish(event=EventFactory(is_published=False))

    wait_for(lambda: len(smtp_sink.messages) == 1)
    wait_for(lambda: Notification.objects.get().status == "sent")
    notification = Notification.objects.get()
    assert notification.attempts == 2
    # Give a stray duplicate the time to show up, then check there was none.
    deliver_notifications_task.delay(ids=[notification.pk]).get(timeout=20)
    assert len(smtp_sink.messages) == 1


def test_a_failed_attempt_is_recorded_with_its_error(db, smtp_sink):
    member("blad@szpital.example")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    smtp_sink.refuse_next = 1
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    notification = Notification.objects.get()
    assert report.to_retry == [notification.pk]
    assert notification.status == "pending"
    assert notification.attempts == 1
    assert "421" in notification.last_error


def test_the_same_reminder_twice_gives_one_mail_and_none_to_the_unsubscribed(
    celery_worker_on_redis, smtp_sink
):
    member("chce@szpital.example")
    unsubscribed = member("nie-chce@szpital.example")
    preference_set(user=unsubscribed, category="events", email_enabled=False)
    event = EventFactory(is_published=True)

    assert event_announce(event=event) == 1
    assert event_announce(event=event) == 1  # written again, but the dedupe key keeps one row
    wait_for(lambda: len(smtp_sink.messages) >= 1)
    event_announce(event=event)  # and again after it was sent
    deliver_notifications_task.delay(
        ids=list(Notification.objects.values_list("id", flat=True))
    ).get(timeout=20)

    assert [message["To"] for message in smtp_sink.messages] == ["chce@szpital.example"]
    assert list(Notification.objects.values_list("to_email", flat=True)) == ["chce@szpital.example"]


def test_switching_a_category_off_after_writing_skips_the_mail(db, smtp_sink):
    user = member("zmiana@szpital.example")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    preference_set(user=user, category="events", email_enabled=False)
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    assert len(report.skipped) == 1
    assert smtp_sink.messages == []
    assert Notification.objects.get().status == "skipped"


def test_messages_a_dead_worker_had_claimed_are_sent_after_the_lease(db, smtp_sink):
    member("porzucone@szpital.example")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    # A worker claimed the message and died before sending it.
    Notification.objects.update(status="sending", claimed_at=timezone.now(), attempts=1)
    assert (
        notification_deliver(ids=list(Notification.objects.values_list("id", flat=True))).sent == []
    )

    assert notification_sweep_pending(now=timezone.now() + timedelta(minutes=5)) == 0
    assert Notification.objects.get().status == "sending"  # still within its lease

    with broker_unreachable():  # the sweep's enqueue fails too; deliver by hand below
        assert notification_sweep_pending(now=timezone.now() + timedelta(hours=1)) == 1
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    assert len(report.sent) == 1
    assert len(smtp_sink.messages) == 1
    assert Notification.objects.get().attempts == 2
