"""Registering, the waiting list, cancelling, check-in and reminders, through the services."""

import datetime
import email
from email.policy import default as default_policy

import icalendar
import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.models import Notification
from events.models import Registration
from events.selectors import registration_active_for
from events.services import (
    event_reminders_send,
    event_save_by_coordinator,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_create_by_coordinator,
    registration_move_to_front,
    registration_promote,
)
from events.tokens import cancel_token, check_in_token
from tests.events.test_views import read_qr
from tests.factories import MembershipFactory, OrganisationFactory
from tests.helpers import deliver_outbox, member, person, soon

pytestmark = pytest.mark.django_db


def register(event, user, **kwargs):
    return registration_create(event=event, user=user, **kwargs)


def mails_to(address: str):
    deliver_outbox()
    return [
        email.message_from_bytes(message.message().as_bytes(), policy=default_policy)
        for message in mail.outbox
        if address in message.to
    ]


def calendar_of(message) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


# --- seats and the waiting list --------------------------------------------------------------


def test_seats_go_first_then_the_waiting_list_in_order():
    event = soon(capacity=2)
    people = [person() for _ in range(4)]

    registrations = [register(event, someone) for someone in people]

    assert [r.status for r in registrations] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [r.waitlist_position for r in registrations] == [None, None, 1, 2]
    assert registration_active_for(user=people[3], event=event).waitlist_position == 2


def test_an_event_without_a_capacity_never_fills():
    event = soon(capacity=None)
    assert {register(event, person()).status for _ in range(30)} == {"confirmed"}


def test_a_second_registration_is_refused_with_a_clear_message():
    event = soon(capacity=1, title_en="Telemedicine congress")
    first, second = person(), person()
    register(event, first)
    register(event, second)

    with pytest.raises(Conflict, match=r"^You are already registered for Telemedicine congress\.$"):
        register(event, first)
    with pytest.raises(
        Conflict, match=r"already on the waiting list of Telemedicine congress, number 1\.$"
    ):
        register(event, second)
    assert Registration.objects.count() == 2


def test_the_database_allows_one_seat_or_place_per_person_and_event():
    event, user = soon(), person()
    register(event, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, user=user, status="waitlisted", queued_at=timezone.now()
        )


def test_after_cancelling_a_person_may_register_again_and_the_history_stays():
    event, user = soon(), person()
    registration_cancel(registration=register(event, user), actor=user)

    again = register(event, user)

    assert again.status == "confirmed"
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "cancelled",
        "confirmed",
    ]


# --- the registration window and the audience ------------------------------------------------


def test_registration_opens_and_closes_with_its_window():
    now = timezone.now()
    event = soon(
        days=10,
        registration_opens_at=now + datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    user = person()

    with pytest.raises(NotAllowed, match=r"^Registration opens on "):
        register(event, user)
    register(event, user, now=now + datetime.timedelta(days=2))
    with pytest.raises(NotAllowed, match=r"^Registration closed on "):
        register(event, person(), now=now + datetime.timedelta(days=5))
    assert Registration.objects.count() == 1


def test_registration_closes_when_the_event_starts_and_drafts_take_none():
    started = soon(days=-0.1)
    with pytest.raises(NotAllowed, match="The event has started"):
        register(started, person())
    with pytest.raises(NotAllowed, match="not published"):
        register(soon(is_published=False), person())


def test_a_members_only_event_takes_only_people_of_active_member_organisations():
    event = soon(audience="members", title_en="General assembly")
    applicant = person()
    MembershipFactory(user=applicant, organisation=OrganisationFactory(status="applied"))

    for outsider in (person(), applicant):
        with pytest.raises(NotAllowed, match="General assembly is for people of the cluster"):
            register(event, outsider)

    hospital = OrganisationFactory(name="Szpital Miejski")
    registration = register(event, member(organisation=hospital))
    assert registration.organisation == hospital


def test_someone_of_several_organisations_chooses_whom_they_represent():
    event = soon(audience="members")
    user = member()
    clinic = OrganisationFactory(name="Klinika Południowa")
    MembershipFactory(user=user, organisation=clinic)

    with pytest.raises(NotAllowed, match="Choose the organisation you represent"):
        register(event, user)
    with pytest.raises(NotAllowed, match="only an active member organisation you belong to"):
        register(event, user, organisation=OrganisationFactory())
    assert register(event, user, organisation=clinic).organisation == clinic


# --- cancelling and promotion ----------------------------------------------------------------


def test_a_cancelled_seat_goes_to_the_first_in_line_who_is_told():
    event = soon(capacity=1, title_en="Cardiology workshop")
    holder, first, second = person(), person("first@clinic.example"), person()
    seat = register(event, holder)
    register(event, first)
    register(event, second)
    deliver_outbox()
    mail.outbox.clear()

    registration_cancel(registration=seat, actor=holder)

    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses[first.email] == "confirmed"
    assert statuses[second.email] == "waitlisted"
    assert registration_active_for(user=second, event=event).waitlist_position == 1
    [promoted] = mails_to(first.email)
    assert promoted["Subject"] == "A seat freed up: you are registered for Cardiology workshop"
    assert calendar_of(promoted).walk("VEVENT")[0]["SUMMARY"] == "Cardiology workshop"
    assert any(part["Content-ID"] == "<check-in-qr>" for part in promoted.walk())
    [cancelled] = mails_to(holder.email)
    assert cancelled["Subject"] == "Your registration for Cardiology workshop is cancelled"
    assert calendar_of(cancelled)["METHOD"] == "CANCEL"


def test_leaving_the_waiting_list_moves_the_others_up_and_frees_no_seat():
    event = soon(capacity=1)
    register(event, person())
    waiting = [register(event, person()) for _ in range(3)]

    registration_cancel(registration=waiting[0], actor=waiting[0].user)

    assert Registration.objects.filter(status="confirmed").count() == 1
    positions = [
        registration_active_for(user=r.user, event=event).waitlist_position for r in waiting[1:]
    ]
    assert positions == [1, 2]


def test_cancelling_stays_possible_until_the_event_starts():
    event = soon(days=1)
    registration = register(event, person())

    with pytest.raises(InvalidTransition, match="The event has started"):
        registration_cancel(
            registration=registration,
            actor=registration.user,
            now=event.starts_at + datetime.timedelta(minutes=1),
        )
    with pytest.raises(NotAllowed):
        registration_cancel(registration=registration, actor=person())
    registration_cancel(registration=registration, actor=registration.user)
    with pytest.raises(InvalidTransition, match="already cancelled"):
        registration_cancel(registration=registration, via_link=True)


def test_a_coordinator_moves_someone_to_the_front_of_the_waiting_list(coordinator):
    event = soon(capacity=1)
    seat = register(event, person())
    first, second, third = (register(event, person()) for _ in range(3))

    registration_move_to_front(registration=third, actor=coordinator)

    assert registration_active_for(user=third.user, event=event).waitlist_position == 1
    assert registration_active_for(user=first.user, event=event).waitlist_position == 2
    assert registration_active_for(user=second.user, event=event).waitlist_position == 3
    registration_cancel(registration=seat, actor=seat.user)
    third.refresh_from_db()
    assert third.status == "confirmed"
    with pytest.raises(NotAllowed):
        registration_move_to_front(registration=second, actor=second.user)


def test_a_coordinator_gives_a_seat_above_capacity_and_it_is_recorded(coordinator):
    event = soon(capacity=1)
    register(event, person())
    waiting = register(event, person())
    by_hand = person()

    promoted = registration_promote(registration=waiting, actor=coordinator)
    added = registration_create_by_coordinator(event=event, user=by_hand, actor=coordinator)

    assert (promoted.status, promoted.over_capacity) == ("confirmed", True)
    assert (added.status, added.over_capacity, added.registered_by) == (
        "confirmed",
        True,
        coordinator,
    )
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3
    with pytest.raises(Conflict, match="is already registered"):
        registration_create_by_coordinator(event=event, user=by_hand, actor=coordinator)
    with pytest.raises(NotAllowed):
        registration_create_by_coordinator(event=event, user=person(), actor=by_hand)


# --- changes to the event --------------------------------------------------------------------


def test_more_seats_move_the_waiting_list_up(coordinator):
    event = soon(capacity=1)
    register(event, person())
    waiting = [register(event, person()) for _ in range(3)]

    event.capacity = 3
    event_save_by_coordinator(actor=coordinator, event=event)

    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_a_new_date_is_told_to_the_registered_with_the_new_calendar_entry(coordinator):
    event = soon(capacity=1, title_en="Oncology congress")
    holder, waiting = person("holder@clinic.example"), person("waiting@clinic.example")
    register(event, holder)
    register(event, waiting)
    registration_cancel(registration=register(soon(), person("elsewhere@x.example")), via_link=True)
    deliver_outbox()
    mail.outbox.clear()

    event.description_en = "A longer programme."
    event_save_by_coordinator(actor=coordinator, event=event)
    assert not Notification.objects.filter(kind="events.changed").exists()

    new_start = event.starts_at + datetime.timedelta(days=7)
    event.starts_at, event.ends_at = new_start, new_start + datetime.timedelta(hours=8)
    event_save_by_coordinator(actor=coordinator, event=event)

    event.refresh_from_db()
    assert event.sequence == 1
    recipients = set(
        Notification.objects.filter(kind="events.changed").values_list("to_email", flat=True)
    )
    assert recipients == {"holder@clinic.example", "waiting@clinic.example"}
    [changed] = mails_to("holder@clinic.example")
    assert changed["Subject"] == "Oncology congress: new date or place"
    entry = calendar_of(changed).walk("VEVENT")[0]
    assert entry.decoded("DTSTART") == new_start.replace(microsecond=0)
    assert entry["SEQUENCE"] == 1


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_once_to_confirmed_attendees_of_events_starting_within_a_day():
    now = timezone.now()
    tomorrow = soon(days=0.8, capacity=1, title_en="Networking breakfast")
    next_week = soon(days=7)
    attendee, waiting = person("attendee@clinic.example"), person("waiting@clinic.example")
    register(tomorrow, attendee, now=now)
    register(tomorrow, waiting, now=now)
    register(next_week, person("later@clinic.example"), now=now)
    deliver_outbox()
    mail.outbox.clear()

    event_reminders_send(now=now)
    event_reminders_send(now=now + datetime.timedelta(minutes=15))  # beat runs again

    [reminder] = Notification.objects.filter(kind="events.reminder")
    assert reminder.to_email == "attendee@clinic.example"
    [message] = mails_to("attendee@clinic.example")
    assert message["Subject"].startswith("Reminder: Networking breakfast, ")
    assert calendar_of(message).walk("VEVENT")[0]["SUMMARY"] == "Networking breakfast"
    assert mails_to("waiting@clinic.example") == []


def test_an_event_moved_to_another_day_is_reminded_again(coordinator):
    now = timezone.now()
    event = soon(days=0.8)
    register(event, person(), now=now)
    event_reminders_send(now=now)

    moved = event.starts_at + datetime.timedelta(days=2)
    event.starts_at, event.ends_at = moved, moved + datetime.timedelta(hours=2)
    event_save_by_coordinator(actor=coordinator, event=event)
    event_reminders_send(now=now + datetime.timedelta(days=2))

    assert Notification.objects.filter(kind="events.reminder").count() == 2


# --- check-in --------------------------------------------------------------------------------


def test_only_the_cluster_office_checks_people_in_and_twice_changes_nothing(coordinator):
    registration = register(soon(), person())
    staff_outside_the_office = person(is_staff=True)

    for outsider in (registration.user, staff_outside_the_office):
        with pytest.raises(NotAllowed):
            registration_check_in(registration=registration, actor=outsider)
    registration.refresh_from_db()
    assert registration.attended_at is None

    checked, already = registration_check_in(registration=registration, actor=coordinator)
    assert (checked.checked_in_by, already) == (coordinator, False)
    first_time = checked.attended_at
    checked, already = registration_check_in(registration=registration, actor=coordinator)
    assert (checked.attended_at, already) == (first_time, True)


def test_no_check_in_without_a_seat(coordinator):
    event = soon(capacity=1)
    register(event, person())
    waiting = register(event, person())
    with pytest.raises(InvalidTransition, match="the registration is on the waiting list"):
        registration_check_in(registration=waiting, actor=coordinator)


# --- mails -----------------------------------------------------------------------------------


def test_each_person_is_written_to_in_their_language_with_the_calendar_entry():
    event = soon(capacity=1, title_pl="Kongres kardiologiczny", title_en="Cardiology congress")
    register(event, person("anna@szpital.example", "pl"))
    register(event, person("john@clinic.example", "en"))

    polish = Notification.objects.get(to_email="anna@szpital.example")
    english = Notification.objects.get(to_email="john@clinic.example")
    assert (polish.kind, polish.language) == ("events.confirmed", "pl")
    assert "Kongres kardiologiczny" in polish.subject
    assert english.subject == "You are on the waiting list of Cardiology congress"
    [confirmation] = mails_to("anna@szpital.example")
    assert calendar_of(confirmation).walk("VEVENT")[0]["SUMMARY"] == "Kongres kardiologiczny"
    [waitlisted] = mails_to("john@clinic.example")
    assert "number 1" in waitlisted.get_body(("plain",)).get_content()


def test_a_registration_mail_keeps_its_links_sealed_until_delivery():
    event = soon()
    registration = register(event, person("sealed@clinic.example"))
    notification = Notification.objects.get(kind="events.confirmed")

    assert notification.carries_secret
    assert "[hidden]" in notification.body_text
    assert [item["filename"] for item in notification.attachments] == [
        f"{event.slug}.ics",
        "check-in.png",
    ]

    [message] = mails_to("sealed@clinic.example")
    [qr] = [part for part in message.walk() if part["Content-ID"] == "<check-in-qr>"]
    assert read_qr(qr.get_content()) == (
        f"http://127.0.0.1:8000/check-in/{check_in_token(registration)}/"
    )
    body = message.get_body(("plain",)).get_content()
    assert cancel_token(registration) in body
    assert cancel_token(registration) not in notification.body_text
    notification.refresh_from_db()
    assert notification.sealed == ""


# --- announcements ---------------------------------------------------------------------------


def test_publishing_tells_the_opted_in_people_of_the_events_centres_once_each():
    from cluster_portal.notifications.reading import preference_set
    from competence_centres.models import CompetenceCentre
    from events.services import event_publish
    from tests.factories import ParticipationFactory

    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    first, second, elsewhere, applying = (OrganisationFactory() for _ in range(4))
    applying.status = "applied"
    applying.save()
    for organisation in (first, second, applying):
        ParticipationFactory(organisation=organisation, centre=telemedicine)
    in_both = member("both@clinic.example", organisation=first)
    MembershipFactory(user=in_both, organisation=second)
    unsubscribed = member("quiet@clinic.example", organisation=second)
    preference_set(user=unsubscribed, category="events", email_enabled=False)
    member("elsewhere@clinic.example", organisation=elsewhere)
    member("applying@clinic.example", organisation=applying)
    event = soon(is_published=False)
    event.centres.add(telemedicine)

    assert event_publish(event=event) == 1
    assert event_publish(event=event) == 0  # published already: nobody is told twice

    [announcement] = Notification.objects.filter(kind="events.announcement")
    assert announcement.to_email == "both@clinic.example"


def test_an_event_without_centres_is_announced_to_every_active_member():
    from events.services import event_publish

    member("a@clinic.example")
    member("b@clinic.example")
    person("no-organisation@example.org")

    event_publish(event=soon(is_published=False))

    assert sorted(
        Notification.objects.filter(kind="events.announcement").values_list("to_email", flat=True)
    ) == ["a@clinic.example", "b@clinic.example"]
