"""`make run` loads the demo with `manage.py seed_demo`: what its users rely on."""

import io
import re
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cluster_portal.core.roles import COORDINATORS_GROUP
from cluster_portal.notifications.models import Notification
from cluster_portal.pages.models import NewsPost, SiteSettings
from competence_centres.models import CentreParticipation, CompetenceCentre
from events.models import Event, Registration
from members.enums import OrganisationKind, Region
from members.models import Organisation, OrganisationMembership, User
from members.validators import validate_nip, validate_regon
from projects.models import (
    FundingCall,
    ProjectProposal,
    ProposalEvent,
    ProposalPartner,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# What README.md promises about `make run`.
README_LOGINS = {
    "member@demo.example": "organisation admin",
    "coordinator@demo.example": "cluster coordinator (admin at /admin/)",
    "reviewer@demo.example": "cluster coordinator who reviews proposals (admin at /admin/)",
    "admin@demo.example": "superuser",
}
README_PASSWORD = "demo-password-2026"


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def rows_by_model() -> dict[str, int]:
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            User,
            EmailAddress,
            OrganisationMembership,
            CentreParticipation,
            Event,
            Registration,
            NewsPost,
            SiteSettings,
            FundingCall,
            ReviewCriterion,
            ProjectProposal,
            ProposalPartner,
            Review,
            ReviewScore,
            ProposalEvent,
        )
    }
    counts["event centres"] = Event.centres.through.objects.count()
    counts["centre coordinators"] = CompetenceCentre.coordinators.through.objects.count()
    counts["group members"] = User.groups.through.objects.count()
    return counts


def test_running_twice_gives_the_same_rows_and_leaves_other_rows_alone():
    own_organisation = OrganisationFactory(name="Szpital spoza demo", description="Nasz opis.")
    own_user = UserFactory(email="someone@hospital.example", full_name="Anna Spoza")

    seed_demo()
    first = rows_by_model()
    seed_demo()

    assert rows_by_model() == first
    # Natural keys stay unique: nothing was written twice.
    assert User.objects.filter(email="member@demo.example").count() == 1
    pairs = list(CentreParticipation.objects.values_list("organisation", "centre"))
    assert len(pairs) == len(set(pairs))
    own_organisation.refresh_from_db()
    own_user.refresh_from_db()
    assert own_organisation.description == "Nasz opis."
    assert own_user.full_name == "Anna Spoza"
    assert not own_user.memberships.exists()


def test_running_again_brings_an_edited_demo_row_back():
    seed_demo()
    event = Event.objects.get(slug="walne-zgromadzenie-czlonkow")
    original_title, original_capacity = event.title_en, event.capacity
    Event.objects.filter(pk=event.pk).update(title_en="Changed in the admin", capacity=None)

    seed_demo()

    event.refresh_from_db()
    assert (event.title_en, event.capacity) == (original_title, original_capacity)


def test_the_printed_logins_are_those_of_the_readme_and_work(client):
    output = seed_demo()

    assert f"Demo logins (password: {README_PASSWORD})" in output
    printed = dict(re.findall(r"^  (\S+@\S+) — (.+)$", output, flags=re.MULTILINE))
    assert printed == README_LOGINS
    for email in README_LOGINS:
        client.logout()
        response = client.post("/en/accounts/login/", {"login": email, "password": README_PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)

    coordinator = User.objects.get(email="coordinator@demo.example")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.groups.filter(name=COORDINATORS_GROUP).exists()
    assert User.objects.get(email="admin@demo.example").is_superuser
    assert User.objects.get(email="member@demo.example").memberships.count() == 2


def test_the_demo_is_a_whole_cluster(client):
    seed_demo()

    assert Organisation.objects.count() >= 25
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    regions = set(Organisation.objects.values_list("region", flat=True))
    assert len(regions - {Region.ABROAD}) >= 6 and Region.ABROAD in regions
    assert set(Organisation.objects.values_list("status", flat=True)) >= {"active", "applied"}
    assert set(CentreParticipation.objects.values_list("status", flat=True)) == {
        "active",
        "requested",
    }
    assert CompetenceCentre.objects.filter(leader__isnull=False).count() == 7
    assert SiteSettings.load().goal_list

    now = timezone.now()
    upcoming = Event.objects.filter(is_published=True, starts_at__gt=now)
    assert upcoming.count() >= 5
    assert Event.objects.filter(starts_at__lt=now).exists()
    assert NewsPost.objects.filter(is_published=True, published_at__lte=now).count() >= 5

    home = client.get("/en/")
    assert home.status_code == 200
    assert "No events are planned right now" not in home.content.decode()
    assert "No news yet." not in home.content.decode()


def test_the_demo_has_calls_in_every_phase_and_proposals_in_several_states(client):
    seed_demo()

    phases = {call.phase() for call in FundingCall.objects.filter(is_published=True)}
    assert phases == {"open", "upcoming", "closed"}
    statuses = set(ProjectProposal.objects.values_list("status", flat=True))
    assert {"draft", "in_review", "accepted", "changes_requested"} <= statuses
    reviewed = ProjectProposal.objects.exclude(average_score=None)
    assert reviewed.exists()
    assert Review.objects.filter(reviewer__email="reviewer@demo.example").exists()
    # The demo member leads a draft with a confirmed partner; its page opens for them.
    client.force_login(User.objects.get(email="member@demo.example"))
    draft = ProjectProposal.objects.get(status="draft")
    assert draft.partners.filter(status="confirmed").exists()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get("/en/projects/calls/").status_code == 200


def test_events_are_dated_from_today_on_working_days():
    seed_demo()

    warsaw = ZoneInfo("Europe/Warsaw")
    today = timezone.now().astimezone(warsaw).date()
    workshop = Event.objects.get(slug="warsztaty-wspolny-wniosek-o-dofinansowanie")
    # in_days = 10 in events.toml, moved past a weekend if it falls on one.
    assert 10 <= (workshop.starts_at.astimezone(warsaw).date() - today).days <= 12
    for event in Event.objects.all():
        for moment in (event.starts_at, event.ends_at):
            assert moment.astimezone(warsaw).weekday() < 5, event.slug


def test_every_organisation_has_identifiers_that_the_validators_accept():
    seed_demo()

    for organisation in Organisation.objects.all():
        validate_nip(organisation.nip)
        if organisation.regon:
            validate_regon(organisation.regon)
    assert Organisation.objects.exclude(regon="").exists()
    assert Organisation.objects.exclude(krs="").exists()


def test_seeding_writes_no_notification_and_sends_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_demo_has_free_seats_a_full_event_with_a_waiting_list_and_past_attendance(client):
    seed_demo()
    now = timezone.now()
    events = Event.objects.with_seat_counts()

    free = [e for e in events.filter(starts_at__gt=now) if e.capacity and e.seats_left > 0]
    assert free
    [full] = [e for e in events.filter(starts_at__gt=now) if e.capacity and e.is_full]
    assert full.waitlisted_count == 3
    past = Registration.objects.filter(event__ends_at__lt=now, attended_at__isnull=False)
    assert past.values("event").distinct().count() == 2

    client.post(
        "/en/accounts/login/", {"login": "member@demo.example", "password": README_PASSWORD}
    )
    my_events = client.get("/en/events/my/").content.decode()
    assert "number 2 in line" in my_events
    assert "data:image/png;base64," in my_events  # the check-in code of a seat
    assert "Attended" in my_events
