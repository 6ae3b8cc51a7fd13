"""Retention of members' data: what is past its period goes. Each function is idempotent
and returns how many rows it removed or anonymised."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError

from ..enums import OrganisationStatus
from ..models import Invitation, Organisation, User


def users_unverified_delete(*, joined_before) -> int:
    """Delete accounts that never confirmed an address, never logged in and were made before
    `joined_before`. Staff accounts are left alone (the admin makes them without an address
    to confirm), and so is any account that something kept for the record points at (it is
    then anonymised only on request)."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    candidates = User.objects.filter(
        date_joined__lt=joined_before,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        deleted_at__isnull=True,
    ).exclude(Exists(verified))
    deleted = 0
    for user in candidates.order_by("pk").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted


def invitations_expired_delete(*, now) -> int:
    """Delete invitations never accepted that expired or were withdrawn."""
    with transaction.atomic():
        deleted, _per_model = (
            Invitation.objects.filter(accepted_at__isnull=True).filter(expires_at__lt=now).delete()
        )
    return deleted


def applications_declined_anonymise(*, decided_before) -> int:
    """Anonymise membership applications declined before `decided_before`: the row stays
    (decisions point at it), without names, identifiers, contacts or texts."""
    anonymised = 0
    with transaction.atomic():
        rows = (
            Organisation.objects.select_for_update()
            .filter(status=OrganisationStatus.REJECTED, decided_at__lt=decided_before)
            .exclude(slug__startswith="declined-")
        )
        for organisation in rows:
            organisation.memberships.all().delete()
            if organisation.logo:
                organisation.logo.delete(save=False)
            if organisation.logo_thumbnail:
                organisation.logo_thumbnail.delete(save=False)
            Organisation.objects.filter(pk=organisation.pk).update(
                name=f"Declined application #{organisation.pk}",
                slug=f"declined-{organisation.pk}",
                nip="",
                regon="",
                krs="",
                street="",
                postal_code="",
                website="",
                description="",
                specialisations="",
                logo="",
                logo_thumbnail="",
                contact_name="",
                contact_email="",
                contact_phone="",
                contact_is_public=False,
                is_public=False,
                decision_message="",
                search_vector=None,
            )
            anonymised += 1
    return anonymised
