"""Who may do what with funding calls, proposals and reviews: one predicate per question.

Views, the admin and templates (through the views' context) ask these; the services ask
them again before writing. Who someone is (an organisation's admin, a coordinator) is the
roles module's question (cluster_portal/core/roles.py).
"""

from cluster_portal.core.roles import is_cluster_coordinator, is_organisation_admin
from cluster_portal.core.second_factor import has_second_factor
from members.enums import OrganisationStatus

from .enums import UNDECIDED_STATUSES, PartnerStatus, ProposalStatus

# Partners who see the proposal: invited (to decide) and confirmed ones.
SEEING_PARTNER_STATUSES = (PartnerStatus.INVITED, PartnerStatus.CONFIRMED)
REVIEWABLE_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW})


def can_lead_proposals(user, organisation) -> bool:
    """Drafting a proposal as its lead is for the admins of an active member organisation."""
    return organisation.status == OrganisationStatus.ACTIVE and is_organisation_admin(
        user, organisation
    )


def is_party(user, proposal) -> bool:
    """A person of the lead organisation or of an invited or confirmed partner."""
    if not user.is_authenticated:
        return False
    if proposal.lead.memberships.filter(user=user).exists():
        return True
    return proposal.partners.filter(
        status__in=SEEING_PARTNER_STATUSES, organisation__memberships__user=user
    ).exists()


def is_lead_admin(user, proposal) -> bool:
    return is_organisation_admin(user, proposal.lead)


def can_edit_proposal(user, proposal) -> bool:
    """Text, partners and documents change while the proposal is a draft or changes were
    asked for (and the letter saying so is out), by the lead's admins, while the lead is an
    active member."""
    return (
        proposal.is_editable
        and proposal.lead.status == OrganisationStatus.ACTIVE
        and is_lead_admin(user, proposal)
    )


def can_withdraw_proposal(user, proposal) -> bool:
    # A decision whose letter is held is, for the applicants, still a proposal in review: they
    # may withdraw it as such (and nothing on the page hints at the decision).
    return proposal.status_for_applicants in UNDECIDED_STATUSES and is_lead_admin(user, proposal)


def can_answer_partnership(user, partnership) -> bool:
    return (
        partnership.status == PartnerStatus.INVITED
        and partnership.proposal.is_editable
        and is_organisation_admin(user, partnership.organisation)
    )


def can_read_documents(user, proposal) -> bool:
    """The people of the proposal, and the cluster office with its second factor."""
    return is_party(user, proposal) or (is_cluster_coordinator(user) and has_second_factor(user))


def can_decide_proposal(user) -> bool:
    return is_cluster_coordinator(user)


def conflicting_organisation(reviewer, proposal):
    """The lead or partner organisation `reviewer` belongs to — a conflict of interest that
    rules them out as a reviewer — or None."""
    if proposal.lead.memberships.filter(user=reviewer).exists():
        return proposal.lead
    partner = (
        proposal.partners.filter(
            status__in=SEEING_PARTNER_STATUSES, organisation__memberships__user=reviewer
        )
        .select_related("organisation")
        .first()
    )
    return partner.organisation if partner is not None else None


def can_write_review(user, review) -> bool:
    return (
        review.reviewer_id == user.pk
        and not review.has_conflict
        and review.proposal.status in REVIEWABLE_STATUSES
    )
