"""A person's own calendar feed: a private address that works without logging in, carries
their registrations, and stops working when they make a new one."""

import re

import icalendar
import pytest
from django.test import Client

from events.services import registration_cancel, registration_create
from tests.helpers import logged_in, member, person, soon

pytestmark = pytest.mark.django_db

PAGE = "/en/members/my/calendar/"


def feed_path(client) -> str:
    html = client.get(PAGE).content.decode()
    [url] = re.findall(r'id="feed-url" type="url" value="([^"]+)"', html)
    return url.split("testserver", 1)[1]


def summaries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    calendar = icalendar.Calendar.from_ical(response.content)
    return [str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")]


def test_the_feed_carries_the_persons_registrations_and_works_logged_out():
    user = person()
    registration_create(event=soon(days=3, title_en="ECG workshop"), user=user)
    full = soon(days=5, capacity=1, title_en="Robotics congress")
    registration_create(event=full, user=person())
    registration_create(event=full, user=user)
    cancelled = registration_create(event=soon(days=7, title_en="Dropped webinar"), user=user)
    registration_cancel(registration=cancelled, actor=user)
    registration_create(event=soon(title_en="Someone else's assembly"), user=person())

    path = feed_path(logged_in(user))
    response = Client().get(path)

    assert summaries(response) == ["ECG workshop", "Robotics congress"]
    waiting = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[1]
    assert str(waiting["DESCRIPTION"]).startswith("You are on the waiting list.")


def test_a_new_address_turns_the_old_one_off():
    user = person()
    registration_create(event=soon(title_en="ECG workshop"), user=user)
    client = logged_in(user)
    old = feed_path(client)

    response = client.post(PAGE)

    assert response.status_code == 302 and response["Location"] == PAGE
    new = feed_path(client)
    assert new != old
    assert Client().get(old).status_code == 404
    assert summaries(Client().get(new)) == ["ECG workshop"]


def test_a_tampered_address_gives_nothing():
    user = person()
    registration_create(event=soon(), user=user)
    path = feed_path(logged_in(user))
    other = person()
    forged = path.replace(f"/{user.pk}.", f"/{other.pk}.")

    for bad in (path.replace(".ics", "x.ics"), forged, "/en/calendar/garbage.ics"):
        assert Client().get(bad).status_code == 404


def test_the_page_is_for_the_person_only():
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_feed_carries_the_deadlines_of_the_calls_of_the_persons_centres():
    from competence_centres.models import CompetenceCentre
    from tests.factories import FundingCallFactory, ParticipationFactory

    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    ict = CompetenceCentre.objects.get(slug="ict")
    user = member()
    ParticipationFactory(organisation=user.memberships.get().organisation, centre=telemedicine)
    FundingCallFactory(title_en="Telemedicine call").centres.add(telemedicine)
    FundingCallFactory(title_en="ICT call").centres.add(ict)
    deadline = FundingCallFactory(title_en="Call for every member").deadline
    FundingCallFactory(title_en="Draft call", is_published=False)
    registration_create(event=soon(title_en="ECG workshop"), user=user)

    response = Client().get(feed_path(logged_in(user)))

    assert sorted(summaries(response)) == [
        "Deadline: Call for every member",
        "Deadline: Telemedicine call",
        "ECG workshop",
    ]
    entry = next(
        entry
        for entry in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        if entry["SUMMARY"] == "Deadline: Call for every member"
    )
    assert entry.decoded("DTSTART") == deadline.replace(microsecond=0)
    assert "DTEND" not in entry
    # Someone of no member organisation follows no centre's calls.
    assert summaries(Client().get(feed_path(logged_in(person())))) == []
