"""competence_centres/services.py: asking to join, deciding and leaving, each a transaction
that locks its row, checks who may act and tells those concerned."""

import pytest
from django.db import connection

from cluster_portal.core.errors import Conflict, InvalidTransition, NotAllowed
from cluster_portal.notifications.models import Notification
from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation
from competence_centres.rules import (
    can_decide_participation,
    can_request_participation,
)
from competence_centres.services import (
    participation_decide,
    participation_leave,
    participation_request,
)
from members.enums import MembershipRole, OrganisationStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import centre, get_html, last_mail_to, race, require

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def ask(organisation, centre, actor, motivation="Prowadzimy teleopiekę kardiologiczną."):
    return participation_request(
        organisation=organisation, centre=centre, actor=actor, motivation=motivation
    )


# --- asking to join ------------------------------------------------------------------------


def test_admin_asks_to_join_and_the_centre_coordinators_are_told(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator, ict_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin, "  Teleopieka kardiologiczna.  ")

    assert participation.status == ParticipationStatus.REQUESTED
    assert participation.requested_by == hospital_admin
    assert participation.motivation == "Teleopieka kardiologiczna."
    [notification] = Notification.objects.filter(kind="centres.join_requested")
    assert notification.recipient == telemedicine_coordinator
    assert notification.category == "centres"
    assert notification.link == "/en/centres/telemedicine/coordination/"
    mail = last_mail_to(telemedicine_coordinator.email)
    assert mail.subject == "Szpital Wojewódzki w Zamościu asks to join Telemedicine"
    assert "Teleopieka kardiologiczna." in mail.body
    assert "/en/centres/telemedicine/coordination/" in mail.body
    assert not Notification.objects.filter(recipient=ict_coordinator).exists()


def test_a_centre_without_coordinators_sends_its_requests_to_the_cluster_office(
    hospital, hospital_admin, telemedicine, cluster_coordinator
):
    ask(hospital, telemedicine, hospital_admin)

    [notification] = Notification.objects.filter(kind="centres.join_requested")
    assert notification.recipient == cluster_coordinator


def test_a_plain_member_cannot_ask_to_join_for_the_organisation(
    hospital, hospital_member, telemedicine
):
    with pytest.raises(NotAllowed, match="Only the administrators of Szpital Wojewódzki"):
        ask(hospital, telemedicine, hospital_member)
    assert not CentreParticipation.objects.exists()
    assert not can_request_participation(hospital_member, hospital)


@pytest.mark.parametrize(
    ("status", "label"),
    [(OrganisationStatus.APPLIED, "applied"), (OrganisationStatus.SUSPENDED, "suspended")],
)
def test_an_organisation_that_is_not_an_active_member_cannot_ask(
    hospital, hospital_admin, telemedicine, status, label
):
    hospital.status = status
    hospital.save()

    with pytest.raises(
        NotAllowed,
        match=f"Only active member organisations can join a competence centre; "
        f"Szpital Wojewódzki w Zamościu is {label}.",
    ):
        ask(hospital, telemedicine, hospital_admin)
    assert not CentreParticipation.objects.exists()
    assert not can_request_participation(hospital_admin, hospital)


def test_an_inactive_centre_takes_no_requests(hospital, hospital_admin, telemedicine):
    telemedicine.is_active = False
    telemedicine.save()

    with pytest.raises(NotAllowed, match="Telemedicine does not accept new members"):
        ask(hospital, telemedicine, hospital_admin)


def test_a_second_pending_request_gets_a_clear_message(hospital, hospital_admin, telemedicine):
    ask(hospital, telemedicine, hospital_admin)

    with pytest.raises(Conflict) as error:
        ask(hospital, telemedicine, hospital_admin, "Jeszcze raz.")
    assert str(error.value).startswith(
        "Szpital Wojewódzki w Zamościu already asked to join Telemedicine on "
    )
    assert "have not decided yet" in str(error.value)
    assert CentreParticipation.objects.count() == 1


def test_a_member_organisation_cannot_ask_again(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)
    participation_decide(participation=participation, actor=telemedicine_coordinator, accept=True)

    with pytest.raises(
        Conflict, match=r"Szpital Wojewódzki w Zamościu already takes part in Telemedicine\."
    ):
        ask(hospital, telemedicine, hospital_admin)


# --- deciding ------------------------------------------------------------------------------


def test_join_accept_notifies_the_admins_and_lists_the_organisation(
    client, hospital, hospital_admin, hospital_member, telemedicine, telemedicine_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)

    participation_decide(
        participation=participation,
        actor=telemedicine_coordinator,
        accept=True,
        message="Witamy! Spotkanie grupy w czwartek.",
    )

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE
    assert participation.decided_by == telemedicine_coordinator
    assert participation.decided_at is not None
    assert participation.decision_message == "Witamy! Spotkanie grupy w czwartek."
    [notification] = Notification.objects.filter(kind="centres.join_accepted")
    assert notification.recipient == hospital_admin  # the admins, not every member
    assert notification.is_essential
    assert notification.category == "centres"
    mail = last_mail_to(hospital_admin.email)
    assert mail.subject == "Szpital Wojewódzki w Zamościu has joined Telemedicine"
    assert "Witamy! Spotkanie grupy w czwartek." in mail.body
    assert "/en/centres/telemedicine/" in mail.body

    html = get_html(client, "/en/centres/telemedicine/")
    assert 'href="/en/members/szpital-wojewodzki-w-zamosciu/"' in html


def test_a_declined_request_tells_the_admins_why_and_they_may_ask_again(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    first = ask(hospital, telemedicine, hospital_admin)
    participation_decide(
        participation=first,
        actor=telemedicine_coordinator,
        accept=False,
        message="Prosimy najpierw uzupełnić profil.",
    )

    mail = last_mail_to(hospital_admin.email)
    assert mail.subject == "Your request to join Telemedicine was declined"
    assert "Prosimy najpierw uzupełnić profil." in mail.body
    assert Notification.objects.get(kind="centres.join_declined").is_essential

    second = ask(hospital, telemedicine, hospital_admin, "Profil uzupełniony.")
    assert second.pk != first.pk
    assert list(
        CentreParticipation.objects.filter(organisation=hospital)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == [ParticipationStatus.DECLINED, ParticipationStatus.REQUESTED]


def test_a_coordinator_of_ict_cannot_decide_a_telemedicine_request(
    hospital, hospital_admin, telemedicine, ict_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)

    assert not can_decide_participation(ict_coordinator, participation)
    with pytest.raises(NotAllowed, match="Only the coordinators of Telemedicine"):
        participation_decide(participation=participation, actor=ict_coordinator, accept=True)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.REQUESTED


def test_the_cluster_office_decides_any_centre_and_a_superuser_too(
    hospital, hospital_admin, telemedicine, ict, cluster_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)
    participation_decide(participation=participation, actor=cluster_coordinator, accept=True)
    assert CentreParticipation.objects.get().status == ParticipationStatus.ACTIVE

    superuser = UserFactory(is_superuser=True, is_staff=True)
    other = ask(hospital, ict, hospital_admin)
    participation_decide(participation=other, actor=superuser, accept=False, message="Nie teraz.")
    other.refresh_from_db()
    assert other.status == ParticipationStatus.DECLINED


def test_staff_outside_the_coordinators_group_cannot_decide(hospital, hospital_admin, telemedicine):
    staff = UserFactory(is_staff=True)
    participation = ask(hospital, telemedicine, hospital_admin)

    with pytest.raises(NotAllowed):
        participation_decide(participation=participation, actor=staff, accept=True)


def test_a_second_decision_says_who_decided_first_and_when(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator, cluster_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)
    participation_decide(participation=participation, actor=cluster_coordinator, accept=True)

    with pytest.raises(InvalidTransition) as error:
        participation_decide(
            participation=participation,
            actor=telemedicine_coordinator,
            accept=False,
            message="Nie pasuje.",
        )
    assert str(error.value).startswith(
        "The request of Szpital Wojewódzki w Zamościu to join Telemedicine was already accepted on "
    )
    assert str(error.value).endswith(" by Biuro Klastra.")
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE
    assert participation.decided_by == cluster_coordinator
    assert (
        Notification.objects.filter(kind__startswith="centres.join_")
        .exclude(kind="centres.join_requested")
        .count()
        == 1
    )


# --- leaving -------------------------------------------------------------------------------


def test_leaving_keeps_the_row_and_tells_the_coordinators(
    client, hospital, hospital_admin, telemedicine, telemedicine_coordinator
):
    participation = ask(hospital, telemedicine, hospital_admin)
    participation_decide(participation=participation, actor=telemedicine_coordinator, accept=True)

    participation_leave(participation=participation, actor=hospital_admin)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.LEFT
    assert participation.left_by == hospital_admin
    assert participation.left_at is not None
    assert participation.decided_by == telemedicine_coordinator  # the decision stays on record
    mail = last_mail_to(telemedicine_coordinator.email)
    assert mail.subject == "Szpital Wojewódzki w Zamościu has left Telemedicine"
    assert "Anna Dyrektor" in mail.body
    html = get_html(client, "/en/centres/telemedicine/")
    assert "Szpital Wojewódzki w Zamościu" not in html

    # Asking again later makes a new row; the old ones stay as history.
    ask(hospital, telemedicine, hospital_admin)
    assert CentreParticipation.objects.filter(organisation=hospital).count() == 2


def test_only_an_admin_of_the_organisation_can_take_it_out(
    hospital, hospital_member, telemedicine, telemedicine_coordinator
):
    participation = CentreParticipation.objects.create(
        organisation=hospital, centre=telemedicine, status=ParticipationStatus.ACTIVE
    )

    for actor in (hospital_member, telemedicine_coordinator):
        with pytest.raises(NotAllowed):
            participation_leave(participation=participation, actor=actor)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE


def test_a_pending_request_cannot_be_left(hospital, hospital_admin, telemedicine):
    participation = ask(hospital, telemedicine, hospital_admin)

    with pytest.raises(InvalidTransition, match="does not take part in Telemedicine"):
        participation_leave(participation=participation, actor=hospital_admin)


# --- concurrency (PostgreSQL row locks) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_data")
def test_two_coordinators_deciding_at_once_one_wins_and_the_other_is_told():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    telemedicine = centre("telemedicine")
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__preferred_language="en")
    first = UserFactory(full_name="Pierwsza Koordynatorka")
    second = UserFactory(full_name="Drugi Koordynator")
    telemedicine.coordinators.add(first, second)
    participation = ask(admin.organisation, telemedicine, admin.user)

    outcomes = race(
        lambda: participation_decide(participation=participation, actor=first, accept=True),
        lambda: participation_decide(
            participation=participation, actor=second, accept=False, message="Nie."
        ),
    )

    winners = [o for o in outcomes if isinstance(o, CentreParticipation)]
    losers = [o for o in outcomes if isinstance(o, InvalidTransition)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    winner = winners[0]
    participation.refresh_from_db()
    assert participation.status == winner.status
    assert participation.decided_by == winner.decided_by
    verb = "accepted" if winner.status == ParticipationStatus.ACTIVE else "declined"
    assert f"was already {verb} on " in str(losers[0])
    assert str(losers[0]).endswith(f" by {winner.decided_by.full_name}.")
    assert (
        Notification.objects.filter(
            kind__in=["centres.join_accepted", "centres.join_declined"]
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_data")
def test_two_admins_asking_at_once_make_one_request():
    require(connection.vendor == "postgresql", "row locks are tested on PostgreSQL (DATABASE_URL)")
    telemedicine = centre("telemedicine")
    organisation = OrganisationFactory()
    admins = [
        MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user
        for _ in range(2)
    ]

    outcomes = race(
        *[lambda actor=actor: ask(organisation, telemedicine, actor) for actor in admins]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["CentreParticipation", "Conflict"]
    assert CentreParticipation.objects.filter(organisation=organisation).count() == 1


def test_a_centre_coordinator_does_not_decide_their_own_organisations_request(
    hospital, hospital_admin, telemedicine, telemedicine_coordinator, cluster_coordinator
):
    MembershipFactory(organisation=hospital, user=telemedicine_coordinator)
    participation = ask(hospital, telemedicine, hospital_admin)

    assert not can_decide_participation(telemedicine_coordinator, participation)
    with pytest.raises(NotAllowed, match="another coordinator of the centre or the cluster office"):
        participation_decide(
            participation=participation, actor=telemedicine_coordinator, accept=True
        )
    participation_decide(participation=participation, actor=cluster_coordinator, accept=True)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACTIVE
