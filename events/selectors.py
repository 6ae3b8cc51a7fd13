"""Reads about events and registrations, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from competence_centres.enums import ParticipationStatus
from competence_centres.models import CompetenceCentre
from members.enums import OrganisationStatus
from members.models import Organisation

from .enums import ACTIVE_REGISTRATION_STATUSES, CalendarPeriod, RegistrationStatus
from .models import Event, Registration

# How far back the subscribable feeds reach: last season's events stay in people's calendars.
FEED_HISTORY = datetime.timedelta(days=365)


def event_audience(*, event: Event) -> QuerySet:
    """People to tell about an event: everyone in an active member organisation, or, for a
    centre's event, the people of that centre's participating organisations."""
    users = get_user_model().objects.filter(
        is_active=True, memberships__organisation__status=OrganisationStatus.ACTIVE
    )
    centre_ids = list(event.centres.values_list("id", flat=True))
    if centre_ids:
        users = users.filter(
            memberships__organisation__centre_participations__centre_id__in=centre_ids,
            memberships__organisation__centre_participations__status=ParticipationStatus.ACTIVE,
        )
    return users.distinct().only("id", "email", "preferred_language", "is_active")


# --- the public calendar ---------------------------------------------------------------------


def _in_centre(slug: str):
    return Exists(
        Event.centres.through.objects.filter(event=OuterRef("pk"), competencecentre__slug=slug)
    )


def event_list_public(
    *,
    period: str = CalendarPeriod.UPCOMING,
    kind: str = "",
    centre: str = "",
    month: datetime.date | None = None,
    now=None,
) -> QuerySet[Event]:
    """Published events, upcoming (soonest first) or past (latest first), optionally of one
    kind, one competence centre (its slug) and starting in one month; each with its seat
    counts (`confirmed_count`, `waitlisted_count`)."""
    now = now or timezone.now()
    events = Event.objects.published()
    events = events.past(now=now) if period == CalendarPeriod.PAST else events.upcoming(now=now)
    if kind:
        events = events.filter(kind=kind)
    if centre:
        events = events.filter(_in_centre(centre))
    if month:
        start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = timezone.make_aware(datetime.datetime(following.year, following.month, 1))
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
    return events.with_seat_counts().order_by(
        "-starts_at" if period == CalendarPeriod.PAST else "starts_at", "pk"
    )


def calendar_centre_choices() -> list[tuple[str, str]]:
    """(slug, name) of the active competence centres, in their display order."""
    return [
        (centre.slug, centre.name)
        for centre in CompetenceCentre.objects.active().order_by("order", "name_pl")
    ]


def calendar_months(*, period: str = CalendarPeriod.UPCOMING, now=None) -> list[datetime.date]:
    """The months (their first days) in which published events of `period` start."""
    now = now or timezone.now()
    events = Event.objects.published()
    if period == CalendarPeriod.PAST:
        return list(events.past(now=now).dates("starts_at", "month", order="DESC"))
    return list(events.upcoming(now=now).dates("starts_at", "month"))


def event_detail_public(*, slug: str) -> QuerySet[Event]:
    """One published event with its seat counts, organiser and centres."""
    return (
        Event.objects.published()
        .filter(slug=slug)
        .with_seat_counts()
        .select_related("organiser")
        .prefetch_related("centres")
    )


def event_list_for_feed(*, centre: CompetenceCentre | None = None, now=None) -> QuerySet[Event]:
    """What the subscribable feeds carry: published events of the last year and to come."""
    now = now or timezone.now()
    events = Event.objects.published().filter(ends_at__gte=now - FEED_HISTORY)
    if centre is not None:
        events = events.filter(_in_centre(centre.slug))
    return events.order_by("starts_at", "pk")


# --- registrations ---------------------------------------------------------------------------


def registration_organisations(*, user) -> list[Organisation]:
    """The active member organisations `user` belongs to, A to Z: whom they may represent.
    Read once per request: the view and the service both ask."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_registration_organisations", None)
    if cached is None:
        cached = list(
            Organisation.objects.filter(
                memberships__user_id=user.pk, status=OrganisationStatus.ACTIVE
            ).order_by("name")
        )
        user._registration_organisations = cached
    return cached


def event_for_registration(*, slug: str) -> QuerySet[Event]:
    """The published event a registration is for: the row alone (the seats are counted
    under its lock)."""
    return Event.objects.published().filter(slug=slug)


def _with_waitlist_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Each registration with `waitlist_position` (1 = next to get a seat), None unless it
    is on the waiting list. The line is ordered by `queued_at`, then by id."""
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=RegistrationStatus.WAITLISTED)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(count=Count("*"))
        .values("count")
    )
    return registrations.annotate(
        waitlist_position=Case(
            When(
                status=RegistrationStatus.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def registration_active_for(*, user, event: Event) -> Registration | None:
    """`user`'s seat or place in line at `event` (with `waitlist_position`), or None."""
    if not user.is_authenticated:
        return None
    return (
        _with_waitlist_position(
            Registration.objects.filter(
                user=user, event=event, status__in=ACTIVE_REGISTRATION_STATUSES
            )
        )
        .select_related("organisation")
        .first()
    )


def registration_list_for_user(*, user, now=None) -> tuple[list, list]:
    """ "My events": (upcoming, past). Upcoming are the user's seats and places in line at
    events that have not ended, soonest first, with `waitlist_position`; past are their
    seats at events that ended, latest first. One query."""
    now = now or timezone.now()
    registrations = _with_waitlist_position(
        Registration.objects.filter(
            user=user, status__in=ACTIVE_REGISTRATION_STATUSES, event__is_published=True
        )
    ).select_related("event", "organisation")
    upcoming, past = [], []
    for registration in registrations.order_by("event__starts_at", "pk"):
        if registration.event.ends_at >= now:
            upcoming.append(registration)
        elif registration.status == RegistrationStatus.CONFIRMED:
            past.append(registration)
    past.reverse()
    return upcoming, past


def registration_list_for_calendar(*, user, now=None) -> QuerySet[Registration]:
    """The user's seats and places in line for their personal calendar feed."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            user=user,
            status__in=ACTIVE_REGISTRATION_STATUSES,
            event__is_published=True,
            event__ends_at__gte=now - FEED_HISTORY,
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


@dataclass(frozen=True)
class SeatCounts:
    confirmed: int
    waitlisted: int
    last_place: datetime.datetime | None  # `queued_at` of the last person in line


def seat_counts(*, event: Event) -> SeatCounts:
    """Seats taken, people in line and the place of the last one: one query, for the
    decision a registration makes under the event's lock."""
    waiting = Q(status=RegistrationStatus.WAITLISTED)
    # By id: a model instance in a lookup is copied with every expression Django compiles.
    counts = Registration.objects.filter(event_id=event.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=waiting),
        last_place=Max("queued_at", filter=waiting),
    )
    return SeatCounts(**counts)


def has_active_registration(*, user, event: Event) -> bool:
    return Registration.objects.filter(
        user_id=user.pk, event_id=event.pk, status__in=ACTIVE_REGISTRATION_STATUSES
    ).exists()


def confirmed_count(*, event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()


def waitlist_first(*, event: Event, limit: int | None = None) -> list[Registration]:
    """The waiting list of `event` in order (the first `limit` of it), with each person."""
    line = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("queued_at", "pk")
    )
    return list(line if limit is None else line[:limit])


def event_registrants(*, event: Event) -> list:
    """The people holding a seat or a place in line at `event`: who hears of a change."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            event_registrations__event=event,
            event_registrations__status__in=ACTIVE_REGISTRATION_STATUSES,
        )
        .only("id", "email", "preferred_language", "is_active")
    )


def registration_list_for_reminders(*, starts_from, starts_until) -> QuerySet[Registration]:
    """Confirmed seats at published events starting in (starts_from, starts_until]."""
    return (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__is_published=True,
            event__starts_at__gt=starts_from,
            event__starts_at__lte=starts_until,
            user__is_active=True,
        )
        .select_related("event", "user")
        .order_by("event_id", "pk")
    )


def registration_list_for_export(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations for the attendees' spreadsheet: by event, then by name."""
    return registrations.select_related("event", "user", "organisation").order_by(
        "event__starts_at", "event_id", "user__full_name", "user__email", "pk"
    )


def registration_status_counts(registrations: QuerySet[Registration]) -> dict[str, int]:
    """How many of `registrations` have each status, and how many attended."""
    counts = dict(registrations.order_by().values_list("status").annotate(total=Count("*")))
    result = {status: counts.get(status, 0) for status in RegistrationStatus.values}
    result["attended"] = registrations.filter(attended_at__isnull=False).count()
    return result
