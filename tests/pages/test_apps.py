"""cluster_portal/pages/apps.py: every write to what the directory shows (organisations,
participations, centres) makes its cached pages stale once it commits."""

import pytest

from members.enums import OrganisationStatus
from members.services import organisation_approve
from tests.factories import OrganisationFactory, ParticipationFactory, UserFactory
from tests.helpers import get_html

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("page_cache")]


def test_an_approved_organisation_shows_at_once(client):
    pending = OrganisationFactory(
        name="Nowa Klinika", status=OrganisationStatus.APPLIED, joined_on=None
    )
    assert "Nowa Klinika" not in get_html(client, "/en/members/")
    organisation_approve(organisation=pending, actor=UserFactory(is_staff=True))
    assert "Nowa Klinika" in get_html(client, "/en/members/")


def test_joining_a_centre_shows_at_once_in_the_centre_filter(client):
    organisation = OrganisationFactory(name="Centrum Telemedyczne")
    assert "Centrum Telemedyczne" not in get_html(client, "/en/members/?centre=telemedicine")
    ParticipationFactory(organisation=organisation)
    assert "Centrum Telemedyczne" in get_html(client, "/en/members/?centre=telemedicine")
