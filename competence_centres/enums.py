from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


PARTICIPATION_TRANSITIONS: dict[str, set[str]] = {
    ParticipationStatus.REQUESTED: {ParticipationStatus.ACTIVE, ParticipationStatus.DECLINED},
    ParticipationStatus.ACTIVE: {ParticipationStatus.LEFT},
    ParticipationStatus.DECLINED: set(),
    ParticipationStatus.LEFT: set(),
}

# A request waiting for a decision, or a membership: at most one per organisation and centre.
OPEN_PARTICIPATION_STATUSES = [ParticipationStatus.REQUESTED, ParticipationStatus.ACTIVE]
