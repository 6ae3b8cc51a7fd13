"""Writes about funding calls: publishing them and reminding of their deadlines."""

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.core.errors import NotAllowed
from cluster_portal.core.roles import is_cluster_coordinator
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify

from ..models import FundingCall
from ..selectors import call_audience, call_reminder_audience, calls_for_deadline_reminders


def call_publish(*, call: FundingCall, actor) -> int:
    """Publish a call and tell its audience, once: publishing again sends nothing (the call
    is published already, and the dedupe key would keep a second announcement single).
    Returns how many people were notified."""
    if not is_cluster_coordinator(actor):
        raise NotAllowed(_("Only the cluster office publishes funding calls."))
    with transaction.atomic():
        call = FundingCall.objects.select_for_update().get(pk=call.pk)
        if call.is_published:
            return 0
        call.is_published = True
        call.published_at = timezone.now()
        call.save(update_fields=["is_published", "published_at", "updated_at"])
        return notify(
            recipients=call_audience(call=call),
            kind="projects.call_published",
            category=NotificationCategory.FUNDING_CALLS,
            context={"call": call},
            dedupe_key=f"call-published:{call.pk}",
            link=call.get_absolute_url(),
        )


def call_send_deadline_reminders(*, now=None) -> int:
    """Remind of the deadlines 14 and 3 days ahead, each once per call and person.

    Run by beat every hour. The 14-day reminder goes while 14 to 3 days remain, to calls
    already public 14 days before their deadline; the 3-day one in the last three days.
    Running twice, or catching up after an outage, sends nothing twice (dedupe keys).
    Returns how many reminders were written.
    """
    now = now or timezone.now()
    written = 0
    for call in calls_for_deadline_reminders(now=now):
        label = _due_reminder(call, now=now)
        if label is None:
            continue
        with transaction.atomic():
            written += notify(
                recipients=call_reminder_audience(call=call),
                kind="projects.call_deadline",
                category=NotificationCategory.FUNDING_CALLS,
                context={"call": call, "days_left": _days_left(call, now=now)},
                dedupe_key=f"call-deadline:{call.pk}:{label}",
                link=call.get_absolute_url(),
            )
    return written


def _days_left(call: FundingCall, *, now) -> int:
    # Whole days, rounded up: "3 days" still with 2 days and 23 hours to go.
    return max(1, math.ceil((call.deadline - now).total_seconds() / 86400))


def _due_reminder(call: FundingCall, *, now) -> str | None:
    left = call.deadline - now
    if left <= timedelta(days=3):
        return "3d"
    published = call.published_at or call.created_at
    if left <= timedelta(days=14) and published <= call.deadline - timedelta(days=14):
        return "14d"
    return None
