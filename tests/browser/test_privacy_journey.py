"""A member downloads their data, deletes their account, cannot log in any more, and their
organisation's page still shows its history."""

import json
import re
import zipfile

import pytest

from competence_centres.models import CentreParticipation
from members.enums import MembershipRole
from members.models import User
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]


def test_download_then_delete_then_no_login_and_the_history_stays(page, screenshot, tmp_path):
    from playwright.sync_api import expect

    hospital = OrganisationFactory(name="Szpital Uniwersytecki w Matrycy", is_public=True)
    MembershipFactory(organisation=hospital, role=MembershipRole.ADMIN)  # stays admin
    person = UserFactory(
        email="ewa.zielinska@szpital.example", full_name="Ewa Zielińska", preferred_language="en"
    )
    MembershipFactory(organisation=hospital, user=person, role=MembershipRole.ADMIN)
    ParticipationFactory(organisation=hospital, requested_by=person)

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # Download: the account menu leads to "Your data"; the portal asks to confirm it is her.
    page.get_by_text("Account").click()
    page.get_by_role("link", name="Your data").click()
    page.get_by_role("button", name="Prepare my download").click()
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your download is being prepared")).to_be_visible()
    page.reload()
    screenshot("your-data")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download (ZIP)").click()
    archive_path = tmp_path / "my-data.zip"
    download_info.value.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        data = json.loads(archive.read("data.json"))
        assert "Ewa Zielińska" in archive.read("data.html").decode()
    assert data["account"]["email"] == "ewa.zielinska@szpital.example"
    assert [o["organisation"] for o in data["organisations"]] == [hospital.name]

    # Delete: typed confirmation.
    page.goto("/en/my/data/")
    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Type your e-mail address to confirm").fill(person.email)
    screenshot("delete-confirmation")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("Your account was deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # She cannot log in any more.
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/$"))
    expect(page.get_by_text("not correct")).to_be_visible()

    # The organisation's page keeps its history; the request she made keeps a deleted user.
    page.goto(f"/en/members/{hospital.slug}/")
    expect(page.get_by_role("heading", name=hospital.name)).to_be_visible()
    expect(page.get_by_role("link", name="Telemedicine")).to_be_visible()
    screenshot("organisation-after")
    participation = CentreParticipation.objects.get(organisation=hospital)
    assert participation.requested_by_id == person.pk
    assert str(User.objects.get(pk=person.pk)) == "Deleted user"
    assert "ewa.zielinska" not in page.content()
    assert page.console_errors == [], page.console_errors
