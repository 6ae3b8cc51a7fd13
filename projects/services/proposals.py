"""Writes about proposals: drafting, partners, submitting, withdrawing, deciding.

Every status change goes through `_change_status`: the proposal's row is locked, the
transition table of enums.py is checked, a timeline line records who, when and the message
for the applicants, and the notifications are written in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster_portal.core import roles
from cluster_portal.core.db import violates
from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.delivery import (
    notification_discard_held,
    notification_release_held,
)
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notify
from members.enums import OrganisationStatus

from .. import rules
from ..enums import (
    CHANGEABLE_WHILE_HELD,
    PROPOSAL_TRANSITIONS,
    PartnerStatus,
    ProposalStatus,
    TimelineKind,
)
from ..models import ProjectProposal, ProposalEvent, ProposalPartner

# What the lead fills in; submitting needs every one of them.
CONTENT_FIELDS = [
    "title",
    "acronym",
    "summary",
    "objectives",
    "expected_impact",
    "requested_budget",
    "currency",
    "duration_months",
    "trl",
    "keywords",
]
REQUIRED_TO_SUBMIT = [
    "title",
    "acronym",
    "summary",
    "objectives",
    "expected_impact",
    "requested_budget",
    "duration_months",
    "trl",
]


def _lock(proposal: ProjectProposal) -> ProjectProposal:
    # No joins under the lock: a waiting transaction re-reads the locked row after the other
    # one commits, but joined rows as they were when it started waiting. FOR NO KEY UPDATE
    # still queues the services behind each other, but not a writer whose new row refers to
    # the proposal: its foreign key check (deferred to its commit) would otherwise wait for
    # us while we wait for its row — a deadlock, a server error, where "already" is meant.
    return ProjectProposal.objects.select_for_update(no_key=True).get(pk=proposal.pk)


def _record(
    proposal, *, kind, actor, message="", detail="", from_status="", to_status="", shown=True
) -> ProposalEvent:
    now = timezone.now()
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        created_at=now,
        from_status=from_status,
        to_status=to_status,
        message=message,
        detail=detail[:255],
        shown_from=now if shown else None,
    )


def _applicants(proposal: ProjectProposal):
    """The admins of the lead and of the confirmed partners, each once."""
    partner_ids = list(
        proposal.partners.filter(status=PartnerStatus.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )
    admins = roles.organisation_admins(proposal.lead)
    for organisation_id in partner_ids:
        admins = admins | roles.organisation_admins(organisation_id)
    return admins.distinct()


def _path(proposal: ProjectProposal) -> str:
    return reverse("projects:proposal_detail", kwargs={"pk": proposal.pk})


def _require_editor(actor, proposal: ProjectProposal) -> None:
    if not rules.can_edit_proposal(actor, proposal):
        if not rules.is_lead_admin(actor, proposal):
            raise NotAllowed(
                _("Only the administrators of %(organisation)s, the lead, can change the proposal.")
                % {"organisation": proposal.lead.name}
            )
        raise InvalidTransition(
            _("The proposal is %(status)s now, so it cannot be changed.")
            % {"status": proposal.get_status_for_applicants_display().lower()}
        )


# --- drafting ------------------------------------------------------------------------------


# One draft per author and page (core.forms.SubmissionKeyField).
SUBMISSION_ONCE = "projects_proposal_submission_once"


def proposal_create(
    *, lead, actor, call=None, centres=(), submission_key=None, **content
) -> ProjectProposal:
    """Start a draft led by `lead` (its admin `actor`), optionally answering `call`.

    With a `submission_key` (the form page's), the same form sent again — a double click, a
    retry — returns the draft it made the first time instead of a second one. The same key
    with other content is an old page changed and sent again: a new draft keeps what was
    typed.
    """
    if not rules.can_lead_proposals(actor, lead):
        raise NotAllowed(
            _("Only the administrators of an active member organisation can lead a proposal.")
        )
    if call is not None and not call.is_published:
        raise NotAllowed(_("This funding call is not published."))
    content = {name: value for name, value in content.items() if name in CONTENT_FIELDS}
    centres = list(centres)
    if submission_key is not None:
        sent_before = _proposal_sent_before(actor, submission_key)
        if sent_before is not None:
            if _same_draft(sent_before, lead=lead, call=call, centres=centres, content=content):
                return sent_before
            submission_key = None
    try:
        with transaction.atomic():
            return _proposal_insert(
                lead=lead,
                actor=actor,
                call=call,
                centres=centres,
                content=content,
                submission_key=submission_key,
            )
    except IntegrityError as error:
        if not violates(error, SUBMISSION_ONCE):
            raise
    # The twin request inserted with this key between our look and our insert.
    sent_before = _proposal_sent_before(actor, submission_key)
    if sent_before is not None and _same_draft(
        sent_before, lead=lead, call=call, centres=centres, content=content
    ):
        return sent_before
    with transaction.atomic():
        return _proposal_insert(
            lead=lead, actor=actor, call=call, centres=centres, content=content, submission_key=None
        )


def _proposal_sent_before(actor, submission_key) -> ProjectProposal | None:
    return (
        ProjectProposal.objects.filter(created_by=actor, submission_key=submission_key)
        .prefetch_related("centres")
        .first()
    )


def _same_draft(proposal, *, lead, call, centres, content) -> bool:
    return (
        proposal.lead_id == lead.pk
        and proposal.call_id == (call.pk if call else None)
        and {centre.pk for centre in proposal.centres.all()} == {centre.pk for centre in centres}
        and all(getattr(proposal, name) == value for name, value in content.items())
    )


def _proposal_insert(*, lead, actor, call, centres, content, submission_key) -> ProjectProposal:
    proposal = ProjectProposal.objects.create(
        lead=lead, call=call, created_by=actor, submission_key=submission_key, **content
    )
    proposal.centres.set(centres)
    _record(proposal, kind=TimelineKind.CREATED, actor=actor, to_status=ProposalStatus.DRAFT)
    return proposal


def proposal_update(
    *, proposal: ProjectProposal, actor, centres=None, **content
) -> ProjectProposal:
    """Save what the lead changed in a draft (or while changes are requested)."""
    with transaction.atomic():
        locked = _lock(proposal)
        _require_editor(actor, locked)
        fields = [name for name in content if name in CONTENT_FIELDS]
        for name in fields:
            setattr(locked, name, content[name])
        locked.save(update_fields=[*fields, "updated_at"])
        if centres is not None:
            locked.centres.set(centres)
    return locked


# --- partners ------------------------------------------------------------------------------


def partner_invite(
    *, proposal: ProjectProposal, organisation, actor, role: str, budget_share=None
) -> ProposalPartner:
    """The lead invites an active member organisation; its admins confirm or decline."""
    with transaction.atomic():
        locked = _lock(proposal)
        _require_editor(actor, locked)
        if organisation.pk == locked.lead_id:
            raise Conflict(_("The lead organisation cannot be its own partner."))
        if organisation.status != OrganisationStatus.ACTIVE:
            raise NotAllowed(
                _("%(organisation)s is not an active member of the cluster.")
                % {"organisation": organisation.name}
            )
        existing = locked.partners.filter(organisation=organisation).first()
        if existing is not None:
            raise _already_partner(existing)
        try:
            with transaction.atomic():
                partnership = ProposalPartner.objects.create(
                    proposal=locked,
                    organisation=organisation,
                    role=role,
                    budget_share=budget_share,
                    invited_by=actor,
                )
        except IntegrityError as error:
            # The same invitation sent twice at once: the database keeps one, and the twin
            # is told what a later request is told.
            if not violates(error, "projects_partner_once_per_proposal"):
                raise
            existing = ProposalPartner.objects.filter(
                proposal=locked, organisation=organisation
            ).first()
            if existing is not None:
                raise _already_partner(existing) from error
            raise Conflict(
                _("%(organisation)s is already invited to this proposal.")
                % {"organisation": organisation.name}
            ) from error
        _record(locked, kind=TimelineKind.PARTNER_INVITED, actor=actor, detail=organisation.name)
        notify(
            recipients=roles.organisation_admins(organisation),
            kind="proposals.partner_invited",
            category=NotificationCategory.PROPOSALS,
            context={"proposal": locked, "lead": locked.lead, "organisation": organisation},
            dedupe_key=f"proposal-partner-invited:{partnership.pk}",
            link=_path(locked),
        )
    return partnership


def _already_partner(partnership: ProposalPartner) -> Conflict:
    names = {"organisation": partnership.organisation.name}
    if partnership.status == PartnerStatus.DECLINED:
        return Conflict(_("%(organisation)s declined to take part in this proposal.") % names)
    return Conflict(_("%(organisation)s is already invited to this proposal.") % names)


def partner_respond(*, partnership: ProposalPartner, actor, accept: bool) -> ProposalPartner:
    """A partner's admin confirms or declines; the lead's admins are told."""
    with transaction.atomic():
        proposal = _lock(partnership.proposal)
        partnership = ProposalPartner.objects.select_for_update().get(pk=partnership.pk)
        partnership.proposal = proposal
        if not rules.can_answer_partnership(actor, partnership):
            if not roles.is_organisation_admin(actor, partnership.organisation):
                raise NotAllowed(
                    _("Only the administrators of %(organisation)s can answer for it.")
                    % {"organisation": partnership.organisation.name}
                )
            raise InvalidTransition(
                _("%(organisation)s has already answered: %(status)s.")
                % {
                    "organisation": partnership.organisation.name,
                    "status": partnership.get_status_display().lower(),
                }
                if partnership.status != PartnerStatus.INVITED
                else _("The proposal cannot take new partners now.")
            )
        partnership.status = PartnerStatus.CONFIRMED if accept else PartnerStatus.DECLINED
        partnership.responded_by = actor
        partnership.responded_at = timezone.now()
        partnership.save(update_fields=["status", "responded_by", "responded_at"])
        _record(
            proposal,
            kind=TimelineKind.PARTNER_CONFIRMED if accept else TimelineKind.PARTNER_DECLINED,
            actor=actor,
            detail=partnership.organisation.name,
        )
        notify(
            recipients=roles.organisation_admins(proposal.lead),
            kind="proposals.partner_answered",
            category=NotificationCategory.PROPOSALS,
            context={"proposal": proposal, "partnership": partnership, "accepted": accept},
            dedupe_key=f"proposal-partner-answered:{partnership.pk}",
            link=_path(proposal),
        )
    return partnership


def partner_remove(*, partnership: ProposalPartner, actor) -> None:
    """The lead takes a partner off a proposal it may still change."""
    with transaction.atomic():
        proposal = _lock(partnership.proposal)
        _require_editor(actor, proposal)
        name = partnership.organisation.name
        ProposalPartner.objects.filter(pk=partnership.pk, proposal=proposal).delete()
        _record(proposal, kind=TimelineKind.PARTNER_REMOVED, actor=actor, detail=name)


# --- status changes ------------------------------------------------------------------------


def _change_status(
    locked: ProjectProposal, *, actor, to: str, message: str = "", shown: bool = True
) -> ProposalEvent:
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]
    if to == ProposalStatus.SUBMITTED:
        locked.submitted_at = timezone.now()
        fields.append("submitted_at")
    locked.save(update_fields=fields)
    return _record(
        locked,
        kind=TimelineKind.STATUS,
        actor=actor,
        from_status=previous,
        to_status=to,
        message=message,
        shown=shown,
    )


def _refuse_transition(locked: ProjectProposal, to: str) -> InvalidTransition:
    last = locked.timeline.filter(kind=TimelineKind.STATUS).select_related("actor").last()
    if last is not None and last.to_status == locked.status and last.actor is not None:
        return InvalidTransition(
            _(
                "%(person)s changed the proposal to “%(status)s” on %(date)s, so it cannot "
                "become “%(target)s” now."
            )
            % {
                "person": last.actor,
                "status": locked.get_status_display(),
                "date": date_format(timezone.localtime(last.created_at), "DATETIME_FORMAT"),
                "target": ProposalStatus(to).label,
            }
        )
    return InvalidTransition(
        _("The proposal is “%(status)s”, so it cannot become “%(target)s”.")
        % {"status": locked.get_status_display(), "target": ProposalStatus(to).label}
    )


def proposal_missing_for_submission(proposal: ProjectProposal) -> list[str]:
    """What stops the lead from submitting, as sentences; empty when it may go."""
    missing = [
        _("Fill in: %(field)s.") % {"field": ProjectProposal._meta.get_field(name).verbose_name}
        for name in REQUIRED_TO_SUBMIT
        if getattr(proposal, name) in (None, "")
    ]
    if not proposal.partners.filter(status=PartnerStatus.CONFIRMED).exists():
        missing.append(
            _(
                "A joint proposal needs at least one partner organisation that has confirmed "
                "its participation."
            )
        )
    if proposal.call_id and not proposal.call.is_open:
        missing.append(
            _("The funding call %(call)s is not open for proposals.") % {"call": proposal.call}
        )
    return missing


def proposal_submit(*, proposal: ProjectProposal, actor) -> ProjectProposal:
    """The lead submits a complete, joint proposal (or resubmits it after changes)."""
    with transaction.atomic():
        locked = _lock(proposal)
        _require_editor(actor, locked)
        if ProposalStatus.SUBMITTED not in PROPOSAL_TRANSITIONS[locked.status]:
            raise _refuse_transition(locked, ProposalStatus.SUBMITTED)
        missing = proposal_missing_for_submission(locked)
        if missing:
            raise InvalidTransition(" ".join(missing))
        _change_status(locked, actor=actor, to=ProposalStatus.SUBMITTED)
        notify(
            recipients=roles.cluster_coordinators(),
            kind="proposals.submitted",
            category=NotificationCategory.PROPOSALS,
            context={"proposal": locked, "lead": locked.lead},
            dedupe_key=f"proposal-submitted:{locked.pk}:{locked.submitted_at.isoformat()}",
            link=reverse("admin:projects_projectproposal_change", args=[locked.pk]),
            is_essential=True,
        )
    return locked


def proposal_withdraw(*, proposal: ProjectProposal, actor, message: str = "") -> ProjectProposal:
    """The lead withdraws a proposal that is not decided yet — for them, a decision whose
    letter is held is not made yet: it is dropped with its letter."""
    with transaction.atomic():
        locked = _lock(proposal)
        if not rules.is_lead_admin(actor, locked):
            raise NotAllowed(
                _("Only the administrators of %(organisation)s, the lead, can withdraw it.")
                % {"organisation": locked.lead.name}
            )
        if locked.decision_is_held:
            notification_discard_held(hold_key=f"proposal-decision:{locked.pk}")
            locked.timeline.filter(shown_from__isnull=True).delete()
        elif ProposalStatus.WITHDRAWN not in PROPOSAL_TRANSITIONS[locked.status]:
            raise _refuse_transition(locked, ProposalStatus.WITHDRAWN)
        was_with_office = locked.status != ProposalStatus.DRAFT
        _change_status(locked, actor=actor, to=ProposalStatus.WITHDRAWN, message=message.strip())
        if was_with_office:
            notify(
                recipients=roles.cluster_coordinators(),
                kind="proposals.withdrawn",
                category=NotificationCategory.PROPOSALS,
                context={"proposal": locked, "lead": locked.lead},
                dedupe_key=f"proposal-withdrawn:{locked.pk}",
                link=reverse("admin:projects_projectproposal_change", args=[locked.pk]),
            )
    return locked


def proposal_decide(
    *,
    proposal: ProjectProposal,
    actor,
    to: str,
    message: str = "",
    seen_status: str | None = None,
    hold_letter: bool = False,
) -> ProjectProposal:
    """A coordinator starts the review or decides: changes requested, accepted, rejected.

    `seen_status` is the status the coordinator saw when deciding: if someone changed it
    meanwhile, nothing happens and the coordinator is told who did what. A decision writes
    a letter to the admins of the lead and the confirmed partners; with `hold_letter` the
    letter waits in the outbox, and the decision stays hidden from the applicants, until
    `proposal_release_letter`. A held decision may be changed: its letter is replaced.
    """
    to = ProposalStatus(to)
    if not rules.can_decide_proposal(actor):
        raise NotAllowed(_("Only the cluster office decides proposals."))
    with transaction.atomic():
        locked = _lock(proposal)
        if seen_status is not None and locked.status != seen_status:
            raise _refuse_transition(locked, to)
        changing_held = locked.decision_is_held and to in CHANGEABLE_WHILE_HELD
        if to not in PROPOSAL_TRANSITIONS[locked.status] and not changing_held:
            raise _refuse_transition(locked, to)
        if locked.status == to:
            raise _refuse_transition(locked, to)
        hold_key = f"proposal-decision:{locked.pk}"
        if changing_held:
            notification_discard_held(hold_key=hold_key)
            locked.timeline.filter(kind=TimelineKind.STATUS, shown_from__isnull=True).delete()
        if to == ProposalStatus.IN_REVIEW:
            _change_status(locked, actor=actor, to=to, message=message.strip())
            notify(
                recipients=_applicants(locked),
                kind="proposals.in_review",
                category=NotificationCategory.PROPOSALS,
                context={"proposal": locked},
                dedupe_key=f"proposal-in-review:{locked.pk}:{timezone.now().isoformat()}",
                link=_path(locked),
            )
            return locked
        locked.decided_at = timezone.now()
        locked.decision_message = message.strip()
        locked.decision_released_at = None if hold_letter else locked.decided_at
        locked.save(update_fields=["decided_at", "decision_message", "decision_released_at"])
        _change_status(
            locked, actor=actor, to=to, message=locked.decision_message, shown=not hold_letter
        )
        notify(
            recipients=_applicants(locked),
            kind="proposals.decision",
            category=NotificationCategory.PROPOSALS,
            context={
                "proposal": locked,
                "decision": to.label,
                "status": to.value,
                "message": locked.decision_message,
            },
            dedupe_key=f"proposal-decision:{locked.pk}:{locked.decided_at.isoformat()}",
            link=_path(locked),
            # A decision about one's own organisation's proposal is never optional.
            is_essential=True,
            hold_key=hold_key if hold_letter else "",
        )
    return locked


def proposal_release_letter(*, proposal: ProjectProposal, actor) -> int:
    """Send a held decision letter and show the decision to the applicants; a second
    release finds nothing held and sends nothing. Returns the number of letters sent."""
    if not rules.can_decide_proposal(actor):
        raise NotAllowed(_("Only the cluster office releases decision letters."))
    with transaction.atomic():
        locked = _lock(proposal)
        if not locked.decision_is_held:
            return 0
        now = timezone.now()
        locked.decision_released_at = now
        locked.save(update_fields=["decision_released_at"])
        locked.timeline.filter(shown_from__isnull=True).update(shown_from=now)
        return notification_release_held(hold_key=f"proposal-decision:{locked.pk}")
