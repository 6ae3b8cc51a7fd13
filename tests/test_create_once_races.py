"""The same create-once POST sent several times at once — a double click, a browser's retry,
a mobile network resending — gives no server error and creates exactly one row.

Each request runs in its own thread with its own PostgreSQL connection (`concurrent_posts`),
so the checks of all of them may run before any insert: the services must turn the
database's refusal into the answer a sequential duplicate gets.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cluster_portal.core.errors import Conflict
from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.pages.models import DataExport, NewsPost, PersonalCalendar
from competence_centres.models import CentreParticipation, CompetenceCentre
from competence_centres.services import participation_request
from events.models import Event, Registration
from members.models import Invitation, Organisation, OrganisationMembership, User
from members.services import organisation_update_profile
from projects.models import FundingCall, ProjectProposal, ProposalPartner, Review, ReviewScore
from projects.selectors import criteria_for
from projects.services import partner_invite, proposal_create
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PartnerFactory,
    ProposalFactory,
    UserFactory,
    valid_nip,
)
from tests.helpers import (
    behind_an_uncommitted_write,
    centre,
    concurrent_posts,
    deliver_outbox,
    logged_in,
    require,
    totp_now,
)
from tests.test_url_role_matrix import (
    NEW_COLLEAGUE,
    TABLE,
    build_world,
    organisation_application,
)

pytestmark = pytest.mark.django_db(transaction=True)

N = 8


def postgresql():
    require(connection.vendor == "postgresql", "races are tested on PostgreSQL (DATABASE_URL)")


def test_eight_identical_sign_ups_at_once_make_one_account_and_answer_alike(seeded_data):
    postgresql()
    data = {
        "email": "nowa.osoba@example.org",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
    }

    responses = concurrent_posts("/en/accounts/signup/", data, n=N)
    later = concurrent_posts("/en/accounts/signup/", data, n=1)

    answers = {(response.status_code, response.get("Location")) for response in responses}
    # Each one, and a sign-up sent later, answers "check your inbox": nothing tells the
    # sender whether the address had an account already.
    assert answers == {(302, "/en/accounts/confirm-email/")}
    assert {(r.status_code, r.get("Location")) for r in later} == answers
    assert User.objects.filter(email__iexact="nowa.osoba@example.org").count() == 1
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds.count("account.email_confirmation_signup") == 1
    assert kinds.count("account.account_already_exists") == N
    deliver_outbox()


# --- every creating row of the URL-by-role matrix -----------------------------------------


@dataclass(frozen=True)
class Race:
    """Who sends a creating row's POST, and the rows that must exist exactly once after.

    `prepare`, for a form that needs more than a logged-in session, gives the client (its
    session) and the body to send.
    """

    sender: str
    created: Callable[[Any], QuerySet]
    prepare: Callable[[Any, str], tuple[Client, dict]] | None = None


def reauthenticated(user, url: str) -> Client:
    """`user` logged in, confirmed their password a moment ago and opened `url`."""
    client = logged_in(user)
    response = client.post("/en/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.status_code
    assert client.get(url).status_code == 200
    return client


def activating_totp(world, url: str) -> tuple[Client, dict]:
    """A person who just confirmed their password opened the TOTP page; the code their
    authenticator app shows."""
    client = reauthenticated(world.member_a, url)
    return client, {"code": totp_now(client.session["mfa.totp.secret"])}


RACES = {
    "account_signup": Race(
        "visitor", lambda w: User.objects.filter(email__iexact="nowa.osoba@example.org")
    ),
    "account_email": Race(
        "user", lambda w: EmailAddress.objects.filter(email__iexact="nowy.adres@example.org")
    ),
    "members:register": Race(
        "user", lambda w: Organisation.objects.filter(nip=organisation_application(w)["nip"])
    ),
    "members:invitation_create": Race(
        "admin_a",
        lambda w: Invitation.objects.filter(
            organisation=w.org_a, email="kolejny.lekarz@szpital-a.example"
        ),
    ),
    "members:invitation_accept [for a new address]": Race(
        "visitor",
        lambda w: OrganisationMembership.objects.filter(
            organisation=w.org_a, user__email__iexact=NEW_COLLEAGUE
        ),
    ),
    "members:invitation_accept [for user's address]": Race(
        "user", lambda w: OrganisationMembership.objects.filter(organisation=w.org_a, user=w.user)
    ),
    "competence_centres:request": Race(
        "admin_a",
        lambda w: CentreParticipation.objects.filter(organisation=w.org_a, centre=w.other_centre),
    ),
    "projects:proposal_create": Race(
        "admin_a", lambda w: ProjectProposal.objects.filter(lead=w.org_a, acronym="MATRIX")
    ),
    "projects:partner_invite": Race(
        "admin_a",
        lambda w: ProposalPartner.objects.filter(proposal=w.proposal_a, organisation=w.org_private),
    ),
    "admin:projects_projectproposal_changelist [assign a reviewer]": Race(
        "cluster_coord",
        lambda w: Review.objects.filter(proposal=w.proposal_in_review, reviewer=w.cluster_coord),
    ),
    "admin:projects_review_change [written]": Race(
        "cluster_coord",
        lambda w: ReviewScore.objects.filter(
            review=w.review, criterion=criteria_for(proposal=w.review.proposal)[0]
        ),
    ),
    "admin:events_registration_add [by hand]": Race(
        "cluster_coord", lambda w: Registration.objects.filter(event=w.event, user=w.admin_b)
    ),
    "admin:projects_fundingcall_add [a call]": Race(
        "cluster_coord", lambda w: FundingCall.objects.filter(slug="konkurs-macierzy")
    ),
    "admin:events_event_add [an event]": Race(
        "cluster_coord", lambda w: Event.objects.filter(slug="warsztaty-macierzy")
    ),
    "admin:members_user_add [an account]": Race(
        "superuser", lambda w: User.objects.filter(email__iexact="nowe.konto@example.org")
    ),
    "admin:competence_centres_competencecentre_add [a centre]": Race(
        "superuser", lambda w: CompetenceCentre.objects.filter(slug="centrum-macierzy")
    ),
    "admin:members_organisation_add [an organisation]": Race(
        "superuser",
        lambda w: Organisation.objects.filter(nip=organisation_application(w)["nip"]),
    ),
    "admin:auth_group_add [a group]": Race(
        "superuser", lambda w: Group.objects.filter(name="Recenzenci macierzy")
    ),
    "admin:account_emailaddress_add [an address]": Race(
        "superuser", lambda w: EmailAddress.objects.filter(email="trzeci.adres@example.org")
    ),
    "admin:notifications_notificationpreference_add [a preference]": Race(
        "superuser",
        lambda w: NotificationPreference.objects.filter(user=w.member_a, category="proposals"),
    ),
    "admin:pages_newspost_add [a post]": Race(
        "cluster_coord", lambda w: NewsPost.objects.filter(slug="walne-zgromadzenie-matrycy")
    ),
    "events:register": Race(
        "admin_b", lambda w: Registration.objects.filter(event=w.event, user=w.admin_b)
    ),
    "mfa_activate_totp": Race(
        "member_a",
        lambda w: Authenticator.objects.filter(user=w.member_a, type="totp"),
        prepare=activating_totp,
    ),
    "mfa_generate_recovery_codes": Race(
        "cluster_coord",
        lambda w: Authenticator.objects.filter(user=w.cluster_coord, type="recovery_codes"),
        prepare=lambda w, url: (reauthenticated(w.cluster_coord, url), {}),
    ),
    "pages:data_export_request": Race(
        "member_a",
        # The matrix's world holds one export of member_a, built before the race.
        lambda w: DataExport.objects.filter(user=w.member_a).exclude(pk=w.data_export.pk),
        prepare=lambda w, url: (
            # The world's export was made a moment ago: asking again now would be its repeat.
            DataExport.objects.update(created_at=timezone.now() - timedelta(hours=1)),
            reauthenticated(w.member_a, reverse("pages:your_data")),
            {},
        )[1:],
    ),
    "pages:my_calendar": Race(
        "member_a", lambda w: PersonalCalendar.objects.filter(user=w.member_a)
    ),
    "notifications:preferences": Race(
        "member_a",
        lambda w: NotificationPreference.objects.filter(
            user=w.member_a, category=NotificationCategory.FUNDING_CALLS
        ),
    ),
    "notifications:unsubscribe": Race(
        "visitor",
        lambda w: NotificationPreference.objects.filter(
            user=w.member_a, category=NotificationCategory.FUNDING_CALLS
        ),
    ),
}

CREATING_ROWS = {row.label: row for row in TABLE if row.creates}


def test_every_creating_row_of_the_matrix_has_a_race_and_every_race_a_row():
    assert sorted(set(CREATING_ROWS) - set(RACES)) == [], "creating rows without a race"
    assert sorted(set(RACES) - set(CREATING_ROWS)) == [], "races for rows that create nothing"


@pytest.fixture
def race_world(settings, tmp_path, seeded_data):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_DEMO_MODE = False
    with translation.override("en"):
        return build_world(tmp_path)


@pytest.mark.parametrize("label", sorted(RACES))
def test_the_same_post_sent_at_once_creates_one_row_and_no_server_error(race_world, label):
    postgresql()
    row, race = CREATING_ROWS[label], RACES[label]
    world = race_world
    url, sender = row.url(world), {"user": getattr(world, race.sender)}
    data = row.data(world) if row.data else {}
    if race.prepare:
        client, data = race.prepare(world, url)
        sender = {"client": client}

    responses = concurrent_posts(url, data, n=N, **sender)
    later = concurrent_posts(url, data, n=1, **sender)

    errors = [
        (response.status_code, getattr(response, "exc_info", None) and response.exc_info[1])
        for response in responses + later
        if response.status_code >= 500
    ]
    assert errors == []
    assert race.created(world).count() == 1
    # The one that created answers its way; every twin answers as a duplicate sent later does.
    unlike_later = [answer(r) for r in responses if answer(r) != answer(later[0])]
    assert len(unlike_later) <= 1, (unlike_later, answer(later[0]))


def answer(response) -> tuple:
    """What the sender sees: the status, where it leads and the messages it leaves.

    Only the messages this request added: they live in the session, which the twins share,
    so earlier twins' messages (never displayed) are there too."""
    added = response.wsgi_request._messages._queued_messages
    return response.status_code, response.get("Location", ""), tuple(map(str, added))


# --- the database's refusal, forced ----------------------------------------------------------
# A race is lost by the unlucky order only now and then; these tests force that order every
# time (behind_an_uncommitted_write), so each branch that handles the refusal is run.


def test_a_sign_up_refused_by_the_database_answers_like_a_known_address(seeded_data):
    postgresql()
    address = "blizniak@example.org"
    data = {"email": address, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD}

    response = behind_an_uncommitted_write(
        lambda: UserFactory(email=address),
        lambda: Client(raise_request_exception=False).post("/en/accounts/signup/", data),
    )

    assert (response.status_code, response["Location"]) == (302, "/en/accounts/confirm-email/")
    assert User.objects.filter(email__iexact=address).count() == 1
    assert Notification.objects.filter(kind="account.account_already_exists").count() == 1


def test_an_organisation_whose_nip_was_taken_meanwhile_gets_the_forms_message(seeded_data):
    postgresql()
    applicant = UserFactory()
    nip = valid_nip(20_000_000)
    data = {
        "kind": "university",
        "name": "Uniwersytet Medyczny w Wyścigu",
        "nip": nip,
        "city": "Lublin",
        "region": "lubelskie",
        "country": "PL",
    }

    response = behind_an_uncommitted_write(
        lambda: OrganisationFactory(name="Szpital Wojewódzki w Wyścigu", nip=nip, is_public=True),
        lambda: logged_in(applicant).post("/en/members/register/", data),
    )

    assert response.status_code == 200
    assert "Szpital Wojewódzki w Wyścigu is already registered with this NIP." in (
        response.content.decode()
    )
    assert Organisation.objects.filter(nip=nip).count() == 1
    assert not OrganisationMembership.objects.filter(user=applicant).exists()


def test_an_organisation_whose_name_was_registered_meanwhile_takes_the_next_slug(seeded_data):
    postgresql()
    applicant = UserFactory()
    data = {
        "kind": "university",
        "name": "Klinika Bliźniacza",
        "nip": valid_nip(20_000_001),
        "city": "Lublin",
        "region": "lubelskie",
        "country": "PL",
    }

    response = behind_an_uncommitted_write(
        lambda: OrganisationFactory(name="Klinika Bliźniacza", slug="klinika-blizniacza"),
        lambda: logged_in(applicant).post("/en/members/register/", data),
    )

    assert response.status_code == 302
    registered = Organisation.objects.get(memberships__user=applicant)
    assert registered.slug == "klinika-blizniacza-2"


def test_an_address_added_meanwhile_is_a_form_error_not_a_server_error(seeded_data):
    postgresql()
    user = UserFactory()
    address = "drugi.adres@example.org"

    response = behind_an_uncommitted_write(
        lambda: EmailAddress.objects.create(user=user, email=address),
        lambda: logged_in(user).post("/en/accounts/email/", {"action_add": "", "email": address}),
    )

    assert response.status_code == 200
    assert "This email address is already associated with this account." in (
        response.content.decode()
    )
    assert EmailAddress.objects.filter(user=user, email=address).count() == 1


def test_a_proposal_whose_twin_was_saved_meanwhile_is_that_draft(seeded_data):
    postgresql()
    admin = MembershipFactory(role="admin").user
    lead = admin.memberships.get().organisation
    key = uuid.uuid4()
    content = {"title": "Bliźniaczy projekt", "acronym": "TWIN", "summary": "Twice sent."}

    def create():
        return proposal_create(lead=lead, actor=admin, submission_key=key, **content)

    outcome = behind_an_uncommitted_write(create, create)

    [draft] = ProjectProposal.objects.filter(lead=lead)
    assert outcome == draft


def test_a_partner_invited_meanwhile_gets_the_sequential_message(seeded_data):
    postgresql()
    proposal = ProposalFactory()
    admin = MembershipFactory(organisation=proposal.lead, role="admin").user
    partner = OrganisationFactory(name="Instytut Bliźniaczy")

    outcome = behind_an_uncommitted_write(
        lambda: PartnerFactory(proposal=proposal, organisation=partner, status="invited"),
        lambda: partner_invite(
            proposal=proposal, organisation=partner, actor=admin, role="partner"
        ),
    )

    assert isinstance(outcome, Conflict)
    assert str(outcome) == "Instytut Bliźniaczy is already invited to this proposal."
    assert ProposalPartner.objects.filter(proposal=proposal, organisation=partner).count() == 1


def test_a_join_request_sent_meanwhile_gets_the_sequential_message(seeded_data):
    postgresql()
    admin = MembershipFactory(role="admin").user
    organisation = admin.memberships.get().organisation
    telemedicine = centre("telemedicine")

    def ask():
        return participation_request(
            organisation=organisation, centre=telemedicine, actor=admin, motivation="Again."
        )

    outcome = behind_an_uncommitted_write(
        lambda: ParticipationFactory(
            organisation=organisation, centre=telemedicine, status="requested"
        ),
        ask,
    )

    assert isinstance(outcome, Conflict)
    with translation.override("en"), pytest.raises(Conflict) as sequential:
        ask()
    assert str(outcome) == str(sequential.value)
    assert CentreParticipation.objects.filter(organisation=organisation).count() == 1


def test_a_profile_given_a_nip_registered_meanwhile_gets_the_forms_message(seeded_data):
    postgresql()
    admin = MembershipFactory(role="admin").user
    organisation = admin.memberships.get().organisation
    nip = valid_nip(20_000_002)
    organisation.nip = nip

    outcome = behind_an_uncommitted_write(
        lambda: OrganisationFactory(nip=nip, is_public=False),
        lambda: organisation_update_profile(actor=admin, organisation=organisation, fields=["nip"]),
    )

    assert isinstance(outcome, Conflict)
    assert str(outcome).startswith("An organisation with this NIP is already registered.")
    assert Organisation.objects.filter(nip=nip).count() == 1
