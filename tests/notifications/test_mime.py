"""cluster_portal/notifications/mime.py: the bytes the fan-out writes directly read, to a
mail client, exactly like the message Django would have built (checked through a real SMTP
server, parsed as a client parses)."""

import re

import pytest
from django.core.mail import get_connection

from cluster_portal.notifications.delivery import build_email, send_notification
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.models import Notification
from cluster_portal.notifications.writing import notification_create_message
from tests.factories import UserFactory

SUBJECTS = [
    "New event: Annual congress",
    "Nowe wydarzenie: Warsztaty z cyberbezpieczeństwa",
    "Przypomnienie: termin naboru „Fundusze Europejskie dla Nowoczesnej Gospodarki” "
    "mija za 3 dni — złóż wniosek wspólnie z partnerami",
    "A subject\nBcc: everyone@example.com",
]


def _sent_both_ways(smtp_sink, notification):
    connection = get_connection()
    connection.open()
    build_email(notification, connection).send()
    send_notification(notification, connection)
    connection.close()
    django_built, direct = smtp_sink.messages
    return django_built, direct


def _without_token(text: str) -> str:
    # Each unsubscribe token is signed at its own millisecond.
    return re.sub(r"/unsubscribe/[^/]+/", "/unsubscribe/TOKEN/", str(text)).strip()


def _bodies(message):
    return [
        _without_token(part.get_content()) for part in message.walk() if not part.is_multipart()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("body_html", ["", "<p>Zapraszamy — <b>żółć</b></p>"])
def test_the_direct_bytes_read_like_djangos_message(smtp_sink, subject, body_html):
    user = UserFactory(email="anna@szpital.example", preferred_language="pl")
    notification_create_message(
        to_email=user.email,
        recipient=user,
        language="pl",
        kind="event_announced",
        category=NotificationCategory.EVENTS,
        subject=subject,
        body_text="Zapraszamy na kongres.\nŁódź, 12 maja — sala „A”.",
        body_html=body_html,
        is_essential=False,
    )
    notification = Notification.objects.get()

    django_built, direct = _sent_both_ways(smtp_sink, notification)

    for header in (
        "Subject",
        "From",
        "To",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "Auto-Submitted",
        "X-Portal-Notification",
    ):
        assert _without_token(direct[header]) == _without_token(django_built[header]), header
    assert direct["Bcc"] is None
    assert "\n" not in str(direct["Subject"])
    assert direct.get_content_type() == django_built.get_content_type()
    assert _bodies(direct) == _bodies(django_built)
