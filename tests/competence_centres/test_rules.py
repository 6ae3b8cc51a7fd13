"""competence_centres/rules.py (and the roles of core it asks): who may coordinate a centre
and who may ask to join one."""

import pytest

from cluster_portal.core.roles import is_centre_coordinator
from competence_centres.rules import can_coordinate_centre, can_request_participation

pytestmark = pytest.mark.django_db


def test_contacts_are_for_the_centres_own_coordinators_and_the_cluster_office(
    telemedicine,
    ict,
    telemedicine_coordinator,
    ict_coordinator,
    cluster_coordinator,
    hospital_admin,
):
    assert is_centre_coordinator(telemedicine_coordinator, telemedicine)
    assert not is_centre_coordinator(telemedicine_coordinator, ict)
    assert can_coordinate_centre(telemedicine_coordinator, telemedicine)
    assert not can_coordinate_centre(ict_coordinator, telemedicine)
    assert can_coordinate_centre(cluster_coordinator, telemedicine)
    assert not can_coordinate_centre(hospital_admin, telemedicine)


def test_an_admin_of_an_active_organisation_may_ask(hospital, hospital_admin):
    assert can_request_participation(hospital_admin, hospital)
