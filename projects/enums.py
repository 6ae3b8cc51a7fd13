from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    HORIZON_EUROPE = "horizon_europe", _("Horizon Europe")
    EU4HEALTH = "eu4health", _("EU4Health")
    FENG = "feng", _("European Funds for a Modern Economy (FENG)")
    REGIONAL = "regional", _("Regional programme")
    ABM = "abm", _("Medical Research Agency (ABM)")
    NCBR = "ncbr", _("National Centre for Research and Development (NCBR)")
    OTHER = "other", _("Other programme")


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"


class CallPhase(models.TextChoices):
    """Where a published call stands, for the public list's tabs."""

    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Upcoming")
    CLOSED = "closed", _("Closed")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The coordinators' decisions, which end a review and are announced by a decision letter.
DECISIONS = frozenset(
    {ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.CHANGES_REQUESTED}
)

PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN}),
    ProposalStatus.SUBMITTED: frozenset({ProposalStatus.IN_REVIEW, ProposalStatus.WITHDRAWN}),
    ProposalStatus.IN_REVIEW: DECISIONS | {ProposalStatus.WITHDRAWN},
    ProposalStatus.CHANGES_REQUESTED: frozenset(
        {ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN}
    ),
    ProposalStatus.ACCEPTED: frozenset(),
    ProposalStatus.REJECTED: frozenset(),
    ProposalStatus.WITHDRAWN: frozenset(),
}
# A decision whose letter is still held may be changed into another decision; the new
# letter replaces the unsent one (services.proposal_decide).
CHANGEABLE_WHILE_HELD = DECISIONS

# The lead edits the proposal (text, partners, documents) only in these states.
EDITABLE_STATUSES = frozenset({ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED})
# Not decided yet: the lead may still withdraw.
UNDECIDED_STATUSES = frozenset(
    status
    for status, targets in PROPOSAL_TRANSITIONS.items()
    if ProposalStatus.WITHDRAWN in targets
)


class PartnerStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    RESEARCH_PARTNER = "research_partner", _("Research partner")
    CLINICAL_PARTNER = "clinical_partner", _("Clinical partner")
    ASSOCIATED = "associated", _("Associated partner")


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("Application form")
    BUDGET = "budget", _("Budget")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    ANNEX = "annex", _("Other annex")


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    MINOR_CHANGES = "minor_changes", _("Accept with minor changes")
    MAJOR_CHANGES = "major_changes", _("Request major changes")
    REJECT = "reject", _("Reject")


class TimelineKind(models.TextChoices):
    """What a proposal's timeline records, shown to the lead and the partners."""

    CREATED = "created", _("Draft created")
    STATUS = "status", _("Status changed")
    PARTNER_INVITED = "partner_invited", _("Partner invited")
    PARTNER_CONFIRMED = "partner_confirmed", _("Partnership confirmed")
    PARTNER_DECLINED = "partner_declined", _("Partnership declined")
    PARTNER_REMOVED = "partner_removed", _("Partner removed")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")


SCORE_MIN = 1
SCORE_MAX = 5
