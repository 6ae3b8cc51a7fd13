"""pages/privacy/deletion.py and members/services/accounts.py: deleting an account
anonymises the person and keeps their organisation's history; the last admin is refused."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import Conflict, NotAllowed
from cluster_portal.core.models import AuditEntry
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.pages.models import DataExport
from cluster_portal.pages.privacy.deletion import account_delete
from cluster_portal.pages.privacy.export import data_export_build
from events.enums import RegistrationStatus
from events.services import registration_create
from members.enums import MembershipRole
from members.models import Invitation, OrganisationMembership, User
from members.services import organisation_invite_member
from members.services.accounts import organisations_only_administered_by
from projects.enums import ProposalStatus
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    UserFactory,
)
from tests.helpers import centre, coordinator_in_admin, race, reauthenticated, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    # The services' messages are compared as written; the default language is Polish.
    with translation.override("en"):
        yield


@pytest.fixture
def hospital():
    return OrganisationFactory(name="Szpital Kliniczny")


@pytest.fixture
def chief(hospital):
    """The hospital's other admin, who stays."""
    return MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN).user


@pytest.fixture
def leaving(hospital, chief):
    """An admin of the hospital with a bit of everything, who deletes their account."""
    person = UserFactory(
        email="anna.nowak@szpital.example",
        full_name="Anna Nowak",
        phone="+48 600 100 200",
        job_title="Ordynator",
    )
    MembershipFactory(organisation=hospital, user=person, role=MembershipRole.ADMIN)
    hospital.contact_name, hospital.contact_email = "Anna Nowak", "anna.nowak@szpital.example"
    hospital.save()
    with_second_factor(person)
    NotificationPreference.objects.create(user=person, category="events", email_enabled=False)
    organisation_invite_member(
        organisation=hospital, actor=person, email="nowy@szpital.example", role="member"
    )
    centre("telemedicine").coordinators.add(person)
    return person


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_deletion_anonymises_the_person_and_keeps_the_history(
    hospital, chief, leaving, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(lead=hospital, created_by=leaving, status=ProposalStatus.DRAFT)
    event = EventFactory()
    registration = registration_create(event=event, user=leaving, organisation=hospital)
    export = DataExport.objects.create(user=leaving, expires_at=timezone.now() + timedelta(days=1))
    data_export_build(export_id=export.pk)
    export_file = DataExport.objects.get(pk=export.pk).file.name
    admin_history = LogEntry.objects.create(
        user=chief,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(leaving.pk),
        object_repr="Anna Nowak",
        action_flag=CHANGE,
    )
    session_client = logged_in_client(leaving)
    other_session = logged_in_client(chief)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaving, actor=leaving)

    person = User.objects.get(pk=leaving.pk)
    assert not DataExport.objects.filter(user=person).exists()
    admin_history.refresh_from_db()
    assert admin_history.object_repr == f"user #{person.pk}"
    assert not DataExport.file.field.storage.exists(export_file)
    assert person.email == f"deleted-{person.pk}@deleted.invalid"
    assert (person.full_name, person.phone, person.job_title) == ("", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert person.deleted_at is not None
    assert str(person) == "Deleted user"
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not NotificationPreference.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert not Notification.objects.filter(to_email__iexact="anna.nowak@szpital.example").exists()
    assert not Invitation.objects.filter(invited_by=person).exists()
    assert not OrganisationMembership.objects.filter(user=person).exists()
    assert not person.coordinated_centres.exists()
    # Sessions: the person's are gone, a colleague's stays.
    assert session_client.get("/en/members/my/").status_code == 302
    assert other_session.get("/en/members/my/").status_code == 200
    assert Session.objects.count() == 1
    # The history keeps a deleted user in place.
    proposal.refresh_from_db()
    assert proposal.created_by_id == person.pk
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    hospital.refresh_from_db()
    assert (hospital.contact_name, hospital.contact_email) == ("", "")
    assert OrganisationMembership.objects.filter(organisation=hospital, user=chief).exists()
    assert AuditEntry.objects.filter(
        actor=person, action=AuditAction.ACCOUNT_DELETED, target_id=str(person.pk)
    ).exists()


def test_the_last_admin_is_told_to_hand_over_and_nothing_is_deleted(hospital):
    only_admin = MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN).user
    with_second_factor(only_admin)

    with pytest.raises(Conflict, match="only administrator of Szpital Kliniczny"):
        account_delete(user=only_admin, actor=only_admin)

    only_admin.refresh_from_db()
    assert only_admin.is_active and only_admin.deleted_at is None
    assert Authenticator.objects.filter(user=only_admin).exists()
    assert OrganisationMembership.objects.filter(user=only_admin).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED).exists()


def test_a_resigned_organisation_needs_no_admin():
    resigned = OrganisationFactory(status="resigned")
    only_admin = MembershipFactory(organisation=resigned, role=MembershipRole.ADMIN).user
    assert organisations_only_administered_by(only_admin) == []
    account_delete(user=only_admin, actor=only_admin)
    assert User.objects.get(pk=only_admin.pk).deleted_at is not None


def test_nobody_else_deletes_an_account_but_the_cluster_office():
    person, stranger = UserFactory(), UserFactory()
    with pytest.raises(NotAllowed):
        account_delete(user=person, actor=stranger)
    assert User.objects.get(pk=person.pk).is_active


def test_the_page_asks_to_confirm_it_is_you_first(client, leaving):
    client.force_login(leaving)
    response = client.get("/en/my/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/")


def test_a_wrong_confirmation_deletes_nothing_and_the_right_one_logs_out(client, hospital, chief):
    person = MembershipFactory(organisation=hospital).user
    reauthenticated(client, person)

    wrong = client.post("/en/my/delete/", {"confirmation": "someone@else.example"})
    assert wrong.status_code == 400
    assert b"not your account" in wrong.content
    assert User.objects.get(pk=person.pk).is_active

    right = client.post("/en/my/delete/", {"confirmation": person.email.upper()})
    assert right.status_code == 302 and right["Location"] == "/en/"
    assert User.objects.get(pk=person.pk).deleted_at is not None
    assert "_auth_user_id" not in client.session


def test_the_last_admin_sees_a_message_on_the_page(client, hospital):
    only_admin = MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN).user
    reauthenticated(client, only_admin)
    response = client.post("/en/my/delete/", {"confirmation": only_admin.email})
    assert response.status_code == 409
    assert b"only administrator" in response.content
    assert User.objects.get(pk=only_admin.pk).is_active


def test_a_coordinator_deletes_an_account_on_request_in_the_admin(client, hospital, chief):
    person = MembershipFactory(organisation=hospital).user
    staff = UserFactory(is_staff=True)
    coordinator = coordinator_in_admin(client)

    client.post(
        "/admin/members/user/",
        {"action": "anonymise_on_request", "_selected_action": [person.pk, staff.pk], "apply": "1"},
    )

    assert User.objects.get(pk=person.pk).deleted_at is not None
    assert User.objects.get(pk=staff.pk).deleted_at is None  # only the superuser deletes staff
    assert list(
        AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED).values_list(
            "actor_id", "target_id", "detail"
        )
    ) == [(coordinator.pk, str(person.pk), "on request")]


@pytest.mark.django_db(transaction=True)
def test_two_last_admins_deleting_at_once_cannot_both_leave(seeded_data):
    hospital = OrganisationFactory()
    first, second = (
        MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN).user for _ in range(2)
    )

    outcomes = race(
        lambda: account_delete(user=first, actor=first),
        lambda: account_delete(user=second, actor=second),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "NoneType"]
    assert OrganisationMembership.objects.filter(organisation=hospital).count() == 1


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    typed=st.one_of(
        st.text(max_size=300),
        st.sampled_from(["", " ", "\x00", "person@example.org\x00", "<script>", "%(email)s"]),
    ),
    leave_out=st.booleans(),
)
def test_any_typed_confirmation_gives_a_form_message_or_deletes_only_on_the_address(
    typed, leave_out, client, hospital, chief
):
    person = MembershipFactory(organisation=hospital, user=UserFactory()).user
    reauthenticated(client, person)
    with transaction.atomic():
        response = client.post("/en/my/delete/", {} if leave_out else {"confirmation": typed})
        deleted = User.objects.get(pk=person.pk).deleted_at is not None
        transaction.set_rollback(True)
    matches = not leave_out and typed.strip().casefold() == person.email.casefold()
    assert response.status_code == (302 if matches else 400)
    assert deleted == matches
