"""Writes about the people of an organisation: invitations, roles, removing and leaving.

Every change that could leave an organisation without an administrator locks the
organisation row first, so two admins demoting each other at the same moment cannot both
succeed: the second one waits, then sees that it would remove the last administrator.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cluster_portal.core import roles
from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.delivery import absolute_url
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify, notify_address

from .. import rules
from ..enums import MembershipRole
from ..models import Invitation, Organisation, OrganisationMembership, User
from ..selectors import users_with_address
from ..tokens import invitation_accept_path
from ..validators import normalise_email

INVITATION_LIFETIME = timedelta(days=14)


def _current_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _is_last_admin(membership: OrganisationMembership) -> bool:
    """Whether no other active administrator would remain without this membership."""
    if membership.role != MembershipRole.ADMIN:
        return False
    return not (
        OrganisationMembership.objects.filter(
            organisation_id=membership.organisation_id,
            role=MembershipRole.ADMIN,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _current_membership(membership: OrganisationMembership) -> OrganisationMembership:
    current = (
        OrganisationMembership.objects.select_related("user", "organisation")
        .filter(pk=membership.pk)
        .first()
    )
    if current is None:
        raise InvalidTransition(_("This person is no longer a member of the organisation."))
    return current


def _require_admin(actor, organisation: Organisation) -> None:
    if not roles.is_organisation_admin(actor, organisation):
        raise NotAllowed(
            _("Only the administrators of %(organisation)s can manage its colleagues.")
            % {"organisation": organisation.name}
        )


@dataclass(frozen=True)
class MembershipChange:
    """A role change or a removal, and the open invitations it withdrew on the way."""

    membership: OrganisationMembership
    withdrawn_invitations: int = 0


def _withdraw_invitations_sent_by(membership: OrganisationMembership) -> int:
    """An invitation speaks for the administrator who sent it: once they are no longer one,
    their open invitations are withdrawn (accepting one would let a removed admin's word
    still bring people in)."""
    return Invitation.objects.filter(
        organisation_id=membership.organisation_id,
        invited_by_id=membership.user_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())


# --- invitations ---------------------------------------------------------------------------


def organisation_invite_member(
    *, organisation: Organisation, actor, email: str, role: str, submission_key=None
) -> Invitation:
    """Invite `email` to join `organisation` with `role`, and e-mail the signed link.

    An open invitation to the same address is revoked and replaced, so only the newest
    link works and it carries the newest role and a fresh 14-day expiry. The same form sent
    twice (the same `submission_key`, core.forms.SubmissionKeyField) sends one invitation:
    the second request gets the first one back.
    """
    role = MembershipRole(role)
    email = normalise_email(email)
    with transaction.atomic():
        organisation = _lock(organisation)
        _require_admin(actor, organisation)
        if not rules.can_manage_colleagues(actor, organisation):
            raise NotAllowed(
                _("%(organisation)s no longer takes part in the cluster; it cannot invite.")
                % {"organisation": organisation.name}
            )
        invitee = users_with_address(email=email).first()
        if invitee and organisation.memberships.filter(user=invitee).exists():
            raise Conflict(
                _("%(email)s is already a member of %(organisation)s.")
                % {"email": email, "organisation": organisation.name}
            )
        if submission_key is not None:
            # Checked under the organisation's row lock, so the twin request waits and
            # finds what the first one sent.
            sent_before = organisation.invitations.filter(
                submission_key=submission_key, email__iexact=email, role=role
            ).first()
            if sent_before is not None:
                return sent_before
        now = timezone.now()
        organisation.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=now + INVITATION_LIFETIME,
            submission_key=submission_key,
        )
        language = (invitee.preferred_language if invitee else "") or _current_language()
        # The accept link is a credential: it goes in the mail only. A person with an
        # account finds the invitation on My cluster too, where the page makes the link for
        # them after they logged in.
        accept_url = absolute_url(invitation_accept_path(invitation=invitation, language=language))
        notify_address(
            to_email=email,
            recipient=invitee,
            language=language,
            kind="membership.invitation",
            category=NotificationCategory.MEMBERSHIP,
            context={
                "organisation": organisation,
                "invitation": invitation,
                "inviter": actor,
                "accept_url": accept_url,
            },
            dedupe_key=f"invitation:{invitation.pk}",
            link=reverse("pages:my_cluster"),
            is_essential=True,
            secrets=[accept_url],
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an open invitation; its link stops working. Revoking twice changes nothing."""
    with transaction.atomic():
        organisation = _lock(invitation.organisation)
        _require_admin(actor, organisation)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvalidTransition(
                _("%(email)s has already accepted the invitation.") % {"email": invitation.email}
            )
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_accept(*, invitation: Invitation, user) -> OrganisationMembership:
    """Make `user` a member with the invited role.

    The user must own the invited address, verified. Accepting again, or accepting while
    already a member, returns the existing membership and never changes its role; the
    membership's `joined_now` says whether this call made the user join.
    """
    with transaction.atomic():
        organisation = _lock(invitation.organisation)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation.organisation = organisation
        existing = organisation.memberships.filter(user=user).first()
        if existing and invitation.accepted_by_id == user.pk:
            existing.joined_now = False  # accepted already (a second click)
            return existing
        reason = rules.invitation_closed_reason(invitation)
        if reason:
            raise InvalidTransition(reason)
        if not rules.has_verified_address(user=user, email=invitation.email):
            if normalise_email(user.email) == invitation.email.lower():
                raise NotAllowed(
                    _("Confirm your e-mail address %(email)s first, then accept the invitation.")
                    % {"email": invitation.email}
                )
            raise NotAllowed(
                _("This invitation was sent to %(email)s. Log in with that address to accept it.")
                % {"email": invitation.email}
            )
        membership = existing or OrganisationMembership.objects.create(
            user=user, organisation=organisation, role=invitation.role
        )
        membership.joined_now = existing is None
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if not existing:
            # The other admins learn who joined (the inviter included).
            notify(
                recipients=roles.organisation_admins(organisation).exclude(pk=user.pk),
                kind="membership.colleague_joined",
                category=NotificationCategory.MEMBERSHIP,
                context={"organisation": organisation, "colleague": user},
                dedupe_key=f"colleague-joined:{invitation.pk}",
                link=reverse("members:colleagues", kwargs={"slug": organisation.slug}),
            )
    return membership


def invitation_accept_with_new_account(
    *, invitation: Invitation, full_name: str, password: str, language: str = ""
) -> OrganisationMembership:
    """Create the invitee's account (the invited address, verified: the signed link proved
    it) and accept the invitation, all or nothing: a closed invitation creates no account.
    The caller validated the password."""
    try:
        with transaction.atomic():
            if users_with_address(email=invitation.email).exists():
                raise Conflict(
                    _("An account with the address %(email)s already exists. Log in instead.")
                    % {"email": invitation.email}
                )
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name.strip(),
                preferred_language=language or _current_language(),
                # The invitation page shows the privacy notice, as the sign-up page does.
                privacy_notice_accepted_at=timezone.now(),
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            return invitation_accept(invitation=invitation, user=user)
    except IntegrityError as error:
        # Someone created an account with this address between the check and the insert.
        raise Conflict(
            _("An account with the address %(email)s already exists. Log in instead.")
            % {"email": invitation.email}
        ) from error


# --- memberships ---------------------------------------------------------------------------


def membership_set_role(
    *, membership: OrganisationMembership, actor, role: str
) -> MembershipChange:
    """Promote or demote a colleague (admins only); the last administrator stays one. A
    demoted administrator's open invitations are withdrawn."""
    role = MembershipRole(role)
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        _require_admin(actor, organisation)
        membership = _current_membership(membership)
        if membership.role == role:
            return MembershipChange(membership)
        if role != MembershipRole.ADMIN and _is_last_admin(membership):
            raise Conflict(
                _(
                    "%(name)s is the only administrator of %(organisation)s. "
                    "Name another administrator first."
                )
                % {"name": membership.user, "organisation": organisation.name}
            )
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        if membership.user_id != actor.pk:
            audit_record(
                actor=actor,
                action=AuditAction.ROLE_CHANGED,
                target=membership.user,
                detail=f"{previous} → {role} in organisation #{organisation.pk}",
            )
        withdrawn = 0 if role == MembershipRole.ADMIN else _withdraw_invitations_sent_by(membership)
    return MembershipChange(membership, withdrawn)


def membership_remove(*, membership: OrganisationMembership, actor) -> MembershipChange:
    """Remove a colleague from the organisation (admins only). Removing yourself is leaving.
    The open invitations the removed person sent are withdrawn."""
    if membership.user_id == actor.pk:
        return membership_leave(membership=membership, actor=actor)
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        _require_admin(actor, organisation)
        membership = _current_membership(membership)
        if _is_last_admin(membership):
            raise Conflict(
                _(
                    "%(name)s is the only administrator of %(organisation)s and cannot be "
                    "removed. Name another administrator first."
                )
                % {"name": membership.user, "organisation": organisation.name}
            )
        withdrawn = _withdraw_invitations_sent_by(membership)
        membership.delete()
        audit_record(
            actor=actor,
            action=AuditAction.ROLE_CHANGED,
            target=membership.user,
            detail=f"{membership.role} → removed from organisation #{organisation.pk}",
        )
    return MembershipChange(membership, withdrawn)


def membership_leave(*, membership: OrganisationMembership, actor) -> MembershipChange:
    """The member leaves the organisation; the last administrator cannot. The open
    invitations they sent are withdrawn."""
    if membership.user_id != actor.pk:
        raise NotAllowed(_("Only the member themself can leave an organisation."))
    with transaction.atomic():
        organisation = _lock(membership.organisation)
        membership = _current_membership(membership)
        if _is_last_admin(membership):
            raise Conflict(
                _(
                    "You are the only administrator of %(organisation)s. "
                    "Name another administrator first."
                )
                % {"organisation": organisation.name}
            )
        withdrawn = _withdraw_invitations_sent_by(membership)
        membership.delete()
    return MembershipChange(membership, withdrawn)
