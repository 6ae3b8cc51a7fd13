"""The outbox: write notifications inside the caller's transaction, deliver them after it.

Writing and delivering are separate on purpose. A state change and its notifications commit
together or not at all; delivery happens in a Celery worker after the commit, and a
notification that could not be enqueued (broker down) waits as `pending` for the sweep.
"""

import functools
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .enums import ESSENTIAL_CATEGORIES, NotificationCategory, NotificationStatus
from .models import Notification, NotificationPreference
from .rendering import RenderedMessage, render_notification
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

WRITE_BATCH_SIZE = 1000
DELIVERY_CHUNK_SIZE = 100
MAX_ATTEMPTS = 6
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


class TransientDeliveryError(Exception):
    """Some notifications of a chunk could not be sent now; their ids are in `ids`."""

    def __init__(self, ids: list[int]):
        super().__init__(f"{len(ids)} notification(s) to retry")
        self.ids = ids


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, (*TRANSIENT_ERRORS, OSError))


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path


# --- writing -------------------------------------------------------------------------------


def _opted_out_user_ids(*, user_ids: Iterable[int], category: str) -> set[int]:
    return set(
        NotificationPreference.objects.filter(
            user_id__in=list(user_ids), category=category, email_enabled=False
        ).values_list("user_id", flat=True)
    )


def notify(
    *,
    recipients: Iterable,
    kind: str,
    category: str,
    context: dict,
    dedupe_key: str,
    link: str = "",
    is_essential: bool = False,
) -> int:
    """Write one notification per distinct recipient and deliver them after commit.

    `link` is a path on the site (any language prefix); the rows and the mails get it in
    each recipient's language, and templates see it as the absolute `link`.
    `dedupe_key` names the event (e.g. "call-deadline:42:7d"); each recipient's row gets
    `<dedupe_key>:<user id>`, so notifying the same event twice sends nothing the second time.
    Recipients who switched the category off are left out unless the message is essential.
    Returns the number of rows written.
    """
    is_essential = is_essential or category in ESSENTIAL_CATEGORIES
    users = {user.pk: user for user in recipients if user.is_active and user.email}
    if not is_essential:
        for user_id in _opted_out_user_ids(user_ids=users.keys(), category=category):
            users.pop(user_id)
    if not users:
        return 0

    batch = uuid.uuid4()
    rendered: dict[str, tuple[RenderedMessage, str]] = {}
    rows = []
    for user in users.values():
        language = user.preferred_language or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = _render(kind=kind, context=context, link=link, language=language)
        message, local_link = rendered[language]
        rows.append(
            _row(
                message=message,
                recipient=user,
                to_email=user.email,
                language=language,
                kind=kind,
                category=category,
                is_essential=is_essential,
                link=local_link,
                show_on_site=bool(link),
                dedupe_key=f"{dedupe_key}:{user.pk}",
                batch=batch,
            )
        )
    _write(rows, batch=batch)
    return len(rows)


def notification_create_message(
    *,
    to_email: str,
    recipient,
    language: str,
    kind: str,
    category: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    is_essential: bool = True,
) -> None:
    """Queue one already-rendered mail (allauth renders its own) through the outbox."""
    batch = uuid.uuid4()
    row = _row(
        message=RenderedMessage(subject=subject, body_text=body_text, body_html=body_html),
        recipient=recipient,
        to_email=to_email,
        language=language,
        kind=kind,
        category=category,
        is_essential=is_essential,
        show_on_site=False,
        dedupe_key=f"{kind}:{batch}",
        batch=batch,
    )
    _write([row], batch=batch)


def notify_address(
    *,
    to_email: str,
    language: str,
    kind: str,
    category: str,
    context: dict,
    dedupe_key: str,
    recipient=None,
    link: str = "",
    is_essential: bool = False,
) -> None:
    """Write one templated notification to an address that may have no account yet (an
    invitation, say). A second call with the same `dedupe_key` writes nothing."""
    message, local_link = _render(kind=kind, context=context, link=link, language=language)
    batch = uuid.uuid4()
    row = _row(
        message=message,
        recipient=recipient,
        to_email=to_email,
        language=language,
        kind=kind,
        category=category,
        is_essential=is_essential,
        link=local_link,
        show_on_site=bool(link and recipient),
        dedupe_key=dedupe_key,
        batch=batch,
    )
    _write([row], batch=batch)


def _render(*, kind: str, context: dict, link: str, language: str) -> tuple[RenderedMessage, str]:
    # `link` is a site path; each language gets its own prefix (/pl/..., /en/...).
    local_link = translate_url(link, language) if link else ""
    message = render_notification(
        kind=kind, context={**context, "link": absolute_url(local_link)}, language=language
    )
    return message, local_link


SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length


def _fitting_subject(subject: str) -> str:
    # Subjects quote what users typed (an organisation's name has up to 255 characters): a
    # long one is cut, so that the write (and the request behind it) does not fail. Plain
    # slicing, as the column counts code points, combining marks included.
    if len(subject) <= SUBJECT_MAX_LENGTH:
        return subject
    return subject[: SUBJECT_MAX_LENGTH - 1] + "…"


def _row(*, message: RenderedMessage, **fields) -> Notification:
    return Notification(
        subject=_fitting_subject(message.subject),
        body_text=message.body_text,
        body_html=message.body_html,
        **fields,
    )


def _write(rows: list[Notification], *, batch: uuid.UUID) -> None:
    # ON CONFLICT DO NOTHING: a notification already written for this event stays single.
    Notification.objects.bulk_create(rows, batch_size=WRITE_BATCH_SIZE, ignore_conflicts=True)
    transaction.on_commit(partial(enqueue_batch, batch=batch))


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


def notification_retry_failed(*, notifications) -> int:
    """Give failed notifications a fresh set of attempts (the admin's "retry" action)."""
    ids = list(notifications.filter(status=NotificationStatus.FAILED).values_list("id", flat=True))
    Notification.objects.filter(id__in=ids).update(
        status=NotificationStatus.PENDING, attempts=0, last_error=""
    )
    transaction.on_commit(partial(enqueue_ids, ids))
    return len(ids)


# --- delivering ----------------------------------------------------------------------------


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


def build_email(notification: Notification, connection) -> EmailMultiAlternatives:
    """The mail for one notification, with its unsubscribe headers (RFC 2369 and 8058)."""
    with translation.override(notification.language):
        return _build_email(notification, connection)


def _build_email(notification: Notification, connection) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": f"<notification-{notification.pk}@{settings.PORTAL_MAIL_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        "X-Portal-Notification": notification.kind,
    }
    unsubscribe_url = ""
    if notification.recipient_id and not notification.is_essential:
        token = unsubscribe_token(user_id=notification.recipient_id, category=notification.category)
        unsubscribe_url = absolute_url(_unsubscribe_path(notification.language).format(token=token))
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer_text, footer_html = _footer(notification, unsubscribe_url)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text + footer_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        headers=headers,
        connection=connection,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html + footer_html, "text/html")
    return message


def _record_failure(notification: Notification, exc: Exception, *, permanent: bool) -> str:
    # The claim already counted this attempt.
    status = (
        NotificationStatus.FAILED
        if permanent or notification.attempts >= MAX_ATTEMPTS
        else NotificationStatus.PENDING
    )
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )
    return status


def _mark_sent(pk: int) -> None:
    # The hot line of a fan-out (one per message): plain SQL, no queryset to compile.
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Notification._meta.db_table} SET status = %s, sent_at = %s, "  # noqa: S608
            "last_error = '' WHERE id = %s",
            [NotificationStatus.SENT.value, timezone.now(), pk],
        )


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
    moment of a crash can go twice. One SMTP connection serves the whole chunk.
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
                build_email(notification, mail_connection).send()
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
            _mark_sent(notification.pk)
            report.sent.append(notification.pk)
    finally:
        mail_connection.close()
    return report


# --- reading and preferences ---------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def preference_set(*, user, category: str, email_enabled: bool) -> None:
    if category in ESSENTIAL_CATEGORIES or category not in NotificationCategory.values:
        raise ValueError(f"{category!r} cannot be switched off")
    NotificationPreference.objects.update_or_create(
        user=user, category=category, defaults={"email_enabled": email_enabled}
    )


def preference_unsubscribe(*, user_id: int, category: str) -> bool:
    """Switch a category off for the user in a token; False if the user no longer exists."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    preference_set(user=user, category=category, email_enabled=False)
    return True


def email_categories_for(user) -> dict[str, bool]:
    disabled = set(
        NotificationPreference.objects.filter(user=user, email_enabled=False).values_list(
            "category", flat=True
        )
    )
    return {category: category not in disabled for category in NotificationCategory.values}
