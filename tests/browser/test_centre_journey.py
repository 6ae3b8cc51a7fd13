import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from competence_centres.models import CentreParticipation, CompetenceCentre
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

CENTRE = "/en/centres/telemedicine/"


def log_in(page, user, next_path, *, totp_secret=None):
    page.goto(f"/en/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        page.get_by_label("Code").fill(totp_now(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{next_path}")


def log_out(page):
    page.get_by_text("Account").click()
    page.get_by_role("button", name="Log out").click()


def test_admin_asks_to_join_and_a_centre_coordinator_accepts(page, screenshot):
    from playwright.sync_api import expect

    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    telemedicine.description_en = (
        "Hospitals, clinics and companies building remote care together: "
        "teleconsultations, home monitoring and shared diagnostics."
    )
    telemedicine.leader = OrganisationFactory(name="Uniwersytet Medyczny w Lublinie")
    telemedicine.save()
    coordinator = UserFactory(
        email="koordynator@telemedycyna.example",
        full_name="Piotr Nowicki",
        job_title="Koordynator centrum",
    )
    telemedicine.coordinators.add(coordinator)
    # The coordination page shows private contacts: its coordinators use a second factor.
    coordinator_secret = generate_totp_secret()
    TOTP.activate(coordinator, coordinator_secret)
    EventFactory(
        kind="workshop",
        title_en="Home ECG monitoring: a hands-on workshop",
        summary_en="Devices, data flows and reimbursement, with the clinics that use them.",
    ).centres.add(telemedicine)
    for name in ("Centrum Zdrowia Bystrzyca", "MedTech Lublin"):
        CentreParticipation.objects.create(
            organisation=OrganisationFactory(name=name), centre=telemedicine, status="active"
        )
    admin = MembershipFactory(
        role="admin",
        organisation=OrganisationFactory(
            name="Szpital Wojewódzki w Zamościu",
            city="Zamość",
            contact_name="Ewa Lis",
            contact_email="ewa.lis@szpital-zamosc.example",
            contact_phone="+48 84 677 33 33",
        ),
        user=UserFactory(email="dyrektor@szpital-zamosc.example", full_name="Anna Dyrektor"),
    ).user

    # The hospital's administrator asks to join Telemedicine.
    log_in(page, admin, CENTRE)
    expect(page.get_by_role("heading", name="Telemedicine", exact=True)).to_be_visible()
    expect(page.get_by_text("On behalf of Szpital Wojewódzki w Zamościu.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Home ECG monitoring: a hands-on workshop")
    ).to_be_visible()
    page.get_by_label("Why do you want to join?").fill(
        "We run a cardiology teleconsultation service for 40 rural clinics and want "
        "partners for home ECG monitoring."
    )
    screenshot("centre-page-join-form")
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("is with the coordinators of Telemedicine")).to_be_visible()
    expect(page.get_by_text("Request pending")).to_be_visible()
    screenshot("centre-page-request-pending")
    assert blocking_violations(page) == []
    log_out(page)

    # A coordinator named on the centre accepts on the coordination page.
    log_in(page, coordinator, CENTRE, totp_secret=coordinator_secret)
    page.get_by_role("link", name="Coordination").click()
    expect(page.get_by_role("heading", name="Szpital Wojewódzki w Zamościu")).to_be_visible()
    expect(page.get_by_text("home ECG monitoring")).to_be_visible()
    page.get_by_label("Message to the organisation").fill("Welcome! We meet on Thursdays.")
    screenshot("coordination-pending")
    assert blocking_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(
        page.get_by_text("Szpital Wojewódzki w Zamościu now takes part in Telemedicine.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="ewa.lis@szpital-zamosc.example")).to_be_visible()
    screenshot("coordination-accepted")
    assert blocking_violations(page) == []

    # The hospital is now listed on the public centre page.
    log_out(page)
    page.goto(CENTRE)
    expect(page.get_by_role("link", name="Szpital Wojewódzki w Zamościu")).to_be_visible()
    expect(page.get_by_text("ewa.lis@szpital-zamosc.example")).to_have_count(0)
    screenshot("centre-page-member-listed")
    assert CentreParticipation.objects.get(organisation__slug__startswith="szpital").status == (
        "active"
    )
    assert page.console_errors == [], page.console_errors
