"""Who may do what in a competence centre: one predicate per question.

Views, the admin and templates ask these; the services ask them again before writing.
"""

from members.enums import OrganisationStatus
from members.rules import is_organisation_admin

COORDINATORS_GROUP = "Coordinators"
DECIDE_PERMISSION = "competence_centres.change_centreparticipation"


def is_cluster_coordinator(user) -> bool:
    """Cluster office staff: in the "Coordinators" group with the right to decide
    participations, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.is_staff
        and user.groups.filter(name=COORDINATORS_GROUP).exists()
        and user.has_perm(DECIDE_PERMISSION)
    )


def is_centre_coordinator(user, centre) -> bool:
    """Named as a coordinator of this centre (in the admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    # A centre has a handful of coordinators, often prefetched: compare in Python.
    return any(person.pk == user.pk for person in centre.coordinators.all())


def can_coordinate_centre(user, centre) -> bool:
    """May open the centre's coordination page."""
    return is_centre_coordinator(user, centre) or is_cluster_coordinator(user)


def can_decide_participation(user, participation) -> bool:
    """Centre coordinators decide — but not on their own organisation's request, which
    is left to their fellow coordinators or the cluster office."""
    if is_cluster_coordinator(user):
        return True
    if not is_centre_coordinator(user, participation.centre):
        return False
    return not participation.organisation.memberships.filter(user=user).exists()


def can_see_member_contacts(user, centre) -> bool:
    """Contact details of the centre's organisations, including the ones they keep private."""
    return can_coordinate_centre(user, centre)


def can_request_participation(user, organisation) -> bool:
    """Asking to join a centre is for the administrators of an active member organisation."""
    return organisation.status == OrganisationStatus.ACTIVE and is_organisation_admin(
        user, organisation
    )


def can_leave_participation(user, participation) -> bool:
    return is_organisation_admin(user, participation.organisation)
