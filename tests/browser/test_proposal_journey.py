"""Issue 10 in Chromium, in Polish and in English: a joint proposal from its draft to the
decision letter.

The lead's admin drafts a proposal for an open call and invites a partner, whose admin
confirms from the notification; the lead uploads a PDF and submits; a coordinator (with a
second factor) assigns themself, reviews, starts the review and accepts with the letter
held, then releases it; the lead sees the decision and its message, and gets the letter;
nothing of the review reaches the lead's pages.

Pages are reached by clicking where a user can; controls are found by their form's action
or their field's name, so that the Polish run does not depend on strings the catalogue has
yet to translate. Every page visited is checked with axe (a page shown again in a state with
the same controls is not checked twice: each check costs half a second); the page fixture
collects CSP violations (Chromium reports them on the console) and responses >= 400.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from competence_centres.models import CompetenceCentre
from projects.enums import ProposalStatus
from projects.models import ProjectProposal
from tests.browser.test_accessibility import blocking_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import deliver_outbox, totp_now, with_second_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]

# Only strings the Polish catalogue already translates.
LABELS = {
    "en": {"Projects": "Projects", "Notifications": "Notifications", "Log out": "Log out"},
    "pl": {"Projects": "Projekty", "Notifications": "Powiadomienia", "Log out": "Wyloguj się"},
}
DECISION_MESSAGE = "Gratulacje! Prosimy o harmonogram prac do 15 maja."
COMMENT_FOR_COORDINATORS = "Konsorcjum mocne klinicznie, budżet do sprawdzenia."
COMMENT_FOR_APPLICANTS = "Doprecyzujcie wskaźniki rezultatu."


def minimal_pdf() -> bytes:
    """A one-page PDF that readers open: header, four objects, a cross-reference table with
    the objects' real offsets, and the trailer."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(document)


@pytest.fixture
def cluster(language):
    telemedicine = CompetenceCentre.objects.get(slug="telemedicine")
    lead = OrganisationFactory(name="Szpital Wojewódzki w Lublinie")
    partner = OrganisationFactory(name="MedTech Lublin")
    for organisation in (lead, partner):
        ParticipationFactory(organisation=organisation, centre=telemedicine)
    lead_admin = MembershipFactory(
        organisation=lead,
        role="admin",
        user__email="lider@szpital.example",
        user__full_name="Anna Liderka",
        user__preferred_language=language,
    ).user
    partner_admin = MembershipFactory(
        organisation=partner,
        role="admin",
        user__email="admin@medtech.example",
        user__full_name="Piotr Partner",
        user__preferred_language=language,
    ).user
    call = FundingCallFactory(
        slug="telemedycyna-br",
        title_pl="Telemedycyna B+R 2026",
        title_en="Remote care R&D 2026",
    )
    call.centres.add(telemedicine)
    coordinator = UserFactory(
        email="biuro@klaster.example",
        full_name="Ewa Koordynatorka",
        is_staff=True,
        preferred_language=language,
    )
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    coordinator.totp_secret = with_second_factor(coordinator)
    return {
        "centre": telemedicine,
        "lead": lead,
        "partner": partner,
        "lead_admin": lead_admin,
        "partner_admin": partner_admin,
        "call": call,
        "coordinator": coordinator,
    }


class Journey:
    """One browser, several people one after another, in one language."""

    def __init__(self, page, language: str):
        self.page = page
        self.language = language
        self.labels = LABELS[language]
        self.checked: list[str] = []

    def url(self, name: str, **kwargs) -> str:
        with translation.override(self.language):
            return reverse(name, kwargs=kwargs or None)

    def check(self, label: str) -> None:
        """The page now shown has no serious axe violation and is in the run's language."""
        assert self.page.locator("html").get_attribute("lang") == self.language, label
        assert blocking_violations(self.page) == [], label
        self.checked.append(label)

    def follow(self, locator) -> None:
        """Click what leads to another page, and wait for that page."""
        with self.page.expect_navigation():
            locator.click()

    def submit(self, form_action: str, button: str = "button[type=submit]") -> None:
        self.follow(self.page.locator(f"form[action='{form_action}'] {button}"))

    def log_in(self, user, *, totp_secret: str | None = None, next_path: str = "") -> None:
        login = self.url("account_login")
        self.page.goto(f"{login}?next={next_path}" if next_path else login)
        self.page.locator("input[name=login]").fill(user.email)
        self.page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
        self.page.locator("input[name=password]").press("Enter")
        if totp_secret:
            self.page.locator("input[name=code]").fill(totp_now(totp_secret))
            self.page.locator("input[name=code]").press("Enter")
        self.page.wait_for_url(f"**{next_path or self.url('pages:my_cluster')}")

    def log_out(self) -> None:
        self.page.locator(".account-menu summary").click()
        self.follow(self.page.get_by_role("button", name=self.labels["Log out"]))

    def admin_action(self, changelist: str, obj, action: str) -> None:
        """Tick `obj` in the changelist and run `action`, as a coordinator does."""
        self.page.goto(changelist)
        self.page.locator(f"input.action-select[value='{obj.pk}']").check()
        self.page.locator("select[name=action]").select_option(action)
        self.follow(self.page.locator("button[name=index]"))


@pytest.mark.parametrize("language", ["en", "pl"])
def test_joint_proposal_from_draft_to_released_decision(page, screenshot, cluster, language):
    from playwright.sync_api import expect

    journey = Journey(page, language)
    lead_admin, partner_admin = cluster["lead_admin"], cluster["partner_admin"]
    partner, call, coordinator = cluster["partner"], cluster["call"], cluster["coordinator"]
    call_title = call.title_pl if language == "pl" else call.title_en

    # The site's language switch, from a page in the other language, sets the language of
    # the site and (by its cookie) of the admin.
    page.goto("/en/" if language == "pl" else "/pl/")
    journey.follow(page.locator(f".language-switch a[hreflang='{language}']"))
    page.wait_for_url(f"**/{language}/")

    # The lead's administrator drafts a proposal for the open call.
    journey.log_in(lead_admin)
    journey.follow(page.locator(".main-nav").get_by_role("link", name=journey.labels["Projects"]))
    journey.check("projects")
    journey.follow(page.get_by_role("link", name=call_title))
    journey.check("call")
    create = journey.url("projects:proposal_create")
    journey.follow(page.locator(f"a[href='{create}?call={call.slug}']"))
    journey.check("new proposal")
    assert page.locator("select[name=call]").input_value() == str(call.pk)
    page.locator("input[name=title]").fill("Zdalne monitorowanie niewydolności serca")
    page.locator("input[name=acronym]").fill("CARDIOHOME")
    page.locator("textarea[name=summary]").fill(
        "Domowe monitorowanie pacjentów z niewydolnością serca ze wspólnym pulpitem szpitali."
    )
    page.locator("textarea[name=objectives]").fill("O jedną piątą mniej ponownych hospitalizacji.")
    page.locator("textarea[name=expected_impact]").fill("Krótsze pobyty, wcześniejsze interwencje.")
    page.locator("input[name=keywords]").fill("telemedycyna, kardiologia")
    page.locator(f"input[name=centres][value='{cluster['centre'].pk}']").check()
    page.locator("input[name=requested_budget]").fill("1500000")
    page.locator("input[name=duration_months]").fill("24")
    page.locator("input[name=trl]").fill("5")
    screenshot("draft-filled")
    journey.follow(page.locator("form.org-form button[type=submit]"))
    proposal = ProjectProposal.objects.get(acronym="CARDIOHOME")
    detail = journey.url("projects:proposal_detail", pk=proposal.pk)
    page.wait_for_url(f"**{detail}")
    expect(page.locator("main .status-draft")).to_be_visible()
    journey.check("draft")

    # ...and invites the partner on the proposal's page.
    page.locator("select[name=organisation]").select_option(label=partner.name)
    page.locator("select[name=role]").select_option("clinical_partner")
    page.locator("input[name=budget_share]").fill("40")
    journey.submit(journey.url("projects:partner_invite", pk=proposal.pk))
    partner_row = page.locator("tr", has_text=partner.name)
    expect(partner_row.locator(".status-partner-invited")).to_be_visible()
    screenshot("partner-invited")
    journey.log_out()

    # The partner's administrator opens the proposal from the notification and confirms.
    journey.log_in(partner_admin)
    journey.follow(page.locator("a.notifications-link"))
    expect(page.get_by_role("heading", name=journey.labels["Notifications"])).to_be_visible()
    journey.check("partner's notifications")
    journey.follow(page.locator(".notification-list a", has_text="CARDIOHOME"))
    page.wait_for_url(f"**{detail}")
    journey.check("proposal seen by the partner")
    partnership = proposal.partners.get()
    journey.submit(
        journey.url("projects:partner_answer", pk=proposal.pk, partner_id=partnership.pk),
        "button[value=confirm]",
    )
    expect(partner_row.locator(".status-partner-confirmed")).to_be_visible()
    screenshot("partner-confirmed")
    journey.log_out()

    # The lead uploads the application form and submits.
    journey.log_in(lead_admin)
    journey.follow(page.locator(f"main a[href='{detail}']"))
    page.locator("select[name=kind]").select_option("application")
    page.locator("input[name=file]").set_input_files(
        {"name": "wniosek-CARDIOHOME.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}
    )
    journey.submit(journey.url("projects:document_upload", pk=proposal.pk))
    expect(page.get_by_role("link", name="wniosek-CARDIOHOME.pdf")).to_be_visible()
    journey.submit(journey.url("projects:submit", pk=proposal.pk))
    expect(page.locator("main .status-submitted")).to_be_visible()
    screenshot("submitted")
    journey.check("submitted")
    journey.log_out()

    # A coordinator, with the second factor, reviews and accepts in the admin.
    journey.log_in(coordinator, totp_secret=coordinator.totp_secret, next_path="/admin/")
    journey.check("admin index")
    proposals = reverse("admin:projects_projectproposal_changelist")
    page.goto(proposals)
    journey.check("admin proposals")
    journey.follow(page.locator("#result_list").get_by_role("link", name="CARDIOHOME"))
    journey.check("admin proposal")
    with page.expect_download() as download:
        page.get_by_role("link", name="wniosek-CARDIOHOME.pdf").click()
    assert Path(download.value.path()).read_bytes() == minimal_pdf()

    journey.admin_action(proposals, proposal, "assign_reviewers")
    journey.check("assign reviewers")
    page.locator(f"input[name=reviewers][value='{coordinator.pk}']").check()
    journey.follow(page.locator("input[type=submit]"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert proposal.reviews.filter(reviewer=coordinator).exists()

    page.goto(f"{reverse('admin:projects_review_changelist')}?mine=1")
    journey.check("admin my reviews")
    journey.follow(page.locator("#result_list a", has_text="CARDIOHOME"))
    journey.check("admin review")
    for radio_group in page.locator("input[type=radio][name^=score_][value='4']").all():
        radio_group.check()
    page.locator("select[name=recommendation]").select_option("accept")
    page.locator("textarea[name=comment_for_coordinators]").fill(COMMENT_FOR_COORDINATORS)
    page.locator("textarea[name=comment_for_applicants]").fill(COMMENT_FOR_APPLICANTS)
    screenshot("admin-review")
    journey.follow(page.locator("input[name=_save]"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    review = proposal.reviews.get(reviewer=coordinator)
    assert (review.recommendation, review.weighted_score) == ("accept", 4)

    journey.admin_action(proposals, proposal, "start_review")
    journey.check("admin start review")
    journey.follow(page.locator("form input[type=submit]"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "in_review"

    journey.admin_action(proposals, proposal, "accept")
    page.locator("textarea[name=message]").fill(DECISION_MESSAGE)
    page.locator("input[name=hold_letter]").check()
    screenshot("admin-accept-held")
    journey.check("admin accept")
    journey.follow(page.locator("form input[type=submit]"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.decision_released_at is None
    deliver_outbox()  # what a worker would send now: nothing of a held letter
    assert not decision_letters(lead_admin, proposal), "the held letter went out"

    journey.admin_action(proposals, proposal, "release_letters")
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot("admin-letters-released")
    journey.check("admin letters released")
    journey.follow(page.locator("#logout-form button"))

    # The lead sees the decision and its message; nothing of the review.
    journey.log_in(lead_admin)
    with translation.override(language):
        accepted = str(ProposalStatus.ACCEPTED.label)
    mine = page.locator("section[aria-labelledby=proposals-heading] li", has_text="CARDIOHOME")
    expect(mine.locator(".status-accepted")).to_have_text(accepted)
    expect(mine.locator(".decision-message")).to_have_text(DECISION_MESSAGE)
    screenshot("my-cluster-accepted")
    journey.check("my cluster, accepted")
    assert_nothing_of_the_review(page, coordinator)
    journey.follow(page.locator(f"main a[href='{detail}']"))
    expect(page.locator("main p .status-accepted")).to_have_text(accepted)
    expect(page.locator(".timeline blockquote", has_text=DECISION_MESSAGE)).to_be_visible()
    screenshot("proposal-accepted")
    journey.check("proposal accepted")
    assert_nothing_of_the_review(page, coordinator)
    journey.follow(page.locator("a.notifications-link"))
    journey.check("lead's notifications")
    assert_nothing_of_the_review(page, coordinator)

    letters = decision_letters(lead_admin, proposal)
    assert len(letters) == 1, [message.subject for message in mail.outbox]
    assert detail in letters[0].body  # the link, in the lead's language
    assert COMMENT_FOR_APPLICANTS not in letters[0].body
    assert coordinator.full_name not in letters[0].body
    assert len(decision_letters(partner_admin, proposal)) == 1
    assert page.console_errors == [], page.console_errors


def decision_letters(user, proposal):
    """The mails to `user` about `proposal` that carry the decision's message."""
    return [
        message
        for message in mail.outbox
        if user.email in message.to
        and proposal.acronym in message.subject
        and DECISION_MESSAGE in message.body
    ]


def assert_nothing_of_the_review(page, reviewer) -> None:
    text = page.locator("body").inner_text()
    for secret in (reviewer.full_name, reviewer.email, COMMENT_FOR_COORDINATORS):
        assert secret not in text
    assert COMMENT_FOR_APPLICANTS not in text
