"""Writes about organisations: registration, profile, and the membership decisions."""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cluster_portal.core import roles
from cluster_portal.core.db import violates
from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.core.images import replace_image_files
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify

from .. import rules
from ..enums import ORGANISATION_DECISIONS, MembershipRole, OrganisationDecision, OrganisationStatus
from ..logos import ProcessedLogo
from ..models import Organisation, OrganisationMembership
from ..selectors import organisation_list_public


def organisation_refresh_search(*, organisation_ids) -> None:
    """Recompute the weighted search vector (name A, specialisations B, description C)."""
    # Callers save the organisation too; its post_save refreshes the cached directory.
    if connection.vendor != "postgresql":
        return
    Organisation.objects.filter(pk__in=list(organisation_ids)).update(
        search_vector=SearchVector("name", weight="A", config="simple")
        + SearchVector("specialisations", weight="B", config="simple")
        + SearchVector("description", weight="C", config="simple")
    )


# Paths under /members/ that an organisation's slug must not shadow.
RESERVED_SLUGS = {"register", "my", "invitations"}


def organisation_slug(*, name: str) -> str:
    """The slug an organisation called `name` gets, before a suffix that makes it unique."""
    # slugify() drops characters without an ASCII decomposition, and "ł" has none.
    return slugify(name.replace("ł", "l").replace("Ł", "L"))[:200].rstrip("-") or "organisation"


def _unique_slug(name: str) -> str:
    base = organisation_slug(name=name)
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


NIP_CONSTRAINT = "members_organisation_nip_unique"
SLUG_CONSTRAINT = "members_organisation_slug_key"


def organisation_nip_taken_message(*, nip: str, exclude_pk=None) -> str | None:
    """What someone typing a NIP that is already registered is told, or None if it is free.

    The form says it while the person types; the service says it when a registration sent at
    the same moment took the NIP between the form's check and the insert.
    """
    existing = Organisation.objects.filter(nip=nip).exclude(pk=exclude_pk).first()
    if existing is None:
        return None
    ask = _(
        "Ask one of its administrators to invite you from the organisation's colleagues "
        "page in the portal, or write to the cluster office at %(email)s."
    ) % {"email": settings.PORTAL_CONTACT_EMAIL}
    # Only an organisation listed in the public directory is named: an application, a
    # former member or an unlisted member must not be revealed to whoever types its NIP.
    if organisation_list_public().filter(pk=existing.pk).exists():
        taken = _("%(name)s is already registered with this NIP.") % {"name": existing.name}
    else:
        taken = _("An organisation with this NIP is already registered.")
    return f"{taken} {ask}"


def _nip_conflict(organisation: Organisation) -> Conflict:
    message = organisation_nip_taken_message(nip=organisation.nip, exclude_pk=organisation.pk)
    return Conflict(message or _("An organisation with this NIP is already registered."))


def _insert_with_a_free_slug(organisation: Organisation) -> None:
    """Insert `organisation` under the first free slug of its name.

    Two organisations of the same name registered at once both find the same slug free; the
    database refuses the second, which then takes the next one. A NIP registered at the same
    moment is a Conflict with the form's message.
    """
    for _attempt in range(10):
        organisation.slug = _unique_slug(organisation.name)
        try:
            with transaction.atomic():
                organisation.save()
            return
        except IntegrityError as error:
            if violates(error, NIP_CONSTRAINT):
                raise _nip_conflict(organisation) from error
            if not violates(error, SLUG_CONSTRAINT):
                raise
    raise Conflict(_("Many organisations of this name are being registered: try again."))


def _store_logo(organisation: Organisation, logo: ProcessedLogo | None) -> list[str]:
    """Store a processed logo on `organisation` (unsaved) and return the changed fields; the
    files it replaces go once the transaction commits (core/images.py)."""
    return replace_image_files(
        organisation,
        image_field="logo",
        thumbnail_field="logo_thumbnail",
        processed=logo.as_image() if logo else None,
    )


def organisation_register(
    *, actor, organisation: Organisation, logo: ProcessedLogo | None = None
) -> Organisation:
    """Save a new membership application; its creator becomes its first admin.

    `organisation` is an unsaved, validated instance (the form's). It starts as `applied`,
    and the coordinators are told there is an application to review.
    """
    if not rules.can_register_organisation(actor):
        raise NotAllowed(_("Verify your e-mail address before registering an organisation."))
    with transaction.atomic():
        organisation.status = OrganisationStatus.APPLIED
        _store_logo(organisation, logo)
        _insert_with_a_free_slug(organisation)
        OrganisationMembership.objects.create(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        )
        organisation_refresh_search(organisation_ids=[organisation.pk])
        notify(
            recipients=roles.cluster_coordinators(),
            kind="membership.application_received",
            category=NotificationCategory.MEMBERSHIP,
            context={"organisation": organisation, "applicant": actor},
            dedupe_key=f"organisation-applied:{organisation.pk}",
            link=reverse("admin:members_organisation_change", args=[organisation.pk]),
            is_essential=True,
        )
    return organisation


def organisation_update_profile(
    *, actor, organisation: Organisation, fields: list[str], logo: ProcessedLogo | None = None
) -> None:
    """Save profile changes an admin made (the form validated them)."""
    if not rules.can_edit_organisation(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can change its profile."))
    with transaction.atomic():
        fields = [*fields, *_store_logo(organisation, logo)]
        try:
            with transaction.atomic():
                organisation.save(update_fields=[*fields, "updated_at"])
        except IntegrityError as error:
            # Another organisation took this NIP between the form's check and the save.
            if not violates(error, NIP_CONSTRAINT):
                raise
            raise _nip_conflict(organisation) from error
        organisation_refresh_search(organisation_ids=[organisation.pk])


def organisation_save_by_coordinator(
    *, actor, organisation: Organisation, logo: ProcessedLogo | None = None
) -> Organisation:
    """Save an organisation a coordinator edited in the admin, its logo processed as on the
    site. Status is not theirs to edit here: decisions go through the decision services."""
    if not actor.has_perm("members.change_organisation"):
        raise NotAllowed(_("Only the cluster office can change organisations here."))
    with transaction.atomic():
        _store_logo(organisation, logo)
        organisation.save()
        organisation_refresh_search(organisation_ids=[organisation.pk])
    return organisation


def _decide(*, organisation: Organisation, actor, decision: str, message: str) -> Organisation:
    starts, to = ORGANISATION_DECISIONS[decision]
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status not in starts:
            raise InvalidTransition(
                _(
                    "%(name)s has the status “%(status)s” now, so “%(decision)s” does not "
                    "apply to it. Someone may have decided first: reload the list."
                )
                % {
                    "name": locked.name,
                    "status": locked.get_status_display(),
                    "decision": OrganisationDecision(decision).label,
                }
            )
        previous = locked.status
        locked.status = to
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_message = message
        fields = ["status", "decided_by", "decided_at", "decision_message", "updated_at"]
        if to == OrganisationStatus.ACTIVE and locked.joined_on is None:
            locked.joined_on = timezone.localdate()
            fields.append("joined_on")
        locked.save(update_fields=fields)
        notify(
            recipients=roles.organisation_admins(locked),
            kind=f"membership.{to}",
            category=NotificationCategory.MEMBERSHIP,
            context={"organisation": locked, "message": message, "previous": previous},
            dedupe_key=f"organisation-status:{locked.pk}:{to}:{locked.decided_at.isoformat()}",
            link=reverse("pages:my_cluster"),
            # A decision about one's own organisation is never optional.
            is_essential=True,
        )
    return locked


def organisation_approve(*, organisation: Organisation, actor, message: str = "") -> Organisation:
    return _decide(
        organisation=organisation,
        actor=actor,
        decision=OrganisationDecision.APPROVE,
        message=message,
    )


def organisation_reject(*, organisation: Organisation, actor, message: str) -> Organisation:
    return _decide(
        organisation=organisation,
        actor=actor,
        decision=OrganisationDecision.REJECT,
        message=message,
    )


def organisation_suspend(*, organisation: Organisation, actor, message: str) -> Organisation:
    return _decide(
        organisation=organisation,
        actor=actor,
        decision=OrganisationDecision.SUSPEND,
        message=message,
    )


def organisation_resign(*, organisation: Organisation, actor, message: str = "") -> Organisation:
    return _decide(
        organisation=organisation,
        actor=actor,
        decision=OrganisationDecision.RESIGN,
        message=message,
    )


def organisation_reinstate(*, organisation: Organisation, actor, message: str = "") -> Organisation:
    return _decide(
        organisation=organisation,
        actor=actor,
        decision=OrganisationDecision.REINSTATE,
        message=message,
    )
