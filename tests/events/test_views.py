"""The event pages as people use them: the calendar, an event's page and its button, My
events, the cancel link from the mails and the check-in page behind the QR code."""

import base64
import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.utils import timezone

from competence_centres.models import CompetenceCentre
from events.models import Registration
from events.services import registration_create
from events.tokens import cancel_token, check_in_token
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import (
    deliver_outbox,
    get_counting_queries,
    logged_in,
    member,
    person,
    read_qr,
    soon,
)

pytestmark = pytest.mark.django_db

CALENDAR = "/en/events/"


def page(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the calendar ----------------------------------------------------------------------------


def test_the_calendar_lists_upcoming_events_with_their_seats_and_past_ones_apart(client):
    soon(days=3, title_en="Telemedicine congress", capacity=2)
    full = soon(days=5, title_en="Sold-out workshop", capacity=1)
    registration_create(event=full, user=person())
    soon(days=-30, title_en="Spring assembly 2025")
    soon(days=2, title_en="Draft webinar", is_published=False)

    html = page(client.get(CALENDAR))
    assert "Telemedicine congress" in html and "2 seats left" in html
    assert "Sold-out workshop" in html and "Full: waiting list" in html
    assert "Spring assembly 2025" not in html and "Draft webinar" not in html
    assert html.index("Telemedicine congress") < html.index("Sold-out workshop")

    past = page(client.get(CALENDAR, {"period": "past"}))
    assert "Spring assembly 2025" in past and "Telemedicine congress" not in past


def test_the_calendar_filters_by_kind_centre_and_month(client):
    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    workshop = soon(days=3, kind="workshop", title_en="ECG workshop")
    workshop.centres.add(telemedicine)
    soon(days=4, kind="congress", title_en="Oncology congress")
    later = soon(days=70, kind="workshop", title_en="Robotics workshop")

    by_kind = page(client.get(CALENDAR, {"kind": "workshop"}))
    assert "ECG workshop" in by_kind and "Robotics workshop" in by_kind
    assert "Oncology congress" not in by_kind
    by_centre = page(client.get(CALENDAR, {"centre": "telemedicine"}))
    assert "ECG workshop" in by_centre and "Robotics workshop" not in by_centre
    month = timezone.localtime(later.starts_at).strftime("%Y-%m")
    by_month = page(client.get(CALENDAR, {"month": month}))
    assert "Robotics workshop" in by_month and "ECG workshop" not in by_month


def test_bad_filter_values_are_ignored_not_answered_with_an_error(client):
    soon(title_en="Telemedicine congress")
    response = client.get(
        CALENDAR, {"kind": "picnic", "centre": "nowhere", "month": "2026-13", "period": "x"}
    )
    assert response.status_code == 200
    assert "Telemedicine congress" in page(response)


def test_the_calendar_is_paginated(client):
    for number in range(25):
        soon(days=1 + number, title_en=f"Seminar {number:02d}")
    first = page(client.get(CALENDAR))
    second = page(client.get(CALENDAR, {"page": 2}))
    assert "Seminar 19" in first and "Seminar 20" not in first
    assert "Seminar 20" in second and "Page 2 of 2" in second


# --- an event's page and registering ---------------------------------------------------------


def test_a_visitor_sees_the_seats_the_venue_and_how_to_register(client):
    event = soon(
        capacity=40,
        title_en="Cardiology congress",
        venue="Centrum Spotkań i Konferencji",
        address="ul. Spokojna 2",
        city="Lublin",
        organiser=OrganisationFactory(name="Uniwersytet Medyczny"),
    )
    registration_create(event=event, user=person())

    html = page(client.get(event.get_absolute_url().replace("/pl/", "/en/")))
    assert "39 of 40 seats left" in html
    assert "ul. Spokojna 2" in html and "Uniwersytet Medyczny" in html
    assert "Log in to register" in html
    assert f'/en/events/{event.slug}/event.ics"' in html


def test_one_click_registers_a_logged_in_person_and_the_page_says_so():
    event = soon(capacity=10, title_en="Cardiology congress")
    user = person()
    client = logged_in(user)
    url = f"/en/events/{event.slug}/"

    assert f'action="/en/events/{event.slug}/register/"' in page(client.get(url))
    response = client.post(f"{url}register/")

    assert response.status_code == 302 and response["Location"] == url
    assert flashed(response)[0].startswith("You are registered for Cardiology congress.")
    html = page(client.get(url))
    assert "You are registered" in html and "9 of 10 seats left" in html
    assert Registration.objects.get(user=user).status == "confirmed"


def test_a_full_event_puts_the_person_on_the_waiting_list_with_their_number():
    event = soon(capacity=1, title_en="Workshop")
    registration_create(event=event, user=person())
    client = logged_in(person())
    url = f"/en/events/{event.slug}/"

    assert "Join the waiting list" in page(client.get(url))
    response = client.post(f"{url}register/")

    assert flashed(response) == [
        "Workshop is full: you are on the waiting list, number 1. If a seat frees up, it is "
        "yours in turn and we write to you."
    ]
    assert "Waiting list: number 1" in page(client.get(url))


def test_a_second_click_gets_a_message_not_a_second_seat():
    event = soon(title_en="Workshop")
    user = person()
    client = logged_in(user)
    client.post(f"/en/events/{event.slug}/register/")

    response = client.post(f"/en/events/{event.slug}/register/")

    assert response.status_code == 302
    assert flashed(response)[-1] == "You are already registered for Workshop."
    assert Registration.objects.filter(user=user).count() == 1


def test_a_members_only_event_asks_the_organisation_of_people_with_several():
    event = soon(audience="members")
    user = member()
    clinic = OrganisationFactory(name="Klinika Południowa")
    MembershipFactory(user=user, organisation=clinic)
    client = logged_in(user)

    assert "Organisation you represent" in page(client.get(f"/en/events/{event.slug}/"))
    refused = client.post(f"/en/events/{event.slug}/register/")
    assert refused.status_code == 400
    assert "Choose the organisation you represent." in page(refused)
    assert not Registration.objects.exists()

    client.post(f"/en/events/{event.slug}/register/", {"organisation": clinic.pk})
    assert Registration.objects.get(user=user).organisation == clinic


def test_a_members_only_event_tells_outsiders_why_they_cannot_register():
    event = soon(audience="members")
    client = logged_in(person())

    html = page(client.get(f"/en/events/{event.slug}/"))
    assert "for people of the cluster's active member organisations" in html
    assert "/register/" not in html
    response = client.post(f"/en/events/{event.slug}/register/")
    assert response.status_code == 302
    assert "is for people of the cluster" in flashed(response)[0]
    assert not Registration.objects.exists()


def test_a_closed_registration_window_shows_when_and_refuses():
    event = soon(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    client = logged_in(person())

    assert "Registration closed on" in page(client.get(f"/en/events/{event.slug}/"))
    response = client.post(f"/en/events/{event.slug}/register/")
    assert flashed(response)[0].startswith("Registration closed on")
    assert not Registration.objects.exists()


# --- My events -------------------------------------------------------------------------------


def test_my_events_shows_the_qr_code_the_place_in_line_and_past_attendance(coordinator):
    user = person()
    seat = registration_create(event=soon(days=3, title_en="ECG workshop"), user=user)
    full = soon(days=5, capacity=1, title_en="Robotics congress")
    registration_create(event=full, user=person())
    registration_create(event=full, user=person())
    registration_create(event=full, user=user)
    past = soon(days=-10, title_en="Spring assembly")
    Registration.objects.create(event=past, user=user, attended_at=past.starts_at)

    html = page(logged_in(user).get("/en/events/my/"))

    assert "ECG workshop" in html and "Robotics congress" in html
    assert "number 2 in line" in html
    [qr] = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)
    assert 'alt="Check-in QR code for ECG workshop"' in html
    assert "Spring assembly" in html and "Attended" in html
    # The picture is the check-in link, made for its owner on the page and stored nowhere.
    assert read_qr(base64.b64decode(qr.split(",", 1)[1])) == (
        f"http://127.0.0.1:8000/check-in/{check_in_token(seat)}/"
    )
    assert check_in_token(seat) not in str(list(Registration.objects.values()))


def test_cancelling_from_my_events_hands_the_seat_to_the_next_in_line():
    event = soon(capacity=1, title_en="ECG workshop")
    user, waiting = person(), person()
    seat = registration_create(event=event, user=user)
    registration_create(event=event, user=waiting)

    response = logged_in(user).post(f"/en/events/my/registrations/{seat.pk}/cancel/")

    assert response.status_code == 302 and response["Location"] == "/en/events/my/"
    assert Registration.objects.get(pk=seat.pk).status == "cancelled"
    assert Registration.objects.get(user=waiting).status == "confirmed"


def test_nobody_cancels_someone_elses_registration_from_the_site():
    seat = registration_create(event=soon(), user=person())
    response = logged_in(person()).post(f"/en/events/my/registrations/{seat.pk}/cancel/")
    assert response.status_code == 404
    assert Registration.objects.get(pk=seat.pk).status == "confirmed"


def test_my_cluster_links_to_my_events(client):
    user = member()
    assert 'href="/en/events/my/"' in page(logged_in(user).get("/en/members/my/"))


# --- the cancel link from the mail -----------------------------------------------------------


def test_the_cancel_link_works_logged_out_with_a_confirm_button():
    event = soon(capacity=1, title_en="ECG workshop")
    seat = registration_create(event=event, user=person())
    waiting = registration_create(event=event, user=person())
    url = f"/en/events/cancel/{cancel_token(seat)}/"
    visitor = Client(enforce_csrf_checks=True)

    shown = visitor.get(url)
    assert shown.status_code == 200
    assert "Give up your seat at ECG workshop" in page(shown)
    assert Registration.objects.get(pk=seat.pk).status == "confirmed"  # a GET changes nothing

    csrf = visitor.cookies["csrftoken"].value
    done = visitor.post(url, {"csrfmiddlewaretoken": csrf})
    assert done.status_code == 200
    assert "Your registration is cancelled" in page(done)
    assert Registration.objects.get(pk=seat.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"

    again = Client().get(url)
    assert again.status_code == 410
    assert "already cancelled" in page(again)


def test_a_tampered_cancel_link_is_refused_and_changes_nothing(client):
    seat = registration_create(event=soon(), user=person())
    token = cancel_token(seat)
    other = registration_create(event=soon(), user=person())
    forged = f"{other.pk}:{token.split(':', 1)[1]}"

    for bad in (token[:-2] + "xx", forged, check_in_token(seat)):
        assert client.get(f"/en/events/cancel/{bad}/").status_code == 400
        assert client.post(f"/en/events/cancel/{bad}/").status_code == 400
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed"}


def test_the_cancel_link_no_longer_works_once_the_event_started(client):
    event = soon(days=1)
    seat = registration_create(event=event, user=person())
    EventFactory._meta.model.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    response = client.post(f"/en/events/cancel/{cancel_token(seat)}/")
    assert response.status_code == 410
    assert "can no longer be cancelled" in page(response)
    assert Registration.objects.get(pk=seat.pk).status == "confirmed"


def test_the_confirmation_mail_carries_a_working_cancel_link(client):
    user = person("link@clinic.example")
    seat = registration_create(event=soon(), user=user)
    deliver_outbox()
    [message] = [m for m in mail.outbox if user.email in m.to]
    [link] = re.findall(r"http://[^\s]+/events/cancel/[^\s]+/", message.body)

    client.post(link.split("8000", 1)[1])

    assert Registration.objects.get(pk=seat.pk).status == "cancelled"


# --- check-in --------------------------------------------------------------------------------


def check_in_path(registration) -> str:
    return f"/check-in/{check_in_token(registration)}/"


def scanning(client, coordinator):
    """The coordinator's phone, in English: the check-in page has no language prefix."""
    client.force_login(coordinator)
    client.cookies["portal_language"] = "en"
    return client


def test_a_coordinator_checks_someone_in_with_one_tap_and_sees_a_second_scan(client, coordinator):
    user = UserFactory(full_name="Anna Nowak")
    hospital = OrganisationFactory(name="Szpital Wojewódzki")
    MembershipFactory(user=user, organisation=hospital)
    seat = registration_create(event=soon(title_en="ECG workshop"), user=user)
    coordinator.full_name = "Ewa Biuro"
    coordinator.save()
    scanning(client, coordinator)  # with a second factor (conftest)
    url = check_in_path(seat)

    shown = page(client.get(url))
    assert "Anna Nowak" in shown and "Szpital Wojewódzki" in shown
    assert "Not checked in yet." in shown
    assert Registration.objects.get(pk=seat.pk).attended_at is None

    done = client.post(url)
    assert done.status_code == 200 and "Checked in." in page(done)
    assert Registration.objects.get(pk=seat.pk).attended_at is not None

    again = page(client.get(url))
    assert "Already checked in" in again and "by Ewa Biuro" in again
    assert "Check in</button>" not in again


def test_nobody_but_the_cluster_office_can_check_anyone_in(client):
    seat = registration_create(event=soon(), user=person())
    url = check_in_path(seat)
    staff_elsewhere = UserFactory(is_staff=True)

    assert client.get(url).status_code == 302  # to the login page
    assert client.post(url).status_code == 302
    for outsider in (seat.user, member(), staff_elsewhere):
        assert logged_in(outsider).get(url).status_code == 403
        assert logged_in(outsider).post(url).status_code == 403
    assert Registration.objects.get(pk=seat.pk).attended_at is None


def test_a_tampered_check_in_code_is_refused(client, coordinator):
    seat = registration_create(event=soon(), user=person())
    scanning(client, coordinator)
    token = check_in_token(seat)

    for bad in (token[:-2] + "xx", cancel_token(seat)):
        assert client.get(f"/check-in/{bad}/").status_code == 400
        assert client.post(f"/check-in/{bad}/").status_code == 400
    assert Registration.objects.get(pk=seat.pk).attended_at is None


def test_a_cancelled_registration_cannot_be_checked_in(client, coordinator):
    event = soon()
    seat = registration_create(event=event, user=person())
    from events.services import registration_cancel

    registration_cancel(registration=seat, via_link=True)
    scanning(client, coordinator)

    assert "No seat" in page(client.get(check_in_path(seat)))
    assert client.post(check_in_path(seat)).status_code == 409
    assert Registration.objects.get(pk=seat.pk).attended_at is None


# --- query counts ----------------------------------------------------------------------------


def _calendar_queries(count: int) -> int:
    Registration.objects.all().delete()
    EventFactory._meta.model.objects.all().delete()
    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    for number in range(count):
        event = soon(days=1 + number, capacity=5)
        event.centres.add(telemedicine)
        registration_create(event=event, user=person())
    client = Client()
    client.get(CALENDAR)  # the site settings' cache
    _response, queries = get_counting_queries(client, CALENDAR + "?kind=conference")
    return queries


def test_the_calendar_runs_the_same_queries_for_one_event_and_for_fifty():
    assert _calendar_queries(1) == _calendar_queries(50)


def test_the_event_page_runs_the_same_queries_whatever_its_registrations():
    def queries(registrations: int) -> int:
        event = soon(capacity=10)
        event.centres.add(*CompetenceCentre.objects.all()[:3])
        for _ in range(registrations):
            registration_create(event=event, user=person())
        user = member()
        client = logged_in(user)
        client.get(event.get_absolute_url())
        registration_create(event=event, user=user)
        return get_counting_queries(client, f"/en/events/{event.slug}/")[1]

    assert queries(1) == queries(50)


def test_my_events_runs_the_same_queries_for_one_registration_and_for_fifty():
    def queries(count: int) -> int:
        user = person()
        for number in range(count):
            event = soon(days=1 + number, capacity=1 if number % 2 else None)
            if number % 2:
                registration_create(event=event, user=person())  # puts `user` in line
            registration_create(event=event, user=user)
        client = logged_in(user)
        client.get("/en/events/my/")
        return get_counting_queries(client, "/en/events/my/")[1]

    assert queries(1) == queries(50)
