"""Calendar files and feeds: they parse back with `icalendar` and carry the right instants,
on both sides of a change of summer time, for a client that trusts our VTIMEZONE as much as
for one that knows Europe/Warsaw itself."""

import datetime
import zoneinfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from competence_centres.models import CompetenceCentre
from events.services import registration_cancel, registration_create
from tests.factories import EventFactory
from tests.helpers import person, soon

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
UTC = datetime.UTC


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def offset_from_vtimezone(calendar: icalendar.Calendar, local: datetime.datetime):
    """The UTC offset the calendar's own VTIMEZONE gives `local` (a naive wall-clock time):
    what a client without a time-zone database of its own computes."""
    [zone] = calendar.walk("VTIMEZONE")
    best = None
    for observance in zone.subcomponents:
        start = observance.decoded("DTSTART")
        onsets = [start]
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            onsets += [value.dt for value in rdate.dts]
        if "RRULE" in observance:
            rule = rrulestr(observance["RRULE"].to_ical().decode(), dtstart=start)
            onsets += list(rule.between(start, local, inc=True))
        for onset in onsets:
            # An onset is written in the local time before it (TZOFFSETFROM).
            if onset <= local and (best is None or onset > best[0]):
                best = (onset, observance.decoded("TZOFFSETTO"))
    return best[1]


def instants(calendar, local_start, local_end):
    entry = calendar.walk("VEVENT")[0]
    assert entry["DTSTART"].params["TZID"] == "Europe/Warsaw"
    by_zoneinfo = (entry.decoded("DTSTART"), entry.decoded("DTEND"))
    naive = [entry.decoded(name).replace(tzinfo=None) for name in ("DTSTART", "DTEND")]
    assert naive == [local_start, local_end]
    by_vtimezone = tuple(
        (moment - offset_from_vtimezone(calendar, moment)).replace(tzinfo=UTC) for moment in naive
    )
    return by_zoneinfo, by_vtimezone


@pytest.mark.parametrize(
    ("local_start", "local_end", "utc_start", "utc_end"),
    [
        # Summer time ends on 25 October 2026 at 03:00: CEST (UTC+2) to CET (UTC+1).
        ("2026-10-24 10:00", "2026-10-25 16:00", "2026-10-24 08:00", "2026-10-25 15:00"),
        # It begins on 28 March 2027 at 02:00: CET to CEST.
        ("2027-03-27 18:00", "2027-03-28 12:00", "2027-03-27 17:00", "2027-03-28 10:00"),
    ],
)
def test_an_events_file_gives_the_right_instants_across_a_change_of_summer_time(
    client, local_start, local_end, utc_start, utc_end
):
    start, end = (datetime.datetime.fromisoformat(v) for v in (local_start, local_end))
    event = EventFactory(
        title_en="Cross-border congress",
        starts_at=start.replace(tzinfo=WARSAW),
        ends_at=end.replace(tzinfo=WARSAW),
    )

    response = client.get(f"/en/events/{event.slug}/event.ics")

    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = parse(response)
    expected = tuple(
        datetime.datetime.fromisoformat(v).replace(tzinfo=UTC) for v in (utc_start, utc_end)
    )
    by_zoneinfo, by_vtimezone = instants(calendar, start, end)
    assert by_zoneinfo == expected
    assert by_vtimezone == expected
    entry = calendar.walk("VEVENT")[0]
    assert entry["SUMMARY"] == "Cross-border congress"
    assert entry["UID"] == f"event-{event.pk}@cluster-portal.local"
    assert entry["URL"] == f"http://127.0.0.1:8000/en/events/{event.slug}/"


def test_an_events_file_speaks_the_pages_language_and_says_where(client):
    event = soon(
        title_pl="Kongres kardiologiczny",
        title_en="Cardiology congress",
        venue="Centrum Kongresowe",
        address="ul. Grottgera 2",
        city="Lublin",
    )
    polish = parse(client.get(f"/pl/events/{event.slug}/event.ics")).walk("VEVENT")[0]
    assert polish["SUMMARY"] == "Kongres kardiologiczny"
    assert polish["LOCATION"] == "Centrum Kongresowe, ul. Grottgera 2, Lublin"
    assert client.get(f"/en/events/{soon(is_published=False).slug}/event.ics").status_code == 404


def test_the_feed_of_all_events_carries_the_published_ones(client):
    soon(title_en="Telemedicine congress")
    soon(days=-20, title_en="Spring assembly")
    soon(title_en="Draft webinar", is_published=False)

    calendar = parse(client.get("/en/events/feed.ics"))

    assert calendar["X-WR-CALNAME"] == "Cluster events"
    summaries = sorted(str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT"))
    assert summaries == ["Spring assembly", "Telemedicine congress"]
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]


def test_a_centres_feed_carries_that_centres_events_only(client):
    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    soon(title_en="ECG workshop").centres.add(telemedicine)
    soon(title_en="Robotics congress").centres.add(CompetenceCentre.objects.get(slug="ict"))

    calendar = parse(client.get("/en/events/centres/telemedicine/feed.ics"))

    assert [str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")] == ["ECG workshop"]
    assert client.get("/en/events/centres/nowhere/feed.ics").status_code == 404


def test_the_calendar_page_links_the_feeds(client):
    html = client.get("/en/events/").content.decode()
    assert 'href="/en/events/feed.ics"' in html
    assert 'href="/en/events/centres/telemedicine/feed.ics"' in html


def test_a_cancelled_registrations_file_tells_the_calendar_to_drop_the_entry():
    from events.calendar import event_ics_attachment

    event = soon()
    registration_cancel(registration=registration_create(event=event, user=person()), via_link=True)

    calendar = icalendar.Calendar.from_ical(
        event_ics_attachment(event, language="en", cancelled=True).content
    )
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
