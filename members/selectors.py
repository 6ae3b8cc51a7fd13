from django.db.models import Prefetch, QuerySet

from .enums import OrganisationStatus
from .models import Organisation


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations anyone may see: active members that chose to be listed."""
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE, is_public=True)


def organisation_detail_public(*, slug: str) -> QuerySet[Organisation]:
    """One listed organisation with the competence centres it takes part in.

    `members` sits below `competence_centres`, so it reaches participations through the
    reverse relation rather than importing that app.
    """
    participation_model = Organisation._meta.get_field("centre_participations").related_model
    active_participations = (
        participation_model.objects.filter(status="active")
        .select_related("centre")
        .order_by("centre__order")
    )
    return (
        organisation_list_public()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "centre_participations", queryset=active_participations, to_attr="active_centres"
            )
        )
    )
