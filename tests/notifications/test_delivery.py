"""cluster_portal/notifications/delivery.py: claiming, sending and recording each message,
the sweep, retries and leases; with the real pieces where they matter (PostgreSQL in CI, a
Celery worker on Redis, an SMTP sink). The mail's own shape (footers) is built here too."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from cluster_portal.notifications.delivery import notification_deliver, notification_sweep_pending
from cluster_portal.notifications.enums import (
    OPTIONAL_CATEGORIES,
    NotificationCategory,
    NotificationStatus,
)
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.notifications.reading import preference_set
from events.services import event_publish
from tests.factories import EventFactory, UserFactory
from tests.helpers import (
    announced_member,
    broker_unreachable,
    deliver_outbox,
    member,
    require,
    wait_for,
)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
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

    english_lines = english.get_body(("plain",)).get_content().splitlines()
    english_html = english.get_body(("html",)).get_content()
    assert english_lines[0] == (
        "The cluster invites you to a new event: Cybersecurity workshop (Conference)."
    )
    assert "Where: Centrum Spotkań i Konferencji, Lublin" in english_lines
    assert (
        f"Details and registration: http://127.0.0.1:8000/en/events/{event.slug}/" in english_lines
    )
    assert "<h1" in english_html and "Cybersecurity workshop" in english_html
    polish_lines = polish.get_body(("plain",)).get_content().splitlines()
    assert polish_lines[0] == (
        "Klaster zaprasza na nowe wydarzenie: Warsztaty z cyberbezpieczeństwa (Konferencja)."
    )
    assert "Miejsce: Centrum Spotkań i Konferencji, Lublin" in polish_lines
    assert f"Szczegóły i rejestracja: http://127.0.0.1:8000/pl/events/{event.slug}/" in polish_lines

    for message, language in ((polish, "pl"), (english, "en")):
        unsubscribe = str(message["List-Unsubscribe"]).strip()
        assert unsubscribe.startswith(
            f"<http://127.0.0.1:8000/{language}/notifications/unsubscribe/"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe.strip("<>") in message.get_body(("plain",)).get_content()

    # The sink has the mails a moment before the worker records them as sent.
    wait_for(lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists())
    rows = Notification.objects.order_by("to_email")
    assert [(row.status, row.attempts) for row in rows] == [
        (NotificationStatus.SENT, 1),
        (NotificationStatus.SENT, 1),
    ]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_change_and_the_sweep_delivers_later(
    celery_worker_on_redis, smtp_sink
):
    member("koordynator@klaster.example", "pl")
    event = EventFactory(is_published=False)
    with broker_unreachable():
        assert event_publish(event=event) == 1  # the request would succeed

    event.refresh_from_db()
    assert event.is_published is True
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert smtp_sink.messages == []

    # The beat's sweep runs once the broker is back (here: "two minutes later").
    assert notification_sweep_pending(now=timezone.now() + timedelta(minutes=2)) == 1
    wait_for(lambda: len(smtp_sink.messages) == 1)
    # The sink has the mail a moment before the worker records it as sent.
    wait_for(
        lambda: Notification.objects.filter(
            pk=notification.pk, status=NotificationStatus.SENT
        ).exists()
    )


@pytest.mark.django_db(transaction=True)
def test_a_fresh_pending_notification_is_left_to_its_own_task(db):
    member("nowy@szpital.example", "pl")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    assert notification_sweep_pending() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_messages_send_each_once(db, smtp_sink):
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    for number in range(4):
        member(f"race{number}@szpital.example", "pl")
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


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_recorded_with_its_error(db, smtp_sink):
    member("blad@szpital.example", "pl")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    smtp_sink.refuse_next = 1
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    notification = Notification.objects.get()
    assert report.to_retry == [notification.pk]
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "421" in notification.last_error


@pytest.mark.django_db(transaction=True)
def test_switching_a_category_off_after_writing_skips_the_mail(db, smtp_sink):
    user = member("zmiana@szpital.example", "pl")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    preference_set(user=user, category=NotificationCategory.EVENTS, email_enabled=False)
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    assert len(report.skipped) == 1
    assert smtp_sink.messages == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED


@pytest.mark.django_db(transaction=True)
def test_messages_a_dead_worker_had_claimed_are_sent_after_the_lease(db, smtp_sink):
    member("porzucone@szpital.example", "pl")
    with broker_unreachable():
        event_publish(event=EventFactory(is_published=False))
    # A worker claimed the message and died before sending it.
    Notification.objects.update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert (
        notification_deliver(ids=list(Notification.objects.values_list("id", flat=True))).sent == []
    )

    assert notification_sweep_pending(now=timezone.now() + timedelta(minutes=5)) == 0
    assert Notification.objects.get().status == NotificationStatus.SENDING  # still within its lease

    with broker_unreachable():  # the sweep's enqueue fails too; deliver by hand below
        assert notification_sweep_pending(now=timezone.now() + timedelta(hours=1)) == 1
    report = notification_deliver(ids=list(Notification.objects.values_list("id", flat=True)))
    assert len(report.sent) == 1
    assert len(smtp_sink.messages) == 1
    assert Notification.objects.get().attempts == 2


# --- what every mail carries ------------------------------------------------------------


@pytest.mark.django_db
def test_essential_mails_carry_no_unsubscribe_link_and_say_why(client):
    UserFactory(email="bezpieczenstwo@szpital.example")
    response = client.post(
        "/en/accounts/password/reset/", {"email": "bezpieczenstwo@szpital.example"}
    )
    assert response.status_code == 302
    deliver_outbox()
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "it is always sent" in message.body


@pytest.mark.django_db
def test_essential_mail_reaches_a_user_who_switched_everything_off(client):
    user = UserFactory(email="wszystko-off@szpital.example")
    for category, _covers in OPTIONAL_CATEGORIES:
        NotificationPreference.objects.create(user=user, category=category, email_enabled=False)
    response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(deliver_outbox()) == 1
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Password Reset Email"


@pytest.mark.django_db
def test_the_html_footer_sits_inside_the_mails_layout():
    announced_member(email="stopka@szpital.example")
    [html] = [body for body, kind in mail.outbox[-1].alternatives if kind == "text/html"]
    unsubscribe = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")

    footer = html.index(f'href="{unsubscribe}"')
    assert html.rstrip().endswith("</html>")
    # Inside the white card of the layout, before the body and the document end.
    assert footer < html.index("</div>", footer) < html.index("</body>") < html.index("</html>")
    assert "<!-- portal:footer -->" not in html
