"""competence_centres/admin.py: coordinators decide requests to join through the service."""

import pytest

from cluster_portal.notifications.models import Notification
from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation
from tests.factories import OrganisationFactory, ParticipationFactory, UserFactory
from tests.helpers import admin_action, coordinator_in_admin, get_html, last_mail_to

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/competence_centres/centreparticipation/"


@pytest.fixture
def office(client):
    """A cluster coordinator logged into the admin with two-factor authentication."""
    return coordinator_in_admin(
        client, email="koordynator@klaster.example", full_name="Biuro Klastra"
    )


@pytest.fixture
def request_to_join(hospital, hospital_admin, telemedicine):
    return CentreParticipation.objects.create(
        organisation=hospital,
        centre=telemedicine,
        motivation="Teleopieka kardiologiczna.",
        requested_by=hospital_admin,
    )


def test_coordinators_filter_requests_by_status_and_centre_and_search_them(
    client, office, request_to_join, ict
):
    ParticipationFactory(organisation__name="Klinika Aktywna", centre=ict)

    html = get_html(client, f"{CHANGELIST}?status__exact=requested")
    assert "Szpital Wojewódzki w Zamościu" in html
    assert "Klinika Aktywna" not in html

    html = get_html(client, f"{CHANGELIST}?centre__id__exact={ict.pk}")
    assert "Klinika Aktywna" in html
    assert "Szpital Wojewódzki w Zamościu" not in html

    html = get_html(client, f"{CHANGELIST}?q=Zamo")
    assert "Szpital Wojewódzki w Zamościu" in html
    assert "Klinika Aktywna" not in html


def test_accepting_asks_for_a_message_then_decides_through_the_service(
    client, office, request_to_join, hospital_admin
):
    confirmation = admin_action(client, CHANGELIST, "accept", request_to_join)
    assert confirmation.templates[0].name == (
        "admin/competence_centres/centreparticipation/decide.html"
    )
    assert "Teleopieka kardiologiczna." in confirmation.content.decode()
    request_to_join.refresh_from_db()
    assert request_to_join.status == ParticipationStatus.REQUESTED

    response = admin_action(
        client, CHANGELIST, "accept", request_to_join, message="Witamy w centrum."
    )

    assert "Accept: done for 1 request." in response.content.decode()
    request_to_join.refresh_from_db()
    assert request_to_join.status == ParticipationStatus.ACTIVE
    assert request_to_join.decided_by == office
    assert request_to_join.decision_message == "Witamy w centrum."
    assert "Witamy w centrum." in last_mail_to(hospital_admin.email).body


def test_declining_needs_a_message(client, office, request_to_join):
    response = admin_action(client, CHANGELIST, "decline", request_to_join, message="")

    assert "This field is required." in response.content.decode()
    request_to_join.refresh_from_db()
    assert request_to_join.status == ParticipationStatus.REQUESTED

    admin_action(client, CHANGELIST, "decline", request_to_join, message="Proszę uzupełnić profil.")
    request_to_join.refresh_from_db()
    assert request_to_join.status == ParticipationStatus.DECLINED
    assert Notification.objects.filter(kind="centres.join_declined").count() == 1


def test_an_already_decided_request_is_reported_and_left_alone(
    client, office, request_to_join, telemedicine_coordinator
):
    from competence_centres.services import participation_decide

    participation_decide(
        participation=request_to_join, actor=telemedicine_coordinator, accept=False, message="Nie."
    )

    html = admin_action(client, CHANGELIST, "accept", request_to_join, message="").content.decode()

    assert "was already declined on" in html
    assert "by Piotr Telemedyczny." in html
    request_to_join.refresh_from_db()
    assert request_to_join.status == ParticipationStatus.DECLINED


def test_status_is_read_only_and_rows_are_neither_added_nor_deleted(
    client, office, request_to_join
):
    change = client.get(f"{CHANGELIST}{request_to_join.pk}/change/")
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{request_to_join.pk}/delete/").status_code == 403
    actions = get_html(client, CHANGELIST)
    assert 'value="accept"' in actions
    assert 'value="decline"' in actions
    assert 'value="delete_selected"' not in actions


def test_the_centre_admin_still_edits_the_centre(client, office, telemedicine):
    leader = OrganisationFactory(name="Uniwersytet Medyczny")
    coordinator = UserFactory()

    response = client.post(
        f"/admin/competence_centres/competencecentre/{telemedicine.pk}/change/",
        {
            "slug": "telemedicine",
            "order": 3,
            "is_active": "on",
            "leader": leader.pk,
            "coordinators": [coordinator.pk],
            "name_pl": "Telemedycyna",
            "summary_pl": "Zdalne konsultacje.",
            "description_pl": "Opis centrum.",
            "name_en": "Telemedicine",
            "summary_en": "Remote consultations.",
            "description_en": "About the centre.",
        },
    )

    assert response.status_code == 302
    telemedicine.refresh_from_db()
    assert telemedicine.leader == leader
    assert list(telemedicine.coordinators.all()) == [coordinator]
    assert telemedicine.description_en == "About the centre."
