"""Files in the outbox's mails: a calendar entry as an attachment, an image shown inline in
the HTML body, and, for a credential-bearing mail, files that exist only sealed until the
mail is delivered."""

import io

import pytest
from PIL import Image

from cluster_portal.notifications.attachments import Attachment
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.sealing import open_sealed
from cluster_portal.notifications.writing import notification_create_message
from tests.factories import UserFactory
from tests.helpers import deliver_outbox

pytestmark = pytest.mark.django_db

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nBEGIN:VEVENT\r\n"
    b"UID:a@b\r\nSUMMARY:Kongres\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def png(colour="black") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def queue(user, *, secrets=(), attachments=(), html='<p>Kod: <img src="cid:qr-code"></p>'):
    notification_create_message(
        to_email=user.email,
        recipient=user,
        language="en",
        kind="test.with_files",
        category="events",
        subject="Your seat",
        body_text="Your seat is confirmed. Cancel: https://portal.example/c/SECRET-LINK/",
        body_html=html,
        secrets=secrets,
        attachments=attachments,
    )
    return Notification.objects.get(kind="test.with_files")


FILES = [
    Attachment("event.ics", "text/calendar", CALENDAR),
    Attachment("check-in.png", "image/png", png(), content_id="qr-code"),
]


def test_a_mail_carries_its_calendar_file_and_shows_its_image_inline(smtp_sink):
    user = UserFactory()
    queue(user, attachments=FILES)

    assert len(deliver_outbox()) == 1

    [message] = smtp_sink.messages
    assert message.get_content_type() == "multipart/mixed"
    [calendar] = [part for part in message.iter_attachments() if part.get_filename() == "event.ics"]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_content().replace("\r\n", "\n") == CALENDAR.decode().replace("\r\n", "\n")
    # The image sits next to the HTML that shows it, named by its Content-ID.
    related = next(
        part for part in message.walk() if part.get_content_type() == "multipart/related"
    )
    html, image = related.iter_parts()
    assert 'src="cid:qr-code"' in html.get_content()
    assert image["Content-ID"] == "<qr-code>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == png()
    assert "Your seat is confirmed." in message.get_body(("plain",)).get_content()


def test_without_an_html_body_an_inline_image_is_an_ordinary_attachment(smtp_sink):
    user = UserFactory()
    queue(user, attachments=FILES, html="")

    deliver_outbox()

    [message] = smtp_sink.messages
    names = sorted(part.get_filename() for part in message.iter_attachments())
    assert names == ["check-in.png", "event.ics"]


def test_a_credential_mail_keeps_its_files_sealed_and_clears_them_after_delivery(smtp_sink):
    user = UserFactory()
    secret_qr = png("white")
    notification = queue(
        user,
        secrets=["https://portal.example/c/SECRET-LINK/"],
        attachments=[FILES[0], Attachment("check-in.png", "image/png", secret_qr, "qr-code")],
    )

    # The stored copy names the files; their content exists only in the sealed mail.
    assert notification.attachments == [
        {"filename": "event.ics", "mimetype": "text/calendar", "sealed": True},
        {"filename": "check-in.png", "mimetype": "image/png", "sealed": True},
    ]
    assert [a.content for a in open_sealed(notification.sealed).attachments] == [
        CALENDAR,
        secret_qr,
    ]
    assert "SECRET-LINK" not in notification.body_text

    deliver_outbox()

    [message] = smtp_sink.messages
    assert "SECRET-LINK" in message.get_body(("plain",)).get_content()
    image = next(part for part in message.walk() if part["Content-ID"] == "<qr-code>")
    assert image.get_content() == secret_qr
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert notification.sealed == ""
    assert all("content" not in item for item in notification.attachments)


def test_the_admin_names_the_files_and_shows_none_of_their_content(client, smtp_sink):
    from tests.helpers import coordinator_in_admin

    notification = queue(UserFactory(), attachments=FILES)
    coordinator_in_admin(client)

    response = client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "event.ics, check-in.png" in html
    assert FILES[1].to_json()["content"][:40] not in html
