"""Reads about calls and proposals that span relations, each in a fixed number of queries."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation
from members.enums import MembershipRole, OrganisationStatus
from members.models import Organisation

from .enums import CallPhase, PartnerStatus, ProposalStatus
from .models import (
    FundingCall,
    ProjectProposal,
    ProposalEvent,
    ProposalPartner,
    ReviewCriterion,
)
from .rules import SEEING_PARTNER_STATUSES


def call_list_public(
    *, phase: str = CallPhase.OPEN, centre: str = "", programme: str = "", now=None
) -> QuerySet[FundingCall]:
    """Published calls in `phase`, optionally of one centre (slug) and one programme, with
    their centres."""
    calls = FundingCall.objects.published().in_phase(phase, now=now)
    if centre:
        calls = calls.filter(centres__slug=centre)
    if programme:
        calls = calls.filter(programme=programme)
    return calls.prefetch_related("centres")


def call_detail_public(*, slug: str) -> QuerySet[FundingCall]:
    return FundingCall.objects.published().filter(slug=slug).prefetch_related("centres", "criteria")


def call_audience(*, call: FundingCall) -> QuerySet:
    """Who hears about a call: the people of the active member organisations taking part in
    the call's centres (all active members for a call without centres), each once."""
    users = get_user_model().objects.filter(
        is_active=True, memberships__organisation__status=OrganisationStatus.ACTIVE
    )
    centre_ids = list(call.centres.values_list("id", flat=True))
    if centre_ids:
        taking_part = Exists(
            _participations().filter(
                organisation=OuterRef("memberships__organisation"), centre_id__in=centre_ids
            )
        )
        users = users.filter(taking_part)
    return users.distinct().only("id", "email", "preferred_language", "is_active")


def _participations():
    return CentreParticipation.objects.filter(status=ParticipationStatus.ACTIVE)


def call_reminder_audience(*, call: FundingCall) -> QuerySet:
    """The call's audience, and the admins of the organisations with a draft for it."""
    drafting = get_user_model().objects.filter(
        is_active=True,
        memberships__role=MembershipRole.ADMIN,
        memberships__organisation__led_proposals__call=call,
        memberships__organisation__led_proposals__status=ProposalStatus.DRAFT,
    )
    audience_ids = call_audience(call=call).values("id")
    return (
        get_user_model()
        .objects.filter(Q(id__in=audience_ids) | Q(id__in=drafting.values("id")))
        .only("id", "email", "preferred_language", "is_active")
    )


def calls_for_deadline_reminders(*, now=None) -> QuerySet[FundingCall]:
    """Published calls whose deadline is at most 14 days away and not yet past."""
    now = now or timezone.now()
    return FundingCall.objects.published().filter(
        deadline__gt=now, deadline__lte=now + timedelta(days=14)
    )


def criteria_for(*, proposal: ProjectProposal) -> list[ReviewCriterion]:
    """What a proposal is scored on: its call's criteria, or the cluster's default ones."""
    if proposal.call_id:
        criteria = list(ReviewCriterion.objects.filter(call_id=proposal.call_id))
        if criteria:
            return criteria
    return list(ReviewCriterion.objects.filter(call__isnull=True))


def organisation_list_may_lead(*, user) -> QuerySet:
    """The organisations `user` may lead a proposal for (rules.can_lead_proposals, in one
    query): active members the user administers."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role=MembershipRole.ADMIN,
        status=OrganisationStatus.ACTIVE,
    ).order_by("name")


def _seeing(user) -> Q:
    """Proposals `user` takes part in: through the lead, or an invited or confirmed partner."""
    partner_of_user = ProposalPartner.objects.filter(
        proposal=OuterRef("pk"),
        status__in=SEEING_PARTNER_STATUSES,
        organisation__memberships__user=user,
    )
    return Q(lead__memberships__user=user) | Q(Exists(partner_of_user))


def proposal_list_for_user(*, user) -> QuerySet[ProjectProposal]:
    """The proposals of the user's organisations (as lead or partner), newest first, with
    their lead, call and partners; `confirmed_partners` counts the confirmed ones."""
    if not user.is_authenticated:
        return ProjectProposal.objects.none()
    return (
        ProjectProposal.objects.filter(_seeing(user))
        .distinct()
        .select_related("lead", "call")
        .annotate(
            confirmed_partners=Count(
                "partners", filter=Q(partners__status=PartnerStatus.CONFIRMED), distinct=True
            )
        )
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ProposalPartner.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        .order_by("-updated_at", "-pk")
    )


def proposal_for_user(*, user, pk: int) -> QuerySet[ProjectProposal]:
    """One proposal the user takes part in (an empty queryset otherwise: a 404), with what
    its page shows."""
    return (
        ProjectProposal.objects.filter(_seeing(user), pk=pk)
        .distinct()
        .select_related("lead", "call", "created_by")
        .prefetch_related(
            "centres",
            Prefetch(
                "partners",
                queryset=ProposalPartner.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            ),
            "documents",
        )
    )


def timeline_for_applicants(*, proposal: ProjectProposal, now=None) -> QuerySet[ProposalEvent]:
    """The lines of the timeline the lead and the partners may read: never a decision whose
    letter is still held, never anything about reviews (reviews write no timeline)."""
    return (
        proposal.timeline.filter(shown_from__lte=now or timezone.now())
        .select_related("actor")
        .order_by("created_at", "pk")
    )
