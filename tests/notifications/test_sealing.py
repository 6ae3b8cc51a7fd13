"""cluster_portal/notifications/sealing.py: links that work as credentials reach their
recipient's mailbox and nowhere else: not the admin (whoever opens it), not the database in
clear. (Logs: tests/core/test_credentials.py and tests/test_gunicorn_logging.py.)"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from cluster_portal.notifications.delivery import notification_retry_failed
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.sealing import unseal
from members.services import organisation_invite_member
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import (
    LINK,
    admin_pages_a_coordinator_can_open,
    coordinator_in_admin,
    deliver_outbox,
)

pytestmark = pytest.mark.django_db

CREDENTIAL_PATHS = re.compile(r"/(password/reset/key|confirm-email|members/invitations)/")


@pytest.fixture
def superuser(db):
    return UserFactory(email="prezes@klaster.example", is_staff=True, is_superuser=True)


@pytest.fixture
def account_mails(superuser):
    """A password reset for the superuser (asked by anyone), a sign-up's confirmation and
    an invitation, all written to the outbox and not delivered yet."""
    Client().post("/en/accounts/password/reset/", {"email": superuser.email})
    Client().post(
        "/en/accounts/signup/",
        {
            "email": "nowa@szpital.example",
            "password1": "Dluga-Fraza-2026",
            "password2": "Dluga-Fraza-2026",
        },
    )
    admin_membership = MembershipFactory(role="admin")
    organisation_invite_member(
        organisation=admin_membership.organisation,
        actor=admin_membership.user,
        email="zaproszona@szpital.example",
        role="admin",
    )
    assert Notification.objects.filter(carries_secret=True).count() == 3


def credentials_in(texts) -> set[str]:
    """Each credential link in `texts`, and the secret last segment of its path."""
    found = set()
    for text in texts:
        for link in LINK.findall(text):
            path = urlsplit(link).path
            if CREDENTIAL_PATHS.search(path):
                segment = path.rstrip("/").rsplit("/", 1)[-1]
                # The key after a reset link's user id; a short tail could match anything.
                parts = {segment, segment.split("-", 1)[-1]}
                found |= {path} | {part for part in parts if len(part) >= 16}
    return found


def sealed_credentials() -> set[str]:
    return credentials_in(
        text
        for notification in Notification.objects.exclude(sealed="")
        for text in unseal(notification.sealed)
    )


def test_no_admin_page_shows_a_credential_before_or_after_delivery(client, account_mails):
    secrets = sealed_credentials()
    # The reset, the confirmation and the invitation, each with its secret parts.
    assert len([secret for secret in secrets if secret.startswith("/")]) == 3
    coordinator = coordinator_in_admin(client, email="ciekawski@klaster.example")

    for moment in ("before delivery", "after delivery"):
        pages = admin_pages_a_coordinator_can_open(client, coordinator)
        assert any("/admin/notifications/notification/" in url for url in pages)
        leaks = {url: [s for s in secrets if s in html] for url, html in pages.items()}
        assert {url: found for url, found in leaks.items() if found} == {}, moment
        deliver_outbox()

    # The recipients got working links all the same.
    delivered = credentials_in(message.body for message in mail.outbox)
    assert secrets <= delivered


def test_after_delivery_no_column_of_the_outbox_holds_a_credential(account_mails):
    secrets = sealed_credentials()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Notification._meta.db_table}")  # noqa: S608
        before = " ".join(str(value) for row in cursor.fetchall() for value in row)
    # Before delivery the real mail exists only sealed: encrypted, not in clear.
    assert [s for s in secrets if s in before] == []

    deliver_outbox()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Notification._meta.db_table}")  # noqa: S608
        after = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert [s for s in secrets if s in after] == []
    assert not Notification.objects.exclude(sealed="").exists()
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_the_stored_copy_says_a_link_was_hidden(account_mails):
    reset = Notification.objects.get(kind="account.password_reset_key")
    assert "[hidden]" in reset.body_text
    assert reset.subject  # the subject stays readable for the admin's list


def test_a_reset_link_from_the_mail_still_works(superuser, account_mails):
    deliver_outbox()
    [message] = [m for m in mail.outbox if superuser.email in m.to]
    [link] = [link for link in LINK.findall(message.body) if "/password/reset/key/" in link]

    response = Client().get(urlsplit(link).path)

    assert response.status_code == 302
    assert response["Location"].endswith("-set-password/")


def test_a_failed_credential_mail_is_cleared_and_not_retried(account_mails, settings):
    # An SMTP server that refuses the recipient for good.
    settings.EMAIL_BACKEND = "tests.notifications.test_sealing.RefusingBackend"
    deliver_outbox()
    failed = Notification.objects.filter(carries_secret=True)
    assert set(failed.values_list("status", flat=True)) == {"failed"}
    assert not failed.exclude(sealed="").exists()

    assert notification_retry_failed(notifications=Notification.objects.all()) == 0
    assert set(failed.values_list("status", flat=True)) == {"failed"}


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in messages})
