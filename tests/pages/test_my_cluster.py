import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import MembershipFactory, ProposalFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_my_cluster_shows_a_decision_message_only_once_its_letter_is_out():
    membership = MembershipFactory(role="admin")
    proposal = ProposalFactory(
        lead=membership.organisation,
        status="accepted",
        decided_at=timezone.now(),
        decision_message="Gratulacje! Prosimy o harmonogram prac.",
    )
    client = logged_in(membership.user)
    with translation.override("en"):
        path = reverse("pages:my_cluster")

    held = client.get(path)
    assert held.status_code == 200
    assert 'class="status status-in_review"' in held.content.decode()
    assert "Gratulacje!" not in held.content.decode()

    proposal.decision_released_at = timezone.now()
    proposal.save(update_fields=["decision_released_at"])
    released = client.get(path)
    assert released.status_code == 200
    assert 'class="status status-accepted"' in released.content.decode()
    assert "Gratulacje! Prosimy o harmonogram prac." in released.content.decode()
