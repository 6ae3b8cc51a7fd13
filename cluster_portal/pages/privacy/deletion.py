"""Deleting an account across the apps: registrations given up, centre roles removed, the
person anonymised, the deletion on record — in one transaction, or nothing at all."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import NotAllowed
from events.services import registrations_cancel_upcoming
from members.services.accounts import account_anonymise, membership_end_all

from ..models import DataExport, PersonalCalendar
from . import rules


def account_delete(*, user, actor) -> None:
    """Delete `user`'s account, by the person (`actor` is `user`) or by the cluster office on
    their request. Raises Conflict for the last admin of an organisation, NotAllowed when
    `actor` may not; either way nothing changes."""
    by_owner = actor.pk == user.pk
    if not (
        rules.can_manage_own_data(actor) if by_owner else rules.can_delete_account_of(actor, user)
    ):
        raise NotAllowed(_("You may not delete this account."))
    with transaction.atomic():
        # First, under the organisations' locks: the last admin of one gets the Conflict
        # before anything else runs (mail included) for an account that stays.
        membership_end_all(user=user)
        registrations_cancel_upcoming(user=user)
        user.coordinated_centres.clear()
        PersonalCalendar.objects.filter(user=user).delete()
        for export in DataExport.objects.filter(user=user):
            # The files go when the transaction commits: a rollback keeps them usable.
            if export.file:
                transaction.on_commit(partial(export.file.storage.delete, export.file.name))
            export.delete()
        account_anonymise(user=user)
        audit_record(
            actor=actor,
            action=AuditAction.ACCOUNT_DELETED,
            target=user,
            detail="by the person" if by_owner else "on request",
        )
