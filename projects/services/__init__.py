"""Every write about calls, proposals and reviews goes through these functions (STYLE.md)."""

from .calls import call_publish, call_send_deadline_reminders
from .documents import document_add, document_remove, recognise_document
from .proposals import (
    partner_invite,
    partner_remove,
    partner_respond,
    proposal_create,
    proposal_decide,
    proposal_missing_for_submission,
    proposal_release_letter,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .reviews import (
    proposal_refresh_score,
    review_assign,
    review_assign_centre_coordinators,
    review_declare_conflict,
    review_submit,
    weighted_score,
)

__all__ = [
    "call_publish",
    "call_send_deadline_reminders",
    "document_add",
    "document_remove",
    "partner_invite",
    "partner_remove",
    "partner_respond",
    "proposal_create",
    "proposal_decide",
    "proposal_missing_for_submission",
    "proposal_refresh_score",
    "proposal_release_letter",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "recognise_document",
    "review_assign",
    "review_assign_centre_coordinators",
    "review_declare_conflict",
    "review_submit",
    "weighted_score",
]
