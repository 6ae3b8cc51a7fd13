"""Links that work as credentials reach their recipient's mailbox and nowhere else: not the
admin (whoever opens it), not the database in clear, not the logs."""

import io
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from cluster_portal.core.credentials import RedactCredentialsFilter
from cluster_portal.notifications.delivery import notification_retry_failed
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.sealing import unseal
from members.services import organisation_invite_member
from tests.conftest import require
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import LINK, coordinator_in_admin, deliver_outbox

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
                found |= {path, segment, segment.split("-", 1)[-1]}
    return found


def sealed_credentials() -> set[str]:
    return credentials_in(
        text
        for notification in Notification.objects.exclude(sealed="")
        for text in unseal(notification.sealed)
    )


def admin_pages_a_coordinator_can_open(client, user) -> dict[str, str]:
    """Every admin page of every registered model the coordinator may view: index, list,
    a search, each object's change and history page."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        urls += [changelist, f"{changelist}?q=prezes"]
        for pk in model_admin.get_queryset(_request_for(user)).values_list("pk", flat=True):
            for view in ("change", "history"):
                urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk]))
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)  # the site settings list opens its one row
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


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


def test_logs_hide_credential_links(client, account_mails):
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactCredentialsFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        secrets = sealed_credentials()
        invitation = next(s for s in secrets if s.startswith("/en/members/invitations/"))
        tampered = invitation.rstrip("/") + "x/"
        assert client.get(tampered).status_code == 400  # logged by django.request
        logging.getLogger("portal.test").warning("Someone opened %s", invitation)
    finally:
        handler.setStream(previous)

    log = stream.getvalue()
    assert "Bad Request: /en/members/invitations/[hidden]/" in log
    assert "Someone opened /en/members/invitations/[hidden]/" in log
    assert [s for s in secrets if s in log] == []


def test_gunicorn_access_log_hides_credential_links(tmp_path, live_server):
    """The access log of the deployed server, written by gunicorn with the portal's logger."""
    import contextlib
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    require(connection.vendor == "postgresql", "gunicorn shares the test database on PostgreSQL")
    database = connection.settings_dict
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cluster_portal.settings.test",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{port}/{NAME}".format(
            port=database["PORT"] or 5432, **database
        ),
    }
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cluster_portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--access-logfile", str(access_log),
            "--logger-class", "cluster_portal.gunicorn_logging.RedactingLogger",
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    token = "eyJ0b2tlbiI6MX0:1tSecretPart:AbCdEfGhIjKlMnOp"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in (
            f"/en/members/invitations/{token}/",
            f"/en/accounts/login/?next=%2Fen%2Fmembers%2Finvitations%2F{token}%2F",
        ):
            # A 400 is what a tampered token gets.
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=10)

    log = access_log.read_text()
    assert "/en/members/invitations/[hidden]/" in log
    assert "1tSecretPart" not in log
