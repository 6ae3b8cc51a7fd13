import re

import pytest
from django.core import mail

from members.models import User
from tests.helpers import links_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]

PASSWORD = "Poradnia-Rodzinna-2026!"


def test_visitor_switches_language_signs_up_verifies_and_logs_in(page, screenshot):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/pl/$"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("heading", name="Centra kompetencji")).to_be_visible()
    expect(page.get_by_role("link", name="Telemedycyna")).to_be_visible()
    screenshot("home-pl")

    page.get_by_role("link", name="EN", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.get_by_role("heading", name="Competence centres")).to_be_visible()
    screenshot("home-en")

    page.get_by_role("link", name="Join", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/accounts/signup/$"))
    page.get_by_label("Email").fill("nurse.kowalczyk@hospital.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    screenshot("signup-filled")
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    screenshot("verify-email")

    message = next(m for m in mail.outbox if "nurse.kowalczyk@hospital.example" in m.to)
    link = next(link for link in links_in(message) if "confirm-email" in link)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed nurse.kowalczyk@hospital.example.")).to_be_visible()
    screenshot("confirmed")

    page.get_by_text("Account").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("nurse.kowalczyk@hospital.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/en/members/my/$"))
    expect(
        page.get_by_text("Successfully signed in as nurse.kowalczyk@hospital.example.")
    ).to_be_visible()
    screenshot("logged-in")

    assert User.objects.get().email == "nurse.kowalczyk@hospital.example"
    assert page.console_errors == []
