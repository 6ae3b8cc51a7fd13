"""Events as iCalendar: one event's file, the public and per-centre feeds, and the entries a
person's own calendar feed takes from their registrations (cluster_portal/pages)."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cluster_portal.core.ical import CalendarEntry, calendar_bytes
from cluster_portal.notifications.attachments import Attachment

from .enums import RegistrationStatus
from .models import Event, Registration

ICS_MIMETYPE = "text/calendar"


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def event_location(event: Event) -> str:
    place = ", ".join(part for part in (event.venue, event.address, event.city) if part)
    if event.online_url:
        return f"{place} · {event.online_url}" if place else event.online_url
    return place


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{settings.PORTAL_MAIL_DOMAIN}"


def event_entry(event: Event, *, cancelled: bool = False, note: str = "") -> CalendarEntry:
    """The event as a calendar entry, in the active language."""
    url = _absolute(event.get_absolute_url())
    description = [text for text in (note, event.summary) if text]
    if event.is_members_only:
        description.append(_("For people of the cluster's member organisations."))
    description.append(url)
    return CalendarEntry(
        uid=event_uid(event),
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        stamp=event.updated_at,
        url=url,
        description="\n\n".join(description),
        location=event_location(event),
        sequence=event.sequence,
        cancelled=cancelled,
        categories=(str(event.get_kind_display()),),
    )


def event_ics(event: Event, *, language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language()):
        return calendar_bytes([event_entry(event)])


# Every registration's mail carries its event's file: made once per version of the event
# and language, not once per person (it is made under the event's row lock).
_ATTACHMENTS: dict[tuple, bytes] = {}
ATTACHMENT_CACHE_SIZE = 256


def _attachment_key(event: Event, language: str, cancelled: bool) -> tuple:
    return (
        event.pk,
        event.updated_at,
        event.sequence,
        event.starts_at,
        event.ends_at,
        event.slug,
        event.kind,
        event.audience,
        event.title_pl,
        event.title_en,
        event.summary_pl,
        event.summary_en,
        event.venue,
        event.address,
        event.city,
        event.online_url,
        language,
        cancelled,
    )


def event_ics_attachment(event: Event, *, language: str, cancelled: bool = False) -> Attachment:
    """The event's .ics for a mail in `language`; for a cancelled registration, one that
    tells the calendar to drop the entry."""
    key = _attachment_key(event, language, cancelled)
    content = _ATTACHMENTS.get(key)
    if content is None:
        with translation.override(language):
            content = calendar_bytes(
                [event_entry(event, cancelled=cancelled)],
                method="CANCEL" if cancelled else "PUBLISH",
            )
        if len(_ATTACHMENTS) >= ATTACHMENT_CACHE_SIZE:
            _ATTACHMENTS.clear()
        _ATTACHMENTS[key] = content
    return Attachment(filename=f"{event.slug}.ics", mimetype=ICS_MIMETYPE, content=content)


def feed_ics(events: Iterable[Event], *, name: str) -> bytes:
    """A subscribable calendar of `events`, in the active language."""
    return calendar_bytes([event_entry(event) for event in events], name=name)


def registration_entries(registrations: Iterable[Registration]) -> list[CalendarEntry]:
    """A person's registrations as entries of their own calendar: their seats, and their
    places on waiting lists marked as such."""
    entries = []
    for registration in registrations:
        note = ""
        if registration.status == RegistrationStatus.WAITLISTED:
            note = _("You are on the waiting list.")
        entries.append(event_entry(registration.event, note=note))
    return entries
