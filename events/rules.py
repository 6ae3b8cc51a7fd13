"""Who may do what with events and registrations: one predicate per question.

Views, the admin and templates (through the views' context) ask these; the services ask
them again before writing. Who is a cluster coordinator is the roles module's question
(cluster_portal/core/roles.py).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster_portal.core.roles import is_cluster_coordinator

from .enums import ACTIVE_REGISTRATION_STATUSES


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def registration_closed_reason(event, *, now=None) -> str | None:
    """Why nobody can register for `event` now, as a sentence; None while registration is
    open. Registration closes at the end of its window, and at the latest when the event
    starts."""
    now = now or timezone.now()
    if not event.is_published:
        return _("This event is not published.")
    if now >= event.starts_at:
        return _("The event has started: registration is closed.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.") % {"date": _when(event.registration_opens_at)}
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Registration closed on %(date)s.") % {"date": _when(event.registration_closes_at)}
    return None


def may_attend(user, event, organisations) -> bool:
    """Whether `user` may register at all: anyone logged in for a public event; for a
    members-only one, people of active member organisations (`organisations`: theirs that
    are active, from the selectors)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return not event.is_members_only or bool(organisations)


def cancellation_closed_reason(registration, *, now=None) -> str | None:
    """Cancelling stays possible until the event starts."""
    if registration.status not in ACTIVE_REGISTRATION_STATUSES:
        return _("This registration is already cancelled.")
    if (now or timezone.now()) >= registration.event.starts_at:
        return _("The event has started: the registration can no longer be cancelled.")
    return None


def can_cancel_registration(user, registration) -> bool:
    """The person registered, and the cluster office. (A cancel link from a mail is its
    own credential: the view checks its signature, not the person.)"""
    if not user.is_authenticated:
        return False
    return registration.user_id == user.pk or is_cluster_coordinator(user)


def can_check_in(user) -> bool:
    """Marking attendance is for the cluster office's staff alone (with a second factor,
    which the view asks for)."""
    return is_cluster_coordinator(user)


def can_manage_registrations(user) -> bool:
    """Registering someone by hand, moving people up the waiting list, giving a seat above
    capacity: the cluster office."""
    return is_cluster_coordinator(user)
