"""cluster_portal/pages/views/my_cluster.py: a member's own organisations and what they lead."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members.enums import MembershipRole, OrganisationStatus
from projects.enums import ProposalStatus
from tests.factories import MembershipFactory, OrganisationFactory, ProposalFactory, UserFactory
from tests.helpers import get_html, logged_in

pytestmark = pytest.mark.django_db


def test_my_cluster_lists_every_organisation_of_the_user(client):
    user = UserFactory()
    MembershipFactory(
        user=user, role=MembershipRole.ADMIN, organisation=OrganisationFactory(name="Szpital A")
    )
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(name="Uczelnia B", status=OrganisationStatus.APPLIED),
    )
    client.force_login(user)
    html = get_html(client, "/en/members/my/")
    assert "Szpital A" in html and "Uczelnia B" in html
    assert "Active member" in html and "Applied" in html


def test_my_cluster_shows_a_decision_message_only_once_its_letter_is_out():
    membership = MembershipFactory(role=MembershipRole.ADMIN)
    proposal = ProposalFactory(
        lead=membership.organisation,
        status=ProposalStatus.ACCEPTED,
        decided_at=timezone.now(),
        decision_message="Gratulacje! Prosimy o harmonogram prac.",
    )
    client = logged_in(membership.user)
    with translation.override("en"):
        path = reverse("pages:my_cluster")

    held = get_html(client, path)
    assert 'class="status status-in_review"' in held
    assert "Gratulacje!" not in held

    proposal.decision_released_at = timezone.now()
    proposal.save(update_fields=["decision_released_at"])
    released = get_html(client, path)
    assert 'class="status status-accepted"' in released
    assert "Gratulacje! Prosimy o harmonogram prac." in released
