"""members/admin.py holds coordinators to the site's rules: logos processed as on the site,
memberships read-only, each decision on an organisation from its own starting states, through
the service and with a message to its administrators."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cluster_portal.notifications.models import Notification
from members.enums import MembershipRole, OrganisationStatus
from members.models import Organisation, OrganisationMembership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import (
    admin_action,
    coordinator_in_admin,
    deliver_outbox,
    form_fields,
    get_html,
    last_mail_to,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

CHANGELIST = "/admin/members/organisation/"


@pytest.fixture
def coordinator(client):
    return coordinator_in_admin(client, email="koordynator@klaster.example")


@pytest.fixture
def organisation(db):
    organisation = OrganisationFactory(name="Klinika Słońce")
    MembershipFactory(
        organisation=organisation,
        role=MembershipRole.ADMIN,
        user__email="admin@slonce.example",
        user__full_name="Anna Słoneczna",
    )
    return organisation


@pytest.fixture
def application(db):
    organisation = OrganisationFactory(
        name="Klinika Słońce", status=OrganisationStatus.APPLIED, joined_on=None
    )
    MembershipFactory(
        organisation=organisation,
        role=MembershipRole.ADMIN,
        user=UserFactory(email="admin@slonce.example", preferred_language="pl"),
    )
    MembershipFactory(organisation=organisation, user=UserFactory(email="czlonek@slonce.example"))
    return organisation


def change_url(organisation) -> str:
    return f"{CHANGELIST}{organisation.pk}/change/"


def post_change(client, organisation, **changes):
    data = form_fields(get_html(client, change_url(organisation)), form_id="organisation_form")
    data.update(changes)
    return client.post(change_url(organisation), data)


def jpeg_with_gps_and_html_trailer() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {2: (50.0, 3.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 90, 110)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue() + b"<html><script>alert(1)</script></html>"


def test_a_logo_uploaded_in_the_admin_is_re_encoded_like_on_the_site(
    client, coordinator, organisation
):
    upload = SimpleUploadedFile("statut.pdf", jpeg_with_gps_and_html_trailer(), "application/pdf")

    response = post_change(client, organisation, logo_upload=upload)

    assert response.status_code == 302
    organisation.refresh_from_db()
    stored = Path(organisation.logo.path)
    assert stored.suffix == ".jpg"
    content = stored.read_bytes()
    assert b"SecretCam" not in content
    assert b"<script>" not in content
    with Image.open(stored) as logo:
        assert logo.format == "JPEG"
        assert not logo.getexif()
    assert organisation.logo_thumbnail
    served = client.get(organisation.logo.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_a_file_that_is_no_logo_is_refused_in_the_admin_and_nothing_is_stored(
    client, coordinator, organisation, media_root
):
    svg = SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')

    response = post_change(client, organisation, logo_upload=svg)

    assert response.status_code == 200
    assert "SVG logos are not accepted" in response.content.decode()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_the_membership_inline_is_read_only(client, coordinator, organisation):
    admin_membership = organisation.memberships.get()
    outsider = UserFactory(email="obcy@example.org")
    page = get_html(client, change_url(organisation))
    assert "Anna Słoneczna" in page
    assert 'name="memberships-0-role"' not in page
    assert 'name="memberships-0-DELETE"' not in page

    # A hand-made POST that adds an admin and deletes the last one changes nothing.
    data = form_fields(page, form_id="organisation_form")
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-0-id": str(admin_membership.pk),
            "memberships-0-organisation": str(organisation.pk),
            "memberships-0-user": str(admin_membership.user_id),
            "memberships-0-role": "admin",
            "memberships-0-DELETE": "on",
            "memberships-1-user": str(outsider.pk),
            "memberships-1-organisation": str(organisation.pk),
            "memberships-1-role": "admin",
        }
    )
    response = client.post(change_url(organisation), data)

    assert response.status_code == 302
    assert list(OrganisationMembership.objects.values_list("user__email", "role")) == [
        ("admin@slonce.example", MembershipRole.ADMIN)
    ]


def test_coordinators_may_read_memberships_but_not_write_them(db):
    coordinators = Group.objects.get(name="Coordinators")
    codenames = set(coordinators.permissions.values_list("codename", flat=True))
    assert "view_organisationmembership" in codenames
    assert (
        not {
            "add_organisationmembership",
            "change_organisationmembership",
            "delete_organisationmembership",
        }
        & codenames
    )


def test_a_replaced_logo_is_deleted_once_the_change_is_saved(
    client, coordinator, organisation, django_capture_on_commit_callbacks
):
    def png(colour):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), colour).save(buffer, format="PNG")
        return SimpleUploadedFile("logo.png", buffer.getvalue())

    assert post_change(client, organisation, logo_upload=png("red")).status_code == 302
    organisation.refresh_from_db()
    first = [Path(organisation.logo.path), Path(organisation.logo_thumbnail.path)]
    first_url = organisation.logo.url

    with django_capture_on_commit_callbacks(execute=True):
        replaced = post_change(client, organisation, logo_upload=png("blue"))

    assert replaced.status_code == 302

    organisation.refresh_from_db()
    assert [path.exists() for path in first] == [False, False]
    assert Path(organisation.logo.path).exists()
    assert client.get(first_url).status_code == 404
    assert client.get(organisation.logo.url).status_code == 200


# --- decisions on organisations ----------------------------------------------------------


def test_coordinators_filter_applications_by_status_kind_and_region(
    client, coordinator, application
):
    OrganisationFactory(name="Szpital Aktywny")
    html = get_html(client, f"{CHANGELIST}?status__exact=applied&region__exact=lubelskie")
    assert "Klinika Słońce" in html
    assert "Szpital Aktywny" not in html


def test_approval_asks_for_a_message_then_activates_and_notifies_the_admins(
    client, coordinator, application
):
    confirmation = admin_action(client, CHANGELIST, "approve", application)
    assert confirmation.status_code == 200
    assert "Message to the organisation&#x27;s administrators" in confirmation.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.APPLIED  # nothing happens before confirming

    response = admin_action(
        client, CHANGELIST, "approve", application, message="Witamy w klastrze!"
    )
    assert "Approve: done for 1 organisation." in response.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE
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
    response = admin_action(client, CHANGELIST, "reject", application, message="")
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.APPLIED

    admin_action(client, CHANGELIST, "reject", application, message="Brak dokumentów rejestrowych.")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.REJECTED
    assert Notification.objects.get(kind="membership.rejected").to_email == "admin@slonce.example"
    deliver_outbox()
    assert "Brak dokumentów rejestrowych." in last_mail_to("admin@slonce.example").body


def test_a_decision_on_an_already_decided_organisation_is_refused_with_a_message(
    client, coordinator, application
):
    admin_action(client, CHANGELIST, "approve", application, message="")
    response = admin_action(client, CHANGELIST, "reject", application, message="Za późno.")
    assert "“Reject” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE
    assert not Notification.objects.filter(kind="membership.rejected").exists()


def test_suspend_reinstate_and_resign(client, coordinator, application):
    admin_action(client, CHANGELIST, "approve", application, message="")
    admin_action(client, CHANGELIST, "suspend", application, message="Zaległe składki.")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.SUSPENDED
    admin_action(client, CHANGELIST, "reinstate", application, message="")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.ACTIVE
    admin_action(client, CHANGELIST, "resign", application, message="")
    application.refresh_from_db()
    assert application.status == OrganisationStatus.RESIGNED
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
    response = admin_action(client, CHANGELIST, "reinstate", application, message="")
    assert "“Reinstate” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.APPLIED

    admin_action(client, CHANGELIST, "approve", application, message="")
    admin_action(client, CHANGELIST, "suspend", application, message="Zaległe składki.")
    response = admin_action(client, CHANGELIST, "approve", application, message="")
    assert "“Approve” does not apply to it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == OrganisationStatus.SUSPENDED


def test_status_cannot_be_edited_by_hand(client, coordinator, application):
    page = client.get(change_url(application))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name"' in html  # the change form is there, without a status field
    assert 'name="status"' not in html

    # A hand-made POST that sets the status saves the other fields and ignores it.
    response = post_change(client, application, status=OrganisationStatus.ACTIVE, city="Chełm")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.city == "Chełm"
    assert application.status == OrganisationStatus.APPLIED
    assert application.decided_by is None
    assert not Notification.objects.filter(kind="membership.active").exists()


def test_member_list_exports_as_csv(client, coordinator, application):
    OrganisationFactory(name="=HYPERLINK(zły)", city="Lublin")
    response = client.post(
        CHANGELIST,
        {
            "action": "export_csv",
            "_selected_action": list(Organisation.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Kind", "Status"]
    names = [row[0] for row in rows[1:]]
    assert names == ["'=HYPERLINK(zły)", "Klinika Słońce"]
    assert rows[2][2] == "Applied"


def test_a_plain_member_cannot_reach_the_organisation_admin(client, application):
    client.force_login(application.memberships.first().user)
    response = client.get(CHANGELIST, follow=True)
    assert response.redirect_chain == [(f"/admin/login/?next={CHANGELIST}", 302), ("/pl/", 302)]
    assert response.status_code == 200
    assert "To konto nie ma dostępu do panelu administracyjnego." in response.content.decode()
