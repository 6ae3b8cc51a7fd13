"""Reviews of proposals: assigning coordinators, conflicts of interest, scoring.

A review belongs to one coordinator and one proposal (a database constraint). Scores are
given per criterion (selectors.criteria_for), 1 to 5, and weighted by the criterion's
weight; the proposal keeps the mean of its submitted reviews' weighted scores so that the
admin can filter and sort by it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.core import roles
from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify

from .. import rules
from ..enums import SCORE_MAX, SCORE_MIN, Recommendation
from ..models import ProjectProposal, Review, ReviewScore
from ..selectors import criteria_for
from .proposals import _lock

TWO_PLACES = Decimal("0.01")


def weighted_score(*, scores: dict[int, int], criteria) -> Decimal:
    """The scores (by criterion id) weighted by their criteria, to two decimal places."""
    total_weight = sum(criterion.weight for criterion in criteria)
    weighted = sum(scores[c.pk] * c.weight for c in criteria) / Decimal(total_weight)
    return Decimal(weighted).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _conflict_message(reviewer, organisation) -> str:
    return _(
        "%(person)s cannot review this proposal: they belong to %(organisation)s, which "
        "takes part in it (a conflict of interest)."
    ) % {"person": reviewer, "organisation": organisation.name}


def review_assign(*, proposal: ProjectProposal, reviewer, actor) -> Review:
    """Make `reviewer` (a cluster coordinator) review `proposal`. A reviewer from the lead
    or a partner organisation is refused with the reason; assigning twice is a Conflict."""
    if not roles.is_cluster_coordinator(actor):
        raise NotAllowed(_("Only the cluster office assigns reviewers."))
    if not roles.is_cluster_coordinator(reviewer):
        raise NotAllowed(
            _("%(person)s is not a cluster coordinator and cannot review in the admin.")
            % {"person": reviewer}
        )
    with transaction.atomic():
        locked = _lock(proposal)
        if locked.status not in rules.REVIEWABLE_STATUSES:
            raise InvalidTransition(
                _("The proposal is %(status)s: it takes no new reviewers.")
                % {"status": locked.get_status_display().lower()}
            )
        organisation = rules.conflicting_organisation(reviewer, locked)
        if organisation is not None:
            raise NotAllowed(_conflict_message(reviewer, organisation))
        if locked.reviews.filter(reviewer=reviewer).exists():
            raise _already_assigned(reviewer)
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    proposal=locked, reviewer=reviewer, assigned_by=actor
                )
        except IntegrityError as error:
            raise _already_assigned(reviewer) from error
        notify(
            recipients=[reviewer],
            kind="proposals.review_assigned",
            category=NotificationCategory.PROPOSALS,
            context={"proposal": locked, "reviewer": reviewer},
            dedupe_key=f"review-assigned:{review.pk}",
            link=reverse("admin:projects_review_change", args=[review.pk]),
        )
    return review


def _already_assigned(reviewer) -> Conflict:
    return Conflict(_("%(person)s already reviews this proposal.") % {"person": reviewer})


def review_assign_centre_coordinators(*, proposal: ProjectProposal, actor) -> tuple[list, list]:
    """Assign every cluster coordinator named coordinator of one of the proposal's centres.
    Returns (the reviews made, the refusals as sentences: conflicts, already assigned)."""
    candidates = (
        get_user_model()
        .objects.filter(coordinated_centres__in=proposal.centres.all(), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )
    made, refused = [], []
    for candidate in candidates:
        if not roles.is_cluster_coordinator(candidate):
            continue
        try:
            made.append(review_assign(proposal=proposal, reviewer=candidate, actor=actor))
        except (Conflict, NotAllowed, InvalidTransition) as error:
            refused.append(str(error))
    return made, refused


def review_declare_conflict(*, review: Review, actor, reason: str) -> Review:
    """A reviewer steps back from a proposal; their review no longer counts."""
    with transaction.atomic():
        _lock(review.proposal)
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.reviewer_id != actor.pk:
            raise NotAllowed(_("Only the reviewer can declare their own conflict of interest."))
        review.conflict_declared_at = timezone.now()
        review.conflict_reason = reason.strip()[:500] or _("Declared by the reviewer.")
        review.save(update_fields=["conflict_declared_at", "conflict_reason"])
        proposal_refresh_score(review.proposal_id)
    return review


def review_submit(
    *,
    review: Review,
    actor,
    scores: dict[int, int],
    recommendation: str,
    comment_for_coordinators: str = "",
    comment_for_applicants: str = "",
) -> Review:
    """Save a reviewer's scores (every criterion, 1 to 5), recommendation and comments.
    Writing again replaces them; the proposal's average follows."""
    recommendation = Recommendation(recommendation)
    with transaction.atomic():
        locked = _lock(review.proposal)
        review = Review.objects.select_for_update().get(pk=review.pk)
        review.proposal = locked
        if not rules.can_write_review(actor, review):
            if review.reviewer_id != actor.pk:
                raise NotAllowed(_("This review belongs to another coordinator."))
            if review.has_conflict:
                raise InvalidTransition(_("You declared a conflict of interest for this proposal."))
            raise InvalidTransition(
                _("The proposal is %(status)s: reviews are closed.")
                % {"status": locked.get_status_display().lower()}
            )
        criteria = criteria_for(proposal=locked)
        missing = [criterion for criterion in criteria if criterion.pk not in scores]
        if missing:
            raise InvalidTransition(
                _("Score every criterion: %(names)s.")
                % {"names": ", ".join(str(criterion.name) for criterion in missing)}
            )
        if any(not SCORE_MIN <= scores[c.pk] <= SCORE_MAX for c in criteria):
            raise InvalidTransition(_("Scores go from 1 to 5."))
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion=criterion, score=scores[criterion.pk])
            for criterion in criteria
        )
        review.weighted_score = weighted_score(scores=scores, criteria=criteria)
        review.recommendation = recommendation
        review.comment_for_coordinators = comment_for_coordinators.strip()
        review.comment_for_applicants = comment_for_applicants.strip()
        review.submitted_at = timezone.now()
        review.save(
            update_fields=[
                "weighted_score",
                "recommendation",
                "comment_for_coordinators",
                "comment_for_applicants",
                "submitted_at",
            ]
        )
        proposal_refresh_score(locked.pk)
    return review


def proposal_refresh_score(proposal_id: int) -> None:
    """Keep the proposal's average (of the submitted reviews without a conflict) current."""
    counted = Review.objects.filter(
        proposal_id=proposal_id, submitted_at__isnull=False, conflict_declared_at__isnull=True
    )
    average = counted.aggregate(value=Avg("weighted_score"))["value"]
    ProjectProposal.objects.filter(pk=proposal_id).update(
        average_score=None
        if average is None
        else Decimal(average).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        review_count=counted.count(),
    )
