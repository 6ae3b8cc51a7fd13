"""cluster_portal/notifications/views.py: the inbox, preferences and unsubscribe links."""

import time

import pytest
from django.core import mail
from django.test import Client

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.notifications.tokens import UNSUBSCRIBE_LINK_LIFETIME
from cluster_portal.notifications.writing import notify
from tests.factories import EventFactory, UserFactory
from tests.helpers import announced_member, get_html

pytestmark = pytest.mark.django_db


def event_mails_enabled(user) -> bool:
    return NotificationPreference.objects.get(
        user=user, category=NotificationCategory.EVENTS
    ).email_enabled


def unsubscribe_url_in_last_mail() -> str:
    return mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]


def test_unsubscribe_link_works_logged_out_after_confirming():
    user = announced_member()
    path = unsubscribe_url_in_last_mail()
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Stop e-mails about: Events?" in page.content.decode()
    # Opening the link (as a mail scanner would) changes nothing.
    assert not NotificationPreference.objects.exists()

    done = anonymous.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert event_mails_enabled(user) is False


def test_mail_clients_one_click_post_unsubscribes_without_a_csrf_token():
    user = announced_member()
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_url_in_last_mail(),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert event_mails_enabled(user) is False


def test_a_tampered_unsubscribe_token_is_rejected():
    user = announced_member()
    path = unsubscribe_url_in_last_mail()
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for response in (Client().get(tampered), Client().post(tampered)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_preferences_page_switches_categories_and_keeps_essentials_on(client):
    user = UserFactory()
    client.force_login(user)
    html = get_html(client, "/en/notifications/preferences/")
    assert "cannot be switched off" in html
    assert 'name="events"' in html and 'name="account"' not in html

    saved = client.post(
        "/en/notifications/preferences/", {"membership": "on", "centres": "on", "proposals": "on"}
    )
    assert saved.status_code == 302
    assert set(
        NotificationPreference.objects.filter(user=user, email_enabled=False).values_list(
            "category", flat=True
        )
    ) == {NotificationCategory.FUNDING_CALLS, NotificationCategory.EVENTS}

    notify(
        recipients=[user],
        kind="events.announcement",
        category=NotificationCategory.EVENTS,
        context={"event": EventFactory()},
        dedupe_key="test-event",
    )
    assert not Notification.objects.exists()


def test_preferences_need_login(client):
    response = client.get("/en/notifications/preferences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_notifications_page_shows_unread_count_and_opening_marks_read(client):
    user = announced_member(language="en")
    client.force_login(user)
    home = get_html(client, "/en/")
    assert (
        '<span class="badge"><span aria-hidden="true">1</span>'
        '<span class="visually-hidden">1 unread</span></span>'
    ) in home

    listing = get_html(client, "/en/notifications/")
    assert "New event: Annual congress" in listing
    notification = Notification.objects.get()
    response = client.get(f"/en/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == notification.link
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge"' not in get_html(client, "/en/")


def test_nobody_opens_someone_elses_notification(client):
    announced_member()
    client.force_login(UserFactory())
    assert client.get(f"/en/notifications/{Notification.objects.get().pk}/").status_code == 404


def test_an_old_unsubscribe_link_cannot_undo_a_later_choice_of_the_user():
    user = announced_member()
    path = unsubscribe_url_in_last_mail()
    assert Client().post(path).status_code == 200
    # The same link again changes nothing and still says so kindly.
    assert Client().post(path).status_code == 200
    # The member switches event mails back on...
    preferences = Client()
    preferences.force_login(user)
    assert preferences.post("/en/notifications/preferences/", {"events": "on"}).status_code == 302
    assert event_mails_enabled(user) is True

    # ...and the old link, replayed, no longer switches them off.
    response = Client().post(path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert event_mails_enabled(user) is True


def test_an_unsubscribe_link_expires(monkeypatch):
    issued = time.time() - UNSUBSCRIBE_LINK_LIFETIME.total_seconds() - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: issued)
    monkeypatch.setattr("cluster_portal.notifications.tokens.time.time", lambda: issued)
    user = announced_member()
    path = unsubscribe_url_in_last_mail()
    monkeypatch.undo()

    response = Client().post(path)

    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_the_unread_count_reads_in_polish_and_the_admin_never_counts(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import coordinator_in_admin

    user = announced_member(language="pl")
    client.force_login(user)
    assert '<span class="visually-hidden">1 nieprzeczytane</span>' in get_html(client, "/pl/")

    staff = Client()
    coordinator_in_admin(staff)
    with CaptureQueriesContext(connection) as queries:
        assert staff.get("/admin/").status_code == 200
    assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
