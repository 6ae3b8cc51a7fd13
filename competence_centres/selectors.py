"""Reads about competence centres, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from cluster_portal.core.process_memo import ProcessMemo
from members.enums import MembershipRole, OrganisationStatus
from members.models import Organisation

from .enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus
from .models import CentreParticipation, CompetenceCentre

_active_centres = ProcessMemo(
    "active-centres", lambda: list(CompetenceCentre.objects.active().order_by("order", "name_pl"))
)


def centres_active() -> list[CompetenceCentre]:
    """The active centres in their order, as the layout, the about page and the directory's
    filter list read them: kept in each process and refreshed when a centre changes (seven
    rows that change a few times a year, read on every page)."""
    return _active_centres.get()


def centres_active_changed(**kwargs) -> None:
    _active_centres.invalidate()


def centre_list_public() -> QuerySet[CompetenceCentre]:
    """The active centres in their order, each with `member_count`."""
    return CompetenceCentre.objects.active().with_member_counts().select_related("leader")


def centre_list_coordinated_by(*, user) -> QuerySet[CompetenceCentre]:
    """The active centres `user` is named a coordinator of."""
    if not user.is_authenticated:
        return CompetenceCentre.objects.none()
    return CompetenceCentre.objects.active().filter(coordinators=user)


def centre_detail_public(*, slug: str) -> QuerySet[CompetenceCentre]:
    """One active centre with its coordinators and `active_participations`: the listed
    organisations taking part, A to Z."""
    participants = (
        CentreParticipation.objects.filter(
            status=ParticipationStatus.ACTIVE,
            organisation__status=OrganisationStatus.ACTIVE,
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


def centre_events_upcoming(*, centre: CompetenceCentre, limit: int = 6) -> list:
    """The centre's next published events, soonest first.

    Through the reverse relation `centre.events`: the events app sits above this one.
    """
    return list(centre.events.published().upcoming()[:limit])


def centre_calls_open(*, centre: CompetenceCentre, limit: int = 6) -> list:
    """The centre's funding calls open now, nearest deadline first.

    Through the reverse relation `centre.funding_calls`: the projects app sits above this one.
    """
    now = timezone.now()
    return list(
        centre.funding_calls.filter(is_published=True, opens_at__lte=now, deadline__gt=now)
        .order_by("deadline")
        .prefetch_related("centres")[:limit]
    )


def organisation_list_for_joining(*, user, centre: CompetenceCentre) -> list[Organisation]:
    """The organisations `user` administers (rejected and resigned ones aside), each with
    where it stands in `centre`:

    - `open_participation`: its pending request or its membership, or None;
    - `last_participation`: its newest row of any status (a declined request, say), or None.
    """
    if not user.is_authenticated:
        return []
    history = CentreParticipation.objects.filter(centre=centre).order_by("-requested_at", "-pk")
    organisations = list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role=MembershipRole.ADMIN,
            status__in=[
                OrganisationStatus.APPLIED,
                OrganisationStatus.ACTIVE,
                OrganisationStatus.SUSPENDED,
            ],
        )
        .prefetch_related(
            Prefetch("centre_participations", queryset=history, to_attr="centre_history")
        )
        .order_by("name")
    )
    for organisation in organisations:
        organisation.open_participation = next(
            (p for p in organisation.centre_history if p.status in OPEN_PARTICIPATION_STATUSES),
            None,
        )
        organisation.last_participation = next(iter(organisation.centre_history), None)
    return organisations


def participation_list_pending(*, centre: CompetenceCentre) -> QuerySet[CentreParticipation]:
    """Requests waiting for a decision, oldest first, with what the coordinators weigh."""
    return (
        CentreParticipation.objects.filter(centre=centre, status=ParticipationStatus.REQUESTED)
        .select_related("organisation", "requested_by")
        .order_by("requested_at", "pk")
    )


def participation_list_with_contacts(*, centre: CompetenceCentre) -> QuerySet[CentreParticipation]:
    """Every organisation taking part, listed or not, A to Z: for the coordinators, who see
    contact details that organisations keep off the public pages."""
    return (
        CentreParticipation.objects.filter(centre=centre, status=ParticipationStatus.ACTIVE)
        .select_related("organisation", "decided_by")
        .order_by("organisation__name", "pk")
    )


def participation_list_decided(
    *, centre: CompetenceCentre, limit: int = 20
) -> QuerySet[CentreParticipation]:
    """The newest decisions and departures, for the coordinators' memory."""
    return (
        CentreParticipation.objects.filter(centre=centre)
        .exclude(status=ParticipationStatus.REQUESTED)
        .select_related("organisation", "decided_by", "left_by")
        .order_by(Coalesce("left_at", "decided_at").desc(nulls_last=True), "-pk")[:limit]
    )
