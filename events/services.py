"""Writes about events: publishing, changes, registrations, the waiting list, check-in.

Seats are taken, given back and handed on under a row lock on the event (SELECT ... FOR
UPDATE), so registrations for one event queue behind each other: the count of confirmed
seats a transaction reads cannot change before it commits, and no two people ever take the
last seat. The partial unique constraint on (event, person) is the backstop for a second
registration. Every change checks REGISTRATION_TRANSITIONS and writes its mails in the same
transaction (the outbox); the mails that carry a cancel link or a check-in QR code are
sealed until delivery.
"""

from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.core.images import ProcessedImage, replace_image_files
from cluster_portal.notifications.attachments import Attachment
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify, notify_address
from members.models import Organisation

from . import rules, selectors
from .calendar import event_ics_attachment
from .enums import REGISTRATION_TRANSITIONS, RegistrationStatus
from .models import Event, Registration
from .qr import qr_png
from .tokens import cancel_url, check_in_url

# A change to any of these after people registered is news to them.
WHEN_AND_WHERE = ("starts_at", "ends_at", "venue", "address", "city", "online_url")
# Reminders go out the day before: to events starting in 12 to 24 hours. Someone who
# registers later than that has their confirmation fresh in their inbox.
REMINDER_AHEAD = timezone.timedelta(hours=24)
REMINDER_NOT_LATER_THAN = timezone.timedelta(hours=12)
CHECK_IN_QR_ID = "check-in-qr"
QUEUE_STEP = timezone.timedelta(microseconds=1)


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _lock_event(event: Event) -> Event:
    # No joins under the lock: a waiting transaction gets the locked row re-read after the
    # other one commits, but joined rows as they were when it started waiting.
    return Event.objects.select_for_update().get(pk=event.pk)


# --- publishing and changing events ----------------------------------------------------------


def event_publish(*, event: Event, actor=None) -> int:
    """Publish an event and announce it in the same transaction; return how many people
    are told (0 if it was published already)."""
    with transaction.atomic():
        event = _lock_event(event)
        if event.is_published:
            return 0
        event.is_published = True
        event.save(update_fields=["is_published", "updated_at"])
        return event_announce(event=event)


def event_announce(*, event: Event) -> int:
    """Tell the event's audience about a published event, once (the dedupe key sees to it):
    the people of active member organisations taking part in its centres, or of all of
    them for an event without centres, who did not switch event mails off."""
    if not event.is_published:
        return 0
    return notify(
        recipients=selectors.event_audience(event=event),
        kind="events.announcement",
        category=NotificationCategory.EVENTS,
        context={"event": event},
        dedupe_key=f"event-announcement:{event.pk}",
        link=event.get_absolute_url(),
    )


def event_save_by_coordinator(*, actor, event: Event, image: ProcessedImage | None = None) -> Event:
    """Save an event a coordinator edited in the admin, its image processed as on the site.

    Publishing is not theirs to set here (it announces the event: `event_publish`). When the
    date or the place of a published event changes, the people registered are told, with
    the new calendar entry; when its capacity grows, the waiting list moves up.
    """
    permission = "events.change_event" if event.pk else "events.add_event"
    if not actor.has_perm(permission):
        raise NotAllowed(_("Only the cluster office can change events."))
    with transaction.atomic():
        before = _lock_event(event) if event.pk else None
        replace_image_files(
            event, image_field="image", thumbnail_field="image_thumbnail", processed=image
        )
        moved = False
        if before is not None:
            # The form's copy may be older than a publication made meanwhile.
            event.is_published = before.is_published
            moved = before.is_published and any(
                getattr(before, name) != getattr(event, name) for name in WHEN_AND_WHERE
            )
            event.sequence = before.sequence + (1 if moved else 0)
        else:
            event.is_published = False
        event.save()
        if moved:
            _notify_change(event=event, before=before)
        if before is not None:
            _fill_free_seats(event)
    return event


def _by_language(users) -> dict[str, list]:
    groups = defaultdict(list)
    for user in users:
        groups[_language(user)].append(user)
    return groups


def _notify_change(*, event: Event, before: Event) -> int:
    written = 0
    for language, users in _by_language(selectors.event_registrants(event=event)).items():
        written += notify(
            recipients=users,
            kind="events.changed",
            category=NotificationCategory.EVENTS,
            context={"event": event, "before": before},
            dedupe_key=f"event-changed:{event.pk}:{event.sequence}",
            link=event.get_absolute_url(),
            # They registered: a new date or place is not optional news.
            is_essential=True,
            attachments=[event_ics_attachment(event, language=language)],
        )
    return written


# --- registrations ---------------------------------------------------------------------------


def _already_registered(registration: Registration) -> Conflict:
    if registration.status == RegistrationStatus.WAITLISTED:
        position = getattr(registration, "waitlist_position", None)
        if position:
            return Conflict(
                _("You are already on the waiting list of %(event)s, number %(position)d.")
                % {"event": registration.event.title, "position": position}
            )
        return Conflict(
            _("You are already on the waiting list of %(event)s.")
            % {"event": registration.event.title}
        )
    return Conflict(
        _("You are already registered for %(event)s.") % {"event": registration.event.title}
    )


def _representing(*, user, event: Event, organisation: Organisation | None):
    """The organisation the person represents: the one they chose among their active
    member organisations, or their only one."""
    organisations = selectors.registration_organisations(user=user)
    if not rules.may_attend(user, event, organisations):
        raise NotAllowed(
            _(
                "%(event)s is for people of the cluster's active member organisations. "
                "Ask your organisation's administrator to invite you to the portal."
            )
            % {"event": event.title}
        )
    if organisation is not None:
        if organisation.pk not in {candidate.pk for candidate in organisations}:
            raise NotAllowed(
                _("You can represent only an active member organisation you belong to.")
            )
        return organisation
    if len(organisations) == 1:
        return organisations[0]
    if event.is_members_only:
        raise NotAllowed(_("Choose the organisation you represent."))
    return None


def registration_create(
    *, event: Event, user, organisation: Organisation | None = None, now=None
) -> Registration:
    """Register `user` for `event`: a seat while there is one, else a place at the end of
    the waiting list (`waitlist_position` says which). The person is told by mail, with the
    calendar entry and a cancel link (and, for a seat, the check-in QR code).

    Refused (NotAllowed) outside the registration window or, for a members-only event, to
    people of no active member organisation; a second registration of the same person is
    a Conflict, even when both arrive at the same moment.
    """
    organisation = _representing(user=user, event=event, organisation=organisation)
    with transaction.atomic():
        locked = _lock_event(event)
        # The clock is read under the lock, so that the order of the times is the order in
        # which people were served.
        now = now or timezone.now()
        reason = rules.registration_closed_reason(locked, now=now)
        if reason:
            raise NotAllowed(reason)
        if selectors.has_active_registration(user=user, event=locked):
            existing = selectors.registration_active_for(user=user, event=locked)
            existing.event = locked
            raise _already_registered(existing)
        counts = selectors.seat_counts(event=locked)
        if locked.capacity is None or counts.confirmed < locked.capacity:
            fields = {"status": RegistrationStatus.CONFIRMED, "confirmed_at": now}
            position = None
        else:
            # Last in line even if this server's clock is behind the one that queued the
            # previous person: the place is what orders the line.
            last = counts.last_place
            place = max(now, last + QUEUE_STEP) if last else now
            fields = {"status": RegistrationStatus.WAITLISTED, "queued_at": place}
            position = counts.waitlisted + 1
        try:
            # No savepoint: a failure here ends the whole transaction anyway.
            registration = Registration.objects.create(
                event=locked, user=user, organisation=organisation, **fields
            )
        except IntegrityError as error:
            # Only reachable by a writer that skipped the lock; the answer is the same.
            raise Conflict(
                _("You are already registered for %(event)s.") % {"event": locked.title}
            ) from error
        registration.waitlist_position = position
        _notify_registration(registration, "confirmed" if position is None else "waitlisted")
    return registration


def registration_create_by_coordinator(
    *, event: Event, user, actor, organisation: Organisation | None = None, now=None
) -> Registration:
    """The cluster office registers someone by hand: always a seat, even when the event is
    full (recorded as above capacity) or registration has closed."""
    if not rules.can_manage_registrations(actor):
        raise NotAllowed(_("Only the cluster office can register people by hand."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_event(event)
        if not locked.is_published:
            raise NotAllowed(_("Publish %(event)s first.") % {"event": locked.title})
        existing = selectors.registration_active_for(user=user, event=locked)
        if existing is not None:
            if existing.status == RegistrationStatus.WAITLISTED:
                raise Conflict(
                    _(
                        "%(person)s is on the waiting list of %(event)s: give them a seat "
                        "from the list of registrations instead."
                    )
                    % {"person": user, "event": locked.title}
                )
            raise Conflict(
                _("%(person)s is already registered for %(event)s.")
                % {"person": user, "event": locked.title}
            )
        full = (
            locked.capacity is not None
            and selectors.confirmed_count(event=locked) >= locked.capacity
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked,
                    user=user,
                    organisation=organisation,
                    status=RegistrationStatus.CONFIRMED,
                    confirmed_at=now,
                    over_capacity=full,
                    registered_by=actor,
                )
        except IntegrityError as error:
            raise Conflict(
                _("%(person)s is already registered for %(event)s.")
                % {"person": user, "event": locked.title}
            ) from error
        registration.waitlist_position = None
        _notify_registration(registration, "confirmed")
    return registration


def _lock_registration(registration: Registration) -> tuple[Event, Registration]:
    # Always the event first, then the registration: the same order as registering, so
    # that a cancellation and a registration for one event never deadlock.
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    locked.event = event
    return event, locked


def _invalid(registration: Registration, to: str) -> InvalidTransition:
    if registration.status == RegistrationStatus.CANCELLED:
        return InvalidTransition(_("This registration is already cancelled."))
    if registration.status == RegistrationStatus.CONFIRMED:
        return InvalidTransition(
            _("%(person)s already has a seat at %(event)s.")
            % {"person": registration.user, "event": registration.event.title}
        )
    return InvalidTransition(
        _("A registration that is %(status)s cannot become %(target)s.")
        % {
            "status": registration.get_status_display().lower(),
            "target": RegistrationStatus(to).label.lower(),
        }
    )


def registration_cancel(
    *, registration: Registration, actor=None, via_link: bool = False, now=None
) -> Registration:
    """Give up a seat or a place in line, until the event starts.

    The person registered may cancel, and the cluster office; `via_link` is a holder of
    the signed cancel link from the mail (the view checked its signature). A seat given up
    goes to the first on the waiting list, who is told.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event, locked = _lock_registration(registration)
        if not via_link and not rules.can_cancel_registration(actor, locked):
            raise NotAllowed(_("Only the person registered can cancel this registration."))
        reason = rules.cancellation_closed_reason(locked, now=now)
        if reason:
            raise InvalidTransition(reason)
        gave_up_a_seat = locked.status == RegistrationStatus.CONFIRMED
        locked.status = RegistrationStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        _notify_registration(locked, "cancelled")
        if gave_up_a_seat:
            _fill_free_seats(event, now=now)
    return locked


def registrations_cancel_upcoming(*, user, now=None) -> int:
    """Cancel `user`'s registrations for events that have not started (their account is
    going): each through registration_cancel, so the waiting list moves up."""
    now = now or timezone.now()
    cancelled = 0
    for registration in Registration.objects.filter(
        user=user,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        event__starts_at__gt=now,
    ).order_by("pk"):
        registration_cancel(registration=registration, actor=user, now=now)
        cancelled += 1
    return cancelled


def _promote(registration: Registration, *, now, over_capacity: bool = False) -> None:
    if RegistrationStatus.CONFIRMED not in REGISTRATION_TRANSITIONS[registration.status]:
        raise _invalid(registration, RegistrationStatus.CONFIRMED)
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.over_capacity = over_capacity
    registration.save(update_fields=["status", "confirmed_at", "over_capacity"])
    registration.waitlist_position = None
    _notify_registration(registration, "promoted")


def _fill_free_seats(event: Event, *, now=None) -> list[Registration]:
    """Give the free seats of `event` (locked by the caller) to the first on its waiting
    list, in order; return who got one."""
    now = now or timezone.now()
    if event.capacity is None:
        line = selectors.waitlist_first(event=event)
    else:
        free = event.capacity - selectors.confirmed_count(event=event)
        if free <= 0:
            return []
        line = selectors.waitlist_first(event=event, limit=free)
    for registration in line:
        registration.event = event
        _promote(registration, now=now)
    return line


def registration_promote(*, registration: Registration, actor, now=None) -> Registration:
    """The cluster office gives a seat to someone on the waiting list, out of turn and even
    when the event is full (recorded as above capacity)."""
    if not rules.can_manage_registrations(actor):
        raise NotAllowed(_("Only the cluster office can give seats out of turn."))
    now = now or timezone.now()
    with transaction.atomic():
        event, locked = _lock_registration(registration)
        full = event.capacity is not None and (
            selectors.confirmed_count(event=event) >= event.capacity
        )
        _promote(locked, now=now, over_capacity=full)
    return locked


def registration_move_to_front(*, registration: Registration, actor) -> Registration:
    """The cluster office moves someone to the front of the waiting list: they get the next
    seat that frees up; the others keep their order."""
    if not rules.can_manage_registrations(actor):
        raise NotAllowed(_("Only the cluster office can reorder the waiting list."))
    with transaction.atomic():
        event, locked = _lock_registration(registration)
        if locked.status != RegistrationStatus.WAITLISTED:
            raise InvalidTransition(
                _("%(person)s is not on the waiting list of %(event)s.")
                % {"person": locked.user, "event": event.title}
            )
        first = selectors.waitlist_first(event=event, limit=1)[0]
        if first.pk != locked.pk:
            locked.queued_at = first.queued_at - QUEUE_STEP
            locked.save(update_fields=["queued_at"])
    return locked


def registration_check_in(
    *, registration: Registration, actor, now=None
) -> tuple[Registration, bool]:
    """Mark that the person came (the QR code at the door, or the admin). Returns the
    registration and whether they had been checked in already (nothing changes then)."""
    if not rules.can_check_in(actor):
        raise NotAllowed(_("Only the cluster office can check people in."))
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "user", "checked_in_by")
            .get(pk=registration.pk)
        )
        if locked.status != RegistrationStatus.CONFIRMED:
            raise InvalidTransition(
                _("%(person)s has no seat at %(event)s: the registration is %(status)s.")
                % {
                    "person": locked.user,
                    "event": locked.event.title,
                    "status": locked.get_status_display().lower(),
                }
            )
        if locked.attended_at is not None:
            return locked, True
        locked.attended_at = now or timezone.now()
        locked.checked_in_by = actor
        locked.save(update_fields=["attended_at", "checked_in_by"])
    return locked, False


# --- mails -----------------------------------------------------------------------------------


def _notify_registration(registration: Registration, what: str) -> None:
    """One mail to the person about their registration, in their language: confirmed,
    waitlisted, promoted or cancelled. Each carries the calendar entry; all but the last
    carry the cancel link, and a seat its check-in QR code: both credentials, so the mail
    is sealed until it is delivered."""
    user, event = registration.user, registration.event
    language = _language(user)
    cancelled = what == "cancelled"
    attachments = [event_ics_attachment(event, language=language, cancelled=cancelled)]
    context = {"event": event, "registration": registration}
    secrets = []
    if not cancelled:
        context["cancel_url"] = cancel_url(registration, language=language)
        secrets.append(context["cancel_url"])
    if registration.status == RegistrationStatus.CONFIRMED:
        check_in = check_in_url(registration)
        secrets.append(check_in)
        context["qr_content_id"] = CHECK_IN_QR_ID
        attachments.append(
            Attachment(
                filename="check-in.png",
                mimetype="image/png",
                content=qr_png(check_in),
                content_id=CHECK_IN_QR_ID,
            )
        )
    notify_address(
        to_email=user.email,
        recipient=user,
        language=language,
        kind=f"events.{what}",
        category=NotificationCategory.EVENTS,
        context=context,
        dedupe_key=f"event-{what}:{registration.pk}",
        link=event.get_absolute_url(),
        # They asked for it, and it holds their cancel link: never switched off.
        is_essential=True,
        secrets=secrets,
        attachments=attachments,
    )


def event_reminders_send(*, now=None) -> int:
    """Remind the confirmed attendees of events starting in 12 to 24 hours (Celery beat
    runs this every quarter of an hour). Each person is reminded once per start time:
    running it again writes nothing new, and an event moved to another day reminds again."""
    now = now or timezone.now()
    registrations = selectors.registration_list_for_reminders(
        starts_from=now + REMINDER_NOT_LATER_THAN, starts_until=now + REMINDER_AHEAD
    )
    by_event = defaultdict(list)
    events = {}
    for registration in registrations:
        events[registration.event_id] = registration.event
        by_event[registration.event_id].append(registration.user)
    written = 0
    with transaction.atomic():
        for event_id, users in by_event.items():
            event = events[event_id]
            for language, group in _by_language(users).items():
                written += notify(
                    recipients=group,
                    kind="events.reminder",
                    category=NotificationCategory.EVENTS,
                    context={"event": event},
                    dedupe_key=f"event-reminder:{event.pk}:{event.starts_at:%Y%m%dT%H%M}",
                    link=event.get_absolute_url(),
                    attachments=[event_ics_attachment(event, language=language)],
                )
    return written
