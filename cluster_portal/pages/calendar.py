"""A person's own calendar feed: one private iCalendar address with everything of theirs
that has a date, whichever app it comes from.

Each source is a function from a person to calendar entries (core/ical.py): the events they
registered for, and the deadlines of the funding calls of their centres. Another app's dates
join as one more function in PERSONAL_CALENDAR_SOURCES.

The address is a credential (settings.PORTAL_CREDENTIAL_URLS): signed with SECRET_KEY, it
names the person and the generation of their key; resetting it turns older addresses off.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.core.ical import CalendarEntry, calendar_bytes
from events.calendar import registration_entries
from events.selectors import registration_list_for_calendar

from .models import PersonalCalendar
from .selectors import call_list_for_personal_calendar

SALT = "pages.personal-calendar"

CalendarSource = Callable[[object], Iterable[CalendarEntry]]


# How far back the feed keeps a past deadline.
DEADLINE_HISTORY = timedelta(days=90)


def _event_registrations(user) -> Iterable[CalendarEntry]:
    return registration_entries(registration_list_for_calendar(user=user))


def _call_deadlines(user) -> Iterable[CalendarEntry]:
    calls = call_list_for_personal_calendar(user=user, since=timezone.now() - DEADLINE_HISTORY)
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return [
        CalendarEntry(
            uid=f"call-deadline-{call.pk}@{settings.PORTAL_MAIL_DOMAIN}",
            summary=_("Deadline: %(call)s") % {"call": call.title},
            start=call.deadline,
            end=call.deadline,
            stamp=call.updated_at,
            url=base + call.get_absolute_url(),
            description="\n\n".join(
                text for text in (call.summary, base + call.get_absolute_url()) if text
            ),
            categories=(str(_("Funding call")),),
        )
        for call in calls
    ]


PERSONAL_CALENDAR_SOURCES: list[CalendarSource] = [_event_registrations, _call_deadlines]


def personal_calendar_ics(user, *, name: str) -> bytes:
    entries = [entry for source in PERSONAL_CALENDAR_SOURCES for entry in source(user)]
    entries.sort(key=lambda entry: entry.start)
    return calendar_bytes(entries, name=name)


def _generation(user) -> int:
    calendar = PersonalCalendar.objects.filter(user=user).only("generation").first()
    return calendar.generation if calendar else 1


def personal_calendar_token(user) -> str:
    return signing.Signer(salt=SALT).sign(f"{user.pk}.{_generation(user)}")


def personal_calendar_path(user) -> str:
    """The feed's path, in the active language (its entries' language)."""
    return reverse("pages:personal_calendar", kwargs={"token": personal_calendar_token(user)})


def read_personal_calendar_token(token: str):
    """The person whose current feed address this is, or None (tampered, or reset since)."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_id, _dot, generation = value.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    if user is None or _generation(user) != int(generation):
        return None
    return user


def personal_calendar_reset(*, user) -> None:
    """A new address for the person's feed; the old one stops working at once."""
    with transaction.atomic():
        calendar, created = PersonalCalendar.objects.select_for_update().get_or_create(
            user=user, defaults={"generation": 2, "reset_at": timezone.now()}
        )
        if not created:
            PersonalCalendar.objects.filter(pk=calendar.pk).update(
                generation=F("generation") + 1, reset_at=timezone.now()
            )
