from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CONGRESS = "congress", _("Congress")
    CONFERENCE = "conference", _("Conference")
    CONVENTION = "convention", _("Convention")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    NETWORKING = "networking", _("Networking meeting")
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")


class EventAudience(models.TextChoices):
    PUBLIC = "public", _("Open to everyone")
    MEMBERS = "members", _("Members only")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


# Where a registration may go from each status. A new one starts confirmed, or on the
# waiting list when the event is full; a cancelled one stays cancelled (registering again
# makes a new row, so the history stays).
REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.CONFIRMED: {RegistrationStatus.CANCELLED},
    RegistrationStatus.WAITLISTED: {RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED},
    RegistrationStatus.CANCELLED: set(),
}

# A registration that holds a seat or a place in line: at most one per person and event.
ACTIVE_REGISTRATION_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


class CalendarPeriod(models.TextChoices):
    """The public calendar's two lists."""

    UPCOMING = "", _("Upcoming")
    PAST = "past", _("Past")
