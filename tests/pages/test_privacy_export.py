"""pages/privacy/export.py and its views: a person's download holds every kind of their
data and nothing of anybody else; the link is the owner's only and expires."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.pages.models import DataExport
from cluster_portal.pages.privacy.export import data_export_build, export_data, export_zip
from events.services import registration_create
from members.enums import MembershipRole
from members.models import Invitation
from members.services import organisation_invite_member
from projects.models import Review
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProposalFactory,
    UserFactory,
)
from tests.helpers import reauthenticated, with_second_factor

pytestmark = pytest.mark.django_db

PLANTED = [
    "jan.kowalski@inny-szpital.example",
    "Jan Kowalski",
    "+48 111 222 333",
    "TOTALLY-PRIVATE",
]


def person_with_everything(*, email, full_name, phone, marker):
    """Someone with one of each kind of data the export covers; `marker` names their things."""
    hospital = OrganisationFactory(name=f"Szpital {marker}")
    person = UserFactory(
        email=email,
        full_name=full_name,
        phone=phone,
        privacy_notice_accepted_at=timezone.now(),
        preferred_language="en",
    )
    MembershipFactory(organisation=hospital, user=person, role=MembershipRole.ADMIN)
    secret = with_second_factor(person)
    organisation_invite_member(
        organisation=hospital, actor=person, email=f"invitee-{marker}@x.example", role="member"
    )
    Invitation.objects.create(
        organisation=OrganisationFactory(name=f"Fundacja {marker}"),
        email=email,
        role="member",
        expires_at=timezone.now() + timedelta(days=3),
    )
    ParticipationFactory(organisation=hospital, requested_by=person, status="requested")
    proposal = ProposalFactory(lead=hospital, created_by=person, acronym=f"P{marker}"[:20])
    registration_create(event=EventFactory(title_en=f"Congress {marker}"), user=person)
    NotificationPreference.objects.create(user=person, category="events", email_enabled=False)
    return person, hospital, proposal, secret


@pytest.fixture
def people(seeded_data):
    owner = person_with_everything(
        email="anna.nowak@szpital.example",
        full_name="Anna Nowak",
        phone="+48 600 100 200",
        marker="OWN",
    )
    colleague = person_with_everything(
        email=PLANTED[0], full_name=PLANTED[1], phone=PLANTED[2], marker=PLANTED[3]
    )
    return owner, colleague


def test_the_export_holds_every_kind_of_the_persons_data(people):
    (person, hospital, proposal, _secret), _colleague = people

    data = export_data(user=person)

    assert data["account"]["email"] == "anna.nowak@szpital.example"
    assert data["account"]["phone"] == "+48 600 100 200"
    assert data["email_addresses"] == [
        {"email": "anna.nowak@szpital.example", "verified": True, "primary": True}
    ]
    assert data["two_factor_authentication"] == {"enabled": True, "methods": ["totp"]}
    assert data["consents"]["privacy_notice_accepted_at"]
    assert [o["organisation"] for o in data["organisations"]] == [hospital.name]
    assert [i["organisation"] for i in data["invitations_sent"]] == [hospital.name]
    assert [i["organisation"] for i in data["invitations_received"]] == ["Fundacja OWN"]
    assert [(c["organisation"], c["you_asked"]) for c in data["centre_requests"]] == [
        (hospital.name, True)
    ]
    assert [p["acronym"] for p in data["proposals"]] == [proposal.acronym]
    assert [r["event"] for r in data["event_registrations"]] == ["Congress OWN"]
    assert data["notifications"], "the registration's mail"
    assert data["notification_preferences"] == [{"category": "Events", "email": False}]


def test_nothing_of_anybody_else_and_no_secret_is_in_the_zip(people):
    (person, _hospital, proposal, secret), (colleague, *_rest) = people
    Review.objects.create(
        proposal=proposal,
        reviewer=UserFactory(is_staff=True),
        comment_for_coordinators="REVIEW-ABOUT-YOUR-PROPOSAL",
        comment_for_applicants="REVIEW-FOR-APPLICANTS",
    )

    archive = zipfile.ZipFile(io.BytesIO(export_zip(user=person)))

    assert sorted(archive.namelist()) == ["data.html", "data.json"]
    json_text = archive.read("data.json").decode()
    html = archive.read("data.html").decode()
    json.loads(json_text)
    for text in (json_text, html):
        assert "anna.nowak@szpital.example" in text
        for planted in [*PLANTED, colleague.email, "REVIEW-", "invitee-OWN", secret]:
            assert planted not in text


def test_the_html_page_escapes_what_people_typed(people):
    (person, *_rest), _colleague = people
    person.full_name = "<script>alert(1)</script>"
    person.save()
    html = zipfile.ZipFile(io.BytesIO(export_zip(user=person))).read("data.html").decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Organisations and roles</h2>" in html


def test_asking_for_a_download_needs_reauthentication_and_builds_it(client, people):
    (person, *_rest), _colleague = people
    client.force_login(person)
    asked = client.post("/en/my/data/export/")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/en/accounts/2fa/reauthenticate/")
    assert not DataExport.objects.exists()


def test_the_owner_downloads_others_get_404_and_it_expires(client, people):
    (person, *_rest), (colleague, *_other) = people
    colleague.set_password("demo-password-2026")
    person_export = DataExport.objects.create(
        user=person, expires_at=timezone.now() + timedelta(days=1)
    )
    data_export_build(export_id=person_export.pk)
    person_export.refresh_from_db()
    url = person_export.get_absolute_url()

    from django.test import Client

    stranger = Client()
    reauthenticated(stranger, UserFactory())
    assert stranger.get(url).status_code == 404

    owner = Client()
    reauthenticated(owner, person)
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "data.json" in archive.namelist()
    assert list(
        AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).values_list(
            "actor_id", "target_id", "detail"
        )
    ) == [(person.pk, str(person.pk), "downloaded")]

    DataExport.objects.filter(pk=person_export.pk).update(expires_at=timezone.now())
    assert owner.get(url).status_code == 410
    assert client.get(url).status_code == 302  # a visitor is sent to log in


def test_building_twice_builds_once(people):
    (person, *_rest), _colleague = people
    export = DataExport.objects.create(user=person, expires_at=timezone.now() + timedelta(days=1))
    assert data_export_build(export_id=export.pk) is not None
    assert data_export_build(export_id=export.pk) is None
    assert data_export_build(export_id=10**9) is None
    assert Notification.objects.filter(kind="privacy.export_ready", recipient=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_requested_export(celery_worker_on_redis, seeded_data):
    from django.test import Client

    from tests.helpers import wait_for

    person = UserFactory(preferred_language="en")
    client = Client()
    reauthenticated(client, person)

    response = client.post("/en/my/data/export/")

    assert response.status_code == 302 and response["Location"] == "/en/my/data/"
    export = DataExport.objects.get(user=person)
    wait_for(lambda: DataExport.objects.get(pk=export.pk).status == DataExport.Status.READY)
    page = client.get("/en/my/data/").content.decode()
    assert export.get_absolute_url() in page
    mail = Notification.objects.get(recipient=person, kind="privacy.export_ready")
    assert str(export.token) in mail.body_text and mail.is_essential
    assert AuditEntry.objects.filter(
        actor=person, action=AuditAction.DATA_EXPORTED, target_id=str(person.pk)
    ).exists()


def test_a_second_request_while_one_is_being_prepared_is_refused(people):
    from cluster_portal.core.errors import Conflict
    from cluster_portal.pages.privacy.export import data_export_request

    (person, *_rest), _colleague = people
    DataExport.objects.create(
        user=person,
        created_at=timezone.now() - timedelta(minutes=5),
        expires_at=timezone.now() + timedelta(days=1),
    )

    with pytest.raises(Conflict, match="already being prepared"):
        data_export_request(user=person)
    assert DataExport.objects.filter(user=person).count() == 1

    # One stuck for a quarter of an hour (its task lost) does not block a new one.
    DataExport.objects.update(created_at=timezone.now() - timedelta(minutes=15))
    data_export_request(user=person)
    assert DataExport.objects.filter(user=person).count() == 2


def test_a_request_repeated_a_moment_after_a_quick_build_gives_the_same_download(people):
    from cluster_portal.core.errors import Conflict
    from cluster_portal.pages.privacy.export import data_export_request

    (person, *_rest), _colleague = people
    export = data_export_request(user=person)
    data_export_build(export_id=export.pk)  # a worker that was quick

    with pytest.raises(Conflict, match="a moment ago"):
        data_export_request(user=person)
    assert DataExport.objects.filter(user=person).count() == 1

    # Asked again later (the data may have changed since): a new download.
    DataExport.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    data_export_request(user=person)
    assert DataExport.objects.filter(user=person).count() == 2
