"""Deleting an account: the person's data goes, their place in history stays.

The row of the user is kept, nameless (`deleted_at` set, "Deleted user" wherever it is
shown), so that decisions, proposals and registrations of their organisations still point
at someone. Everything that identifies them or lets anyone log in as them is removed.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.core.errors import Conflict
from cluster_portal.notifications.retention import notifications_forget

from ..enums import MembershipRole, OrganisationStatus
from ..models import Invitation, Organisation, OrganisationMembership, User

# Organisations that still need an administrator: those that may act again.
ORGANISATIONS_NEEDING_AN_ADMIN = (
    OrganisationStatus.APPLIED,
    OrganisationStatus.ACTIVE,
    OrganisationStatus.SUSPENDED,
)
SESSION_SCAN_CHUNK = 2000


def deleted_address(user: User) -> str:
    return f"deleted-{user.pk}@deleted.invalid"


def _any_address(addresses: set[str], *, field: str) -> Q:
    """`field` equal to one of `addresses`, whatever the letters' case."""
    match = Q()
    for address in addresses:
        match |= Q(**{f"{field}__iexact": address})
    return match


def organisations_only_administered_by(user: User) -> list[Organisation]:
    """The organisations that would be left without an administrator if `user` went."""
    other_admins = OrganisationMembership.objects.filter(
        organisation=OuterRef("pk"), role=MembershipRole.ADMIN, user__is_active=True
    ).exclude(user=user)
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role=MembershipRole.ADMIN,
            status__in=ORGANISATIONS_NEEDING_AN_ADMIN,
        )
        .exclude(Exists(other_admins))
        .order_by("name")
    )


def membership_end_all(*, user: User) -> int:
    """End all of `user`'s memberships, with their organisations locked (in a stable order,
    so two admins leaving at once cannot both leave an organisation without an admin).
    Raises Conflict, changing nothing, if `user` is the last admin of one."""
    with transaction.atomic():
        organisation_ids = list(
            OrganisationMembership.objects.filter(user=user).values_list(
                "organisation_id", flat=True
            )
        )
        list(
            Organisation.objects.filter(pk__in=organisation_ids)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        blocking = organisations_only_administered_by(user)
        if blocking:
            raise Conflict(
                _(
                    "You are the only administrator of %(organisations)s. Name another "
                    "administrator first; nothing was deleted."
                )
                % {"organisations": ", ".join(organisation.name for organisation in blocking)}
            )
        deleted, _per_model = OrganisationMembership.objects.filter(user=user).delete()
    return deleted


def sessions_end(*, user: User) -> int:
    """Delete every unexpired session of `user` (sessions are signed blobs: decoded in
    chunks, since the table has no user column)."""
    ended, last_pk = 0, ""
    while True:
        chunk = list(
            Session.objects.filter(
                expire_date__gt=timezone.now(), session_key__gt=last_pk
            ).order_by("session_key")[:SESSION_SCAN_CHUNK]
        )
        if not chunk:
            return ended
        last_pk = chunk[-1].session_key
        keys = [
            s.session_key for s in chunk if s.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        if keys:
            ended += Session.objects.filter(session_key__in=keys).delete()[0]


def account_anonymise(*, user: User) -> User:
    """Remove the person from their account: name, addresses, phone, login, sessions,
    second factors, preferences, notifications, open invitations and memberships. The row
    stays as "Deleted user". Raises Conflict, changing nothing, for the last admin of an
    organisation."""
    with transaction.atomic():
        # The organisations first, then the account: the order account_delete locks them in.
        membership_end_all(user=user)
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.deleted_at:
            return user
        addresses = {user.email.lower()} | {
            address.lower()
            for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        }
        address_match = _any_address(addresses, field="email")
        open_invitations = Q(accepted_at__isnull=True)
        Invitation.objects.filter(open_invitations & (address_match | Q(invited_by=user))).delete()
        Invitation.objects.filter(address_match, accepted_at__isnull=False).update(
            email=deleted_address(user)
        )
        Organisation.objects.filter(_any_address(addresses, field="contact_email")).update(
            contact_name="", contact_email="", contact_phone="", contact_is_public=False
        )
        for address in addresses:
            notifications_forget(user=user, email=address)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        sessions_end(user=user)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).update(object_repr=f"user #{user.pk}")
        user.email = deleted_address(user)
        user.full_name = user.job_title = user.phone = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    return user
