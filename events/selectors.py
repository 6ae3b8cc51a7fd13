"""Reads about events that span other apps."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from competence_centres.enums import ParticipationStatus
from members.enums import OrganisationStatus

from .models import Event


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
