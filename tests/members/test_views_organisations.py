"""members/views/organisations.py: registering an organisation (with its logo) and editing
its profile."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cluster_portal.notifications.models import Notification
from members.enums import MembershipRole, OrganisationStatus
from members.models import Organisation, OrganisationMembership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import get_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

URL = "/en/members/register/"


def application(**overrides):
    data = {
        "kind": "non_public_medical",
        "name": "Klinika Okulistyczna Wzrok",
        "nip": "526-025-02-74",
        "regon": "",
        "krs": "",
        "street": "ul. Lipowa 5",
        "postal_code": "20-020",
        "city": "Lublin",
        "region": "lubelskie",
        "country": "PL",
        "website": "https://wzrok.example",
        "description": "Diagnostyka i chirurgia oka.",
        "specialisations": "okulistyka, chirurgia refrakcyjna",
        "size_band": "small",
        "contact_name": "Ewa Lis",
        "contact_email": "ewa.lis@wzrok.example",
        "contact_phone": "+48 81 000 00 00",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def image_bytes(fmt="PNG", size=(64, 40), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


@pytest.fixture
def applicant(client):
    user = UserFactory(email="ewa.lis@wzrok.example")
    client.force_login(user)
    return user


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_registration_creates_an_application_with_its_creator_as_admin(client, applicant):
    coordinator = UserFactory(email="biuro@klaster.example", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    response = client.post(URL, application())
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    organisation = Organisation.objects.get()
    assert organisation.status == OrganisationStatus.APPLIED
    assert organisation.nip == "5260250274"  # typed with dashes, stored as digits
    assert organisation.slug == "klinika-okulistyczna-wzrok"
    assert OrganisationMembership.objects.get().role == MembershipRole.ADMIN
    note = Notification.objects.get(kind="membership.application_received")
    assert note.to_email == "biuro@klaster.example"
    assert "Klinika Okulistyczna Wzrok" in note.subject
    dashboard = get_html(client, "/en/members/my/")
    assert "Applied" in dashboard and "reviewing your application" in dashboard


@pytest.mark.parametrize(
    "name",
    [
        "Ż" * 255,
        "e\u0301" * 127,  # combining marks: 254 code points that show as 127 letters
    ],
    ids=["255 letters", "254 code points of combining marks"],
)
def test_the_longest_name_registers_and_the_coordinators_subject_is_cut(client, applicant, name):
    # Found by tests/test_form_fuzzing.py: the subject quoting the name outgrew its column
    # and the registration failed with a 500.
    coordinator = UserFactory(email="biuro@klaster.example", is_staff=True, preferred_language="en")
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    response = client.post(URL, application(name=name))
    assert response.status_code == 302
    assert Organisation.objects.get().name == name
    subject = Notification.objects.get(kind="membership.application_received").subject
    assert len(subject) == 255
    assert subject.startswith("New membership application: " + name[:40])
    assert subject.endswith("…")


def test_an_invalid_nip_is_refused_and_everything_typed_is_kept(client, applicant):
    response = client.post(URL, application(nip="5260250275", description="Opis, który zostaje."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This NIP is not valid: its check digit does not match." in html
    assert 'value="Klinika Okulistyczna Wzrok"' in html
    assert "Opis, który zostaje." in html
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": OrganisationStatus.APPLIED, "joined_on": None},
        {"is_public": False},
        {"status": OrganisationStatus.RESIGNED},
    ],
    ids=["application", "unlisted-member", "former-member"],
)
def test_a_duplicate_nip_of_an_organisation_not_in_the_directory_reveals_nothing_of_it(
    client, applicant, hidden
):
    OrganisationFactory(name="Klinika Dyskretna", nip="5260250274", **hidden)
    response = client.post(URL, application())
    html = response.content.decode()
    assert response.status_code == 200
    assert "An organisation with this NIP is already registered." in html
    assert "invite you" in html
    assert "Klinika Dyskretna" not in html
    assert Organisation.objects.count() == 1


def test_a_long_name_with_a_logo_registers_with_the_logo_whole(client, applicant, media_root):
    name = "Samodzielny Publiczny Zakład Opieki Zdrowotnej " * 5  # 235 characters
    upload = SimpleUploadedFile("logo.png", image_bytes("PNG"), "image/png")

    response = client.post(URL, {**application(name=name.strip()), "logo_upload": upload})

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert len(organisation.slug) > 150 and not organisation.slug.endswith("-")
    stem = Path(organisation.logo.name).stem
    assert len(stem) == 32  # the whole random name, nothing cut off
    assert Path(organisation.logo_thumbnail.name).stem == f"{stem}-thumb"
    assert client.get(organisation.logo.url).status_code == 200


def test_a_duplicate_nip_names_the_organisation_and_how_to_join_it(client, applicant):
    OrganisationFactory(name="Szpital Miejski", nip="5260250274")
    response = client.post(URL, application())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Szpital Miejski is already registered with this NIP." in html
    assert "invite you" in html
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nip": ""}, "nip", "Organisations in Poland give their NIP."),
        ({"region": "abroad", "country": "", "nip": ""}, "country", "two-letter code"),
        ({"postal_code": "20020"}, "postal_code", "A Polish postal code looks like 20-093."),
        ({"postal_code": "٢٠-٠٩٣"}, "postal_code", "A Polish postal code looks like 20-093."),
        ({"regon": "123456786"}, "regon", "This REGON is not valid"),
        ({"krs": "12345"}, "krs", "A KRS number has exactly 10 digits."),
        ({"kind": ""}, "kind", "This field is required."),
        ({"website": "not a url"}, "website", "Enter a valid URL."),
    ],
)
def test_each_bad_field_gets_its_message(client, applicant, overrides, field, message):
    response = client.post(URL, application(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Organisation.objects.exists()


def test_a_member_abroad_registers_without_a_nip(client, applicant):
    response = client.post(
        URL,
        application(region="abroad", country="lt", nip="", postal_code="LT-44001", city="Kaunas"),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.country, organisation.nip) == ("LT", "")


def test_registration_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_registration_needs_a_verified_email(client):
    client.force_login(UserFactory(verified=False))
    response = client.post(URL, application())
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/email/"
    assert not Organisation.objects.exists()


def test_a_logo_is_re_encoded_without_metadata_with_a_thumbnail(client, applicant, media_root):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (50.0, 3.0, 0.0)}  # GPS
    upload = SimpleUploadedFile(
        "logo.jpg", image_bytes("JPEG", size=(1200, 800), exif=exif.tobytes()), "image/jpeg"
    )
    response = client.post(URL, {**application(), "logo_upload": upload})
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    with Image.open(organisation.logo.path) as logo:
        assert logo.format == "JPEG"
        assert logo.size == (1200, 800)
        assert not logo.getexif()
    with Image.open(organisation.logo_thumbnail.path) as thumbnail:
        assert max(thumbnail.size) <= 320
    assert b"SecretCam" not in Path(organisation.logo.path).read_bytes()


def bomb_png(width=30000, height=30000) -> bytes:
    """A tiny PNG that claims a huge canvas (a decompression bomb)."""
    raw = zlib.compress(b"\x00" * 100)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"this is not an image at all", "not an image we can read"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "SVG logos are not accepted",
        ),
        ("logo.png", bomb_png(), "too large to process safely"),
        ("logo.gif", image_bytes("GIF"), "Upload the logo as PNG, JPEG or WebP."),
        ("logo.png", image_bytes("PNG", size=(4100, 100)), "the limit is 4000×4000"),
    ],
)
def test_bad_logos_get_a_form_error_and_nothing_is_stored(
    client, applicant, media_root, name, content, message
):
    response = client.post(URL, {**application(), "logo_upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["logo_upload"])
    assert not Organisation.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_logo_file_is_refused(client, applicant, media_root):
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10))
    response = client.post(URL, {**application(), "logo_upload": big})
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert "the limit is 5 MB" in str(response.context["form"].errors["logo_upload"])
    assert stored_files(media_root) == []


def test_an_admin_edits_the_profile(client):
    membership = MembershipFactory(role=MembershipRole.ADMIN)
    client.force_login(membership.user)
    organisation = membership.organisation
    url = f"/en/members/{organisation.slug}/edit/"
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(description="Nowy opis placówki.", is_public="on", contact_is_public="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.description == "Nowy opis placówki."


def test_an_admin_of_one_organisation_cannot_edit_another(client):
    membership = MembershipFactory(role=MembershipRole.ADMIN)
    other = OrganisationFactory()
    client.force_login(membership.user)
    assert client.get(f"/en/members/{other.slug}/edit/").status_code == 404
    assert client.post(f"/en/members/{other.slug}/edit/", application()).status_code == 404


def test_a_plain_member_cannot_edit_the_profile(client):
    membership = MembershipFactory(role=MembershipRole.MEMBER)
    client.force_login(membership.user)
    assert client.get(f"/en/members/{membership.organisation.slug}/edit/").status_code == 404
