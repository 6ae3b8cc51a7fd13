"""members/services/colleagues.py: inviting, accepting, roles and leaving, called directly
(the pages that call them are in test_views_colleagues)."""

import uuid

import pytest
from django.db import connection
from django.test import Client

from cluster_portal.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from cluster_portal.notifications.models import Notification
from members.enums import MembershipRole
from members.models import OrganisationMembership
from members.services import (
    invitation_accept,
    membership_leave,
    membership_set_role,
    organisation_invite_member,
)
from members.services.colleagues import MembershipChange
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import accept_path_in_mail, invited, logged_in, race, require

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_inviting_again_replaces_the_open_invitation():
    old, old_path = invited(email="dwa@szpital.example")
    admin = old.invited_by
    new = organisation_invite_member(
        organisation=old.organisation,
        actor=admin,
        email="DWA@szpital.example",
        role=MembershipRole.ADMIN,
    )
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.role == MembershipRole.ADMIN and new.revoked_at is None
    assert Client().get(old_path).status_code == 410
    assert Client().get(accept_path_in_mail("dwa@szpital.example")).status_code == 200


def test_the_same_invitation_form_sent_twice_sends_one_invitation_and_one_mail():
    old, _path = invited(email="raz@szpital.example")
    admin, key = old.invited_by, uuid.uuid4()

    def send(submission_key):
        return organisation_invite_member(
            organisation=old.organisation,
            actor=admin,
            email="raz@szpital.example",
            role=MembershipRole.MEMBER,
            submission_key=submission_key,
        )

    first, again = send(key), send(key)

    assert again == first
    assert Notification.objects.filter(kind="membership.invitation").count() == 2  # old, first
    # The form sent from a new page is a new invitation, which replaces the open one.
    newer = send(uuid.uuid4())
    first.refresh_from_db()
    assert newer != first and first.revoked_at is not None


def test_an_unverified_address_must_be_confirmed_first():
    invitee = UserFactory(
        email="niepotwierdzony@szpital.example", preferred_language="en", verified=False
    )
    invitation, path = invited(email=invitee.email)
    with pytest.raises(NotAllowed, match="Confirm your e-mail address"):
        invitation_accept(invitation=invitation, user=invitee)
    assert logged_in(invitee).post(path).status_code == 403
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_accepting_twice_returns_the_same_membership():
    invitee = UserFactory(email="dwukrotny@szpital.example", preferred_language="en")
    invitation, _path = invited(email=invitee.email)
    first = invitation_accept(invitation=invitation, user=invitee)
    second = invitation_accept(invitation=invitation, user=invitee)
    assert first == second
    assert OrganisationMembership.objects.filter(user=invitee).count() == 1


def test_an_invitation_whose_sender_lost_admin_rights_by_any_path_cannot_be_accepted():
    sender = MembershipFactory(
        organisation=OrganisationFactory(name="Szpital Powiatowy"),
        role=MembershipRole.ADMIN,
        user__full_name="Jan Wysyła",
    )
    MembershipFactory(organisation=sender.organisation, role=MembershipRole.ADMIN)
    invitation = organisation_invite_member(
        organisation=sender.organisation,
        actor=sender.user,
        email="a@example.org",
        role=MembershipRole.ADMIN,
    )
    path = accept_path_in_mail("a@example.org")
    # Not through the services: an account deactivated, say.
    sender.user.is_active = False
    sender.user.save(update_fields=["is_active"])

    invitee = UserFactory(email="a@example.org")
    with pytest.raises(InvalidTransition, match="no longer manages"):
        invitation_accept(invitation=invitation, user=invitee)
    assert not OrganisationMembership.objects.filter(user=invitee).exists()
    page = Client().get(path)
    assert page.status_code == 410
    assert "The administrator who sent this invitation no longer manages it." in (
        page.content.decode()
    )


def test_an_inactive_second_admin_does_not_count():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    MembershipFactory(
        organisation=admin.organisation, role=MembershipRole.ADMIN, user__is_active=False
    )
    with pytest.raises(Conflict, match="Name another administrator first"):
        membership_leave(membership=admin, actor=admin.user)


def test_the_admins_hear_when_an_invited_colleague_joins():
    admin = MembershipFactory(
        role=MembershipRole.ADMIN, user=UserFactory(email="szef@szpital.example")
    )
    invitation = organisation_invite_member(
        organisation=admin.organisation,
        actor=admin.user,
        email="nowa@szpital.example",
        role=MembershipRole.MEMBER,
    )
    newcomer = UserFactory(email="nowa@szpital.example", full_name="Nowa Osoba")
    invitation_accept(invitation=invitation, user=newcomer)
    note = Notification.objects.get(kind="membership.colleague_joined")
    assert note.to_email == "szef@szpital.example"
    assert "Nowa Osoba" in note.subject


# --- concurrency (PostgreSQL row locks) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")

    def demote_each_other_at_once(first, second) -> list:
        return race(
            *[
                lambda membership=membership, actor=actor: membership_set_role(
                    membership=membership, actor=actor, role=MembershipRole.MEMBER
                )
                for membership, actor in ((first, second.user), (second, first.user))
            ]
        )

    # A race without the lock does not lose every time: a few rounds make it show.
    for _round in range(5):
        first = MembershipFactory(role=MembershipRole.ADMIN)
        second = MembershipFactory(organisation=first.organisation, role=MembershipRole.ADMIN)
        outcomes = demote_each_other_at_once(first, second)
        # One demotion goes through; the other finds its actor demoted or its target the
        # last administrator, whichever it checks first.
        assert len([o for o in outcomes if isinstance(o, MembershipChange)]) == 1, outcomes
        assert len([o for o in outcomes if isinstance(o, DomainError)]) == 1, outcomes
        roles = sorted(first.organisation.memberships.values_list("role", flat=True))
        assert roles == [MembershipRole.ADMIN, MembershipRole.MEMBER]
