"""competence_centres/views.py: the centres' pages, asking to join and leaving, the
coordination page and its contacts spreadsheet."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from cluster_portal.notifications.models import Notification
from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation, CompetenceCentre
from members.enums import MembershipRole, OrganisationStatus
from tests.factories import (
    EventFactory,
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import get_counting_queries, get_html, last_mail_to, logged_in, messages_of

pytestmark = pytest.mark.django_db

CENTRE_URL = "/en/centres/telemedicine/"
JOIN_URL = "/en/centres/telemedicine/join/"
COORDINATION_URL = "/en/centres/telemedicine/coordination/"
CSV_URL = "/en/centres/telemedicine/coordination/contacts.csv"


def decide_url(participation) -> str:
    return f"/en/centres/telemedicine/coordination/requests/{participation.pk}/decide/"


def decide(client, participation, decision, message=""):
    prefix = f"p{participation.pk}"
    return client.post(
        decide_url(participation), {f"{prefix}-decision": decision, f"{prefix}-message": message}
    )


def requested(organisation, centre, **kwargs):
    return CentreParticipation.objects.create(
        organisation=organisation, centre=centre, motivation="Teleopieka.", **kwargs
    )


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _add_participants(centre, count):
    for number in range(count):
        ParticipationFactory(
            centre=centre,
            organisation__contact_is_public=bool(number % 2),
            organisation__contact_name=f"Osoba {number}",
        )


# --- the list and the centre page ------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_list_page_names_the_seven_centres_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/centres/")

    assert response.status_code == 200
    html = response.content.decode()
    positions = []
    for centre in CompetenceCentre.objects.all():
        name = getattr(centre, f"name_{language}")
        link = f'<a href="/{language}/centres/{centre.slug}/">{name}</a>'
        assert link in html
        positions.append(html.index(link))
    assert positions == sorted(positions)


def test_the_list_counts_the_active_member_organisations_of_each_centre(client, telemedicine):
    ParticipationFactory.create_batch(2, centre=telemedicine)
    ParticipationFactory(centre=telemedicine, status=ParticipationStatus.REQUESTED)
    ParticipationFactory(centre=telemedicine, organisation__status=OrganisationStatus.SUSPENDED)

    html = get_html(client, "/en/centres/")

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
        organisation__status=OrganisationStatus.SUSPENDED,
    )
    ParticipationFactory(
        centre=telemedicine,
        organisation__name="Klinika Czeka",
        status=ParticipationStatus.REQUESTED,
    )
    ParticipationFactory(
        centre=telemedicine, organisation__name="Klinika Odeszła", status=ParticipationStatus.LEFT
    )

    html = get_html(client, CENTRE_URL)

    assert "We connect hospitals and homes." in html
    assert 'href="/en/members/uniwersytet-medyczny-w-lublinie/">Uniwersytet Medyczny' in html
    assert "Piotr Telemedyczny (Lekarz)" in html
    assert 'href="/en/members/klinika-widoczna/">Klinika Widoczna</a>' in html
    for hidden in ("Klinika Ukryta", "Klinika Zawieszona", "Klinika Czeka", "Klinika Odeszła"):
        assert hidden not in html


def test_the_centre_page_does_not_reveal_coordinators_addresses(client, telemedicine):
    telemedicine.coordinators.add(UserFactory(email="bez.nazwiska@klaster.example", full_name=""))

    html = get_html(client, CENTRE_URL)

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

    html = get_html(client, CENTRE_URL)

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
        html = get_html(client_, CENTRE_URL)
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
    html = get_html(client, CENTRE_URL)

    assert 'href="/en/accounts/login/?next=/en/centres/telemedicine/"' in html
    assert "Ask to join" not in html


def test_an_admin_of_an_active_organisation_sees_the_join_form(hospital_admin):
    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert "Ask to join Telemedicine" in html
    assert "On behalf of <strong>Szpital Wojewódzki w Zamościu</strong>" in html
    assert '<textarea name="motivation"' in html
    assert 'action="/en/centres/telemedicine/join/"' in html


def test_an_admin_of_two_organisations_chooses_which_one_asks(hospital, hospital_admin):
    MembershipFactory(
        user=hospital_admin, role=MembershipRole.ADMIN, organisation__name="Przychodnia Rodzinna"
    )

    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert '<select name="organisation"' in html
    assert f'<option value="{hospital.pk}">Szpital Wojewódzki w Zamościu</option>' in html
    assert "Przychodnia Rodzinna</option>" in html


def test_a_plain_member_sees_no_join_form(hospital_member):
    html = get_html(logged_in(hospital_member), CENTRE_URL)

    assert "Ask to join" not in html


def test_an_admin_of_an_applying_organisation_is_told_why_it_cannot_join(hospital, hospital_admin):
    hospital.status = OrganisationStatus.APPLIED
    hospital.save()

    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert "Only active member organisations can join a competence centre." in html
    assert '<textarea name="motivation"' not in html


def test_a_pending_request_shows_its_status_instead_of_the_form(
    hospital, hospital_admin, telemedicine
):
    CentreParticipation.objects.create(organisation=hospital, centre=telemedicine)

    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert "Request pending" in html
    assert '<textarea name="motivation"' not in html


def test_a_participating_organisation_gets_a_leave_button(hospital, hospital_admin, telemedicine):
    participation = ParticipationFactory(organisation=hospital, centre=telemedicine)

    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert "Takes part" in html
    assert f'action="/en/centres/telemedicine/participations/{participation.pk}/leave/"' in html
    assert "Leave the centre" in html


def test_a_declined_request_shows_the_reason_and_the_form_again(
    hospital, hospital_admin, telemedicine
):
    CentreParticipation.objects.create(
        organisation=hospital,
        centre=telemedicine,
        status=ParticipationStatus.DECLINED,
        decided_at=timezone.now(),
        decision_message="Prosimy uzupełnić profil.",
    )

    html = get_html(logged_in(hospital_admin), CENTRE_URL)

    assert "Prosimy uzupełnić profil." in html
    assert '<textarea name="motivation"' in html


def test_the_coordination_link_is_shown_to_the_centres_coordinators_only(
    telemedicine_coordinator, ict_coordinator
):
    link = 'href="/en/centres/telemedicine/coordination/"'
    assert link in get_html(logged_in(telemedicine_coordinator), CENTRE_URL)
    assert link not in get_html(logged_in(ict_coordinator), CENTRE_URL)


# --- asking to join and leaving ------------------------------------------------------------


def test_an_admin_asks_to_join_through_the_page(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    client = logged_in(hospital_admin)

    response = client.post(
        JOIN_URL, {"organisation": hospital.pk, "motivation": "Mamy doświadczenie w teleEKG."}
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    participation = CentreParticipation.objects.get()
    assert (participation.organisation, participation.centre) == (hospital, telemedicine)
    assert participation.motivation == "Mamy doświadczenie w teleEKG."
    assert messages_of(response) == [
        "The request of Szpital Wojewódzki w Zamościu is with the coordinators of "
        "Telemedicine. You will get an e-mail when they decide."
    ]
    assert "Mamy doświadczenie w teleEKG." in last_mail_to(telemedicine_coordinator.email).body
    assert "Request pending" in get_html(client, CENTRE_URL)


def test_a_form_error_keeps_the_typed_motivation(hospital, hospital_admin):
    motivation = "x" * 2001

    response = logged_in(hospital_admin).post(
        JOIN_URL, {"organisation": hospital.pk, "motivation": motivation}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 2000 characters" in html
    assert f">\n{motivation}</textarea>" in html
    assert not CentreParticipation.objects.exists()


def test_an_empty_motivation_asks_for_one(hospital, hospital_admin):
    response = logged_in(hospital_admin).post(
        JOIN_URL, {"organisation": hospital.pk, "motivation": "  "}
    )

    assert response.status_code == 400
    assert "Tell the coordinators why you want to join." in response.content.decode()


def test_an_admin_cannot_ask_for_an_organisation_of_someone_else(hospital_admin):
    stranger = OrganisationFactory(name="Obca Klinika")

    response = logged_in(hospital_admin).post(
        JOIN_URL, {"organisation": stranger.pk, "motivation": "Chcemy."}
    )

    assert response.status_code == 400
    assert not CentreParticipation.objects.exists()


def test_a_plain_member_is_told_only_administrators_can_ask(hospital, hospital_member):
    response = logged_in(hospital_member).post(
        JOIN_URL, {"organisation": hospital.pk, "motivation": "Chcemy."}
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    assert messages_of(response) == [
        "Only the administrators of a member organisation can ask to join Telemedicine."
    ]
    assert not CentreParticipation.objects.exists()


def test_a_second_request_through_the_page_gets_a_message_not_an_error_page(
    hospital, hospital_admin, telemedicine
):
    client = logged_in(hospital_admin)
    # A second tab still shows the form: its post arrives after the first request.
    requested(hospital, telemedicine)

    response = client.post(JOIN_URL, {"organisation": hospital.pk, "motivation": "Jeszcze raz."})

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    [message] = messages_of(response)
    assert message.startswith("Szpital Wojewódzki w Zamościu already asked to join Telemedicine on")
    assert CentreParticipation.objects.count() == 1


def test_an_admin_of_an_applying_organisation_gets_the_reason_when_posting(
    hospital, hospital_admin
):
    hospital.status = OrganisationStatus.APPLIED
    hospital.save()

    response = logged_in(hospital_admin).post(
        JOIN_URL, {"organisation": hospital.pk, "motivation": "Chcemy."}
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    assert messages_of(response) == [
        "Only active member organisations can join a competence centre; "
        "Szpital Wojewódzki w Zamościu is applied."
    ]
    assert not CentreParticipation.objects.exists()


def test_state_changes_are_post_only(hospital_admin, telemedicine_coordinator, hospital):
    participation = ParticipationFactory(organisation=hospital)
    assert logged_in(hospital_admin).get(JOIN_URL).status_code == 405
    assert (
        logged_in(hospital_admin)
        .get(f"/en/centres/telemedicine/participations/{participation.pk}/leave/")
        .status_code
        == 405
    )
    assert logged_in(telemedicine_coordinator).get(decide_url(participation)).status_code == 405


def test_a_visitor_is_sent_to_log_in(client, hospital):
    response = client.post(JOIN_URL, {"organisation": hospital.pk, "motivation": "Chcemy."})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_an_admin_leaves_the_centre_through_the_page(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    participation = ParticipationFactory(organisation=hospital, centre=telemedicine)

    response = logged_in(hospital_admin).post(
        f"/en/centres/telemedicine/participations/{participation.pk}/leave/"
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    assert messages_of(response) == [
        "Szpital Wojewódzki w Zamościu no longer takes part in Telemedicine."
    ]
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.LEFT
    assert Notification.objects.filter(
        kind="centres.member_left", recipient=telemedicine_coordinator
    ).exists()


def test_leaving_twice_gives_a_message(hospital, hospital_admin, telemedicine):
    participation = ParticipationFactory(
        organisation=hospital, centre=telemedicine, status=ParticipationStatus.LEFT
    )

    response = logged_in(hospital_admin).post(
        f"/en/centres/telemedicine/participations/{participation.pk}/leave/"
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    assert messages_of(response) == [
        "Szpital Wojewódzki w Zamościu does not take part in Telemedicine at the moment."
    ]


def test_a_plain_member_cannot_take_the_organisation_out(hospital, hospital_member, telemedicine):
    participation = ParticipationFactory(organisation=hospital, centre=telemedicine)

    response = logged_in(hospital_member).post(
        f"/en/centres/telemedicine/participations/{participation.pk}/leave/"
    )

    assert response.status_code == 302
    assert response["Location"] == CENTRE_URL
    assert messages_of(response) == [
        "Only the administrators of Szpital Wojewódzki w Zamościu can take it out of a centre."
    ]
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE


def test_an_outsider_cannot_take_an_organisation_out(hospital, telemedicine):
    participation = ParticipationFactory(organisation=hospital, centre=telemedicine)

    response = logged_in(UserFactory()).post(
        f"/en/centres/telemedicine/participations/{participation.pk}/leave/"
    )

    # As for an id that does not exist: an outsider learns nothing of the participation.
    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE


# --- the coordination page -----------------------------------------------------------------


def test_the_coordination_page_is_for_the_centres_coordinators_and_the_cluster_office(
    client, telemedicine_coordinator, ict_coordinator, cluster_coordinator, hospital_admin
):
    assert logged_in(telemedicine_coordinator).get(COORDINATION_URL).status_code == 200
    assert logged_in(cluster_coordinator).get(COORDINATION_URL).status_code == 200
    assert logged_in(ict_coordinator).get(COORDINATION_URL).status_code == 403
    assert logged_in(hospital_admin).get(COORDINATION_URL).status_code == 403
    visitor = client.get(COORDINATION_URL)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/en/accounts/login/?next=")


def test_coordination_asks_a_coordinator_without_a_second_factor_to_set_one_up(
    hospital, telemedicine, cluster_coordinator
):
    # A centre coordinator is an ordinary account named on the centre, often without MFA.
    coordinator = UserFactory(email="bez-mfa@telemedycyna.example")
    telemedicine.coordinators.add(coordinator)
    ParticipationFactory(organisation=hospital, centre=telemedicine)
    waiting = requested(OrganisationFactory(name="Klinika Czeka"), telemedicine)
    client = logged_in(coordinator)

    for response in (
        client.get(COORDINATION_URL),
        client.get(CSV_URL),
        decide(client, waiting, "accept"),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"
        assert b"ewa.lis@szpital-zamosc.example" not in response.content
    waiting.refresh_from_db()
    assert waiting.status == ParticipationStatus.REQUESTED
    # The cluster office's staff account is held to the same rule.
    cluster_coordinator.authenticator_set.all().delete()
    office = logged_in(cluster_coordinator).get(CSV_URL)
    assert office.status_code == 302
    assert office["Location"] == "/en/accounts/2fa/totp/activate/"


def test_demo_mode_lets_a_coordinator_without_a_second_factor_in(telemedicine, settings):
    settings.PORTAL_DEMO_MODE = True
    coordinator = UserFactory()
    telemedicine.coordinators.add(coordinator)
    assert logged_in(coordinator).get(COORDINATION_URL).status_code == 200


def test_the_coordination_page_shows_pending_requests_and_the_members_contacts(
    hospital, telemedicine, telemedicine_coordinator
):
    waiting = requested(OrganisationFactory(name="Klinika Czeka"), telemedicine)
    ParticipationFactory(organisation=hospital, centre=telemedicine)

    html = get_html(logged_in(telemedicine_coordinator), COORDINATION_URL)

    assert "Requests waiting for a decision" in html
    assert "1 request</span>" in html
    assert "Klinika Czeka" in html
    assert "Teleopieka." in html
    assert f'action="{decide_url(waiting)}"' in html
    # Contact details the organisation keeps off the public pages:
    assert "Ewa Lis" in html
    assert "mailto:ewa.lis@szpital-zamosc.example" in html
    assert "+48 84 677 33 33" in html
    assert 'href="/en/centres/telemedicine/coordination/contacts.csv"' in html


def test_the_coordination_page_runs_the_same_queries_for_one_and_fifty_organisations(
    telemedicine, telemedicine_coordinator
):
    client = logged_in(telemedicine_coordinator)
    ParticipationFactory(centre=telemedicine)
    requested(OrganisationFactory(), telemedicine)
    client.get(COORDINATION_URL)
    _page, with_one = get_counting_queries(client, COORDINATION_URL)

    for _ in range(49):
        ParticipationFactory(centre=telemedicine)
        requested(OrganisationFactory(), telemedicine)
    ParticipationFactory(centre=telemedicine, status=ParticipationStatus.DECLINED)

    _page, with_fifty = get_counting_queries(client, COORDINATION_URL)
    assert with_fifty == with_one


def test_a_coordinator_accepts_on_the_page_and_the_admins_are_told(
    client, hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    participation = requested(hospital, telemedicine, requested_by=hospital_admin)

    response = decide(logged_in(telemedicine_coordinator), participation, "accept", "Witamy!")

    assert response.status_code == 302
    assert response["Location"] == COORDINATION_URL
    assert messages_of(response) == [
        "Szpital Wojewódzki w Zamościu now takes part in Telemedicine."
    ]
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE
    assert participation.decided_by == telemedicine_coordinator
    assert "Witamy!" in last_mail_to(hospital_admin.email).body
    assert "Szpital Wojewódzki w Zamościu" in get_html(client, CENTRE_URL)


def test_declining_needs_a_message_and_keeps_the_form_on_the_page(
    hospital, telemedicine, telemedicine_coordinator
):
    participation = requested(hospital, telemedicine)

    response = decide(logged_in(telemedicine_coordinator), participation, "decline", "")

    assert response.status_code == 400
    assert "Tell the organisation why" in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REQUESTED


def test_a_decision_made_meanwhile_is_reported_not_repeated(
    hospital, telemedicine, telemedicine_coordinator, cluster_coordinator
):
    participation = requested(hospital, telemedicine)
    decide(logged_in(cluster_coordinator), participation, "accept")

    response = decide(logged_in(telemedicine_coordinator), participation, "decline", "Nie.")

    assert response.status_code == 302
    assert response["Location"] == COORDINATION_URL
    [message] = messages_of(response)
    assert message.startswith(
        "The request of Szpital Wojewódzki w Zamościu to join Telemedicine was already accepted"
    )
    assert message.endswith("by Biuro Klastra.")


def test_a_coordinator_of_ict_cannot_decide_a_telemedicine_request_on_the_page(
    hospital, telemedicine, ict_coordinator
):
    participation = requested(hospital, telemedicine)

    response = decide(logged_in(ict_coordinator), participation, "accept")

    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REQUESTED


def test_a_request_of_another_centre_is_not_found_on_this_page(
    hospital, ict, telemedicine_coordinator
):
    participation = requested(hospital, ict)

    response = decide(logged_in(telemedicine_coordinator), participation, "accept")

    assert response.status_code == 404


# --- the contacts spreadsheet --------------------------------------------------------------


def test_coordinators_export_the_members_contacts_as_csv(
    hospital, telemedicine, telemedicine_coordinator
):
    ParticipationFactory(organisation=hospital, centre=telemedicine)
    ParticipationFactory(
        centre=telemedicine, status=ParticipationStatus.REQUESTED, organisation__name="Czeka"
    )

    response = logged_in(telemedicine_coordinator).get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="centre-telemedicine-contacts-'
    )
    header, *rows = _rows(response)
    assert header[:6] == ["Organisation", "Kind", "City", "Contact person", "E-mail", "Phone"]
    assert [row[:6] for row in rows] == [
        [
            "Szpital Wojewódzki w Zamościu",
            "Non-public medical facility",
            "Zamość",
            "Ewa Lis",
            "ewa.lis@szpital-zamosc.example",
            "'+48 84 677 33 33",  # a leading + would start a formula
        ]
    ]


def test_the_csv_defuses_spreadsheet_formulas(telemedicine, cluster_coordinator):
    ParticipationFactory(
        centre=telemedicine,
        organisation__name='=HYPERLINK("http://evil.example","Kliknij")',
        organisation__slug="evil",
        organisation__contact_name="@SUM(A1:A9)",
        organisation__contact_phone="+48 600 000 000",
    )

    [_header, row] = _rows(logged_in(cluster_coordinator).get(CSV_URL))

    assert row[0] == """'=HYPERLINK("http://evil.example","Kliknij")"""
    assert row[3] == "'@SUM(A1:A9)"
    assert row[5] == "'+48 600 000 000"


def test_nobody_else_gets_the_csv(client, telemedicine, ict_coordinator, hospital_admin):
    ParticipationFactory(centre=telemedicine)

    assert logged_in(ict_coordinator).get(CSV_URL).status_code == 403
    assert logged_in(hospital_admin).get(CSV_URL).status_code == 403
    visitor = client.get(CSV_URL)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/en/accounts/login/?next=")


# --- query counts and languages ------------------------------------------------------------


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
    with_one = get_counting_queries(client, CENTRE_URL)[1]

    _add_participants(telemedicine, 49)
    EventFactory().centres.add(telemedicine)
    for _ in range(5):
        FundingCallFactory().centres.add(telemedicine)

    assert get_counting_queries(client, CENTRE_URL)[1] == with_one
    assert with_one <= 12


def test_the_centre_list_runs_the_same_queries_for_one_and_fifty_participants(
    client, telemedicine, ict
):
    _add_participants(telemedicine, 1)
    client.get("/en/centres/")
    with_one = get_counting_queries(client, "/en/centres/")[1]

    _add_participants(telemedicine, 49)
    _add_participants(ict, 50)

    assert get_counting_queries(client, "/en/centres/")[1] == with_one
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
