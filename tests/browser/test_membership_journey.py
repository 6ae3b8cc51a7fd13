import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail
from PIL import Image

from members.models import Organisation
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import links_in, totp_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]

PASSWORD = "Instytut-Badawczy-2026!"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_sign_up_register_approve_and_find_in_the_directory(page, screenshot, tmp_path, settings):
    from playwright.sync_api import expect

    # A new user signs up and confirms the address.
    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill("dyrektor@instytut.example")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    message = next(m for m in mail.outbox if "dyrektor@instytut.example" in m.to)
    page.goto(next(link for link in links_in(message) if "confirm-email" in link))
    page.get_by_role("button", name="Confirm").click()

    # ...and registers the institute, with a logo.
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 200), (11, 93, 107)).save(logo)
    page.goto("/en/members/my/")
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Kind").select_option(label="Research institute")
    page.get_by_label("Name").fill("Instytut Biocybernetyki Stosowanej")
    page.get_by_label("NIP").fill("725-180-11-26")
    page.get_by_label("City").fill("Łódź")
    page.get_by_label("Region").select_option(label="Łódź")
    page.get_by_label("Postal code").fill("90-001")
    page.get_by_label("Specialisations").fill(
        "biocybernetyka, protezy bioniczne, neurorehabilitacja"
    )
    page.get_by_label("Description").fill("Instytut rozwija protezy sterowane sygnałami mięśni.")
    page.get_by_label("Logo").set_input_files(str(logo))
    screenshot("registration-filled")
    page.get_by_role("button", name="Apply for membership").click()
    expect(page.get_by_text("has applied for membership")).to_be_visible()
    screenshot("my-cluster-applied")
    page.get_by_text("Account").click()
    page.get_by_role("button", name="Log out").click()

    # A coordinator (with two-factor authentication) approves it in the admin.
    coordinator = UserFactory(email="biuro@klaster.example", is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    page.goto("/en/accounts/login/?next=/admin/")
    page.get_by_role(
        "link", name="EN", exact=True
    ).click()  # the admin has no prefix: the cookie decides
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_now(secret))
    page.get_by_role("button", name="Sign In").click()
    page.goto("/admin/members/organisation/?status__exact=applied")
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_label("Action:").select_option("approve")
    page.get_by_title("Run the selected action").click()
    page.get_by_label("Message to the organisation").fill("Witamy w klastrze.")
    screenshot("admin-approve")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approve: done for 1 organisation.")).to_be_visible()
    assert Organisation.objects.get().status == "active"

    # Anyone now finds the institute by search and by a filter.
    page.goto("/en/members/")
    search = page.get_by_role("searchbox", name="Search the directory")
    search.fill("bioniczne")
    search.press("Enter")
    expect(page.get_by_role("link", name="Instytut Biocybernetyki Stosowanej")).to_be_visible()
    page.goto("/en/members/?kind=research_institute")
    expect(page.get_by_role("link", name="Instytut Biocybernetyki Stosowanej")).to_be_visible()
    page.goto("/en/members/?kind=university")
    expect(page.get_by_role("link", name="Instytut Biocybernetyki Stosowanej")).to_have_count(0)
    page.goto("/en/members/?q=bioniczne")
    screenshot("directory-found")
    page.get_by_role("link", name="Instytut Biocybernetyki Stosowanej").click()
    expect(page.get_by_role("heading", name="Instytut Biocybernetyki Stosowanej")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Logo of"))).to_be_visible()
    assert page.console_errors == [], page.console_errors
