"""Registrations racing for the last seats on PostgreSQL, through real connections: the row
lock on the event must let exactly `capacity` people in, and line up the rest in the order
they were served."""

import os
import threading
import time

import pytest
from django.db import connection
from django.utils import translation

from cluster_portal.core.errors import Conflict
from cluster_portal.notifications.models import Notification
from events.models import Registration
from events.selectors import registration_active_for
from events.services import registration_cancel, registration_create
from tests.helpers import person, require, soon, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# PostgreSQL's max_connections (100 by default) is shared by the test database's other
# users; 50 threads, each with its own connection, keep 50 registrations in flight at once.
CLIENTS = int(os.environ.get("PORTAL_TESTS_RACE_CLIENTS", "50"))


def _race(calls, *, clients: int):
    """Run `calls` from `clients` threads started at the same moment, each thread on its own
    database connection taking the next call as soon as it is done with one. Returns each
    call's outcome (its result or the error it raised), in the order of `calls`."""
    barrier = threading.Barrier(clients)
    outcomes: list = [None] * len(calls)
    queue = iter(enumerate(calls))
    lock = threading.Lock()

    def run():
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                while True:
                    with lock:
                        item = next(queue, None)
                    if item is None:
                        return
                    index, call = item
                    try:
                        outcomes[index] = call()
                    except Exception as error:  # the outcome under test
                        outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_200_people_racing_for_50_seats_give_50_seats_and_150_in_line_in_arrival_order():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    event = soon(capacity=50)
    people = [person(f"racer{number}@clinic.example") for number in range(200)]

    outcomes = _race(
        [lambda user=user: registration_create(event=event, user=user) for user in people],
        clients=CLIENTS,
    )

    errors = [outcome for outcome in outcomes if not isinstance(outcome, Registration)]
    assert errors == []
    # Ids are drawn under the lock: their order is the order in which people were served.
    rows = list(Registration.objects.filter(event=event).order_by("pk"))
    # None lost, none doubled.
    assert len(rows) == 200
    assert len({row.user_id for row in rows}) == 200
    # The first 50 served have the seats; the next 150 wait in the order they were served.
    assert [row.status for row in rows] == ["confirmed"] * 50 + ["waitlisted"] * 150
    line = [row for row in rows if row.status == "waitlisted"]
    assert line == sorted(line, key=lambda row: (row.queued_at, row.pk))
    # What each person was told is where they stand.
    told = {outcome.pk: outcome.waitlist_position for outcome in outcomes}
    assert [told[row.pk] for row in line] == list(range(1, 151))
    assert all(told[row.pk] is None for row in rows[:50])
    assert Notification.objects.filter(kind="events.confirmed").count() == 50
    assert Notification.objects.filter(kind="events.waitlisted").count() == 150


def test_a_double_click_registers_once_and_answers_like_a_second_click():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    event = soon(title_en="Telemedicine congress")
    user = person()

    outcomes = _race([lambda: registration_create(event=event, user=user)] * 2, clients=2)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "Registration"]
    [conflict] = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert str(conflict) == "You are already registered for Telemedicine congress."
    assert Registration.objects.filter(event=event, user=user).count() == 1


def test_cancellations_racing_registrations_never_overbook():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    event = soon(capacity=10)
    holders = [registration_create(event=event, user=person()) for _ in range(10)]
    newcomers = [person() for _ in range(20)]

    calls = [
        lambda registration=registration: registration_cancel(
            registration=registration, actor=registration.user
        )
        for registration in holders[:5]
    ] + [lambda user=user: registration_create(event=event, user=user) for user in newcomers]
    outcomes = _race(calls, clients=min(CLIENTS, len(calls)))

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Registration.objects.filter(event=event, status="confirmed").count() == 10
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 15


def test_a_cancellation_promotes_in_order_and_a_real_worker_delivers_the_news(
    celery_worker_on_redis, smtp_sink
):
    event = soon(capacity=1, title_en="Home ECG monitoring workshop")
    holder = person("holder@clinic.example")
    seat = registration_create(event=event, user=holder)
    first = person("first@clinic.example")
    second = person("second@clinic.example")
    for someone in (first, second):
        registration_create(event=event, user=someone)
        time.sleep(0.01)  # distinct arrival times, though the id would order them too
    wait_for(lambda: len(smtp_sink.messages) == 3)

    registration_cancel(registration=seat, actor=holder)

    wait_for(lambda: len(smtp_sink.messages) == 5)
    subjects = {message["To"]: message["Subject"] for message in smtp_sink.messages[3:]}
    assert subjects == {
        "holder@clinic.example": "Your registration for Home ECG monitoring workshop is cancelled",
        "first@clinic.example": (
            "A seat freed up: you are registered for Home ECG monitoring workshop"
        ),
    }
    promotion = next(m for m in smtp_sink.messages[3:] if m["To"] == "first@clinic.example")
    assert any(part["Content-ID"] == "<check-in-qr>" for part in promotion.walk())
    assert registration_active_for(user=second, event=event).waitlist_position == 1
    wait_for(lambda: not Notification.objects.exclude(status="sent").exists())
