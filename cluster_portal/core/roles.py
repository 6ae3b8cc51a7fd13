"""Who someone is in the cluster: one predicate per role, one query per group of people.

"Coordinator" means two things in the portal, named apart here:
- a *cluster coordinator* works for the cluster office: a staff account in the
  group named by COORDINATORS_GROUP (or a superuser). They run the admin.
- a *centre coordinator* is named on a competence centre (any account, often a member's)
  and decides that centre's join requests.
An *organisation admin* holds the admin role in an organisation's membership.

Apps ask their own `rules.py` what someone may do; the rules build on these predicates.
Core imports no app, so the functions reach memberships and centres through the relations
of the objects they are given, and the few values they compare against are defined here.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

COORDINATORS_GROUP = "Coordinators"
# The value of MembershipRole.ADMIN (members/enums.py builds its choices on it).
ORGANISATION_ADMIN = "admin"
ORGANISATION_MEMBER = "member"


def is_cluster_coordinator(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=COORDINATORS_GROUP).exists()


def is_centre_coordinator(user, centre) -> bool:
    """Named as a coordinator of `centre` (in the admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    # A centre has a handful of coordinators, often prefetched: compare in Python.
    return any(person.pk == user.pk for person in centre.coordinators.all())


def organisation_membership(user, organisation):
    """The user's membership of `organisation`, or None."""
    if not user.is_authenticated:
        return None
    return organisation.memberships.filter(user=user).first()


def is_organisation_admin(user, organisation) -> bool:
    membership = organisation_membership(user, organisation)
    return membership is not None and membership.role == ORGANISATION_ADMIN


def cluster_coordinators() -> QuerySet:
    """The cluster office: who hears of new applications and of what nobody else decides."""
    return get_user_model().objects.filter(
        groups__name=COORDINATORS_GROUP, is_staff=True, is_active=True
    )


def organisation_admins(organisation) -> QuerySet:
    """The active administrators of `organisation`: who is told of decisions about it."""
    return get_user_model().objects.filter(
        memberships__organisation=organisation,
        memberships__role=ORGANISATION_ADMIN,
        is_active=True,
    )


def grant_to_coordinators(apps, permissions: dict[str, tuple[str, ...]], *, app_label: str):
    """For data migrations: give the cluster coordinators' group `permissions` ({model: actions}) of
    `app_label`, creating the group and the permissions if they do not exist yet."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=COORDINATORS_GROUP)
    group.permissions.add(*_permissions(apps, permissions, app_label=app_label))


def revoke_from_coordinators(apps, permissions: dict[str, tuple[str, ...]], *, app_label: str):
    group = apps.get_model("auth", "Group").objects.filter(name=COORDINATORS_GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, permissions, app_label=app_label))


def _permissions(apps, permissions, *, app_label):
    codenames = [
        f"{action}_{model}" for model, actions in permissions.items() for action in actions
    ]
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
