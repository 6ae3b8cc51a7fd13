"""iCalendar files and feeds (RFC 5545) from plain entries, with times any client reads right.

Apps turn what they schedule (an event, a funding call's deadline) into `CalendarEntry`
values; `calendar_bytes` writes them as one VCALENDAR. Times are written in Europe/Warsaw
(the portal's TIME_ZONE) with its VTIMEZONE, built from the system's time-zone database, so
a client anywhere shows the right instant, on either side of a change of summer time.
"""

import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

PRODUCT_ID = "-//Cluster Portal//Events//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT. `uid` is stable across versions of the same thing; `sequence` grows
    when its time or place changes. A deadline is a moment: an entry whose `end` is its
    `start` (written without DTEND, as RFC 5545 has it)."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    stamp: datetime
    url: str = ""
    description: str = ""
    location: str = ""
    sequence: int = 0
    cancelled: bool = False
    categories: tuple[str, ...] = ()


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _component(entry: CalendarEntry) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", entry.stamp.astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("dtstart", _local(entry.start))
    if entry.end != entry.start:
        event.add("dtend", _local(entry.end))
    event.add("summary", entry.summary)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.categories:
        event.add("categories", list(entry.categories))
    return event


def calendar_bytes(
    entries: Iterable[CalendarEntry], *, name: str = "", method: str = "PUBLISH"
) -> bytes:
    """A VCALENDAR with the entries and the VTIMEZONE their times need. `name` is what a
    subscribing client calls the calendar; `method` CANCEL tells a client to remove the
    entries (a cancelled registration)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    components = [_component(entry) for entry in entries]
    if components:
        calendar.add_component(_vtimezone(settings.TIME_ZONE))
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


@functools.cache
def _vtimezone(tzid: str) -> icalendar.Timezone:
    # Built from the system's time-zone database once per process: the transitions of
    # decades take a while to compute, and every entry is in this one zone.
    return icalendar.Timezone.from_tzid(tzid)
