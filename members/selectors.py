"""Reads about members that span relations: who is listed, who owns an address, which
invitations wait for someone."""

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from .enums import OrganisationStatus
from .models import Invitation, Organisation, User
from .validators import normalise_email


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations anyone may see: active members that chose to be listed."""
    return Organisation.objects.filter(status=OrganisationStatus.ACTIVE, is_public=True)


def users_with_address(*, email: str) -> QuerySet[User]:
    """Accounts that own `email`: as their login, or as a verified additional address."""
    email = normalise_email(email)
    return User.objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
    ).distinct()


def invitation_list_for_user(*, user) -> QuerySet[Invitation]:
    """Open invitations to any of the user's verified addresses, newest first, with their
    organisation and sender."""
    addresses = [
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]
    if not addresses:
        return Invitation.objects.none()
    return (
        Invitation.objects.annotate(email_lower=Lower("email"))
        .filter(
            email_lower__in=addresses,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )
