"""An invitation speaks for the administrator who sent it, and only while they are one."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cluster_portal.core.errors import InvalidTransition
from members.models import Invitation, OrganisationMembership
from members.services import invitation_accept, organisation_invite_member
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Szpital Powiatowy")


@pytest.fixture
def sender(organisation):
    return MembershipFactory(organisation=organisation, role="admin", user__full_name="Jan Wysyła")


@pytest.fixture
def other_admin(organisation):
    return MembershipFactory(organisation=organisation, role="admin", user__full_name="Ewa Zostaje")


def invite(membership, email):
    return organisation_invite_member(
        organisation=membership.organisation, actor=membership.user, email=email, role="admin"
    )


def colleagues_url(organisation) -> str:
    return f"/en/members/{organisation.slug}/colleagues/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_cannot_be_accepted(invitation: Invitation, email: str):
    invitee = UserFactory(email=email)
    with pytest.raises(InvalidTransition, match=r"no longer|withdrawn"):
        invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk), user=invitee)
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_demoting_an_admin_withdraws_the_invitations_they_sent(organisation, sender, other_admin):
    theirs = invite(sender, "nowy.admin@example.org")
    kept = invite(other_admin, "ktos.inny@example.org")

    response = logged_in(other_admin.user).post(
        f"{colleagues_url(organisation)}{sender.pk}/role/", {"role": "member"}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        "Jan Wysyła is now a member of Szpital Powiatowy without admin rights. "
        "The invitation they sent is withdrawn."
    ]
    theirs.refresh_from_db()
    kept.refresh_from_db()
    assert theirs.revoked_at is not None
    assert kept.revoked_at is None
    assert_cannot_be_accepted(theirs, "nowy.admin@example.org")


def test_removing_an_admin_withdraws_the_invitations_they_sent(organisation, sender, other_admin):
    first = invite(sender, "a@example.org")
    second = invite(sender, "b@example.org")

    response = logged_in(other_admin.user).post(
        f"{colleagues_url(organisation)}{sender.pk}/remove/", follow=True
    )

    assert messages_of(response) == [
        "Jan Wysyła no longer belongs to Szpital Powiatowy. "
        "The 2 invitations they sent are withdrawn."
    ]
    assert Invitation.objects.filter(pk__in=[first.pk, second.pk], revoked_at=None).count() == 0


def test_an_admin_who_leaves_takes_their_open_invitations_with_them(
    organisation, sender, other_admin
):
    invitation = invite(sender, "a@example.org")

    response = logged_in(sender.user).post(f"/en/members/{organisation.slug}/leave/", follow=True)

    assert messages_of(response) == [
        "You left Szpital Powiatowy. The invitation you sent is withdrawn."
    ]
    assert_cannot_be_accepted(invitation, "a@example.org")


def test_an_invitation_whose_sender_lost_admin_rights_by_any_path_cannot_be_accepted(
    organisation, sender, other_admin
):
    invitation = invite(sender, "a@example.org")
    # Not through the services: an account deactivated, say.
    sender.user.is_active = False
    sender.user.save(update_fields=["is_active"])

    assert_cannot_be_accepted(invitation, "a@example.org")
    page = Client().get(f"/en/members/invitations/{_token(invitation)}/")
    assert page.status_code == 410
    assert "The administrator who sent this invitation no longer manages it." in (
        page.content.decode()
    )


def test_the_colleagues_page_says_invitations_depend_on_their_sender(organisation, sender):
    invite(sender, "a@example.org")

    html = logged_in(sender.user).get(colleagues_url(organisation)).content.decode()

    assert "withdraws the invitations they sent" in html
    assert "<td>Jan Wysyła</td>" in html  # who sent it


def _token(invitation) -> str:
    from members.tokens import invitation_token

    return invitation_token(invitation)
