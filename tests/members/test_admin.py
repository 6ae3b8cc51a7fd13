"""The admin holds coordinators to the site's rules: logos processed as on the site,
memberships read-only, each decision from its own starting states (test_admin_decisions)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import OrganisationMembership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import coordinator_in_admin, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def coordinator(client):
    return coordinator_in_admin(client, email="koordynator@klaster.example")


@pytest.fixture
def organisation(db):
    organisation = OrganisationFactory(name="Klinika Słońce")
    MembershipFactory(
        organisation=organisation,
        role="admin",
        user__email="admin@slonce.example",
        user__full_name="Anna Słoneczna",
    )
    return organisation


def change_url(organisation) -> str:
    return f"/admin/members/organisation/{organisation.pk}/change/"


def post_change(client, organisation, **changes):
    data = form_fields(
        client.get(change_url(organisation)).content.decode(), form_id="organisation_form"
    )
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
    page = client.get(change_url(organisation)).content.decode()
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
    client.post(change_url(organisation), data)

    assert list(OrganisationMembership.objects.values_list("user__email", "role")) == [
        ("admin@slonce.example", "admin")
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

    post_change(client, organisation, logo_upload=png("red"))
    organisation.refresh_from_db()
    first = [Path(organisation.logo.path), Path(organisation.logo_thumbnail.path)]
    first_url = organisation.logo.url

    with django_capture_on_commit_callbacks(execute=True):
        post_change(client, organisation, logo_upload=png("blue"))

    organisation.refresh_from_db()
    assert [path.exists() for path in first] == [False, False]
    assert Path(organisation.logo.path).exists()
    assert client.get(first_url).status_code == 404
    assert client.get(organisation.logo.url).status_code == 200
