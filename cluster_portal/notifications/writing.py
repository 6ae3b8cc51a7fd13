"""Writing notifications: rows in the caller's transaction, handed to delivery after commit.

A state change and its notifications commit together or not at all. Each row is rendered in
its recipient's language; `dedupe_key` keeps an event from being notified twice; a mail
that carries a credential is stored with it hidden and sealed for delivery (sealing.py).
"""

import uuid
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import translate_url

from cluster_portal.core.credentials import redact_values

from .attachments import Attachment, describe
from .delivery import absolute_url, enqueue_batch
from .enums import ESSENTIAL_CATEGORIES, NotificationStatus
from .models import Notification, NotificationPreference
from .rendering import RenderedMessage, render_notification
from .sealing import seal

WRITE_BATCH_SIZE = 1000


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
    hold_key: str = "",
    attachments: Sequence[Attachment] = (),
) -> int:
    """Write one notification per distinct recipient and deliver them after commit.

    With a `hold_key` the rows are held instead: nothing is sent until
    `delivery.notification_release_held(hold_key=...)`, and
    `delivery.notification_discard_held(hold_key=...)` drops them unsent (a decision changed
    before its letter went out).

    `link` is a path on the site (any language prefix); the rows and the mails get it in
    each recipient's language, and templates see it as the absolute `link`.
    `dedupe_key` names the event (e.g. "call-deadline:42:7d"); each recipient's row gets
    `<dedupe_key>:<user id>`, so notifying the same event twice sends nothing the second time.
    Recipients who switched the category off are left out unless the message is essential.
    `attachments` go with every mail (the same files for everyone). Returns the number of
    rows written now (notifications written before are not counted).
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
                hold_key=hold_key,
                status=NotificationStatus.HELD if hold_key else NotificationStatus.PENDING,
                attachments=attachments,
            )
        )
    return _write(rows, batch=batch)


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
    secrets: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> None:
    """Queue one already-rendered mail (allauth renders its own) through the outbox.

    `secrets` are the parts of the mail that work as credentials (a reset link, a code):
    the stored body hides them and the real mail, `attachments` included, is sealed until
    delivery (sealing.py).
    """
    batch = uuid.uuid4()
    row = _row(
        message=RenderedMessage(subject=subject, body_text=body_text, body_html=body_html),
        secrets=secrets,
        attachments=attachments,
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
    secrets: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> None:
    """Write one templated notification to an address that may have no account yet (an
    invitation, say). A second call with the same `dedupe_key` writes nothing.

    `secrets` (e.g. the invitation's accept URL, passed in `context` too) are hidden in the
    stored copy and reach only the mail; `link`, shown on the site, must not be one. With
    secrets, the `attachments` are sealed with the mail (a QR code may encode a secret)."""
    message, local_link = _render(kind=kind, context=context, link=link, language=language)
    batch = uuid.uuid4()
    row = _row(
        message=message,
        secrets=secrets,
        attachments=attachments,
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
    # slicing, as the column counts code points, combining marks included. A line break a
    # user typed would end the mail's Subject header: the subject is kept on one line.
    subject = " ".join(subject.splitlines())
    if len(subject) <= SUBJECT_MAX_LENGTH:
        return subject
    return subject[: SUBJECT_MAX_LENGTH - 1] + "…"


def _row(
    *,
    message: RenderedMessage,
    secrets: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    **fields,
) -> Notification:
    if not secrets:
        return Notification(
            subject=_fitting_subject(message.subject),
            body_text=message.body_text,
            body_html=message.body_html,
            attachments=[attachment.to_json() for attachment in attachments],
            **fields,
        )
    return Notification(
        subject=_fitting_subject(redact_values(message.subject, secrets)),
        body_text=redact_values(message.body_text, secrets),
        body_html=redact_values(message.body_html, secrets),
        carries_secret=True,
        sealed=seal(
            body_text=message.body_text, body_html=message.body_html, attachments=attachments
        ),
        attachments=[describe(attachment) for attachment in attachments],
        **fields,
    )


def _write(rows: list[Notification], *, batch: uuid.UUID) -> int:
    """Insert the rows not written before (by dedupe key); return how many are new."""
    written = set()
    for start in range(0, len(rows), WRITE_BATCH_SIZE):
        keys = [row.dedupe_key for row in rows[start : start + WRITE_BATCH_SIZE]]
        written.update(
            Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
    new = [row for row in rows if row.dedupe_key not in written]
    # ON CONFLICT DO NOTHING as well: a twin written at the same moment stays single.
    Notification.objects.bulk_create(new, batch_size=WRITE_BATCH_SIZE, ignore_conflicts=True)
    if any(row.status == NotificationStatus.PENDING for row in new):
        transaction.on_commit(partial(enqueue_batch, batch=batch))
    return len(new)
