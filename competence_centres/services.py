"""Writes about competence centres: asking to join, deciding, leaving.

Every change locks its row, checks PARTICIPATION_TRANSITIONS, records who and when, and
writes its notifications in the same transaction. Rows are never deleted: they are the
history of an organisation's requests and memberships.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster_portal.core import roles
from cluster_portal.core.db import violates
from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify
from members.enums import OrganisationStatus
from members.models import Organisation

from . import rules
from .enums import OPEN_PARTICIPATION_STATUSES, PARTICIPATION_TRANSITIONS, ParticipationStatus
from .models import CentreParticipation, CompetenceCentre


def _centre_coordinators(centre: CompetenceCentre):
    """Who hears about the centre's requests: its coordinators, or, while it has none, the
    cluster office, so that no request waits unseen."""
    coordinators = list(centre.coordinators.filter(is_active=True))
    return coordinators or list(roles.cluster_coordinators())


def _coordination_path(centre: CompetenceCentre) -> str:
    return reverse("competence_centres:coordination", kwargs={"slug": centre.slug})


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _open_participation_error(participation: CentreParticipation) -> Conflict:
    names = {"organisation": participation.organisation.name, "centre": participation.centre.name}
    if participation.status == ParticipationStatus.ACTIVE:
        return Conflict(_("%(organisation)s already takes part in %(centre)s.") % names)
    return Conflict(
        _(
            "%(organisation)s already asked to join %(centre)s on %(date)s. The centre's "
            "coordinators have not decided yet; you will get an e-mail when they do."
        )
        % {**names, "date": _when(participation.requested_at)}
    )


def participation_request(
    *, organisation: Organisation, centre: CompetenceCentre, actor, motivation: str
) -> CentreParticipation:
    """An organisation's administrator asks for it to join a centre.

    Only an active member organisation may ask, and only once at a time: a request waiting
    for a decision, or a membership, makes a second request a Conflict. The centre's
    coordinators are told.
    """
    if not roles.is_organisation_admin(actor, organisation):
        raise NotAllowed(
            _("Only the administrators of %(organisation)s can ask for it to join a centre.")
            % {"organisation": organisation.name}
        )
    with transaction.atomic():
        # Requests of one organisation queue behind each other here; the partial unique
        # constraint below is the backstop for anything that skips this lock. NO KEY: a
        # writer that skipped it checks its foreign key to this row when it commits, and a
        # plain FOR UPDATE would make that check and our insert wait for each other.
        locked = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
        if locked.status != OrganisationStatus.ACTIVE:
            raise NotAllowed(
                _(
                    "Only active member organisations can join a competence centre; "
                    "%(organisation)s is %(status)s."
                )
                % {"organisation": locked.name, "status": locked.get_status_display().lower()}
            )
        centre = CompetenceCentre.objects.get(pk=centre.pk)
        if not centre.is_active:
            raise NotAllowed(
                _("%(centre)s does not accept new members at the moment.") % {"centre": centre.name}
            )
        existing = (
            CentreParticipation.objects.filter(
                organisation=locked, centre=centre, status__in=OPEN_PARTICIPATION_STATUSES
            )
            .select_related("organisation", "centre")
            .first()
        )
        if existing is not None:
            raise _open_participation_error(existing)
        try:
            with transaction.atomic():
                participation = CentreParticipation.objects.create(
                    organisation=locked,
                    centre=centre,
                    status=ParticipationStatus.REQUESTED,
                    motivation=motivation.strip(),
                    requested_by=actor,
                )
        except IntegrityError as error:
            # A writer that skipped the lock got there first: say what a later request is told.
            if not violates(error, "centres_one_open_participation"):
                raise
            existing = (
                CentreParticipation.objects.filter(
                    organisation=locked, centre=centre, status__in=OPEN_PARTICIPATION_STATUSES
                )
                .select_related("organisation", "centre")
                .first()
            )
            if existing is not None:
                raise _open_participation_error(existing) from error
            raise Conflict(
                _("%(organisation)s already asked to join %(centre)s, or takes part in it.")
                % {"organisation": locked.name, "centre": centre.name}
            ) from error
        notify(
            recipients=_centre_coordinators(centre),
            kind="centres.join_requested",
            category=NotificationCategory.CENTRES,
            context={"participation": participation, "organisation": locked, "centre": centre},
            dedupe_key=f"centre-join-requested:{participation.pk}",
            link=_coordination_path(centre),
        )
    return participation


def _already_decided_error(participation: CentreParticipation, to: str) -> InvalidTransition:
    names = {
        "organisation": participation.organisation.name,
        "centre": participation.centre.name,
    }
    if participation.decided_at is None:
        return InvalidTransition(
            _(
                "The participation of %(organisation)s in %(centre)s is %(status)s; "
                "it cannot become %(target)s."
            )
            % {
                **names,
                "status": participation.get_status_display().lower(),
                "target": ParticipationStatus(to).label.lower(),
            }
        )
    if participation.status == ParticipationStatus.DECLINED:
        text = _(
            "The request of %(organisation)s to join %(centre)s was already declined "
            "on %(date)s by %(person)s."
        )
    else:
        text = _(
            "The request of %(organisation)s to join %(centre)s was already accepted "
            "on %(date)s by %(person)s."
        )
    person = participation.decided_by or _("a former coordinator")
    return InvalidTransition(
        text % {**names, "person": person, "date": _when(participation.decided_at)}
    )


def participation_decide(
    *, participation: CentreParticipation, actor, accept: bool, message: str = ""
) -> CentreParticipation:
    """A centre's coordinator (or the cluster office) accepts or declines a request.

    The first decision wins: a second one, even made at the same moment, is an
    InvalidTransition that says who decided and when. The organisation's administrators
    are told, whatever their preferences, as it is a decision about their organisation.
    """
    to = ParticipationStatus.ACTIVE if accept else ParticipationStatus.DECLINED
    with transaction.atomic():
        # No joins under the lock: a waiting transaction gets the locked row re-read after
        # the other one commits, but joined rows as they were when it started waiting.
        locked = CentreParticipation.objects.select_for_update().get(pk=participation.pk)
        if not rules.can_decide_participation(actor, locked):
            if roles.is_centre_coordinator(actor, locked.centre):
                raise NotAllowed(
                    _(
                        "You belong to %(organisation)s, so another coordinator of the centre "
                        "or the cluster office decides its request."
                    )
                    % {"organisation": locked.organisation.name}
                )
            raise NotAllowed(
                _(
                    "Only the coordinators of %(centre)s and the cluster office can decide "
                    "its requests."
                )
                % {"centre": locked.centre.name}
            )
        if to not in PARTICIPATION_TRANSITIONS[locked.status]:
            raise _already_decided_error(locked, to)
        locked.status = to
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_message = message.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_message"])
        notify(
            recipients=roles.organisation_admins(locked.organisation),
            kind="centres.join_accepted" if accept else "centres.join_declined",
            category=NotificationCategory.CENTRES,
            context={
                "participation": locked,
                "organisation": locked.organisation,
                "centre": locked.centre,
                "message": locked.decision_message,
            },
            dedupe_key=f"centre-join-decided:{locked.pk}",
            link=locked.centre.get_absolute_url(),
            # A decision about one's own organisation is never optional.
            is_essential=True,
        )
    return locked


def participation_leave(*, participation: CentreParticipation, actor) -> CentreParticipation:
    """An organisation's administrator takes it out of a centre; its coordinators are told.

    The row stays, as `left`, with who and when; the organisation may ask to join again.
    """
    with transaction.atomic():
        locked = CentreParticipation.objects.select_for_update().get(pk=participation.pk)
        if not rules.can_leave_participation(actor, locked):
            raise NotAllowed(
                _("Only the administrators of %(organisation)s can take it out of a centre.")
                % {"organisation": locked.organisation.name}
            )
        if ParticipationStatus.LEFT not in PARTICIPATION_TRANSITIONS[locked.status]:
            raise InvalidTransition(
                _("%(organisation)s does not take part in %(centre)s at the moment.")
                % {"organisation": locked.organisation.name, "centre": locked.centre.name}
            )
        locked.status = ParticipationStatus.LEFT
        locked.left_by = actor
        locked.left_at = timezone.now()
        locked.save(update_fields=["status", "left_by", "left_at"])
        notify(
            recipients=_centre_coordinators(locked.centre),
            kind="centres.member_left",
            category=NotificationCategory.CENTRES,
            context={
                "participation": locked,
                "organisation": locked.organisation,
                "centre": locked.centre,
                "actor": actor,
            },
            dedupe_key=f"centre-left:{locked.pk}",
            link=_coordination_path(locked.centre),
        )
    return locked
