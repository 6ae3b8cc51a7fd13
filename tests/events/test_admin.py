"""The cluster office in the admin: events created and published, images processed as logos
are, registrations counted, exported, checked in and added by hand."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cluster_portal.notifications.models import Notification
from events.models import Event, Registration
from events.services import registration_create
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import form_fields, member, messages_of, person, soon

pytestmark = pytest.mark.django_db

EVENTS = "/admin/events/event/"
REGISTRATIONS = "/admin/events/registration/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def office(client, coordinator):
    # Logged in directly: the second factor is set up (conftest), and a TOTP code typed at
    # the turn of its 30 seconds would make these tests flaky.
    client.force_login(coordinator)
    client.cookies["portal_language"] = "en"  # the admin has no language prefix
    return coordinator


def png(size=(1200, 630)) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    Image.new("RGB", size, (10, 90, 110)).save(buffer, format="PNG", exif=exif.tobytes())
    return buffer.getvalue()


def new_event_data(client, **changes) -> dict:
    data = form_fields(client.get(f"{EVENTS}add/").content.decode(), form_id="event_form")
    starts = timezone.localtime() + datetime.timedelta(days=30)
    data.update(
        {
            "kind": "congress",
            "slug": "kongres-telemedycyny-2027",
            "audience": "public",
            "title_pl": "Kongres Telemedycyny",
            "title_en": "Telemedicine congress",
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": "09:00:00",
            "ends_at_0": starts.strftime("%Y-%m-%d"),
            "ends_at_1": "17:00:00",
            "venue": "Centrum Spotkań i Konferencji",
            "city": "Lublin",
            "capacity": "120",
        }
    )
    data.update(changes)
    return data


def test_a_coordinator_creates_an_event_with_an_image_and_publishes_it(client, office, media_root):
    member("czlonek@szpital.example")
    data = new_event_data(client, is_published="on")
    data["image_upload"] = SimpleUploadedFile("poster.png", png())

    response = client.post(f"{EVENTS}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="kongres-telemedycyny-2027")
    assert event.is_published is False  # publishing is the action's, not a checkbox's
    assert event.image.name.startswith("events/")
    with Image.open(event.image.path) as stored:
        assert stored.size == (1200, 630)
        assert not stored.getexif()
    with Image.open(event.image_thumbnail.path) as thumbnail:
        assert max(thumbnail.size) <= 640

    response = client.post(EVENTS, {"action": "publish", "_selected_action": [event.pk]})

    assert response.status_code == 302
    assert messages_of(response)[-1] == "1 event published; 1 people notified."
    event.refresh_from_db()
    assert event.is_published is True
    assert Notification.objects.get(kind="events.announcement").to_email == (
        "czlonek@szpital.example"
    )


def test_an_svg_is_refused_as_an_event_image_and_nothing_is_stored(client, office, media_root):
    data = new_event_data(client)
    data["image_upload"] = SimpleUploadedFile(
        "poster.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    )

    response = client.post(f"{EVENTS}add/", data)

    assert response.status_code == 200
    assert "SVG images are not accepted" in response.content.decode()
    assert not Event.objects.exists()
    assert list(media_root.rglob("*.*")) == []


def test_a_replaced_image_is_deleted_after_the_change(
    client, office, media_root, django_capture_on_commit_callbacks
):
    client.post(
        f"{EVENTS}add/",
        {**new_event_data(client), "image_upload": SimpleUploadedFile("a.png", png())},
    )
    event = Event.objects.get()
    old = event.image.path
    data = form_fields(
        client.get(f"{EVENTS}{event.pk}/change/").content.decode(), form_id="event_form"
    )
    data["image_upload"] = SimpleUploadedFile("b.png", png((800, 400)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{EVENTS}{event.pk}/change/", data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.image.path != old
    assert not (media_root / old).exists()


def test_a_new_date_in_the_admin_is_told_to_the_registered(client, office):
    event = soon(title_en="Telemedicine congress")
    registration_create(event=event, user=person("zapisana@szpital.example"))
    data = form_fields(
        client.get(f"{EVENTS}{event.pk}/change/").content.decode(), form_id="event_form"
    )
    week = datetime.timedelta(days=7)
    data["starts_at_0"] = (timezone.localtime(event.starts_at) + week).strftime("%Y-%m-%d")
    data["ends_at_0"] = (timezone.localtime(event.ends_at) + week).strftime("%Y-%m-%d")

    response = client.post(f"{EVENTS}{event.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    [changed] = Notification.objects.filter(kind="events.changed")
    assert changed.to_email == "zapisana@szpital.example"


def test_the_event_list_counts_seats_and_the_waiting_list(client, office):
    event = soon(capacity=1, title_pl="Warsztaty EKG")
    for _ in range(3):
        registration_create(event=event, user=person())

    html = client.get(EVENTS).content.decode()

    assert f"?event__id__exact={event.pk}&amp;status__exact=confirmed" in html
    assert ">1 / 1</a>" in html and ">2</a>" in html


def test_registrations_are_counted_by_status_searched_and_filtered(client, office):
    event = soon(capacity=1)
    registration_create(event=event, user=person(full_name="Anna Nowak"))
    registration_create(event=event, user=person(full_name="Jan Kowalski"))
    registration_create(event=soon(), user=person(full_name="Ewa Zielińska"))

    html = client.get(REGISTRATIONS, {"event__id__exact": event.pk}).content.decode()
    assert "<strong>Confirmed</strong> 1 · <strong>On the waiting list</strong> 1" in html
    assert "Ewa Zielińska" not in html
    found = client.get(REGISTRATIONS, {"q": "Kowalski"}).content.decode()
    assert "Jan Kowalski" in found and "Anna Nowak" not in found
    waiting = client.get(REGISTRATIONS, {"status__exact": "waitlisted"}).content.decode()
    assert "Jan Kowalski" in waiting and "Anna Nowak" not in waiting


def test_the_attendees_export_neutralises_formulas(client, office):
    event = soon(title_en="ECG workshop")
    hospital = OrganisationFactory(name="+48 Szpital")
    seat = registration_create(
        event=event, user=member(full_name='=HYPERLINK("http://evil")', organisation=hospital)
    )
    Registration.objects.filter(pk=seat.pk).update(attended_at=timezone.now())

    response = client.post(REGISTRATIONS, {"action": "export_csv", "_selected_action": [seat.pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Event", "Name", "E-mail", "Organisation", "Status", "Attended"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][3] == "'+48 Szpital"
    assert rows[1][4:] == ["Confirmed", "yes"]


def test_marking_attendance_in_the_admin(client, office):
    seat = registration_create(event=soon(), user=person())

    response = client.post(REGISTRATIONS, {"action": "check_in", "_selected_action": [seat.pk]})

    assert response.status_code == 302
    assert messages_of(response)[-1] == "1 person marked as attended."
    seat.refresh_from_db()
    assert seat.attended_at is not None and seat.checked_in_by == office


def test_registering_someone_by_hand_when_full_is_recorded_as_above_capacity(client, office):
    event = soon(capacity=1)
    registration_create(event=event, user=person())
    guest = UserFactory(full_name="Prof. Gość Specjalny")

    response = client.post(
        f"{REGISTRATIONS}add/", {"event": event.pk, "user": guest.pk, "organisation": ""}
    )

    assert response.status_code == 302
    seat = Registration.objects.get(user=guest)
    assert (seat.status, seat.over_capacity, seat.registered_by) == ("confirmed", True, office)
    assert any("has a seat above its capacity" in text for text in messages_of(response))

    again = client.post(
        f"{REGISTRATIONS}add/", {"event": event.pk, "user": guest.pk, "organisation": ""}
    )
    assert again.status_code == 200
    assert "already has a seat or a place in line" in again.content.decode()
    assert Registration.objects.filter(user=guest).count() == 1


def test_moving_someone_up_and_giving_a_seat_in_the_admin(client, office):
    event = soon(capacity=1)
    registration_create(event=event, user=person())
    first, second = (registration_create(event=event, user=person()) for _ in range(2))

    client.post(REGISTRATIONS, {"action": "move_to_front", "_selected_action": [second.pk]})
    client.post(REGISTRATIONS, {"action": "promote", "_selected_action": [second.pk]})

    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.over_capacity) == ("confirmed", True)
    assert first.status == "waitlisted"


def test_registrations_are_history_the_office_neither_deletes_nor_edits(client, office):
    seat = registration_create(event=soon(), user=person())
    assert client.get(f"{REGISTRATIONS}{seat.pk}/delete/").status_code == 403
    page = client.get(f"{REGISTRATIONS}{seat.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_no_admin_page_or_log_line_shows_a_cancel_check_in_or_calendar_link(client, office):
    from cluster_portal.core.credentials import redact_credentials
    from cluster_portal.pages.calendar import personal_calendar_path
    from events.tokens import cancel_token, check_in_token
    from tests.helpers import admin_pages_a_coordinator_can_open, deliver_outbox

    event = soon(capacity=1)
    seat = registration_create(event=event, user=person("seat@clinic.example"))
    waiting = registration_create(event=event, user=person("waiting@clinic.example"))
    secrets = {cancel_token(seat), check_in_token(seat), cancel_token(waiting)}

    for moment in ("before delivery", "after delivery"):
        pages = admin_pages_a_coordinator_can_open(client, office)
        assert any("/admin/events/registration/" in url for url in pages)
        leaks = {url: [s for s in secrets if s in html] for url, html in pages.items()}
        assert {url: found for url, found in leaks.items() if found} == {}, moment
        deliver_outbox()

    lines = [
        f"GET /en/events/cancel/{cancel_token(seat)}/ 200",
        f"GET /check-in/{check_in_token(seat)}/ 403",
        f"GET {personal_calendar_path(seat.user)} 200",
    ]
    redacted = [redact_credentials(line) for line in lines]
    assert redacted == [
        "GET /en/events/cancel/[hidden]/ 200",
        "GET /check-in/[hidden]/ 403",
        "GET /en/calendar/[hidden].ics 200",
    ]
