"""An event from publication to a freed seat, in Chromium, in both languages.

The cluster office publishes a draft in the admin; a member registers with one click and
takes the last seat; someone else joins the waiting list; the member finds the QR code on
"My events" and cancels; the first on the waiting list gets the seat.

New texts have no Polish translation until the lead's catalogue update, so the Polish run
finds its way by what does not change with the language: names, titles, forms' actions,
statuses from the data, counts.
"""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from cluster_portal.notifications.models import Notification
from events.models import Event, Registration
from events.services import registration_create
from tests.browser.test_accessibility import blocking_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import totp_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]


def log_in(page, user, language: str, next_path: str, *, totp_secret=None):
    page.goto(f"/{language}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    if totp_secret:
        page.locator("input[name=code]").fill(totp_now(totp_secret))
        page.locator("input[name=code]").press("Enter")
    page.wait_for_url(f"**{next_path}")


def log_out(page):
    page.locator("details.account-menu summary").click()
    page.locator("form[action$='/accounts/logout/'] button").click()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_publish_register_see_the_code_cancel_and_the_next_in_line_gets_the_seat(
    page, live_server, screenshot, language
):
    from playwright.sync_api import expect

    coordinator = UserFactory(email="biuro@klaster.example", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    starts = timezone.now() + datetime.timedelta(days=21)
    event = EventFactory(
        is_published=False,
        kind="workshop",
        slug="warsztaty-ekg",
        title_pl="Warsztaty domowego EKG",
        title_en="Home ECG workshop",
        summary_pl="Urządzenia, przepływ danych i refundacja.",
        summary_en="Devices, data flows and reimbursement.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        venue="Centrum Spotkań i Konferencji",
        address="ul. Grottgera 2",
        city="Lublin",
        capacity=1,
    )
    title = event.title_pl if language == "pl" else event.title_en
    hospital = OrganisationFactory(name="Szpital Wojewódzki w Zamościu")
    member = MembershipFactory(
        organisation=hospital,
        user=UserFactory(full_name="Anna Dyrektor", preferred_language=language),
    ).user
    waiting = MembershipFactory(
        organisation=OrganisationFactory(name="Klinika Bystrzyca"),
        user=UserFactory(full_name="Jan Czekający", preferred_language=language),
    ).user

    # The cluster office publishes the draft in the admin.
    page.context.add_cookies(
        [{"name": "portal_language", "value": language, "url": live_server.url}]
    )
    log_in(page, coordinator, language, "/admin/events/event/", totp_secret=secret)
    page.locator(f"input.action-select[value='{event.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Event.objects.get(pk=event.pk).is_published
    assert Notification.objects.filter(kind="events.announcement").count() == 2
    page.context.clear_cookies()

    # A member registers with one click and takes the only seat.
    event_path = f"/{language}/events/{event.slug}/"
    log_in(page, member, language, event_path)
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.locator("address")).to_contain_text("ul. Grottgera 2")
    expect(page.locator("#seats")).to_contain_text("1")
    screenshot("event-page")
    assert blocking_violations(page) == []
    page.locator(f"form[action='/{language}/events/{event.slug}/register/'] button").click()
    expect(page.locator(".messages .message-success")).to_contain_text(title)
    assert Registration.objects.get(user=member).status == "confirmed"

    # Someone else finds the event full and joins the waiting list.
    assert registration_create(event=event, user=waiting).waitlist_position == 1
    page.reload()
    expect(page.locator("#seats")).to_contain_text("1")

    # "My events", from My cluster: the member's seat with its QR code.
    page.goto(f"/{language}/members/my/")
    page.locator(f"main a[href='/{language}/events/my/']").click()
    page.wait_for_url(f"**/{language}/events/my/")
    card = page.locator("article.registration-card", has_text=title)
    expect(card).to_be_visible()
    qr = card.locator("img[src^='data:image/png;base64,']")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 100  # a real, decodable picture
    screenshot("my-events")
    assert blocking_violations(page) == []

    # The member cancels; the seat goes to the first in line.
    card.locator("form[action*='/cancel/'] button").click()
    page.wait_for_url(f"**/{language}/events/my/")
    expect(page.locator("article.registration-card", has_text=title)).to_have_count(0)
    assert Registration.objects.get(user=member).status == "cancelled"
    assert Registration.objects.get(user=waiting).status == "confirmed"
    promoted = Notification.objects.get(kind="events.promoted")
    assert (promoted.to_email, promoted.language) == (waiting.email, language)
    screenshot("my-events-after-cancelling")
    assert blocking_violations(page) == []
    log_out(page)

    # The one promoted sees their seat and its code.
    log_in(page, waiting, language, f"/{language}/events/my/")
    card = page.locator("article.registration-card", has_text=title)
    expect(card.locator("img[src^='data:image/png;base64,']")).to_be_visible()
    assert page.console_errors == [], page.console_errors
