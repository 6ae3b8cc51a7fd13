"""The demo's funding calls and joint proposals (calls.toml, proposals.toml)."""

from datetime import timedelta

from projects.enums import DECISIONS, ProposalStatus, TimelineKind
from projects.models import (
    FundingCall,
    ProjectProposal,
    ProposalEvent,
    ProposalPartner,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from projects.selectors import criteria_for
from projects.services import proposal_refresh_score, weighted_score

from .base import Demo, at_warsaw

CALL_KEYS = {"opens_in_days", "deadline_in_days", "deadline_at", "centres", "criterion"}
PROPOSAL_KEYS = {"lead", "call", "centres", "partner", "review", "submitted_days_ago"}


def seed_calls(demo: Demo, data: dict) -> None:
    for row in data["call"]:
        opens_at = at_warsaw(demo.today + timedelta(days=row["opens_in_days"]), "00:00")
        fields = {key: value for key, value in row.items() if key not in CALL_KEYS}
        fields |= {
            "opens_at": opens_at,
            "deadline": at_warsaw(
                demo.today + timedelta(days=row["deadline_in_days"]),
                row.get("deadline_at", "23:59"),
            ),
            # Published directly: call_publish would announce each call to its audience.
            "is_published": True,
            "published_at": opens_at - timedelta(days=7),
        }
        call = demo.upsert(FundingCall, {"slug": row["slug"]}, fields)
        call.centres.set([demo.centre(slug) for slug in row.get("centres", [])])
        # Matched by their order: reviews of the demo proposals score them.
        for order, criterion in enumerate(row.get("criterion", []), start=1):
            ReviewCriterion.objects.update_or_create(call=call, order=order, defaults=criterion)
        demo.calls[call.slug] = call


def seed_proposals(demo: Demo, data: dict) -> None:
    for row in data["proposal"]:
        lead = demo.organisation(row["lead"])
        status = ProposalStatus(row["status"])
        submitted = demo.now - timedelta(days=row.get("submitted_days_ago", 0))
        decided = submitted + timedelta(days=7) if status in DECISIONS else None
        fields = {key: value for key, value in row.items() if key not in PROPOSAL_KEYS}
        fields |= {
            "call": demo.calls[row["call"]] if "call" in row else None,
            "created_by": demo.organisation_admin(row["lead"]),
            "submitted_at": submitted if status != ProposalStatus.DRAFT else None,
            "decided_at": decided,
            "decision_released_at": decided,
        }
        proposal = demo.upsert(ProjectProposal, {"lead": lead, "acronym": row["acronym"]}, fields)
        proposal.centres.set([demo.centre(slug) for slug in row.get("centres", [])])
        proposal.partners.all().delete()
        for partner in row.get("partner", []):
            organisation = demo.organisation(partner.pop("organisation"))
            ProposalPartner.objects.create(
                proposal=proposal,
                organisation=organisation,
                invited_by=proposal.created_by,
                responded_by=demo.organisation_admin(organisation.name),
                **partner,
            )
        seed_reviews(demo, proposal, row.get("review", []))
        seed_timeline(proposal, status=status, submitted=submitted, decided=decided)


def seed_reviews(demo: Demo, proposal: ProjectProposal, reviews: list[dict]) -> None:
    criteria = criteria_for(proposal=proposal)
    proposal.reviews.all().delete()
    for about in reviews:
        scores = dict(zip([c.pk for c in criteria], about.pop("scores"), strict=True))
        review = Review.objects.create(
            proposal=proposal,
            reviewer=demo.user(about.pop("reviewer")),
            submitted_at=demo.now,
            weighted_score=weighted_score(scores=scores, criteria=criteria),
            **about,
        )
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=score) for pk, score in scores.items()
        )
    proposal_refresh_score(proposal.pk)


def seed_timeline(proposal: ProjectProposal, *, status: str, submitted, decided) -> None:
    """What the applicants see: drafted, submitted, in review, decided."""
    proposal.timeline.all().delete()
    steps = [(TimelineKind.CREATED, "", ProposalStatus.DRAFT, submitted - timedelta(days=14))]
    if status != ProposalStatus.DRAFT:
        steps.append(
            (TimelineKind.STATUS, ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, submitted)
        )
    if status in {ProposalStatus.IN_REVIEW, *DECISIONS}:
        reviewed = submitted + timedelta(days=1)
        steps.append(
            (TimelineKind.STATUS, ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW, reviewed)
        )
    if decided:
        steps.append((TimelineKind.STATUS, ProposalStatus.IN_REVIEW, status, decided))
    ProposalEvent.objects.bulk_create(
        ProposalEvent(
            proposal=proposal,
            kind=kind,
            actor=proposal.created_by,
            created_at=when,
            from_status=source,
            to_status=target,
            shown_from=when,
            message=proposal.decision_message if target in DECISIONS else "",
        )
        for kind, source, target, when in steps
    )
