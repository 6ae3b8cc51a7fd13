"""Who may do what with an organisation: one predicate per question.

Views, the admin and templates (through the views' context) ask these; services ask them
again before writing. Who someone *is* (an organisation's admin, a coordinator) is the roles
module's question (cluster_portal/core/roles.py).
"""

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster_portal.core.roles import ORGANISATION_ADMIN, is_organisation_admin

from .enums import CLOSED_ORGANISATION_STATUSES, MembershipRole
from .validators import normalise_email


def membership_may_edit(membership) -> bool:
    """An admin of an organisation that has not left the cluster (nor been refused) keeps
    its profile and its colleagues; `membership` may be None."""
    return (
        membership is not None
        and membership.role == ORGANISATION_ADMIN
        and membership.organisation.status not in CLOSED_ORGANISATION_STATUSES
    )


def can_edit_organisation(user, organisation) -> bool:
    return is_organisation_admin(user, organisation) and (
        organisation.status not in CLOSED_ORGANISATION_STATUSES
    )


def can_manage_colleagues(user, organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_change_colleagues(user, organisation) -> bool:
    """May withdraw invitations, promote, demote and remove colleagues: an admin, even of an
    organisation that left the cluster (it may still tidy up its people)."""
    return is_organisation_admin(user, organisation)


def has_verified_address(*, user, email: str) -> bool:
    return EmailAddress.objects.filter(
        user=user, email__iexact=normalise_email(email), verified=True
    ).exists()


def can_register_organisation(user) -> bool:
    """Registering needs an account with a verified e-mail address."""
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def invitation_closed_reason(invitation) -> str | None:
    """Why the invitation can no longer be accepted, as a sentence for the invitee; None if
    it still can."""
    organisation = invitation.organisation
    ask = _("Ask an administrator of %(organisation)s to send you a new one.") % {
        "organisation": organisation.name
    }
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.revoked_at is not None:
        return " ".join([_("This invitation was withdrawn."), ask])
    if organisation.status in CLOSED_ORGANISATION_STATUSES:
        return _("%(organisation)s no longer takes part in the cluster.") % {
            "organisation": organisation.name
        }
    if not _inviter_is_still_admin(invitation):
        return " ".join(
            [_("The administrator who sent this invitation no longer manages it."), ask]
        )
    if invitation.expires_at <= timezone.now():
        expired = _("This invitation expired on %(date)s.") % {
            "date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        }
        return " ".join([expired, ask])
    return None


def _inviter_is_still_admin(invitation) -> bool:
    # Withdrawal on demotion covers the usual path; this check covers every other one (an
    # account deactivated or deleted, a membership changed outside the services).
    return invitation.organisation.memberships.filter(
        user_id=invitation.invited_by_id,
        user__is_active=True,
        role=MembershipRole.ADMIN,
    ).exists()
