from django.db.models import Prefetch, QuerySet

from .enums import ParticipationStatus
from .models import CentreParticipation, CompetenceCentre


def centre_list_public() -> QuerySet[CompetenceCentre]:
    return CompetenceCentre.objects.active().with_member_counts().select_related("leader")


def centre_detail_public(*, slug: str) -> QuerySet[CompetenceCentre]:
    participants = (
        CentreParticipation.objects.filter(
            status=ParticipationStatus.ACTIVE,
            organisation__status="active",
            organisation__is_public=True,
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return (
        CompetenceCentre.objects.active()
        .filter(slug=slug)
        .select_related("leader")
        .prefetch_related(
            "coordinators",
            Prefetch("participations", queryset=participants, to_attr="active_participations"),
        )
    )
