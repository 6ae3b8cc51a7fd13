"""Who may do what in a competence centre: one predicate per question.

Views, the admin and templates (through the views' context) ask these; the services ask
them again before writing. Who is a centre coordinator, a cluster coordinator or an
organisation's admin is the roles module's question (cluster_portal/core/roles.py).
"""

from cluster_portal.core.roles import (
    is_centre_coordinator,
    is_cluster_coordinator,
    is_organisation_admin,
)
from members.enums import OrganisationStatus


def can_coordinate_centre(user, centre) -> bool:
    """May open the centre's coordination page, with the members' private contacts."""
    return is_centre_coordinator(user, centre) or is_cluster_coordinator(user)


def can_decide_participation(user, participation) -> bool:
    """Centre coordinators decide — but not on their own organisation's request, which
    is left to their fellow coordinators or the cluster office."""
    if is_cluster_coordinator(user):
        return True
    if not is_centre_coordinator(user, participation.centre):
        return False
    return not participation.organisation.memberships.filter(user=user).exists()


def can_request_participation(user, organisation) -> bool:
    """Asking to join a centre is for the administrators of an active member organisation."""
    return organisation.status == OrganisationStatus.ACTIVE and is_organisation_admin(
        user, organisation
    )


def can_leave_participation(user, participation) -> bool:
    return is_organisation_admin(user, participation.organisation)
