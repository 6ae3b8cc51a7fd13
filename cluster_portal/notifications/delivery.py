"""Delivering notifications: Celery workers claim chunks of rows and send them over SMTP.

Delivery is idempotent: a chunk is claimed (pending → sending, skipping rows another worker
holds), each message is marked sent as soon as the server accepted it, and a sweep hands
out again what a dead worker left claimed or what never reached the broker.
"""

import functools
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email import encoders
from email.mime.base import MIMEBase
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import SafeMIMEMultipart
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .attachments import Attachment
from .enums import NotificationStatus
from .mime import envelope_sender, is_plain_ascii, message_bytes
from .models import Notification, NotificationPreference
from .sealing import SealedMessage, open_sealed
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

DELIVERY_CHUNK_SIZE = 100
MAX_ATTEMPTS = 6
# How many delivered messages may wait for their "sent" mark, and for how long.
SENT_MARK_BATCH = 20
SENT_MARK_SECONDS = 0.5
SWEEP_AGE = timedelta(minutes=1)
# Longer than any chunk can take (100 messages times the SMTP timeout would be the worst case).
CLAIM_LEASE = timedelta(minutes=30)
SWEEP_LIMIT = 20_000

# Worth another try later: the server or the network hiccuped, or it said "try again" (4xx).
TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, (*TRANSIENT_ERRORS, OSError))


def absolute_url(path: str) -> str:
    """`path` on the portal's public address (mails are built outside any request)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path


# --- enqueueing ----------------------------------------------------------------------------


def _chunks(ids: list[int], size: int = DELIVERY_CHUNK_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue_ids(ids: list[int]) -> int:
    """Hand chunks to the workers; return how many chunks the broker accepted.

    A broker outage is logged, not raised: the rows stay pending and the sweep re-enqueues
    them, so the request that caused them still succeeds.
    """
    from .tasks import deliver_notifications_task  # tasks import this module

    accepted = 0
    for chunk in _chunks(ids):
        try:
            deliver_notifications_task.delay(ids=chunk)
        except Exception:  # kombu raises several kinds; any of them means "not now"
            logger.warning(
                "Could not enqueue %d notification(s); the sweep will retry them.",
                len(ids) - accepted * DELIVERY_CHUNK_SIZE,
                exc_info=True,
            )
            break
        accepted += 1
    return accepted


def enqueue_batch(*, batch: uuid.UUID) -> int:
    ids = list(
        Notification.objects.filter(batch=batch, status=NotificationStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return enqueue_ids(ids)


def notification_sweep_pending(*, now=None) -> int:
    """Re-enqueue pending notifications older than a minute (lost enqueues, broker outages),
    after freeing the ones a dead worker had claimed and never finished."""
    now = now or timezone.now()
    Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    ).update(status=NotificationStatus.PENDING)
    cutoff = now - SWEEP_AGE
    ids = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_LIMIT]
    )
    enqueue_ids(ids)
    return len(ids)


def notification_release_held(*, hold_key: str) -> int:
    """Send the notifications held under `hold_key`, once: a second release finds none."""
    ids = list(
        Notification.objects.filter(hold_key=hold_key, status=NotificationStatus.HELD)
        .order_by("id")
        .values_list("id", flat=True)
    )
    # created_at moves to the release, so the sweep gives their own task a minute first.
    Notification.objects.filter(id__in=ids, status=NotificationStatus.HELD).update(
        status=NotificationStatus.PENDING, created_at=timezone.now()
    )
    transaction.on_commit(partial(enqueue_ids, ids))
    return len(ids)


def notification_discard_held(*, hold_key: str) -> int:
    """Drop the held notifications of `hold_key` unsent (they were replaced)."""
    deleted, _by_model = Notification.objects.filter(
        hold_key=hold_key, status=NotificationStatus.HELD
    ).delete()
    return deleted


def notification_retry_failed(*, notifications) -> int:
    """Give failed notifications a fresh set of attempts (the admin's "retry" action).

    A failed mail that carried a credential is not retried: its link was cleared when it
    failed, and the person asks for a new one (a new reset, a new invitation)."""
    ids = list(
        notifications.filter(status=NotificationStatus.FAILED, carries_secret=False).values_list(
            "id", flat=True
        )
    )
    Notification.objects.filter(id__in=ids).update(
        status=NotificationStatus.PENDING, attempts=0, last_error=""
    )
    transaction.on_commit(partial(enqueue_ids, ids))
    return len(ids)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    to_retry: list[int] = field(default_factory=list)


# Thousands of mails share a handful of paths: resolve each once per language.
@functools.cache
def _preferences_path(language: str) -> str:
    with translation.override(language):
        return reverse("notifications:preferences")


@functools.cache
def _unsubscribe_path(language: str) -> str:
    with translation.override(language):
        return reverse("notifications:unsubscribe", kwargs={"token": "TOKEN"}).replace(
            "TOKEN", "{token}"
        )


def _footer(notification: Notification, unsubscribe_url: str) -> tuple[str, str]:
    with translation.override(notification.language):
        if notification.is_essential:
            note = _(
                "This message concerns your account or your organisation, so it is always sent."
            )
            return f"\n\n-- \n{note}\n", f'<hr><p style="color:#555;font-size:13px">{note}</p>'
        label = _("Do not want these e-mails? Unsubscribe:")
        manage = _("Manage notifications")
        preferences = absolute_url(_preferences_path(notification.language))
        text = f"\n\n-- \n{label} {unsubscribe_url}\n{manage}: {preferences}\n"
        html = (
            f'<hr><p style="color:#555;font-size:13px">{label} '
            f'<a href="{unsubscribe_url}">{unsubscribe_url}</a><br>'
            f'<a href="{preferences}">{manage}</a></p>'
        )
        return text, html


class PortalEmail(EmailMultiAlternatives):
    """A mail whose HTML body may show images it carries (`inline`: Attachments with a
    Content-ID): the HTML and those images go in a multipart/related part, so that mail
    clients show them in place instead of listing them as files."""

    def __init__(self, *args, inline: list[Attachment] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline = inline or []

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.inline or not self.alternatives:
            return msg
        html = msg.get_payload()[-1]
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding)
        related.attach(html)
        for attachment in self.inline:
            related.attach(_inline_part(attachment))
        msg.get_payload()[-1] = related
        return msg


def _inline_part(attachment: Attachment) -> MIMEBase:
    maintype, subtype = attachment.mimetype.split("/", 1)
    part = MIMEBase(maintype, subtype)
    part.set_payload(attachment.content)
    encoders.encode_base64(part)
    part.add_header("Content-ID", f"<{attachment.content_id}>")
    part.add_header("Content-Disposition", "inline", filename=attachment.filename)
    return part


@dataclass(frozen=True)
class ComposedMail:
    """What a notification's mail is made of, before it becomes bytes."""

    subject: str
    to: str
    headers: dict[str, str]
    body_text: str
    body_html: str
    attachments: list[Attachment]


def compose(notification: Notification) -> ComposedMail:
    """The mail of one notification: its bodies with the footer, its unsubscribe headers
    (RFC 2369 and 8058), its attachments."""
    with translation.override(notification.language):
        headers = {
            "Message-ID": f"<notification-{notification.pk}@{settings.PORTAL_MAIL_DOMAIN}>",
            "Auto-Submitted": "auto-generated",
            "X-Portal-Notification": notification.kind,
        }
        unsubscribe_url = ""
        if notification.recipient_id and not notification.is_essential:
            token = unsubscribe_token(
                user_id=notification.recipient_id, category=notification.category
            )
            unsubscribe_url = absolute_url(
                _unsubscribe_path(notification.language).format(token=token)
            )
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        footer_text, footer_html = _footer(notification, unsubscribe_url)
    content = _content(notification)
    return ComposedMail(
        subject=notification.subject,
        to=notification.to_email,
        headers=headers,
        body_text=content.body_text + footer_text,
        body_html=_with_footer(content.body_html, footer_html) if content.body_html else "",
        attachments=content.attachments,
    )


def build_email(notification: Notification, connection) -> EmailMultiAlternatives:
    """The mail of one notification as a Django message (any mail backend sends it)."""
    return _as_django_message(compose(notification), connection)


def _as_django_message(mail: ComposedMail, connection) -> EmailMultiAlternatives:
    inline = [a for a in mail.attachments if a.is_inline and mail.body_html]
    message = PortalEmail(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers,
        connection=connection,
        inline=inline,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        if attachment not in inline:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_notification(notification: Notification, mail_connection) -> None:
    """Send one notification over an open connection.

    Over SMTP, a mail without attachments to an ASCII address is written as bytes directly
    (mime.py: the `email` package's header handling was most of a fan-out's time); any
    other mail, and any other backend (the console, the tests' outbox), goes through
    Django's message."""
    mail = compose(notification)
    smtp = getattr(mail_connection, "connection", None)
    if (
        isinstance(mail_connection, SMTPBackend)
        and smtp is not None
        and not mail.attachments
        and is_plain_ascii(mail.to)
    ):
        from_email = settings.DEFAULT_FROM_EMAIL
        data = message_bytes(
            from_email=from_email,
            to=mail.to,
            subject=mail.subject,
            headers=mail.headers,
            body_text=mail.body_text,
            body_html=mail.body_html,
        )
        smtp.sendmail(envelope_sender(from_email), [mail.to], data)
        return
    _as_django_message(mail, mail_connection).send()


# Where the per-recipient footer goes in templates/notifications/email/base.html.
FOOTER_SLOT = "<!-- portal:footer -->"


def _with_footer(body_html: str, footer_html: str) -> str:
    """The footer inside the mail's own layout: at its slot, else before </body> (a mail
    rendered by another template), never after </html>."""
    if FOOTER_SLOT in body_html:
        return body_html.replace(FOOTER_SLOT, footer_html, 1)
    position = body_html.lower().rfind("</body>")
    if position == -1:
        return body_html + footer_html
    return body_html[:position] + footer_html + body_html[position:]


class SealedBodyGone(Exception):
    """A credential-bearing mail whose sealed body was cleared: there is nothing to send."""


def _content(notification: Notification) -> SealedMessage:
    """The bodies and files to send: the row's own, or, for a credential-bearing mail, its
    sealed copy."""
    if not notification.carries_secret:
        return SealedMessage(
            body_text=notification.body_text,
            body_html=notification.body_html,
            attachments=[Attachment.from_json(item) for item in notification.attachments],
        )
    if not notification.sealed:
        raise SealedBodyGone(f"notification {notification.pk}: the sealed body was cleared")
    return open_sealed(notification.sealed)


def _record_failure(notification: Notification, exc: Exception, *, permanent: bool) -> str:
    # The claim already counted this attempt.
    status = (
        NotificationStatus.FAILED
        if permanent or notification.attempts >= MAX_ATTEMPTS
        else NotificationStatus.PENDING
    )
    fields = {"status": status, "last_error": f"{type(exc).__name__}: {exc}"[:2000]}
    if status == NotificationStatus.FAILED:
        fields["sealed"] = ""  # a credential that will not be delivered is not kept either
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        **fields
    )
    return status


class _SentMarks:
    """Marks delivered messages as sent, a few at a time.

    One UPDATE per message was a third of a fan-out's time. Marks wait for at most
    SENT_MARK_BATCH messages or SENT_MARK_SECONDS, so a worker that dies mid-chunk can send
    those few again after the lease (a duplicate mail, never a lost one).
    """

    def __init__(self):
        self.pending: list[int] = []
        self.since = time.monotonic()

    def add(self, pk: int) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(pk)
        if (
            len(self.pending) >= SENT_MARK_BATCH
            or time.monotonic() - self.since >= SENT_MARK_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        # The hot statement of a fan-out: plain SQL, no queryset to compile. The sealed copy
        # of a credential-bearing mail goes as soon as the mail is delivered.
        table = Notification._meta.db_table
        placeholders = ", ".join(["%s"] * len(self.pending))
        with db_connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, sent_at = %s, "  # noqa: S608
                f"last_error = '', sealed = '' WHERE id IN ({placeholders})",
                [NotificationStatus.SENT.value, timezone.now(), *self.pending],
            )
        self.pending = []


def _fast_commits(*, on: bool) -> None:
    if db_connection.vendor != "postgresql":
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def _claim(ids: list[int]) -> list[Notification]:
    """Take the pending notifications among `ids` for this worker, in one short transaction.

    Rows another worker holds are skipped, not waited for; rows already sent are not pending.
    """
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=NotificationStatus.PENDING)
            .values_list("id", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(
            status=NotificationStatus.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    return list(Notification.objects.filter(pk__in=claimed).order_by("id"))


def notification_deliver(*, ids: list[int]) -> DeliveryReport:
    """Send the pending notifications among `ids`, each at most once.

    The chunk is claimed first (pending → sending), then each message is marked sent right
    after the SMTP server accepted it. A second worker given the same ids finds nothing
    pending; a worker that dies mid-chunk leaves its unsent rows claimed, and the sweep
    hands them out again once the claim is stale. Only the one message in flight at the
    moment of a crash, and the few whose marks were still to be written (_SentMarks), can go
    twice. One SMTP connection serves the whole chunk.
    """
    report = DeliveryReport()
    claimed = _claim(ids)
    opted_out = set(
        NotificationPreference.objects.filter(
            user_id__in={n.recipient_id for n in claimed if n.recipient_id},
            email_enabled=False,
        ).values_list("user_id", "category")
    )
    mail_connection = get_connection()
    sent_marks = _SentMarks()
    _fast_commits(on=True)
    try:
        for notification in claimed:
            if not notification.is_essential and (
                (notification.recipient_id, notification.category) in opted_out
            ):
                Notification.objects.filter(pk=notification.pk).update(
                    status=NotificationStatus.SKIPPED
                )
                report.skipped.append(notification.pk)
                continue
            try:
                # open() is a no-op while connected; a backend left closed would connect
                # and disconnect for every single message.
                mail_connection.open()
                send_notification(notification, mail_connection)
            except Exception as exc:
                status = _record_failure(notification, exc, permanent=not _is_transient(exc))
                logger.warning("Delivery of notification %s failed: %s", notification.pk, exc)
                if status == NotificationStatus.PENDING:
                    report.to_retry.append(notification.pk)
                else:
                    report.failed.append(notification.pk)
                # A broken connection would fail every later message of the chunk too.
                mail_connection.close()
                mail_connection = get_connection()
                continue
            sent_marks.add(notification.pk)
            report.sent.append(notification.pk)
    finally:
        sent_marks.flush()
        mail_connection.close()
        _fast_commits(on=False)
    return report
