"""Proposals through their services: joint by construction, every transition, decisions."""

import uuid

import pytest
from django.core import mail
from django.db import connection

from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.models import Notification
from projects.enums import PROPOSAL_TRANSITIONS, ProposalStatus
from projects.models import ProjectProposal, ProposalPartner
from projects.services import (
    partner_invite,
    partner_respond,
    proposal_create,
    proposal_decide,
    proposal_release_letter,
    proposal_submit,
    proposal_withdraw,
)
from tests.factories import OrganisationFactory, PartnerFactory
from tests.helpers import deliver_outbox, race, require

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def confirmed(proposal, organisation):
    return PartnerFactory(proposal=proposal, organisation=organisation, status="confirmed")


def submitted(proposal, lead_admin, partner_org):
    confirmed(proposal, partner_org)
    return proposal_submit(proposal=proposal, actor=lead_admin)


# --- drafting and partners -----------------------------------------------------------------


def test_an_admin_of_an_active_member_drafts_a_proposal(lead, lead_admin, call, telemedicine):
    proposal = proposal_create(
        lead=lead,
        actor=lead_admin,
        call=call,
        centres=[telemedicine],
        title="Domowa rehabilitacja kardiologiczna",
        acronym="DOMREH",
        summary="Rehabilitation at home with remote supervision.",
    )
    assert proposal.status == ProposalStatus.DRAFT
    assert list(proposal.centres.all()) == [telemedicine]
    assert [entry.kind for entry in proposal.timeline.all()] == ["created"]


def test_the_same_new_proposal_form_sent_twice_makes_one_draft(lead, lead_admin, telemedicine):
    key = uuid.uuid4()
    content = {"title": "Teleopieka", "acronym": "TELEOP", "summary": "Care at home."}

    first = proposal_create(
        lead=lead, actor=lead_admin, centres=[telemedicine], submission_key=key, **content
    )
    again = proposal_create(
        lead=lead, actor=lead_admin, centres=[telemedicine], submission_key=key, **content
    )

    assert again == first
    assert ProjectProposal.objects.filter(lead=lead).count() == 1


def test_an_old_new_proposal_page_changed_and_sent_again_keeps_what_was_typed(lead, lead_admin):
    key = uuid.uuid4()
    first = proposal_create(
        lead=lead, actor=lead_admin, submission_key=key, title="T", acronym="A", summary="S"
    )

    changed = proposal_create(
        lead=lead, actor=lead_admin, submission_key=key, title="T2", acronym="A", summary="S"
    )

    assert changed != first
    assert sorted(ProjectProposal.objects.values_list("title", flat=True)) == ["T", "T2"]


def test_a_plain_member_or_an_applicant_cannot_lead(lead, lead_member):
    with pytest.raises(NotAllowed):
        proposal_create(lead=lead, actor=lead_member, title="T", acronym="A", summary="S")
    applicant = OrganisationFactory(status="applied", joined_on=None)
    applicant.memberships.create(user=lead_member, role="admin")
    with pytest.raises(NotAllowed):
        proposal_create(lead=applicant, actor=lead_member, title="T", acronym="A", summary="S")


def test_invited_partner_admins_are_told_and_confirm(
    proposal, lead_admin, partner_org, partner_admin
):
    partnership = partner_invite(
        proposal=proposal, organisation=partner_org, actor=lead_admin, role="clinical_partner"
    )
    [invitation] = Notification.objects.filter(kind="proposals.partner_invited")
    assert invitation.recipient == partner_admin
    assert invitation.link == f"/en/projects/proposals/{proposal.pk}/"

    partner_respond(partnership=partnership, actor=partner_admin, accept=True)

    partnership.refresh_from_db()
    assert (partnership.status, partnership.responded_by) == ("confirmed", partner_admin)
    assert Notification.objects.filter(
        kind="proposals.partner_answered", recipient=lead_admin
    ).exists()


def test_the_same_partner_twice_is_a_conflict_with_a_clear_message(
    proposal, lead_admin, partner_org
):
    partner_invite(proposal=proposal, organisation=partner_org, actor=lead_admin, role="partner")
    with pytest.raises(Conflict, match="MedTech Lublin is already invited"):
        partner_invite(
            proposal=proposal, organisation=partner_org, actor=lead_admin, role="partner"
        )
    with pytest.raises(Conflict, match="its own partner"):
        partner_invite(
            proposal=proposal, organisation=proposal.lead, actor=lead_admin, role="partner"
        )


def test_only_the_partners_admins_answer(proposal, lead_admin, partner_org, lead_member):
    partnership = partner_invite(
        proposal=proposal, organisation=partner_org, actor=lead_admin, role="partner"
    )
    for someone in (lead_admin, lead_member):
        with pytest.raises(NotAllowed):
            partner_respond(partnership=partnership, actor=someone, accept=True)
    partnership.refresh_from_db()
    assert partnership.status == "invited"


# --- submitting ----------------------------------------------------------------------------


def test_submit_is_refused_without_a_confirmed_partner(proposal, lead_admin, partner_org):
    PartnerFactory(proposal=proposal, organisation=partner_org, status="invited")
    with pytest.raises(InvalidTransition, match="at least one partner organisation"):
        proposal_submit(proposal=proposal, actor=lead_admin)
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_submit_lists_what_is_missing(lead, lead_admin, partner_org):
    proposal = proposal_create(lead=lead, actor=lead_admin, title="T", acronym="A", summary="S")
    confirmed(proposal, partner_org)
    with pytest.raises(InvalidTransition) as refusal:
        proposal_submit(proposal=proposal, actor=lead_admin)
    for field in ("objectives", "expected impact", "requested budget", "duration in months"):
        assert f"Fill in: {field}." in str(refusal.value)


def test_submit_after_the_calls_deadline_is_refused(proposal, lead_admin, partner_org, call):
    from django.utils import timezone

    call.deadline = timezone.now() - timezone.timedelta(minutes=1)
    call.opens_at = call.deadline - timezone.timedelta(days=30)
    call.save()
    confirmed(proposal, partner_org)
    with pytest.raises(InvalidTransition, match="not open for proposals"):
        proposal_submit(proposal=proposal, actor=lead_admin)


def test_a_partner_sees_but_cannot_submit_or_withdraw(
    proposal, partner_org, partner_admin, lead_admin, coordinator
):
    confirmed(proposal, partner_org)
    with pytest.raises(NotAllowed):
        proposal_submit(proposal=proposal, actor=partner_admin)
    with pytest.raises(NotAllowed):
        proposal_withdraw(proposal=proposal, actor=partner_admin)
    proposal_submit(proposal=proposal, actor=lead_admin)
    assert Notification.objects.filter(kind="proposals.submitted").exists()


# --- every transition ----------------------------------------------------------------------

ALL_PAIRS = [
    (source, target) for source in ProposalStatus.values for target in ProposalStatus.values
]


def _move(proposal, *, lead_admin, coordinator, to):
    if to == ProposalStatus.SUBMITTED:
        return proposal_submit(proposal=proposal, actor=lead_admin)
    if to == ProposalStatus.WITHDRAWN:
        return proposal_withdraw(proposal=proposal, actor=lead_admin)
    return proposal_decide(proposal=proposal, actor=coordinator, to=to)


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_by_the_table(
    proposal, lead_admin, partner_org, coordinator, source, target
):
    confirmed(proposal, partner_org)
    ProjectProposal.objects.filter(pk=proposal.pk).update(
        status=source,
        decision_released_at=None
        if source not in ("accepted", "rejected", "changes_requested")
        else "2026-01-01T00:00Z",
    )
    proposal.refresh_from_db()
    allowed = target in PROPOSAL_TRANSITIONS[source]

    if allowed:
        _move(proposal, lead_admin=lead_admin, coordinator=coordinator, to=target)
        proposal.refresh_from_db()
        assert proposal.status == target
        assert proposal.timeline.filter(from_status=source, to_status=target).exists()
    else:
        with pytest.raises((InvalidTransition, NotAllowed)):
            _move(proposal, lead_admin=lead_admin, coordinator=coordinator, to=target)
        proposal.refresh_from_db()
        assert proposal.status == source


def test_only_the_cluster_office_decides(proposal, lead_admin, partner_org, partner_admin):
    submitted(proposal, lead_admin, partner_org)
    for someone in (lead_admin, partner_admin):
        with pytest.raises(NotAllowed):
            proposal_decide(proposal=proposal, actor=someone, to="in_review")


# --- decisions and letters -----------------------------------------------------------------


def decided(proposal, coordinator, to="accepted", **kwargs):
    proposal_decide(proposal=proposal, actor=coordinator, to="in_review")
    return proposal_decide(proposal=proposal, actor=coordinator, to=to, **kwargs)


def test_a_decision_letter_reaches_the_admins_of_the_lead_and_the_partners_in_their_language(
    proposal, lead_admin, partner_org, partner_admin, coordinator
):
    partner_admin.preferred_language = "pl"
    partner_admin.save()
    submitted(proposal, lead_admin, partner_org)
    decided(proposal, coordinator, message="Gratulacje, świetny projekt.")
    deliver_outbox()

    letters = {
        message.to[0]: message
        for message in mail.outbox
        if "Decision" in message.subject or "Decyzja" in message.subject
    }
    assert set(letters) == {"lider@szpital.example", "admin@medtech.example"}
    assert letters["lider@szpital.example"].subject == f"Decision on {proposal.acronym}: Accepted"
    assert "Gratulacje, świetny projekt." in letters["admin@medtech.example"].body


def test_a_held_letter_waits_and_is_released_once(
    proposal, lead_admin, partner_org, partner_admin, coordinator
):
    submitted(proposal, lead_admin, partner_org)
    decided(proposal, coordinator, to="rejected", message="Za mało partnerów.", hold_letter=True)
    proposal.refresh_from_db()

    assert proposal.status_for_applicants == "in_review"  # the applicants do not know yet
    assert not proposal.timeline.filter(to_status="rejected", shown_from__isnull=False).exists()
    held = Notification.objects.filter(kind="proposals.decision")
    assert set(held.values_list("status", flat=True)) == {"held"}
    deliver_outbox()
    assert not [m for m in mail.outbox if "Decision" in m.subject]

    assert proposal_release_letter(proposal=proposal, actor=coordinator) == 2
    assert proposal_release_letter(proposal=proposal, actor=coordinator) == 0
    deliver_outbox()

    assert len([m for m in mail.outbox if "Decision" in m.subject]) == 2
    proposal.refresh_from_db()
    assert proposal.status_for_applicants == "rejected"


def test_a_changed_decision_replaces_its_unsent_letter(
    proposal, lead_admin, partner_org, partner_admin, coordinator
):
    submitted(proposal, lead_admin, partner_org)
    decided(proposal, coordinator, to="rejected", message="Nie tym razem.", hold_letter=True)
    proposal_decide(
        proposal=proposal, actor=coordinator, to="accepted", message="Jednak tak!", hold_letter=True
    )
    proposal_release_letter(proposal=proposal, actor=coordinator)
    deliver_outbox()

    letters = [m for m in mail.outbox if "Decision" in m.subject]
    assert len(letters) == 2
    assert all(m.subject.endswith("Accepted") and "Jednak tak!" in m.body for m in letters)
    assert not any("Nie tym razem." in m.body for m in mail.outbox)


def test_a_sent_decision_is_final(proposal, lead_admin, partner_org, coordinator):
    submitted(proposal, lead_admin, partner_org)
    decided(proposal, coordinator, to="accepted")
    with pytest.raises(InvalidTransition):
        proposal_decide(proposal=proposal, actor=coordinator, to="rejected")


def test_a_decision_made_meanwhile_is_reported_with_who_and_when(
    proposal, lead_admin, partner_org, coordinator, other_coordinator
):
    submitted(proposal, lead_admin, partner_org)
    proposal_decide(proposal=proposal, actor=coordinator, to="in_review")
    proposal_decide(proposal=proposal, actor=coordinator, to="accepted", hold_letter=True)

    # The other coordinator still sees "in review" on their confirmation page.
    with pytest.raises(
        InvalidTransition, match="Ewa Koordynatorka changed the proposal to “Accepted”"
    ):
        proposal_decide(
            proposal=proposal, actor=other_coordinator, to="rejected", seen_status="in_review"
        )
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


# --- races on PostgreSQL -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_one_wins_the_other_is_told(seeded_data):
    require(connection.vendor == "postgresql", "row locks need PostgreSQL")
    from django.contrib.auth.models import Group

    from tests.factories import MembershipFactory, ProposalFactory, UserFactory
    from tests.helpers import with_second_factor

    proposal = ProposalFactory(status="in_review")
    coordinators = []
    for email in ("a@klaster.example", "b@klaster.example"):
        user = UserFactory(email=email, is_staff=True)
        user.groups.add(Group.objects.get(name="Coordinators"))
        with_second_factor(user)
        coordinators.append(user)
    MembershipFactory(organisation=proposal.lead, role="admin")

    outcomes = race(
        lambda: proposal_decide(
            proposal=proposal, actor=coordinators[0], to="accepted", seen_status="in_review"
        ),
        lambda: proposal_decide(
            proposal=proposal, actor=coordinators[1], to="rejected", seen_status="in_review"
        ),
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransition), outcomes
    proposal.refresh_from_db()
    assert proposal.status in {"accepted", "rejected"}
    assert Notification.objects.filter(kind="proposals.decision").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_partner_invited_twice_at_once_is_stored_once(seeded_data):
    require(connection.vendor == "postgresql", "the race needs PostgreSQL")
    from tests.factories import MembershipFactory, OrganisationFactory, ProposalFactory

    proposal = ProposalFactory()
    admin = MembershipFactory(organisation=proposal.lead, role="admin").user
    partner = OrganisationFactory(name="Partner Wyścigu")

    outcomes = race(
        *[
            lambda: partner_invite(
                proposal=proposal, organisation=partner, actor=admin, role="partner"
            )
            for _ in range(4)
        ]
    )

    assert sum(isinstance(outcome, ProposalPartner) for outcome in outcomes) == 1
    assert all(isinstance(o, (ProposalPartner, Conflict)) for o in outcomes), outcomes
    assert ProposalPartner.objects.filter(proposal=proposal).count() == 1


def test_withdrawing_a_proposal_whose_decision_is_held_drops_the_decision_and_its_letter(
    proposal, lead_admin, partner_org, partner_admin, coordinator
):
    submitted(proposal, lead_admin, partner_org)
    decided(
        proposal, coordinator, to="changes_requested", message="Dodajcie szpital.", hold_letter=True
    )

    proposal_withdraw(proposal=proposal, actor=lead_admin, message="Rezygnujemy.")

    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert not Notification.objects.filter(kind="proposals.decision").exists()
    assert not proposal.timeline.filter(shown_from__isnull=True).exists()
    assert proposal_release_letter(proposal=proposal, actor=coordinator) == 0
