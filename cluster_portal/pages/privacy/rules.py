"""Who may do what with a person's data."""

from cluster_portal.core import roles


def can_manage_own_data(user) -> bool:
    """Download one's data and delete one's account: any logged-in, active account."""
    return user.is_authenticated and user.is_active


def can_delete_account_of(actor, person) -> bool:
    """The cluster office deletes an account on the person's request; a staff account only
    the superuser may delete, and nobody their own through the admin."""
    if not roles.is_cluster_coordinator(actor) or person.pk == actor.pk or person.deleted_at:
        return False
    if person.is_staff or person.is_superuser:
        return actor.is_superuser
    return True


def can_download_export(user, export) -> bool:
    return user.is_authenticated and export.user_id == user.pk
