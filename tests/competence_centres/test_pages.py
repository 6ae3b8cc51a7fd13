import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competence_centres.models import CentreParticipation, CompetenceCentre
from tests.competence_centres.conftest import logged_in
from tests.factories import (
    EventFactory,
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CENTRE_URL = "/en/centres/telemedicine/"

SEVEN_CENTRES = [
    ("extensive-medical-care", "Kompleksowa opieka medyczna", "Extensive Medical Care"),
    ("pikmed-tech", "PIKMED Tech", "PIKMED Tech"),
    ("telemedicine", "Telemedycyna", "Telemedicine"),
    ("ict", "ICT w ochronie zdrowia", "ICT"),
    ("risk-management", "Zarządzanie ryzykiem", "Risk Management"),
    ("polinnovation-med", "Polinnovation MED", "Polinnovation MED"),
    (
        "elderly-and-disabled-support",
        "Wsparcie osób starszych i z niepełnosprawnościami",
        "Support for the elderly and disabled",
    ),
]


def test_the_seven_centres_exist_after_migrate_in_order_with_both_names():
    assert [
        (centre.slug, centre.name_pl, centre.name_en) for centre in CompetenceCentre.objects.all()
    ] == SEVEN_CENTRES


@pytest.mark.parametrize(("language", "column"), [("pl", 1), ("en", 2)])
def test_the_list_page_names_the_seven_centres_in_the_visitors_language(client, language, column):
    response = client.get(f"/{language}/centres/")

    assert response.status_code == 200
    html = response.content.decode()
    positions = []
    for centre in SEVEN_CENTRES:
        link = f'<a href="/{language}/centres/{centre[0]}/">{centre[column]}</a>'
        assert link in html
        positions.append(html.index(link))
    assert positions == sorted(positions)


def test_the_list_counts_the_active_member_organisations_of_each_centre(client, telemedicine):
    ParticipationFactory.create_batch(2, centre=telemedicine)
    ParticipationFactory(centre=telemedicine, status="requested")
    ParticipationFactory(centre=telemedicine, organisation__status="suspended")

    html = client.get("/en/centres/").content.decode()

    assert "2 member organisations" in html


def test_the_centre_page_shows_description_leader_coordinators_and_only_listed_participants(
    client, telemedicine
):
    leader = OrganisationFactory(name="Uniwersytet Medyczny w Lublinie")
    telemedicine.leader = leader
    telemedicine.description_en = "We connect hospitals and homes."
    telemedicine.save()
    telemedicine.coordinators.add(UserFactory(full_name="Piotr Telemedyczny", job_title="Lekarz"))
    ParticipationFactory(centre=telemedicine, organisation__name="Klinika Widoczna")
    ParticipationFactory(
        centre=telemedicine, organisation__name="Klinika Ukryta", organisation__is_public=False
    )
    ParticipationFactory(
        centre=telemedicine,
        organisation__name="Klinika Zawieszona",
        organisation__status="suspended",
    )
    ParticipationFactory(
        centre=telemedicine, organisation__name="Klinika Czeka", status="requested"
    )
    ParticipationFactory(centre=telemedicine, organisation__name="Klinika Odeszła", status="left")

    html = client.get(CENTRE_URL).content.decode()

    assert "We connect hospitals and homes." in html
    assert 'href="/en/members/uniwersytet-medyczny-w-lublinie/">Uniwersytet Medyczny' in html
    assert "Piotr Telemedyczny (Lekarz)" in html
    assert 'href="/en/members/klinika-widoczna/">Klinika Widoczna</a>' in html
    for hidden in ("Klinika Ukryta", "Klinika Zawieszona", "Klinika Czeka", "Klinika Odeszła"):
        assert hidden not in html


def test_the_centre_page_does_not_reveal_coordinators_addresses(client, telemedicine):
    telemedicine.coordinators.add(UserFactory(email="bez.nazwiska@klaster.example", full_name=""))

    html = client.get(CENTRE_URL).content.decode()

    assert "bez.nazwiska@klaster.example" not in html


def test_the_centre_page_lists_its_upcoming_published_events_only(client, telemedicine, ict):
    soon = EventFactory(title_en="Telemedicine in practice")
    soon.centres.add(telemedicine)
    EventFactory(title_en="Draft webinar", is_published=False).centres.add(telemedicine)
    past = EventFactory(
        title_en="Last year's congress",
        starts_at=timezone.now() - datetime.timedelta(days=400),
        ends_at=timezone.now() - datetime.timedelta(days=399),
    )
    past.centres.add(telemedicine)
    EventFactory(title_en="ICT hackathon").centres.add(ict)

    html = client.get(CENTRE_URL).content.decode()

    assert f'href="/en/events/{soon.slug}/">Telemedicine in practice</a>' in html
    for hidden in ("Draft webinar", "Last year&#x27;s congress", "ICT hackathon"):
        assert hidden not in html


def test_contact_details_appear_on_the_public_page_only_when_the_organisation_made_them_public(
    client, telemedicine
):
    ParticipationFactory(
        centre=telemedicine,
        organisation__contact_name="Jan Jawny",
        organisation__contact_email="jan@jawna.example",
        organisation__contact_is_public=True,
    )
    ParticipationFactory(
        centre=telemedicine,
        organisation__contact_name="Zofia Prywatna",
        organisation__contact_email="zofia@prywatna.example",
        organisation__contact_phone="+48 600 000 000",
        organisation__contact_is_public=False,
    )

    for client_ in (client, logged_in(UserFactory())):
        html = client_.get(CENTRE_URL).content.decode()
        assert "Jan Jawny" in html
        assert "mailto:jan@jawna.example" in html
        assert "Zofia Prywatna" not in html
        assert "zofia@prywatna.example" not in html
        assert "600 000 000" not in html


def test_an_unknown_or_inactive_centre_is_not_found(client, telemedicine):
    telemedicine.is_active = False
    telemedicine.save()

    assert client.get(CENTRE_URL).status_code == 404
    assert client.get("/en/centres/no-such-centre/").status_code == 404


# --- the join panel ------------------------------------------------------------------------


def test_a_visitor_is_invited_to_log_in(client):
    html = client.get(CENTRE_URL).content.decode()

    assert 'href="/en/accounts/login/?next=/en/centres/telemedicine/"' in html
    assert "Ask to join" not in html


def test_an_admin_of_an_active_organisation_sees_the_join_form(hospital_admin):
    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert "Ask to join Telemedicine" in html
    assert "On behalf of <strong>Szpital Wojewódzki w Zamościu</strong>" in html
    assert '<textarea name="motivation"' in html
    assert 'action="/en/centres/telemedicine/join/"' in html


def test_an_admin_of_two_organisations_chooses_which_one_asks(hospital, hospital_admin):
    MembershipFactory(user=hospital_admin, role="admin", organisation__name="Przychodnia Rodzinna")

    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert '<select name="organisation"' in html
    assert f'<option value="{hospital.pk}">Szpital Wojewódzki w Zamościu</option>' in html
    assert "Przychodnia Rodzinna</option>" in html


def test_a_plain_member_sees_no_join_form(hospital_member):
    html = logged_in(hospital_member).get(CENTRE_URL).content.decode()

    assert "Ask to join" not in html


def test_an_admin_of_an_applying_organisation_is_told_why_it_cannot_join(hospital, hospital_admin):
    hospital.status = "applied"
    hospital.save()

    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert "Only active member organisations can join a competence centre." in html
    assert '<textarea name="motivation"' not in html


def test_a_pending_request_shows_its_status_instead_of_the_form(
    hospital, hospital_admin, telemedicine
):
    CentreParticipation.objects.create(organisation=hospital, centre=telemedicine)

    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert "Request pending" in html
    assert '<textarea name="motivation"' not in html


def test_a_participating_organisation_gets_a_leave_button(hospital, hospital_admin, telemedicine):
    participation = ParticipationFactory(organisation=hospital, centre=telemedicine)

    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert "Takes part" in html
    assert f'action="/en/centres/telemedicine/participations/{participation.pk}/leave/"' in html
    assert "Leave the centre" in html


def test_a_declined_request_shows_the_reason_and_the_form_again(
    hospital, hospital_admin, telemedicine
):
    CentreParticipation.objects.create(
        organisation=hospital,
        centre=telemedicine,
        status="declined",
        decided_at=timezone.now(),
        decision_message="Prosimy uzupełnić profil.",
    )

    html = logged_in(hospital_admin).get(CENTRE_URL).content.decode()

    assert "Prosimy uzupełnić profil." in html
    assert '<textarea name="motivation"' in html


def test_the_coordination_link_is_shown_to_the_centres_coordinators_only(
    telemedicine_coordinator, ict_coordinator
):
    link = 'href="/en/centres/telemedicine/coordination/"'
    assert link in logged_in(telemedicine_coordinator).get(CENTRE_URL).content.decode()
    assert link not in logged_in(ict_coordinator).get(CENTRE_URL).content.decode()


# --- query counts --------------------------------------------------------------------------


def _queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add_participants(centre, count):
    for number in range(count):
        ParticipationFactory(
            centre=centre,
            organisation__contact_is_public=bool(number % 2),
            organisation__contact_name=f"Osoba {number}",
        )


@pytest.mark.parametrize("who", ["visitor", "organisation admin", "centre coordinator"])
def test_the_centre_page_runs_the_same_queries_for_one_and_fifty_participants(
    client, telemedicine, hospital_admin, telemedicine_coordinator, who
):
    client = {
        "visitor": client,
        "organisation admin": logged_in(hospital_admin),
        "centre coordinator": logged_in(telemedicine_coordinator),
    }[who]
    telemedicine.coordinators.add(UserFactory(), UserFactory())
    EventFactory().centres.add(telemedicine)
    FundingCallFactory().centres.add(telemedicine)
    _add_participants(telemedicine, 1)
    client.get(CENTRE_URL)  # warm the site-settings cache
    with_one = _queries_for(client, CENTRE_URL)

    _add_participants(telemedicine, 49)
    EventFactory().centres.add(telemedicine)
    for _ in range(5):
        FundingCallFactory().centres.add(telemedicine)

    assert _queries_for(client, CENTRE_URL) == with_one
    assert with_one <= 12


def test_the_centre_list_runs_the_same_queries_for_one_and_fifty_participants(
    client, telemedicine, ict
):
    _add_participants(telemedicine, 1)
    client.get("/en/centres/")
    with_one = _queries_for(client, "/en/centres/")

    _add_participants(telemedicine, 49)
    _add_participants(ict, 50)

    assert _queries_for(client, "/en/centres/") == with_one
    assert with_one <= 3


def test_the_centre_and_coordination_pages_render_in_polish(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    CentreParticipation.objects.create(organisation=hospital, centre=telemedicine)
    ParticipationFactory(centre=telemedicine, organisation__name="Klinika Aktywna")

    centre_page = logged_in(hospital_admin).get("/pl/centres/telemedicine/")
    coordination = logged_in(telemedicine_coordinator).get("/pl/centres/telemedicine/coordination/")

    assert centre_page.status_code == 200
    assert '<html lang="pl">' in centre_page.content.decode()
    assert "<h1>Telemedycyna</h1>" in centre_page.content.decode()
    assert coordination.status_code == 200
    assert "Szpital Wojewódzki w Zamościu" in coordination.content.decode()
