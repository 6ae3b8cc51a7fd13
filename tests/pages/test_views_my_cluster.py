"""cluster_portal/pages/views/my_cluster.py: a member's own organisations."""

import pytest

from members.enums import MembershipRole, OrganisationStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import get_html

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
