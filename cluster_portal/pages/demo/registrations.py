"""The demo's registrations (registrations.toml): seats, waiting lists, attendance."""

from datetime import timedelta

from events.enums import ACTIVE_REGISTRATION_STATUSES, RegistrationStatus
from events.models import Event, Registration
from members.enums import OrganisationStatus
from members.models import Organisation

from .base import Demo

REGISTRATION_KEYS = {"event", "seats", "waiting", "attended"}
CHECKED_IN_BY = "coordinator@demo.example"


def _representing(user) -> Organisation | None:
    return (
        Organisation.objects.filter(memberships__user=user, status=OrganisationStatus.ACTIVE)
        .order_by("name")
        .first()
    )


def seed_registrations(demo: Demo, data: dict) -> None:
    checked_in_by = demo.user(CHECKED_IN_BY)
    for row in data["registration"]:
        demo.check_keys(row, REGISTRATION_KEYS)
        event = Event.objects.filter(slug=row["event"]).first()
        if event is None:
            raise demo.fail(f"no event {row['event']!r} in events.toml")
        seats, waiting = row.get("seats", []), row.get("waiting", [])
        if event.capacity is not None and len(seats) > event.capacity:
            raise demo.fail(f"{event.slug}: {len(seats)} seats for a capacity of {event.capacity}")
        if waiting and len(seats) != event.capacity:
            raise demo.fail(f"{event.slug}: a waiting list, but the seats are not all taken")
        if unknown := set(row.get("attended", [])) - set(seats):
            raise demo.fail(f"{event.slug}: attended without a seat: {', '.join(sorted(unknown))}")
        # Registered in the weeks before the event, in the order the file gives.
        registered = min(demo.now, event.starts_at) - timedelta(days=21)
        for number, email in enumerate([*seats, *waiting]):
            user = demo.user(email)
            moment = registered + timedelta(hours=number)
            has_seat = number < len(seats)
            fields = {
                "organisation": _representing(user),
                "status": RegistrationStatus.CONFIRMED
                if has_seat
                else RegistrationStatus.WAITLISTED,
                "confirmed_at": moment if has_seat else None,
                "queued_at": None if has_seat else moment,
                "attended_at": None,
                "checked_in_by": None,
            }
            if email in row.get("attended", []):
                fields |= {
                    "attended_at": event.starts_at + timedelta(minutes=5 + number),
                    "checked_in_by": checked_in_by,
                }
            lookup = {"event": event, "user": user, "status__in": ACTIVE_REGISTRATION_STATUSES}
            demo.upsert(Registration, lookup, fields)
