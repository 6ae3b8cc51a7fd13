"""Every admin page a cluster coordinator uses works under the portal's strict CSP.

On each page: no Content-Security-Policy violation, no response >= 400 (the page or anything
it loads), and no serious or critical axe violation. Pages are built from real objects and
from `admin.site._registry`, so a newly registered model is covered without editing this file.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.reading import preference_set
from cluster_portal.pages.models import NewsPost, SiteSettings
from competence_centres.models import CompetenceCentre
from competence_centres.services import participation_request
from events.services import registration_create
from members.services import organisation_invite_member, organisation_register
from projects.models import Review
from tests.browser.test_accessibility import blocking_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    FundingCallFactory,
    MembershipFactory,
    NewsPostFactory,
    OrganisationFactory,
    PartnerFactory,
    ProposalFactory,
    UserFactory,
)
from tests.helpers import totp_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]

# Runs in every document before its own scripts, so it sees violations raised while parsing.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`.trim()
  );
}, true);
"""


@dataclass
class PageChecker:
    """Visits admin pages one after another and keeps every problem of every page."""

    page: object
    problems: dict[str, list[str]] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    _console: list[str] = field(default_factory=list)
    _failed_responses: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.context.add_init_script(CSP_LISTENER)
        self.page.on("console", self._on_console)
        self.page.on("response", self._on_response)

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self._console.append(message.text)

    def _on_response(self, response):
        if response.status >= 400:
            self._failed_responses.append(f"HTTP {response.status} {response.url}")

    def goto(self, label: str, path: str):
        return self.check(label, lambda: self.page.goto(path))

    def follow(self, label: str, navigate):
        """Check the page that `navigate` (a click, a key press) opens."""

        def go():
            with self.page.expect_navigation() as navigation:
                navigate()
            return navigation.value

        return self.check(label, go)

    def check(self, label: str, go):
        self._console.clear()
        self._failed_responses.clear()
        response = go()
        self.page.wait_for_load_state("load")
        found = []
        if response is None or response.status != 200:
            found.append(f"page answered {response.status if response else 'nothing'}")
        if not urlsplit(self.page.url).path.startswith("/admin/"):
            found.append(f"ended outside the admin, at {self.page.url}")
        found += [f"axe: {violation}" for violation in blocking_violations(self.page)]
        # Read after axe, which gave the page's scripts time to build their widgets.
        found += [f"CSP: {text}" for text in self.page.evaluate("window.__cspViolations")]
        found += [f"CSP (console): {text}" for text in self._console]
        found += self._failed_responses
        if found:
            self.problems[label] = found
        self.visited.append(label)
        return response

    def report(self) -> str:
        return "\n".join(
            f"{label}:\n" + "\n".join(f"    {problem}" for problem in problems)
            for label, problems in self.problems.items()
        )


@pytest.fixture
def coordinator(db):
    user = UserFactory(email="biuro@klaster.example", full_name="Anna Wiśniewska", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def cluster(coordinator):
    """One real object of everything a coordinator looks after, made the way the site makes it."""
    applicant = UserFactory(email="dyrektor@szpital.example")
    applying = organisation_register(
        actor=applicant,
        organisation=OrganisationFactory.build(name="Szpital Wojewódzki w Chełmie", city="Chełm"),
    )
    doubtful = organisation_register(
        actor=UserFactory(email="prezes@firma.example"),
        organisation=OrganisationFactory.build(name="Firma Krzak", city="Lublin"),
    )
    member = OrganisationFactory(name="Uniwersytet Medyczny w Lublinie")
    member_admin = MembershipFactory(organisation=member, role="admin").user
    participation = participation_request(
        organisation=member,
        centre=CompetenceCentre.objects.get(slug="telemedicine"),
        actor=member_admin,
        motivation="Prowadzimy teleporady kardiologiczne dla pacjentów po zawale.",
    )
    organisation_invite_member(
        organisation=member, actor=member_admin, email="lekarz@umlub.example", role="member"
    )
    preference_set(user=member_admin, category=NotificationCategory.EVENTS, email_enabled=False)
    congress = EventFactory(
        title_en="Telemedicine congress", starts_at=timezone.now() + datetime.timedelta(days=30)
    )
    registration_create(event=congress, user=member_admin)
    NewsPostFactory(title_en="The cluster welcomes new members")
    call = FundingCallFactory(title_en="Remote care R&D")
    call.criteria.create(name_pl="Nowość", name_en="Novelty", weight=3)
    proposal = ProposalFactory(lead=member, call=call, status="in_review")
    PartnerFactory(proposal=proposal, organisation=OrganisationFactory(name="MedTech Lublin"))
    Review.objects.create(proposal=proposal, reviewer=coordinator)
    SiteSettings.load()
    return {"applying": applying, "doubtful": doubtful, "participation": participation}


def log_in(page, live_server, coordinator, language: str):
    # The admin has no language prefix: the portal_language cookie decides its language.
    page.context.add_cookies(
        [{"name": "portal_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/{language}/accounts/login/?next=/admin/")
    page.locator("input[name=login]").fill(coordinator.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.locator("input[name=code]").fill(totp_now(coordinator.totp_secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/admin/")


def open_decision(checker, label: str, changelist: str, obj, action: str) -> None:
    """Tick `obj` in the changelist and run `action`, as a coordinator does, and check the
    confirmation page (templates/admin/decide.html) that opens."""
    page = checker.page
    page.goto(changelist)
    page.locator(f"input.action-select[value='{obj.pk}']").check()
    page.locator("select[name=action]").select_option(action)
    checker.follow(label, lambda: page.locator("button[name=index]").click())
    assert page.locator("input[name=action]").get_attribute("value") == action


def submit_decision(checker, label: str, message: str) -> None:
    checker.page.locator("textarea[name=message]").fill(message)
    checker.follow(label, lambda: checker.page.locator("input[type=submit]").click())


@pytest.mark.parametrize("language", ["en", "pl"])
def test_every_admin_page_a_coordinator_uses_is_clean(
    page, live_server, coordinator, cluster, language
):
    log_in(page, live_server, coordinator, language)
    assert page.locator("html").get_attribute("lang") == language
    checker = PageChecker(page)
    request = RequestFactory().get("/admin/")
    request.user = coordinator

    checker.goto("index", reverse("admin:index"))
    for app in admin.site.get_app_list(request):
        checker.goto(f"app {app['app_label']}", app["app_url"])

    not_viewable = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = opts.label
        if not model_admin.has_view_or_change_permission(request):
            not_viewable.append(name)
            continue
        checker.goto(
            f"{name} changelist", reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        obj = model_admin.get_queryset(request).order_by("pk").first()
        assert obj is not None, f"the cluster fixture needs a {name} for its change page"
        checker.goto(
            f"{name} change",
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        )
        if model_admin.has_add_permission(request):
            checker.goto(f"{name} add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        if model_admin.has_delete_permission(request, obj):
            checker.goto(
                f"{name} delete",
                reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]),
            )

    # A saved edit comes back with a message that links to the object.
    news = NewsPost.objects.get()
    page.goto(reverse("admin:pages_newspost_change", args=[news.pk]))
    page.locator("#id_title_en").fill("The cluster welcomes four new members")
    checker.follow("news post saved", lambda: page.locator("input[name=_continue]").click())
    assert page.locator(".messagelist a").count() == 1

    organisations = reverse("admin:members_organisation_changelist")
    checker.goto(
        "organisations searched and filtered", f"{organisations}?q=Chełm&status__exact=applied"
    )
    assert page.locator("#result_list tbody tr").count() == 1

    applying, doubtful = cluster["applying"], cluster["doubtful"]
    open_decision(checker, "approve confirmation", organisations, applying, "approve")
    submit_decision(checker, "approved, back in the changelist", "Witamy w klastrze.")
    applying.refresh_from_db()
    assert applying.status == "active"
    checker.goto(
        "organisation history", reverse("admin:members_organisation_history", args=[applying.pk])
    )
    open_decision(checker, "reject confirmation", organisations, doubtful, "reject")
    # Blanks pass the browser's `required` check; the server's form says what is missing.
    submit_decision(checker, "reject confirmation without the required message", "   ")
    assert page.locator(".errorlist").count() == 1

    participations = reverse("admin:competence_centres_centreparticipation_changelist")
    participation = cluster["participation"]
    open_decision(checker, "accept confirmation", participations, participation, "accept")
    open_decision(checker, "decline confirmation", participations, participation, "decline")

    checker.goto("password change", reverse("admin:password_change"))

    assert not checker.problems, (
        f"{len(checker.problems)} of {len(checker.visited)} admin pages in {language!r} "
        f"have problems (not visited, no view permission: {not_viewable}):\n{checker.report()}"
    )
