"""Who may do what with an organisation: one predicate per question.

Views, the admin and templates ask these; services ask them again before writing.
"""

from .enums import MembershipRole, OrganisationStatus


def _membership(user, organisation):
    if not user.is_authenticated:
        return None
    return organisation.memberships.filter(user=user).first()


def is_organisation_member(user, organisation) -> bool:
    return _membership(user, organisation) is not None


def is_organisation_admin(user, organisation) -> bool:
    membership = _membership(user, organisation)
    return membership is not None and membership.role == MembershipRole.ADMIN


def can_edit_organisation(user, organisation) -> bool:
    return is_organisation_admin(user, organisation) and organisation.status not in {
        OrganisationStatus.REJECTED,
        OrganisationStatus.RESIGNED,
    }


def can_manage_colleagues(user, organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_register_organisation(user) -> bool:
    """Registering needs an account with a verified e-mail address."""
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()
