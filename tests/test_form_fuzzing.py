"""Every public and member form, fuzzed with Hypothesis through Django's test client.

Two properties hold for each form, whatever is posted: no response is a server error, and a
refused submission stores nothing (no row in any table a form can write to, the outbox
included, no file, no change to the row being edited). An accepted submission may store
what that form stores, once; the mails it queued can be delivered; where a form takes a
`next` address, the redirect stays on the site.

Each example runs in a savepoint that is rolled back afterwards, so every example starts
from the same fixtures (reproducible with `derandomize`) and a database error in one example
cannot leave the connection unusable for the examples Hypothesis tries after it.
"""

import contextlib
import io
import os
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from cluster_portal.notifications.delivery import notification_deliver
from cluster_portal.notifications.enums import OPTIONAL_CATEGORIES
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.notifications.tokens import SALT as UNSUBSCRIBE_SALT
from cluster_portal.notifications.tokens import unsubscribe_token
from competence_centres.forms import ParticipationDecisionForm, ParticipationRequestForm
from competence_centres.models import CentreParticipation, CompetenceCentre
from members.colleague_forms import InvitationSignupForm
from members.forms import OrganisationForm
from members.logos import process_logo
from members.models import Invitation, Organisation, OrganisationMembership, User
from members.services import organisation_invite_member, organisation_refresh_search
from members.tokens import SALT as INVITATION_SALT
from members.tokens import invitation_token
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import logged_in, with_second_factor

pytestmark = pytest.mark.django_db

# 50 examples a form keep the module well under a minute; PORTAL_FUZZ_EXAMPLES=500 hunts longer.
fuzz = hypothesis_settings(
    max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "50")),
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,  # nothing to replay: derandomized runs find the same inputs again
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NEW_PASSWORD = "Kardiologia-i-Onkologia-2026"

# --- what gets posted ------------------------------------------------------------------------

MISSING = object()  # leave the field out of the request altogether

POLISH = "Zażółć gęślą jaźń — Szpital Wojewódzki w Łodzi, ul. Żeromskiego 5"
TRICKY_TEXT = [
    "",
    " ",
    "\x00",
    "Szpital\x00Wojewódzki",
    "\x1f",
    "\x01\x02\x07\x08\x0b\x0c\x7f",
    "\t\r\n",
    "line one\r\nline two",
    POLISH,
    "ŁÓDŹ ĘĄ ŚĆŃ żółć",
    "😀🏥👩🏽‍⚕️🇵🇱",
    "\u202eexe.txt\u202c",  # right-to-left override
    "שלום עולם",
    "مستشفى الجامعة",
    "e\u0301\u0327\u0308\u20dd",  # combining marks piled on one letter
    "Z\u0335\u0321a\u0338\u0322l\u0335g\u0336o\u0337",
    "\u200b\u200d\ufeff",
    "\uffff\ufffe\U0010ffff",
    "<script>alert(1)</script>",
    "{{ request.user }}{% debug %}",
    "%(name)s %s %d %n",
    "'; DROP TABLE members_user; --",
    "../../../etc/passwd",
    "0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "None",
    "true",
    "[]",
]
TRICKY_EMAILS = [
    "nowy.czlonek@example.org",
    "NOWY.CZLONEK@EXAMPLE.ORG",
    "łukasz@example.org",
    "user@łódź.pl",
    "user@xn--d-ida3bc.pl",
    '"quoted local"@example.org',
    "user+tag@example.org",
    "a@b",
    "@example.org",
    "user@",
    "user\x00@example.org",
    "user@example.org\x00",
    "user@example.org\n",
    "a" * 250 + "@example.org",
    # 254 characters, the longest address there is; then 255.
    "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61,
    "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 62,
    "user@" + "a" * 300 + ".pl",
]
TRICKY_DIGITS = [
    "５２６０２５０２７４",  # full-width digits
    "٥٢٦٠٢٥٠٢٧٤",  # Arabic-Indic digits
    "¹²³⁴⁵⁶⁷⁸⁹⁰",  # superscripts: isdigit() but not int()
    "526-025-02-74\x00",
]

# Where a `next` parameter might try to send the visitor.
NEXT_VALUES = [
    "/pl/members/",
    "/en/centres/telemedicine/",
    "/pl/members/?q=kardio&kind=hospital",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http://testserver/pl/members/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    " //evil.example",
    "/%2F/evil.example",
    "/pl/members/\x00",
    "/pl/\u202emembers",
    "/pl/members/" + "ł" * 5000,
    "/pl/../../etc/passwd",
    "///evil.example",
    "https:evil.example",
]

PIECES = ["a", "ł", "😀", "\x00", "e\u0301", "\u202e", " ", "\x1f"]
# 100 000 characters of one kind: plain, Polish, astral, NUL, combining, RTL.
long_text = st.sampled_from(PIECES).map(lambda piece: piece * (100_000 // len(piece)))
# Just under, at and just over the lengths of the portal's fields and columns.
LIMITS = [2, 8, 10, 13, 14, 16, 32, 40, 64, 80, 120, 150, 200, 254, 255, 256, 500, 2000, 2001]
boundary_text = st.builds(
    lambda piece, limit, shift: piece * (limit + shift),
    st.sampled_from(PIECES[:3]),
    st.sampled_from(LIMITS),
    st.sampled_from([-1, 0, 1]),
)
short_text = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=40))
text_value = st.one_of(short_text, boundary_text, long_text)
number_value = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# A file where text is expected.
stray_file = st.builds(
    upload,
    name=st.sampled_from(["notes.txt", "logo.png", "żółw.pdf", "a\u202egnp.exe", "no-extension"]),
    content=st.binary(max_size=256),
)


def wrong_values(*, also=()) -> st.SearchStrategy:
    """Something a field does not expect: odd text, a number out of range, several values,
    a file, nothing at all, or one of `also` (values that are nearly right)."""
    several = st.lists(short_text, min_size=2, max_size=4)
    nearly_right = [st.sampled_from(list(also))] * 2 if also else []
    return st.one_of(
        *nearly_right,
        short_text,
        boundary_text,
        long_text,
        number_value,
        several,
        stray_file,
        st.just(MISSING),
    )


@st.composite
def form_data(draw, valid: dict, *, wrong: dict | None = None, longest: dict | None = None) -> dict:
    """One posted form: a few fields wrong and the others valid, so that examples get past
    the rest of the form to what each value reaches; sometimes every field is wrong.

    `wrong` gives a field its own strategy instead of `wrong_values()`. `longest` holds the
    longest values the form allows, posted together in some examples: valid, yet where
    anything that copies them into a shorter column overflows.
    """
    wrong = wrong or {}
    names = list(valid)
    if longest and draw(st.booleans()):
        valid = {**valid, **longest}
    chosen = draw(st.one_of(st.sets(st.sampled_from(names), max_size=3), st.just(set(names))))
    data = {}
    for name, value in valid.items():
        if name in chosen:
            value = draw(wrong.get(name, wrong_values()))
        if value is not MISSING:
            data[name] = value
    return data


def longest_values(form_class, names, *, prefix: str = "") -> dict[str, str]:
    """The longest text each of `names` takes, in Polish letters (two bytes each in UTF-8)."""
    return {f"{prefix}{name}": "Ż" * form_class.base_fields[name].max_length for name in names}


def email_of_length(length: int) -> str:
    return "a" * (length - len("@example.org")) + "@example.org"


# Addresses around the 254 characters of the columns that keep them, or odd ones.
email_values = st.one_of(
    st.integers(min_value=250, max_value=260).map(email_of_length),
    wrong_values(also=TRICKY_EMAILS),
)


# --- logos -------------------------------------------------------------------------------------


def image_bytes(fmt: str, *, size=(12, 8), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=fmt, **options)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
PNG_SIGNATURE = PNG[:8]
# An IHDR that declares 5000 by 5000 pixels, followed by nothing.
PNG_DECLARING_TOO_MANY_PIXELS = PNG_SIGNATURE + PNG[8:16] + (5000).to_bytes(4, "big") * 2
LOGO_FILES = [
    ("logo.png", PNG, "image/png"),
    ("logo.jpg", JPEG, "image/jpeg"),
    ("logo.webp", image_bytes("WEBP"), "image/webp"),
    ("logo.png", image_bytes("PNG", mode="I;16"), "image/png"),
    ("logo.png", image_bytes("PNG", mode="P", transparency=0), "image/png"),
    ("logo.png", image_bytes("PNG", mode="LA"), "image/png"),
    ("logo.png", image_bytes("PNG", mode="1"), "image/png"),
    ("logo.jpg", image_bytes("JPEG", mode="CMYK"), "image/jpeg"),
    ("logo.png", image_bytes("PNG", size=(1, 1)), "image/png"),
    ("logo.gif", image_bytes("GIF"), "image/gif"),
    ("logo.bmp", image_bytes("BMP"), "image/bmp"),
    ("logo.png", PNG_SIGNATURE, "image/png"),
    ("logo.png", PNG_DECLARING_TOO_MANY_PIXELS, "image/png"),
    ("logo.png", b"This is a text file, not a picture.\n", "image/png"),
    ("logo.png", b"", "image/png"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    ("logo.png", b"<?xml version='1.0'?><svg onload='alert(1)'/>", "image/png"),
    ("logo.png", JPEG, "image/png"),  # the name lies about the format
]
logo_file = st.one_of(
    st.sampled_from(LOGO_FILES).map(lambda spec: upload(*spec)),
    st.integers(min_value=0, max_value=len(PNG) - 1).map(
        lambda cut: upload("logo.png", PNG[:cut], "image/png")  # a truncated PNG
    ),
    st.integers(min_value=0, max_value=len(JPEG) - 1).map(
        lambda cut: upload("logo.jpg", JPEG[:cut], "image/jpeg")
    ),
    st.binary(max_size=2048).map(lambda junk: upload("logo.png", PNG_SIGNATURE + junk)),
    st.binary(max_size=2048).map(lambda junk: upload("logo.png", junk, "image/png")),
)
logo_value = st.one_of(
    st.just(MISSING),
    logo_file,
    st.lists(logo_file, min_size=2, max_size=3),  # several files for one field
    short_text,  # text where a file is expected
)


def exif_jpeg(orientation: int) -> bytes:
    image = Image.new("RGB", (12, 8))
    exif = image.getexif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


IMAGES_TO_MUTATE = [
    PNG,
    JPEG,
    image_bytes("WEBP", mode="RGBA"),
    image_bytes("PNG", mode="P"),
    image_bytes("PNG", mode="I;16"),
    image_bytes("JPEG", mode="CMYK"),
    exif_jpeg(6),
    exif_jpeg(9),
]


def mutated(original: bytes, edits: list[tuple[int, int, str]]) -> bytes:
    content = bytearray(original)
    for position, byte, how in edits:
        at = position % max(len(content), 1)
        if how == "flip":
            content[at : at + 1] = bytes([byte])
        elif how == "cut":
            del content[at : at + byte % 16 + 1]
        else:
            content[at:at] = bytes([byte]) * (byte % 8 + 1)
    return bytes(content)


mutated_image = st.builds(
    mutated,
    st.sampled_from(IMAGES_TO_MUTATE),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2**16),
            st.integers(min_value=0, max_value=255),
            st.sampled_from(["flip", "cut", "insert"]),
        ),
        min_size=1,
        max_size=8,
    ),
)


# --- what gets stored --------------------------------------------------------------------------

COUNTED = {
    "users": User,
    "addresses": EmailAddress,
    "authenticators": Authenticator,
    "organisations": Organisation,
    "memberships": OrganisationMembership,
    "invitations": Invitation,
    "participations": CentreParticipation,
    "notifications": Notification,
    "preferences": NotificationPreference,
}


def stored(media_root: Path) -> dict[str, int]:
    counts = {name: model.objects.count() for name, model in COUNTED.items()}
    counts["files"] = sum(1 for path in media_root.rglob("*") if path.is_file())
    return counts


def refused_with_message(response) -> bool:
    return any(
        message.level >= message_levels.WARNING for message in get_messages(response.wsgi_request)
    )


def is_accepted(response, success_statuses) -> bool:
    return response.status_code in success_statuses and not refused_with_message(response)


@contextlib.contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def check_submission(
    send,
    media_root: Path,
    *,
    may_store: dict[str, int] | None = None,
    success_statuses=(302,),
    row=None,
    stored_once=(),
):
    """Send one submission, check the two properties and return the response.

    `may_store`: at most how many rows per table an accepted submission adds.
    `row`: reads what the submission may change in place; a refusal must leave it alone.
    `stored_once`: tables an identical second submission must not add to.
    """
    before, row_before = stored(media_root), row() if row else None
    response = send()
    assert response.status_code < 500
    after = stored(media_root)
    changes = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    if not is_accepted(response, success_statuses):
        assert changes == {}, f"refused ({response.status_code}) but stored {changes}"
        if row:
            assert row() == row_before, f"refused ({response.status_code}) but changed the row"
        return response
    allowed = may_store or {}
    excess = {
        name: change for name, change in changes.items() if not 0 <= change <= allowed.get(name, 0)
    }
    assert excess == {}, f"accepted, and stored {excess} (allowed: {allowed})"
    if changes.get("notifications"):
        # What an accepted form queued can be sent: fuzzed names end up in mail headers.
        pending = Notification.objects.filter(status="pending")
        report = notification_deliver(ids=list(pending.values_list("id", flat=True)))
        undelivered = report.failed + report.to_retry
        errors = Notification.objects.filter(pk__in=undelivered).values_list("last_error")
        assert undelivered == [], f"accepted, but its mail cannot be sent: {list(errors)}"
    if stored_once:
        again_before = stored(media_root)
        assert send().status_code < 500
        again_after = stored(media_root)
        twice = {
            name: again_after[name] - again_before[name]
            for name in stored_once
            if again_after[name] != again_before[name]
        }
        assert twice == {}, f"the same submission, sent twice, stored again: {twice}"
    return response


def assert_stays_on_site(location: str) -> None:
    """Whatever a `next` parameter said, the redirect leads to this site: read as a browser
    reads it (leading blanks and control characters dropped, backslashes as slashes)."""
    as_read = location.lstrip("".join(map(chr, range(33)))).replace("\\", "/")
    parts = urlsplit(as_read)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(db) -> User:
    return UserFactory(email="ewa.lis@szpital.example", full_name="Ewa Lis")


@pytest.fixture
def cluster_office(db) -> User:
    """A coordinator, so that applications and requests write notifications to someone."""
    user = UserFactory(email="biuro@klaster.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


@pytest.fixture
def hospital(db) -> Organisation:
    return OrganisationFactory(
        name="Szpital Wojewódzki w Zamościu",
        city="Zamość",
        website="https://szpital-zamosc.example",
        contact_name="Ewa Lis",
        contact_email="ewa.lis@szpital.example",
    )


@pytest.fixture
def hospital_admin(hospital, member) -> User:
    MembershipFactory(organisation=hospital, user=member, role="admin")
    return member


@pytest.fixture
def telemedicine(db) -> CompetenceCentre:
    return CompetenceCentre.objects.get(slug="telemedicine")


@pytest.fixture
def invitation(hospital, hospital_admin) -> Invitation:
    return organisation_invite_member(
        organisation=hospital,
        actor=hospital_admin,
        email="nowy.lekarz@szpital.example",
        role="member",
    )


@pytest.fixture
def colleague(hospital) -> OrganisationMembership:
    return MembershipFactory(organisation=hospital, role="member")


@pytest.fixture
def requested_participation(hospital, hospital_admin, telemedicine) -> CentreParticipation:
    return ParticipationFactory(
        organisation=hospital, centre=telemedicine, status="requested", motivation="Prosimy."
    )


@pytest.fixture
def telemedicine_coordinator(telemedicine) -> User:
    user = UserFactory(email="koordynator@telemedycyna.example")
    telemedicine.coordinators.add(user)
    with_second_factor(user)  # the coordination pages ask for it
    return user


@pytest.fixture
def member_with_second_factor(member) -> User:
    with_second_factor(member)
    return member


@pytest.fixture
def elsewhere(db) -> Organisation:
    """Somebody else's organisation."""
    return OrganisationFactory(name="Przychodnia Obca")


@pytest.fixture
def listed_organisations(db, telemedicine):
    organisations = [
        OrganisationFactory(name="Kardiologia Lublin", specialisations="kardiologia"),
        OrganisationFactory(name="Onkologia Zamość", kind="public_medical"),
        OrganisationFactory(name="Uniwersytet Medyczny", kind="university"),
    ]
    ParticipationFactory(organisation=organisations[0], centre=telemedicine)
    organisation_refresh_search(organisation_ids=[o.pk for o in organisations])
    return organisations


# --- allauth -----------------------------------------------------------------------------------

SIGN_UP = {"email": "nowa.osoba@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


@fuzz
@given(data=st.data())
def test_sign_up_form(data, media_root):
    posted = data.draw(form_data(SIGN_UP, wrong={"email": email_values}))
    with rolled_back():
        client = Client()
        check_submission(
            lambda: client.post(reverse("account_signup"), posted),
            media_root,
            may_store={"users": 1, "addresses": 1, "notifications": 1},
            stored_once=("users", "addresses"),
        )
        typed = posted.get("email")
        typed = typed[-1] if isinstance(typed, list) else typed  # the last value counts
        for email in User.objects.values_list("email", flat=True):
            # The account has the address as typed (trimmed, in lower case), not a cut one.
            assert email == typed.strip().lower()


@fuzz
@given(data=st.data())
def test_login_form(data, media_root, member):
    valid = {
        "login": member.email,
        "password": DEFAULT_PASSWORD,
        "remember": "on",
        "next": "/pl/members/my/",
    }
    posted = data.draw(
        form_data(
            valid,
            wrong={
                "login": email_values,
                "next": wrong_values(also=NEXT_VALUES),
            },
        )
    )
    with rolled_back():
        client = Client()
        response = check_submission(
            lambda: client.post(reverse("account_login"), posted), media_root
        )
        if response.status_code == 302:
            assert_stays_on_site(response["Location"])


@fuzz
@given(data=st.data())
def test_second_factor_code_form_during_login(data, media_root, member_with_second_factor):
    member = member_with_second_factor
    posted = data.draw(form_data({"code": "000000"}))
    with rolled_back():
        client = Client()
        stage = client.post(
            reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
        )
        assert stage.status_code == 302
        assert stage["Location"] == reverse("mfa_authenticate")
        check_submission(
            lambda: client.post(reverse("mfa_authenticate"), posted),
            media_root,
            row=lambda: list(Authenticator.objects.values_list("data", "last_used_at")),
        )


@fuzz
@given(data=st.data())
def test_password_reset_request_form(data, media_root, member):
    posted = data.draw(
        form_data(
            {"email": member.email},
            wrong={"email": email_values},
        )
    )
    with rolled_back():
        client = Client()
        check_submission(
            lambda: client.post(reverse("account_reset_password"), posted),
            media_root,
            may_store={"notifications": 1},
        )


@fuzz
@given(data=st.data())
def test_add_email_address_form(data, media_root, member):
    valid = {"email": "ewa.lis@prywatna.example", "action_add": ""}
    posted = data.draw(form_data(valid, wrong={"email": email_values}))
    with rolled_back():
        client = logged_in(member)
        check_submission(
            lambda: client.post(reverse("account_email"), posted),
            media_root,
            may_store={"addresses": 1, "notifications": 2},
            row=lambda: list(
                EmailAddress.objects.filter(user=member).values_list("email", "verified", "primary")
            ),
            stored_once=("addresses",),
        )


@fuzz
@given(data=st.data())
def test_change_password_form(data, media_root, member):
    valid = {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    posted = data.draw(form_data(valid))
    with rolled_back():
        client = logged_in(member)
        check_submission(
            lambda: client.post(reverse("account_change_password"), posted),
            media_root,
            may_store={"notifications": 1},
            row=lambda: User.objects.values_list("password", flat=True).get(pk=member.pk),
        )


# --- members -----------------------------------------------------------------------------------

APPLICATION = {
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
    "contact_is_public": "",
    "is_public": "on",
}


ORGANISATION_FREE_TEXT = ["name", "street", "city", "specialisations", "contact_name"]


def organisation_form_data(valid: dict) -> st.SearchStrategy[dict]:
    """The text fields as `form_data` makes them, and a logo drawn for every example."""
    identifiers = {name: wrong_values(also=TRICKY_DIGITS) for name in ("nip", "regon", "krs")}
    text_fields = form_data(
        valid,
        longest=longest_values(OrganisationForm, ORGANISATION_FREE_TEXT),
        wrong={
            **identifiers,
            "region": wrong_values(also=["abroad", "mazowieckie"]),
            "country": wrong_values(also=["DE", "de", "pl", "XX", "ŁÓ"]),
            "contact_email": email_values,
            "website": wrong_values(
                also=["wzrok.example", "javascript:alert(1)", "http://[::1", "https://ł.pl/ż"],
            ),
        },
    )
    return st.builds(
        lambda data, logo: data if logo is MISSING else {**data, "logo_upload": logo},
        text_fields,
        logo_value,
    )


@fuzz
@given(data=st.data())
def test_organisation_registration_form(data, media_root, member, cluster_office):
    posted = data.draw(organisation_form_data(APPLICATION))
    with rolled_back():
        client = logged_in(member)
        check_submission(
            lambda: client.post(reverse("members:register"), posted),
            media_root,
            may_store={"organisations": 1, "memberships": 1, "notifications": 1, "files": 2},
            stored_once=("organisations", "memberships", "files"),
        )


@fuzz
@given(data=st.data())
def test_organisation_profile_form(data, media_root, hospital, hospital_admin):
    form = OrganisationForm(instance=hospital)
    current = {
        name: "on" if value is True else ("" if value in (None, False) else str(value))
        for name in form.fields
        if name != "logo_upload"
        for value in [form[name].value()]
    }
    posted = data.draw(organisation_form_data(current))
    with rolled_back():
        client = logged_in(hospital_admin)
        check_submission(
            lambda: client.post(
                reverse("members:organisation_edit", kwargs={"slug": hospital.slug}), posted
            ),
            media_root,
            may_store={"files": 2},
            row=lambda: Organisation.objects.filter(pk=hospital.pk).values().get(),
        )


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on corrupt EXIF data
@hypothesis_settings(fuzz, max_examples=5 * fuzz.max_examples)
@given(content=mutated_image)
def test_a_logo_of_any_bytes_is_refused_with_a_message_or_re_encoded(content):
    # The HTTP tests above post fewer files; this goes through many more, quickly.
    try:
        processed = process_logo(upload("logo.png", content, "image/png"))
    except ValidationError:
        return
    for encoded in (processed.logo, processed.thumbnail):
        Image.open(io.BytesIO(encoded.read())).verify()


@fuzz
@given(data=st.data())
def test_invitation_form(data, media_root, hospital, hospital_admin):
    valid = {"email": "nowy.lekarz@szpital.example", "role": "member"}
    posted = data.draw(
        form_data(
            valid,
            wrong={
                "email": email_values,
                "role": wrong_values(also=["admin", "owner", "ADMIN", "member\x00"]),
            },
        )
    )
    with rolled_back():
        client = logged_in(hospital_admin)
        check_submission(
            lambda: client.post(
                reverse("members:invitation_create", kwargs={"slug": hospital.slug}), posted
            ),
            media_root,
            may_store={"invitations": 1, "notifications": 1},
        )


@fuzz
@given(data=st.data())
def test_invitation_sign_up_form(data, media_root, invitation):
    url = reverse("members:invitation_accept", kwargs={"token": invitation_token(invitation)})
    valid = {"full_name": "Jan Nowak", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    posted = data.draw(
        form_data(valid, longest=longest_values(InvitationSignupForm, ["full_name"]))
    )
    with rolled_back():
        client = Client()
        check_submission(
            lambda: client.post(url, posted),
            media_root,
            may_store={"users": 1, "addresses": 1, "memberships": 1, "notifications": 1},
            row=lambda: Invitation.objects.filter(pk=invitation.pk).values().get(),
            stored_once=("users", "addresses", "memberships", "notifications"),
        )


@fuzz
@given(data=st.data())
def test_membership_role_form(data, media_root, hospital, hospital_admin, colleague):
    posted = data.draw(
        form_data(
            {"role": "admin"},
            wrong={"role": wrong_values(also=["member", "owner", "Admin", " admin"])},
        )
    )
    url = reverse(
        "members:membership_role", kwargs={"slug": hospital.slug, "membership_id": colleague.pk}
    )
    with rolled_back():
        client = logged_in(hospital_admin)
        check_submission(
            lambda: client.post(url, posted),
            media_root,
            row=lambda: list(hospital.memberships.order_by("pk").values_list("pk", "role")),
        )


# --- competence centres ------------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_centre_join_request_form(
    data, media_root, hospital, hospital_admin, telemedicine, cluster_office, elsewhere
):
    valid = {"organisation": str(hospital.pk), "motivation": "Chcemy rozwijać telekonsultacje."}
    posted = data.draw(
        form_data(
            valid,
            longest=longest_values(ParticipationRequestForm, ["motivation"]),
            wrong={
                "organisation": wrong_values(
                    also=[str(elsewhere.pk), f" {hospital.pk}", f"{hospital.pk}.0", "abc", "-1"],
                )
            },
        )
    )
    url = reverse("competence_centres:request", kwargs={"slug": telemedicine.slug})
    with rolled_back():
        client = logged_in(hospital_admin)
        check_submission(
            lambda: client.post(url, posted),
            media_root,
            may_store={"participations": 1, "notifications": 1},
            stored_once=("participations", "notifications"),
        )


@fuzz
@given(data=st.data())
def test_coordinator_decision_form(
    data, media_root, telemedicine, telemedicine_coordinator, requested_participation
):
    coordinator, participation = telemedicine_coordinator, requested_participation
    prefix = f"p{participation.pk}"
    valid = {f"{prefix}-decision": "accept", f"{prefix}-message": "Witamy w centrum."}
    posted = data.draw(
        form_data(
            valid,
            longest=longest_values(ParticipationDecisionForm, ["message"], prefix=f"{prefix}-"),
            wrong={
                f"{prefix}-decision": wrong_values(
                    also=["decline", "Accept", "accept\x00", "left", "active"]
                )
            },
        )
    )
    # A field named for another request may come along, as from a second form on the page.
    extra = data.draw(
        st.one_of(st.just({}), st.fixed_dictionaries({"p999999-decision": text_value}))
    )
    url = reverse(
        "competence_centres:decide",
        kwargs={"slug": telemedicine.slug, "participation_id": participation.pk},
    )
    with rolled_back():
        client = logged_in(coordinator)
        check_submission(
            lambda: client.post(url, {**posted, **extra}),
            media_root,
            may_store={"notifications": 1},
            row=lambda: CentreParticipation.objects.filter(pk=participation.pk).values().get(),
        )


# --- notifications -----------------------------------------------------------------------------


@fuzz
@given(data=st.data())
def test_notification_preferences_form(data, media_root, member):
    valid = {category.value: "on" for category, _help in OPTIONAL_CATEGORIES}
    posted = data.draw(
        form_data(
            valid,
            wrong={name: wrong_values(also=["off", "false", "0", "False", ""]) for name in valid},
        )
    )
    extra = data.draw(st.one_of(st.just({}), st.fixed_dictionaries({"account": text_value})))
    with rolled_back():
        client = logged_in(member)
        check_submission(
            lambda: client.post(reverse("notifications:preferences"), {**posted, **extra}),
            media_root,
            may_store={"preferences": len(valid)},
            stored_once=("preferences",),
        )


def signed(payload, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def tampered(token: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(token[:-1]),
        st.just(token + "x"),
        st.just(token.upper()),
        st.integers(min_value=0, max_value=len(token) - 1).map(
            lambda at: token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
        ),
        st.just(token.replace(":", "%3A")),
    )


def path_segment(tokens: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A token as it could reach the URL: percent-encoded, or raw junk that decodes oddly."""
    return st.one_of(
        tokens.map(lambda token: quote(token, safe="")),
        st.binary(min_size=1, max_size=40).map(lambda raw: "".join(f"%{b:02X}" for b in raw)),
        st.sampled_from(["%00", "%ff%fe", "%E2%82", "%C0%AF", "..", "%2e%2e", "%2F", "~"]),
    )


@fuzz
@given(data=st.data())
def test_unsubscribe_with_random_tokens(data, media_root, member):
    valid = unsubscribe_token(user_id=member.pk, category="events")
    tokens = st.one_of(
        st.just(valid),
        tampered(valid),
        text_value.filter(bool),
        st.sampled_from(
            [
                signed({"u": member.pk, "c": "account"}, UNSUBSCRIBE_SALT),  # essential
                signed({"u": member.pk, "c": "nonsense"}, UNSUBSCRIBE_SALT),
                signed({"u": member.pk, "c": ["events"]}, UNSUBSCRIBE_SALT),
                signed({"u": str(member.pk), "c": "events"}, UNSUBSCRIBE_SALT),
                signed({"u": True, "c": "events"}, UNSUBSCRIBE_SALT),
                signed({"u": 2**70, "c": "events"}, UNSUBSCRIBE_SALT),
                signed({"u": -1, "c": "events"}, UNSUBSCRIBE_SALT),
                signed({"u": member.pk, "c": "events\x00"}, UNSUBSCRIBE_SALT),
                signed([member.pk, "events"], UNSUBSCRIBE_SALT),
                signed({"u": member.pk, "c": "events"}, INVITATION_SALT),  # another salt
            ]
        ),
    )
    segment = data.draw(path_segment(tokens))
    body = data.draw(st.one_of(st.just({}), form_data({"List-Unsubscribe": "One-Click"})))
    url = reverse("notifications:unsubscribe", kwargs={"token": "TOKEN"}).replace("TOKEN", segment)
    with rolled_back():
        client = Client()
        assert client.get(url).status_code < 500
        check_submission(
            lambda: client.post(url, body),
            media_root,
            may_store={"preferences": 1},
            success_statuses=(200,),
            stored_once=("preferences",),
        )


@fuzz
@given(data=st.data())
def test_invitation_page_with_random_tokens(data, media_root, invitation):
    valid = invitation_token(invitation)
    tokens = st.one_of(
        tampered(valid),
        text_value.filter(bool),
        st.sampled_from(
            [
                signing.dumps(2**70, salt=INVITATION_SALT),
                signing.dumps(-1, salt=INVITATION_SALT),
                signing.dumps(True, salt=INVITATION_SALT),
                signing.dumps(str(invitation.pk), salt=INVITATION_SALT),
                signing.dumps([invitation.pk], salt=INVITATION_SALT),
                signing.dumps(invitation.pk, salt=UNSUBSCRIBE_SALT),
            ]
        ),
    )
    segment = data.draw(path_segment(tokens))
    posted = data.draw(
        form_data({"full_name": "Jan Nowak", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    )
    url = reverse("members:invitation_accept", kwargs={"token": "TOKEN"}).replace("TOKEN", segment)
    with rolled_back():
        client = Client()
        assert client.get(url).status_code < 500
        check_submission(lambda: client.post(url, posted), media_root)


# --- ids in URLs --------------------------------------------------------------------------------

ID_PLACEHOLDER = 987654321


@fuzz
@given(
    which=st.sampled_from(["role", "remove", "revoke", "decide", "leave"]),
    object_id=st.one_of(
        st.integers(min_value=0, max_value=2**70).map(str),
        st.integers(min_value=1, max_value=50).map(lambda n: "0" * n + "1"),
        short_text.filter(bool).map(lambda text: quote(text, safe="")),
    ),
)
def test_ids_in_urls_out_of_range_or_not_numbers(
    which,
    object_id,
    media_root,
    hospital,
    hospital_admin,
    colleague,
    invitation,
    telemedicine,
    telemedicine_coordinator,
    requested_participation,
):
    names = {
        "role": ("members:membership_role", "membership_id", hospital_admin),
        "remove": ("members:membership_remove", "membership_id", hospital_admin),
        "revoke": ("members:invitation_revoke", "invitation_id", hospital_admin),
        "decide": ("competence_centres:decide", "participation_id", telemedicine_coordinator),
        "leave": ("competence_centres:leave", "participation_id", hospital_admin),
    }
    name, id_name, user = names[which]
    slug = telemedicine.slug if name.startswith("competence") else hospital.slug
    url = reverse(name, kwargs={"slug": slug, id_name: ID_PLACEHOLDER}).replace(
        str(ID_PLACEHOLDER), object_id
    )
    with rolled_back():
        before = stored(media_root)
        response = logged_in(user).post(url, {"role": "admin"})
        assert response.status_code < 500
        if response.status_code == 404:
            assert stored(media_root) == before


# --- GET forms -----------------------------------------------------------------------------------

DIRECTORY_VALUES = [
    "hospital",
    "public_medical",
    "non_public_medical",
    "university",
    "lubelskie",
    "abroad",
    "telemedicine",
    "ict",
    "name",
    "newest",
    "relevance",
    "1",
    "2",
    "last",
    "kardio",
    'kardiologia "onkologia',
    "kardiologia OR -onkologia",
    "kardio:* & !onko | (",
    "\\",
]
RAW_QUERY_JUNK = [
    "%00",
    "q=%00",
    "q=%ff%fe",
    "q=%E2%82",
    "kind=%C0%AF",
    "page=%F0%9F%98%80",
    "page=%00",
    "sort=%",
    "%%",
    "q=%zz",
    "&&&",
    "===",
    ";",
    "q",
    "kind",
    "q=a+b%2Bc",
]


def query_pairs() -> st.SearchStrategy[list[tuple[str, str]]]:
    key = st.one_of(
        st.sampled_from(["q", "kind", "region", "centre", "sort", "page"]), st.text(max_size=6)
    )
    value = st.one_of(st.sampled_from(DIRECTORY_VALUES), short_text, long_text, number_value)
    return st.lists(st.tuples(key, value), max_size=8)


raw_query_junk = st.lists(
    st.one_of(
        st.sampled_from(RAW_QUERY_JUNK),
        st.binary(min_size=1, max_size=12).map(
            lambda raw: "q=" + "".join(f"%{b:02X}" for b in raw)
        ),
    ),
    max_size=3,
)


@fuzz
@given(pairs=query_pairs(), junk=raw_query_junk, htmx=st.booleans(), logged_in_as=st.booleans())
def test_directory_filters(
    pairs, junk, htmx, logged_in_as, media_root, member, listed_organisations
):
    query = "&".join([urlencode(pairs, quote_via=quote), *junk])
    headers = {"HX-Request": "true"} if htmx else {}
    with rolled_back():
        client = logged_in(member) if logged_in_as else Client()
        before = stored(media_root)
        response = client.get(f"{reverse('pages:directory')}?{query}", headers=headers)
        assert response.status_code in (200, 404)
        assert stored(media_root) == before


@fuzz
@given(
    language=st.one_of(st.sampled_from(["pl", "en"]), short_text.filter(lambda s: "/" not in s)),
    next_url=st.one_of(st.sampled_from(NEXT_VALUES), text_value, st.just(MISSING)),
)
def test_language_switch_next_parameter(language, next_url, media_root):
    query = "" if next_url is MISSING else "?" + urlencode({"next": next_url}, quote_via=quote)
    path = reverse("switch_language", kwargs={"language": "xx"}).replace(
        "xx", quote(language, safe="") or "%20"
    )
    with rolled_back():
        response = Client().get(path + query)
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert_stays_on_site(response["Location"])
