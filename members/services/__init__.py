"""Every write about members goes through these functions (see STYLE.md)."""

from .colleagues import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_revoke,
    membership_leave,
    membership_remove,
    membership_set_role,
    organisation_invite_member,
)
from .organisations import (
    organisation_approve,
    organisation_nip_taken_message,
    organisation_refresh_search,
    organisation_register,
    organisation_reinstate,
    organisation_reject,
    organisation_resign,
    organisation_save_by_coordinator,
    organisation_slug,
    organisation_suspend,
    organisation_update_profile,
)

__all__ = [
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_revoke",
    "membership_leave",
    "membership_remove",
    "membership_set_role",
    "organisation_approve",
    "organisation_invite_member",
    "organisation_nip_taken_message",
    "organisation_refresh_search",
    "organisation_register",
    "organisation_reinstate",
    "organisation_reject",
    "organisation_resign",
    "organisation_save_by_coordinator",
    "organisation_slug",
    "organisation_suspend",
    "organisation_update_profile",
]
