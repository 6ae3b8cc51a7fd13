"""Each action issue 12 lists leaves one audit entry, with the account that acted: private
contacts opened or exported, admin change pages of others, admin CSV exports, decisions,
and role changes of someone else."""

import pytest
from django.contrib.auth.models import Group

from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry
from members.enums import MembershipRole, OrganisationStatus
from members.services import membership_remove, membership_set_role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import (
    admin_action,
    centre,
    coordinator_in_admin,
    form_fields,
    with_second_factor,
)

pytestmark = pytest.mark.django_db


def recorded(action, **filters) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action, **filters)
        .order_by("pk")
        .values_list("actor_id", "target_type__model", "target_id", "detail")
    )


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    with_second_factor(user)
    client.force_login(user)
    client.cookies["portal_language"] = "en"
    return user


def test_centre_coordination_page_and_its_csv_are_recorded(client):
    telemedicine = centre("telemedicine")
    coordinator = UserFactory()
    with_second_factor(coordinator)
    telemedicine.coordinators.add(coordinator)
    client.force_login(coordinator)

    assert client.get("/en/centres/telemedicine/coordination/").status_code == 200
    assert client.get("/en/centres/telemedicine/coordination/contacts.csv").status_code == 200

    target = ("competencecentre", str(telemedicine.pk))
    assert recorded(AuditAction.CONTACTS_VIEWED) == [(coordinator.pk, *target, "")]
    assert recorded(AuditAction.CONTACTS_EXPORTED) == [(coordinator.pk, *target, "csv")]


def test_someone_turned_away_from_the_coordination_page_leaves_no_entry(client):
    centre("telemedicine")
    client.force_login(UserFactory())
    assert client.get("/en/centres/telemedicine/coordination/").status_code == 403
    assert not AuditEntry.objects.exists()


def test_admin_change_pages_of_others_are_recorded_and_ones_own_are_not(client):
    coordinator = coordinator_in_admin(client)
    hospital, own = OrganisationFactory(), OrganisationFactory()
    MembershipFactory(user=coordinator, organisation=own)
    person = UserFactory()

    for url in (
        f"/admin/members/organisation/{hospital.pk}/change/",
        f"/admin/members/organisation/{own.pk}/change/",
        f"/admin/members/user/{person.pk}/change/",
        f"/admin/members/user/{coordinator.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url

    assert recorded(AuditAction.ADMIN_RECORD_VIEWED) == [
        (coordinator.pk, "organisation", str(hospital.pk), ""),
        (coordinator.pk, "user", str(person.pk), ""),
    ]


def test_admin_csv_exports_are_recorded(client):
    coordinator = coordinator_in_admin(client)
    hospital = OrganisationFactory()
    response = admin_action(client, "/admin/members/organisation/", "export_csv", hospital)
    assert response["Content-Type"].startswith("text/csv")
    assert recorded(AuditAction.ADMIN_EXPORT) == [
        (coordinator.pk, "organisation", "", "csv: 1 rows")
    ]


def test_an_admin_decision_is_recorded_with_it(client):
    coordinator = coordinator_in_admin(client)
    applicant = OrganisationFactory(status=OrganisationStatus.APPLIED, joined_on=None)
    admin_action(client, "/admin/members/organisation/", "approve", applicant, message="")
    admin_action(client, "/admin/members/organisation/", "approve", applicant, message="")

    applicant.refresh_from_db()
    assert applicant.status == OrganisationStatus.ACTIVE
    # The second approval was refused: only the decision that happened is on record.
    assert recorded(AuditAction.DECISION) == [
        (coordinator.pk, "organisation", str(applicant.pk), "approve")
    ]


def test_colleagues_promoted_and_removed_are_recorded_but_not_leaving():
    hospital = OrganisationFactory()
    admin = MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN).user
    colleague = MembershipFactory(organisation=hospital)

    membership_set_role(membership=colleague, actor=admin, role=MembershipRole.ADMIN)
    membership_remove(membership=colleague, actor=admin)

    assert recorded(AuditAction.ROLE_CHANGED) == [
        (
            admin.pk,
            "user",
            str(colleague.user_id),
            f"member → admin in organisation #{hospital.pk}",
        ),
        (
            admin.pk,
            "user",
            str(colleague.user_id),
            f"admin → removed from organisation #{hospital.pk}",
        ),
    ]


def test_account_rights_changed_in_the_users_admin_are_recorded(client, superuser):
    person = UserFactory()
    url = f"/admin/members/user/{person.pk}/change/"
    data = form_fields(client.get(url).content.decode(), form_id="user_form")
    data.update(is_staff="on", groups=[str(Group.objects.get(name="Coordinators").pk)])

    response = client.post(url, data)

    assert response.status_code == 302
    assert recorded(AuditAction.ROLE_CHANGED) == [
        (superuser.pk, "user", str(person.pk), "staff: False → True; groups: [] → ['Coordinators']")
    ]


def test_centre_coordinators_named_and_removed_in_the_admin_are_recorded(client, superuser):
    telemedicine = centre("telemedicine")
    kept, removed, named = UserFactory(), UserFactory(), UserFactory()
    telemedicine.coordinators.add(kept, removed)
    url = f"/admin/competence_centres/competencecentre/{telemedicine.pk}/change/"
    data = form_fields(client.get(url).content.decode(), form_id="competencecentre_form")
    data["coordinators"] = [str(kept.pk), str(named.pk)]

    response = client.post(url, data)

    assert response.status_code == 302
    assert sorted(recorded(AuditAction.ROLE_CHANGED)) == sorted(
        [
            (
                superuser.pk,
                "user",
                str(named.pk),
                f"named coordinator of centre #{telemedicine.pk}",
            ),
            (
                superuser.pk,
                "user",
                str(removed.pk),
                f"removed coordinator of centre #{telemedicine.pk}",
            ),
        ]
    )


def test_event_and_call_decisions_in_the_admin_are_recorded_without_names(client):
    from events.services import registration_create
    from tests.factories import EventFactory, FundingCallFactory

    coordinator = coordinator_in_admin(client)
    registration = registration_create(
        event=EventFactory(), user=UserFactory(full_name="Anna Nowak")
    )
    call = FundingCallFactory(is_published=False)

    admin_action(client, "/admin/events/registration/", "check_in", registration)
    admin_action(client, "/admin/projects/fundingcall/", "publish", call)

    assert recorded(AuditAction.DECISION) == [
        (coordinator.pk, "registration", str(registration.pk), "check in"),
        (coordinator.pk, "fundingcall", str(call.pk), "publish"),
    ]
    assert AuditEntry.objects.get(target_type__model="registration").target_repr == (
        f"registration #{registration.pk}"
    )
