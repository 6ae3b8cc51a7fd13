import csv
import io

import pytest

from cluster_portal.notifications.models import Notification
from members.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import coordinator_in_admin, deliver_outbox, last_mail_to

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/organisation/"


@pytest.fixture
def coordinator(client):
    return coordinator_in_admin(client, email="koordynator@klaster.example")


@pytest.fixture
def application(db):
    organisation = OrganisationFactory(name="Klinika Słońce", status="applied", joined_on=None)
    MembershipFactory(
        organisation=organisation,
        role="admin",
        user=UserFactory(email="admin@slonce.example", preferred_language="pl"),
    )
    MembershipFactory(organisation=organisation, user=UserFactory(email="czlonek@slonce.example"))
    return organisation


def act(client, action, organisation, message=None):
    data = {"action": action, "_selected_action": [organisation.pk]}
    if message is not None:
        data.update(apply="1", message=message)
    return client.post(CHANGELIST, data, follow=True)


def test_coordinators_filter_applications_by_status_kind_and_region(
    client, coordinator, application
):
    OrganisationFactory(name="Szpital Aktywny")
    html = client.get(
        f"{CHANGELIST}?status__exact=applied&region__exact=lubelskie"
    ).content.decode()
    assert "Klinika Słońce" in html
    assert "Szpital Aktywny" not in html


def test_approval_asks_for_a_message_then_activates_and_notifies_the_admins(
    client, coordinator, application
):
    confirmation = act(client, "approve", application)
    assert confirmation.status_code == 200
    assert "Message to the organisation&#x27;s administrators" in confirmation.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"  # nothing happens before confirming

    response = act(client, "approve", application, message="Witamy w klastrze!")
    assert "Approve: done for 1 organisation." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "active"
    assert application.decided_by == coordinator
    assert application.decided_at is not None
    assert application.joined_on is not None
    assert application.decision_message == "Witamy w klastrze!"

    notification = Notification.objects.get(kind="membership.active")
    assert notification.to_email == "admin@slonce.example"  # the admins, not every member
    assert notification.is_essential is True
    assert notification.language == "pl"
    mail = last_mail_to("admin@slonce.example")
    assert "Witamy w klastrze!" in mail.body
    assert "Klinika Słońce" in mail.subject


def test_rejection_needs_a_reason_and_sends_it(client, coordinator, application):
    response = act(client, "reject", application, message="")
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"

    act(client, "reject", application, message="Brak dokumentów rejestrowych.")
    application.refresh_from_db()
    assert application.status == "rejected"
    assert Notification.objects.get(kind="membership.rejected").to_email == "admin@slonce.example"
    deliver_outbox()
    assert "Brak dokumentów rejestrowych." in last_mail_to("admin@slonce.example").body


def test_a_decision_on_an_already_decided_organisation_is_refused_with_a_message(
    client, coordinator, application
):
    act(client, "approve", application, message="")
    response = act(client, "reject", application, message="Za późno.")
    assert "“Reject” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "active"
    assert not Notification.objects.filter(kind="membership.rejected").exists()


def test_suspend_reinstate_and_resign(client, coordinator, application):
    act(client, "approve", application, message="")
    act(client, "suspend", application, message="Zaległe składki.")
    application.refresh_from_db()
    assert application.status == "suspended"
    act(client, "reinstate", application, message="")
    application.refresh_from_db()
    assert application.status == "active"
    act(client, "resign", application, message="")
    application.refresh_from_db()
    assert application.status == "resigned"
    assert (
        list(
            Notification.objects.filter(to_email="admin@slonce.example").values_list(
                "kind", flat=True
            )
        ).count("membership.active")
        == 2
    )


def test_reinstating_never_approves_an_application_nor_approving_lifts_a_suspension(
    client, coordinator, application
):
    response = act(client, "reinstate", application, message="")
    assert "“Reinstate” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"

    act(client, "approve", application, message="")
    act(client, "suspend", application, message="Zaległe składki.")
    response = act(client, "approve", application, message="")
    assert "“Approve” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "suspended"


def test_status_cannot_be_edited_by_hand(client, coordinator, application):
    page = client.get(f"{CHANGELIST}{application.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_member_list_exports_as_csv(client, coordinator, application):
    OrganisationFactory(name="=HYPERLINK(zły)", city="Lublin")
    response = client.post(
        CHANGELIST,
        {
            "action": "export_csv",
            "_selected_action": list(Organisation.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Kind", "Status"]
    names = [row[0] for row in rows[1:]]
    assert names == ["'=HYPERLINK(zły)", "Klinika Słońce"]
    assert rows[2][2] == "Applied"


def test_a_plain_member_cannot_reach_the_organisation_admin(client, application):
    client.force_login(application.memberships.first().user)
    assert client.get(CHANGELIST).status_code == 302
