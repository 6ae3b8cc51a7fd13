"""The cluster office's side of projects, through the admin as a coordinator logged in with
TOTP: calls and their criteria, the proposals' list, decisions, reviewers and reviews, the
CSV export — and that nothing of the reviews ever reaches the applicants."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cluster_portal.core.errors import InvalidTransition
from cluster_portal.notifications.models import Notification
from competence_centres.models import CompetenceCentre
from projects.admin import ProjectProposalAdmin
from projects.models import (
    FundingCall,
    ProjectProposal,
    ProposalDocument,
    ProposalEvent,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from projects.services import (
    proposal_decide,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    review_assign,
    review_submit,
)
from tests.factories import (
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    PartnerFactory,
    ProposalFactory,
    UserFactory,
)
from tests.helpers import (
    coordinator_in_admin,
    deliver_outbox,
    form_fields,
    get_counting_queries,
    logged_in,
    with_second_factor,
)

pytestmark = pytest.mark.django_db


def admin_url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:projects_{model}_{view}", args=args)


def proposals_url(query: str = "") -> str:
    return admin_url("projectproposal") + (f"?{query}" if query else "")


def change_url(proposal) -> str:
    return admin_url("projectproposal", "change", proposal.pk)


def review_url(review) -> str:
    return admin_url("review", "change", review.pk)


ACRONYM_CELL = re.compile(r'<th class="field-acronym"><a [^>]*>([^<]+)</a>')


def listed(response) -> list[str]:
    """The acronyms in the changelist's rows, top to bottom."""
    assert response.status_code == 200
    return ACRONYM_CELL.findall(response.content.decode())


def act(client, changelist: str, action: str, objects, **data):
    """Run an admin action on `objects` as the changelist's form would post it."""
    return client.post(
        changelist,
        {"action": action, "_selected_action": [obj.pk for obj in objects], **data},
        follow=True,
    )


def decide(client, action: str, proposal, *, message: str = "", **data):
    """Confirm a decision action with the status the confirmation page showed."""
    return act(
        client,
        proposals_url(),
        action,
        [proposal],
        apply="1",
        message=message,
        **{f"seen-{proposal.pk}": proposal.status},
        **data,
    )


def make_coordinator(email: str, full_name: str):
    user = UserFactory(email=email, full_name=full_name, is_staff=True, preferred_language="en")
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user


def default_criteria() -> dict[str, ReviewCriterion]:
    return {c.name_en: c for c in ReviewCriterion.objects.filter(call__isnull=True)}


def scores(innovation: int, partnership: int, impact: int, feasibility: int) -> dict[int, int]:
    """Scores for the cluster's default criteria, weighted 3, 2, 3 and 2."""
    criteria = default_criteria()
    return {
        criteria["Innovation"].pk: innovation,
        criteria["Quality of the partnership"].pk: partnership,
        criteria["Expected impact"].pk: impact,
        criteria["Feasibility and budget"].pk: feasibility,
    }


@pytest.fixture
def office(client):
    """The coordinator at the keyboard, logged into the admin with a TOTP code."""
    return coordinator_in_admin(
        client,
        email="koordynator@klaster.example",
        full_name="Biuro Klastra",
        preferred_language="en",
    )


@pytest.fixture
def submitted(proposal, lead_admin, partner_org, partner_admin):
    """The proposal, joint (MedTech Lublin confirmed) and submitted by its lead."""
    PartnerFactory(proposal=proposal, organisation=partner_org)
    return proposal_submit(proposal=proposal, actor=lead_admin)


@pytest.fixture
def in_review(submitted, coordinator):
    return proposal_decide(proposal=submitted, actor=coordinator, to="in_review")


# --- funding calls -------------------------------------------------------------------------


def test_a_call_is_added_with_its_criteria_inline_and_they_are_changed_there(
    client, office, telemedicine
):
    add = admin_url("fundingcall", "add")
    data = form_fields(client.get(add).content.decode(), form_id="fundingcall_form")
    data.update(
        {
            "slug": "telemedycyna-2027",
            "programme": "abm",
            "funder": "Agencja Badań Medycznych",
            "centres": [str(telemedicine.pk)],
            "title_pl": "Telemedycyna 2027",
            "title_en": "Telemedicine 2027",
            "opens_at_0": "2027-01-10",
            "opens_at_1": "09:00",
            "deadline_0": "2027-03-31",
            "deadline_1": "16:00",
            "criteria-TOTAL_FORMS": "2",
            "criteria-0-order": "1",
            "criteria-0-name_pl": "Wartość kliniczna",
            "criteria-0-name_en": "Clinical value",
            "criteria-0-weight": "3",
            "criteria-1-order": "2",
            "criteria-1-name_pl": "Zespół",
            "criteria-1-name_en": "Team",
            "criteria-1-weight": "1",
        }
    )

    response = client.post(add, data)

    assert response.status_code == 302
    call = FundingCall.objects.get(slug="telemedycyna-2027")
    assert not call.is_published
    assert list(call.centres.all()) == [telemedicine]
    assert list(call.criteria.values_list("name_en", "weight")) == [
        ("Clinical value", 3),
        ("Team", 1),
    ]

    change = admin_url("fundingcall", "change", call.pk)
    data = form_fields(client.get(change).content.decode(), form_id="fundingcall_form")
    team = call.criteria.get(name_en="Team")
    [row] = [
        key
        for key, value in data.items()
        if re.fullmatch(r"criteria-\d+-id", key) and value == str(team.pk)
    ]
    data[row.replace("-id", "-weight")] = "2"
    data["criteria-TOTAL_FORMS"] = "3"
    data.update(
        {
            "criteria-2-order": "3",
            "criteria-2-name_pl": "Budżet",
            "criteria-2-name_en": "Budget",
            "criteria-2-weight": "1",
        }
    )
    assert client.post(change, data).status_code == 302
    assert list(call.criteria.values_list("name_en", "weight")) == [
        ("Clinical value", 3),
        ("Team", 2),
        ("Budget", 1),
    ]


@pytest.fixture
def unpublished_call(telemedicine):
    call = FundingCallFactory(
        title_en="Home care 2027", title_pl="Opieka domowa 2027", is_published=False
    )
    call.published_at = None
    call.save()
    call.centres.add(telemedicine)
    return call


def test_publishing_announces_the_call_once_to_each_person_of_its_audience(
    client, office, unpublished_call, telemedicine
):
    first = OrganisationFactory(name="Klinika Pierwsza")
    second = OrganisationFactory(name="Klinika Druga")
    for organisation in (first, second):
        ParticipationFactory(organisation=organisation, centre=telemedicine)
    both = MembershipFactory(organisation=first, user__email="oboje@klinika.example").user
    MembershipFactory(organisation=second, user=both)
    MembershipFactory(organisation=first, user__email="pierwsza@klinika.example")
    MembershipFactory(organisation=second, user__email="druga@klinika.example")
    elsewhere = OrganisationFactory(name="Firma spoza centrum")
    MembershipFactory(organisation=elsewhere, user__email="obok@firma.example")
    asking = OrganisationFactory(name="Klinika Oczekująca")
    ParticipationFactory(organisation=asking, centre=telemedicine, status="requested")
    MembershipFactory(organisation=asking, user__email="czeka@klinika.example")
    changelist = admin_url("fundingcall")

    response = act(client, changelist, "publish", [unpublished_call])

    assert "1 call published; 3 people notified." in response.content.decode()
    unpublished_call.refresh_from_db()
    assert unpublished_call.is_published
    assert unpublished_call.published_at is not None
    deliver_outbox()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "druga@klinika.example",
        "oboje@klinika.example",
        "pierwsza@klinika.example",
    ]

    again = act(client, changelist, "publish", [unpublished_call])

    assert "0 calls published; 0 people notified." in again.content.decode()
    assert Notification.objects.filter(kind="projects.call_published").count() == 3
    deliver_outbox()
    assert len(mail.outbox) == 3


def test_published_is_no_checkbox_and_a_posted_value_changes_nothing(
    client, office, unpublished_call
):
    change = admin_url("fundingcall", "change", unpublished_call.pk)
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="is_published"' not in page.content.decode()
    assert (
        "Publish and announce the selected calls"
        in client.get(admin_url("fundingcall")).content.decode()
    )

    data = form_fields(page.content.decode(), form_id="fundingcall_form")
    data.update(is_published="on", published_at_0="2026-01-01", published_at_1="10:00")
    assert client.post(change, data).status_code == 302

    unpublished_call.refresh_from_db()
    assert (unpublished_call.is_published, unpublished_call.published_at) == (False, None)
    assert not Notification.objects.filter(kind="projects.call_published").exists()


# --- the proposals' list -------------------------------------------------------------------


@pytest.fixture
def five_proposals(call, telemedicine):
    """Proposals that differ in status, call, centre and average score, by acronym."""
    ict = CompetenceCentre.objects.get(slug="ict")
    other_call = FundingCallFactory(title_en="Hospital ICT", title_pl="Szpitalne ICT")
    rows = {
        # acronym: (status, call, centres, average score)
        "CARDIO": ("submitted", call, [telemedicine], Decimal("4.00")),
        "NEURO": ("in_review", call, [telemedicine, ict], Decimal("3.99")),
        "ONKO": ("in_review", other_call, [ict], Decimal("2.00")),
        "PEDIA": ("rejected", other_call, [], Decimal("1.99")),
        "GERIA": ("draft", None, [telemedicine], None),
    }
    made = {}
    for acronym, (status, in_call, centres, score) in rows.items():
        made[acronym] = ProposalFactory(
            acronym=acronym, title=f"Projekt {acronym.lower()}", status=status, call=in_call
        )
        made[acronym].centres.set(centres)
        ProjectProposal.objects.filter(pk=made[acronym].pk).update(average_score=score)
    made["other_call"], made["ict"] = other_call, ict
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=in_review", {"NEURO", "ONKO"}),
        ("status__exact=draft", {"GERIA"}),
        ("call__id__exact={call}", {"CARDIO", "NEURO"}),
        ("call__id__exact={other_call}", {"ONKO", "PEDIA"}),
        ("call__isnull=True", {"GERIA"}),
        ("centres__id__exact={telemedicine}", {"CARDIO", "NEURO", "GERIA"}),
        ("centres__id__exact={ict}", {"NEURO", "ONKO"}),
        ("score=4", {"CARDIO"}),
        ("score=3", {"NEURO"}),
        ("score=2", {"ONKO"}),
        ("score=1", {"PEDIA"}),
        ("score=none", {"GERIA"}),
        ("status__exact=in_review&centres__id__exact={telemedicine}", {"NEURO"}),
    ],
)
def test_the_proposals_filter_by_status_call_centre_and_average_score(
    client, office, five_proposals, call, telemedicine, query, expected
):
    query = query.format(
        call=call.pk,
        other_call=five_proposals["other_call"].pk,
        telemedicine=telemedicine.pk,
        ict=five_proposals["ict"].pk,
    )
    rows = listed(client.get(proposals_url(query)))
    assert len(rows) == len(expected)  # a proposal in two centres is listed once
    assert set(rows) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Zdalne monitorowanie", {"TELE"}),  # title
        ("holter", {"HOLTER"}),  # acronym
        ("Szpital Wojewódzki", {"TELE"}),  # the lead
        ("MedTech", {"TELE", "HOLTER"}),  # a partner, of two proposals
        ("Nikt Taki", set()),
    ],
)
def test_search_finds_proposals_by_title_acronym_lead_and_partner(
    client, office, proposal, partner_org, words, expected
):
    ProjectProposal.objects.filter(pk=proposal.pk).update(acronym="TELE")
    holter = ProposalFactory(acronym="HOLTER", title="Holter w domu", lead__name="Kardio-Net")
    PartnerFactory(proposal=proposal, organisation=partner_org)
    PartnerFactory(proposal=holter, organisation=partner_org)
    PartnerFactory(proposal=holter, organisation__name="MedTech Kraków")

    rows = listed(client.get(proposals_url(f"q={words}")))

    assert len(rows) == len(expected)  # two partners named MedTech: HOLTER once
    assert set(rows) == expected


def test_sorting_by_average_score_puts_the_best_first_and_the_unreviewed_last(
    client, office, five_proposals
):
    changelist = client.get(proposals_url()).content.decode()
    assert 'href="?o=6"' in changelist  # the average score's column sorts

    assert listed(client.get(proposals_url("o=-6"))) == [
        "CARDIO",
        "NEURO",
        "ONKO",
        "PEDIA",
        "GERIA",
    ]
    assert listed(client.get(proposals_url("o=6"))) == [
        "GERIA",
        "PEDIA",
        "ONKO",
        "NEURO",
        "CARDIO",
    ]


def _proposals_in(call, count: int, telemedicine) -> None:
    for number in range(count):
        proposal = ProposalFactory(call=call, status="in_review")
        proposal.centres.add(telemedicine)
        PartnerFactory(proposal=proposal)
        ProjectProposal.objects.filter(pk=proposal.pk).update(
            average_score=Decimal(10 + number % 40) / 10, review_count=3
        )


def test_the_changelist_by_call_and_score_runs_as_many_queries_for_50_proposals_as_for_1(
    client, office, call, telemedicine
):
    path = proposals_url(f"call__id__exact={call.pk}&o=-6")
    _proposals_in(call, 1, telemedicine)
    client.get(path)  # the first request fills the caches every request finds full
    response, for_one = get_counting_queries(client, path)
    assert len(listed(response)) == 1

    _proposals_in(call, 49, telemedicine)
    response, for_fifty = get_counting_queries(client, path)

    # A page holds 25 of the 50: the query count must not grow with either number.
    assert len(listed(response)) == ProjectProposalAdmin.list_per_page == 25
    assert for_fifty == for_one


def _grow(proposal, count: int) -> None:
    """`count` more partners, reviews (with scores), documents and timeline lines."""
    criteria = list(default_criteria().values())
    for _ in range(count):
        PartnerFactory(proposal=proposal)
        review = Review.objects.create(
            proposal=proposal,
            reviewer=UserFactory(is_staff=True),
            recommendation="accept",
            weighted_score=Decimal("4.00"),
            submitted_at=timezone.now(),
        )
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion=criterion, score=4) for criterion in criteria
        )
        ProposalDocument.objects.create(
            proposal=proposal,
            kind="annex",
            file=f"proposals/{proposal.pk}/{review.pk}.pdf",
            original_name=f"Załącznik {review.pk}.pdf",
            content_type="application/pdf",
            size=2048,
        )
        ProposalEvent.objects.create(proposal=proposal, kind="document_added", detail="x.pdf")


def test_the_change_page_runs_as_many_queries_for_50_partners_reviews_and_documents_as_for_1(
    client, office, in_review
):
    path = change_url(in_review)
    _grow(in_review, 1)
    client.get(path)
    _page, for_one = get_counting_queries(client, path)

    _grow(in_review, 49)
    page, for_fifty = get_counting_queries(client, path)

    assert page.content.decode().count(".pdf</a>") == 50  # each document's download link
    assert for_fifty == for_one


def test_status_is_read_only_and_a_posted_status_changes_nothing(client, office, submitted):
    page = client.get(change_url(submitted))
    assert page.status_code == 200
    html = page.content.decode()
    assert "View project proposal" in html  # decisions are actions of the list
    assert 'name="status"' not in html
    assert 'name="_save"' not in html
    assert "Submitted" in html
    assert client.get(admin_url("projectproposal", "add")).status_code == 403
    assert client.get(admin_url("projectproposal", "delete", submitted.pk)).status_code == 403

    data = form_fields(html, form_id="projectproposal_form")
    data.update(status="accepted", average_score="5.00", decision_message="Przyjęty!")
    last_written = submitted.updated_at
    response = client.post(change_url(submitted), data)

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.status, submitted.average_score, submitted.decision_message) == (
        "submitted",
        None,
        "",
    )
    assert submitted.updated_at == last_written
    assert not submitted.timeline.filter(to_status="accepted").exists()


# --- decisions -----------------------------------------------------------------------------


def test_starting_the_review_asks_for_a_message_then_goes_through_the_service(
    client, office, submitted, lead_admin
):
    confirmation = act(client, proposals_url(), "start_review", [submitted])

    assert confirmation.status_code == 200
    assert confirmation.templates[0].name == "admin/projects/projectproposal/decide.html"
    html = confirmation.content.decode()
    assert f"{submitted.acronym} — Szpital Wojewódzki w Lublinie — Submitted" in html
    assert f'name="seen-{submitted.pk}" value="submitted"' in html
    assert 'name="hold_letter"' not in html  # starting a review sends no decision letter
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    response = decide(client, "start_review", submitted, message="Przekazujemy do oceny.")

    assert response.redirect_chain == [(proposals_url(), 302)]
    assert "In review: done for 1 proposal." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "in_review"
    entry = submitted.timeline.get(to_status="in_review")
    assert (entry.actor, entry.message) == (office, "Przekazujemy do oceny.")
    assert Notification.objects.filter(kind="proposals.in_review", recipient=lead_admin).exists()


@pytest.mark.parametrize(
    ("action", "status"), [("reject", "rejected"), ("request_changes", "changes_requested")]
)
def test_rejecting_and_requesting_changes_need_a_message(
    client, office, in_review, lead_admin, action, status
):
    refused = decide(client, action, in_review, message="  ")

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == "in_review"
    assert not Notification.objects.filter(kind="proposals.decision").exists()

    decide(client, action, in_review, message="Budżet wymaga uzasadnienia.")

    in_review.refresh_from_db()
    assert (in_review.status, in_review.decision_message) == (
        status,
        "Budżet wymaga uzasadnienia.",
    )
    assert in_review.decision_released_at is not None
    deliver_outbox()
    [letter] = [m for m in mail.outbox if lead_admin.email in m.to and "Decision" in m.subject]
    assert "Budżet wymaga uzasadnienia." in letter.body


def test_accepting_needs_no_message_and_sends_the_letter_at_once(
    client, office, in_review, lead_admin, partner_admin
):
    response = decide(client, "accept", in_review)

    assert "Accepted: done for 1 proposal." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == "accepted"
    assert in_review.status_for_applicants == "accepted"
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox if "Decision" in m.subject) == [
        "admin@medtech.example",
        "lider@szpital.example",
    ]


def test_a_held_letter_stays_held_and_is_released_once_from_the_proposals(
    client, office, in_review, lead_admin
):
    decide(client, "reject", in_review, message="Za mały zespół.", hold_letter="on")

    in_review.refresh_from_db()
    assert (in_review.status, in_review.decision_released_at) == ("rejected", None)
    deliver_outbox()
    assert not [m for m in mail.outbox if "Decision" in m.subject]
    page = logged_in(lead_admin).get(in_review.get_absolute_url())
    assert page.status_code == 200
    assert "Za mały zespół." not in page.content.decode()
    assert '<span class="status status-in_review">In review</span>' in page.content.decode()

    released = act(client, proposals_url(), "release_letters", [in_review])

    assert "1 decision released: 2 letters on their way." in released.content.decode()
    again = act(client, proposals_url(), "release_letters", [in_review])
    assert "0 decisions released: 0 letters on their way." in again.content.decode()
    deliver_outbox()
    assert len([m for m in mail.outbox if "Decision" in m.subject]) == 2
    page = logged_in(lead_admin).get(in_review.get_absolute_url())
    assert "Za mały zespół." in page.content.decode()


def test_a_held_request_for_changes_does_not_open_the_proposal_to_its_lead(
    client, office, in_review, lead_admin
):
    decide(client, "request_changes", in_review, message="Dodajcie partnera.", hold_letter="on")
    lead_client = logged_in(lead_admin)
    edit = reverse("projects:proposal_edit", kwargs={"pk": in_review.pk})

    page = lead_client.get(in_review.get_absolute_url()).content.decode()
    assert '<span class="status status-in_review">In review</span>' in page
    assert edit not in page
    assert lead_client.get(edit).status_code == 302
    with pytest.raises(InvalidTransition, match="The proposal is in review now"):
        proposal_update(proposal=in_review, actor=lead_admin, title="Nowy tytuł")

    act(client, proposals_url(), "release_letters", [in_review])

    assert edit in lead_client.get(in_review.get_absolute_url()).content.decode()
    assert lead_client.get(edit).status_code == 200


def test_a_proposal_withdrawn_after_a_held_decision_is_not_counted_as_released(
    client, office, in_review, lead_admin
):
    decide(client, "request_changes", in_review, message="Dodajcie partnera.", hold_letter="on")
    proposal_withdraw(proposal=in_review, actor=lead_admin)

    response = act(client, proposals_url(), "release_letters", [in_review])

    assert "0 decisions released: 0 letters on their way." in response.content.decode()


def test_releasing_the_letters_of_a_call_sends_its_held_decisions_once(
    client, office, call, in_review, coordinator
):
    elsewhere = ProposalFactory(status="in_review")
    MembershipFactory(organisation=elsewhere.lead, role="admin", user__email="inny@lider.example")
    for proposal in (in_review, elsewhere):
        proposal_decide(proposal=proposal, actor=coordinator, to="accepted", hold_letter=True)
    changelist = admin_url("fundingcall")

    response = act(client, changelist, "release_letters", [call])

    assert "1 decision released: 2 letters on their way." in response.content.decode()
    again = act(client, changelist, "release_letters", [call])
    assert "0 decisions released: 0 letters on their way." in again.content.decode()
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox if "Decision" in m.subject) == [
        "admin@medtech.example",
        "lider@szpital.example",
    ]
    elsewhere.refresh_from_db()
    assert elsewhere.decision_is_held


def test_a_decision_made_by_someone_else_after_the_confirmation_page_changes_nothing(
    client, office, in_review, coordinator
):
    confirmation = act(client, proposals_url(), "reject", [in_review]).content.decode()
    [(pk, seen)] = re.findall(r'name="seen-(\d+)" value="([^"]+)"', confirmation)
    assert (int(pk), seen) == (in_review.pk, "in_review")

    # Meanwhile Ewa Koordynatorka accepts it (quietly, so it could still be changed).
    proposal_decide(proposal=in_review, actor=coordinator, to="accepted", hold_letter=True)

    response = client.post(
        proposals_url(),
        {
            "action": "reject",
            "_selected_action": [pk],
            f"seen-{pk}": seen,
            "apply": "1",
            "message": "Odrzucamy.",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Ewa Koordynatorka changed the proposal to “Accepted”" in html
    assert "done for" not in html
    in_review.refresh_from_db()
    assert (in_review.status, in_review.decision_message) == ("accepted", "")
    assert Notification.objects.filter(kind="proposals.decision").count() == 2  # Ewa's, held


# --- reviewers -----------------------------------------------------------------------------


def test_assigning_reviewers_asks_whom_then_assigns_them(
    client, office, submitted, coordinator, other_coordinator
):
    page = act(client, proposals_url(), "assign_reviewers", [submitted])

    assert page.status_code == 200
    html = page.content.decode()
    for person in (office, coordinator, other_coordinator):
        assert f'value="{person.pk}"' in html
    assert not submitted.reviews.exists()

    response = act(
        client,
        proposals_url(),
        "assign_reviewers",
        [submitted],
        apply="1",
        reviewers=[coordinator.pk, other_coordinator.pk],
    )

    assert "2 reviews assigned." in response.content.decode()
    assert set(submitted.reviews.values_list("reviewer__email", "assigned_by")) == {
        ("biuro@klaster.example", office.pk),
        ("biuro2@klaster.example", office.pk),
    }
    assert set(
        Notification.objects.filter(kind="proposals.review_assigned").values_list(
            "recipient", flat=True
        )
    ) == {coordinator.pk, other_coordinator.pk}

    again = act(
        client,
        proposals_url(),
        "assign_reviewers",
        [submitted],
        apply="1",
        reviewers=[coordinator.pk],
    )
    assert "Ewa Koordynatorka already reviews this proposal." in again.content.decode()
    assert submitted.reviews.count() == 2


@pytest.mark.parametrize("side", ["lead", "partner"])
def test_a_coordinator_from_the_lead_or_a_partner_is_refused_as_reviewer(
    client, office, submitted, lead, partner_org, side
):
    organisation = lead if side == "lead" else partner_org
    insider = make_coordinator("wewnatrz@klaster.example", "Marta Wewnętrzna")
    MembershipFactory(organisation=organisation, user=insider)

    response = act(
        client, proposals_url(), "assign_reviewers", [submitted], apply="1", reviewers=[insider.pk]
    )

    html = response.content.decode()
    assert (
        f"Marta Wewnętrzna cannot review this proposal: they belong to {organisation.name}, "
        "which takes part in it (a conflict of interest)."
    ) in html
    assert "0 reviews assigned." in html
    assert not submitted.reviews.exists()


def test_the_coordinators_of_each_proposals_centres_are_assigned(
    client, office, submitted, partner_org, coordinator, other_coordinator, telemedicine
):
    ict = CompetenceCentre.objects.get(slug="ict")
    other = ProposalFactory(acronym="ICTMED", status="submitted")
    other.centres.add(ict)
    insider = make_coordinator("wewnatrz@klaster.example", "Marta Wewnętrzna")
    MembershipFactory(organisation=partner_org, user=insider)
    member_coordinator = UserFactory(full_name="Koordynator Bez Biura")  # not the office
    telemedicine.coordinators.add(coordinator, insider, member_coordinator)
    ict.coordinators.add(other_coordinator)

    response = act(client, proposals_url(), "assign_centre_coordinators", [submitted, other])

    html = response.content.decode()
    assert "2 reviews assigned." in html
    assert "Marta Wewnętrzna cannot review this proposal: they belong to MedTech Lublin" in html
    assert list(submitted.reviews.values_list("reviewer", flat=True)) == [coordinator.pk]
    assert list(other.reviews.values_list("reviewer", flat=True)) == [other_coordinator.pk]


@pytest.fixture
def three_reviews(in_review, office, coordinator, other_coordinator):
    """The office's own review, still to write, and two written by the other coordinators."""
    mine = review_assign(proposal=in_review, reviewer=office, actor=coordinator)
    for reviewer, given in (
        (coordinator, scores(3, 2, 5, 1)),
        (other_coordinator, scores(4, 3, 3, 5)),
    ):
        review = review_assign(proposal=in_review, reviewer=reviewer, actor=coordinator)
        review_submit(review=review, actor=reviewer, scores=given, recommendation="minor_changes")
    return mine


def write_review(client, review, **changes):
    page = client.get(review_url(review))
    assert page.status_code == 200
    data = form_fields(page.content.decode(), form_id="review_form")
    data.update(changes)
    return client.post(review_url(review), data, follow=True)


def test_a_reviewer_scores_each_criterion_and_the_weighted_average_follows(
    client, office, in_review, three_reviews
):
    page = client.get(review_url(three_reviews)).content.decode()
    for label in (
        "Innovation (weight 3)",
        "Quality of the partnership (weight 2)",
        "Expected impact (weight 3)",
        "Feasibility and budget (weight 2)",
    ):
        assert label in page
    in_review.refresh_from_db()
    assert (in_review.average_score, in_review.review_count) == (Decimal("3.35"), 2)

    given = scores(5, 5, 4, 3)
    response = write_review(
        client,
        three_reviews,
        recommendation="accept",
        comment_for_coordinators="Mocne konsorcjum.",
        comment_for_applicants="Dopracujcie harmonogram.",
        **{f"score_{pk}": str(score) for pk, score in given.items()},
    )

    assert response.redirect_chain[0][1] == 302
    three_reviews.refresh_from_db()
    # (5*3 + 5*2 + 4*3 + 3*2) / 10
    assert three_reviews.weighted_score == Decimal("4.30")
    assert three_reviews.recommendation == "accept"
    assert three_reviews.comment_for_coordinators == "Mocne konsorcjum."
    assert dict(three_reviews.scores.values_list("criterion", "score")) == given
    in_review.refresh_from_db()
    # (4.30 + 3.00 + 3.70) / 3 = 3.666…
    assert (in_review.average_score, in_review.review_count) == (Decimal("3.67"), 3)
    row = client.get(proposals_url()).content.decode()
    assert '<td class="field-average">3.67</td>' in row


def test_a_review_missing_a_score_is_refused_with_the_criterion_and_keeps_the_rest(
    client, office, in_review, three_reviews
):
    given = scores(5, 5, 4, 3)
    innovation = default_criteria()["Innovation"].pk
    del given[innovation]

    response = write_review(
        client,
        three_reviews,
        recommendation="accept",
        comment_for_coordinators="Notatka, której nie chcę stracić.",
        **{f"score_{pk}": str(score) for pk, score in given.items()},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a score from 1 to 5." in html
    assert "Notatka, której nie chcę stracić." in html
    three_reviews.refresh_from_db()
    assert not three_reviews.is_submitted


def test_a_reviewer_who_declares_a_conflict_no_longer_counts(
    client, office, in_review, three_reviews
):
    write_review(
        client,
        three_reviews,
        recommendation="accept",
        **{f"score_{pk}": str(score) for pk, score in scores(5, 5, 4, 3).items()},
    )
    in_review.refresh_from_db()
    assert in_review.average_score == Decimal("3.67")

    write_review(
        client, three_reviews, declare_conflict="on", conflict_note="Konsultuję dla lidera."
    )

    three_reviews.refresh_from_db()
    assert three_reviews.has_conflict
    assert three_reviews.conflict_reason == "Konsultuję dla lidera."
    proposal_page = client.get(change_url(in_review)).content.decode()
    assert "Conflict of interest: Konsultuję dla lidera." in proposal_page
    in_review.refresh_from_db()
    assert (in_review.average_score, in_review.review_count) == (Decimal("3.35"), 2)

    # From now on the review is shown, not offered as a form that would be refused.
    page = client.get(review_url(three_reviews))
    assert page.status_code == 200
    assert "Konsultuję dla lidera." in page.content.decode()
    assert 'name="recommendation"' not in page.content.decode()
    refused = client.post(
        review_url(three_reviews),
        {"recommendation": "reject", **{f"score_{pk}": "1" for pk in scores(1, 1, 1, 1)}},
    )
    assert refused.status_code == 403
    three_reviews.refresh_from_db()
    assert three_reviews.recommendation == "accept"
    in_review.refresh_from_db()
    assert in_review.average_score == Decimal("3.35")


def test_another_coordinator_reads_a_review_but_cannot_change_it(
    client, office, in_review, three_reviews, coordinator
):
    theirs = in_review.reviews.get(reviewer=coordinator)
    page = client.get(review_url(theirs))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Ewa Koordynatorka" in html
    assert 'name="recommendation"' not in html
    assert 'name="score_' not in html

    response = client.post(
        review_url(theirs),
        {"recommendation": "reject", "comment_for_coordinators": "Podmienione."},
    )

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert (theirs.recommendation, theirs.comment_for_coordinators) == ("minor_changes", "")
    assert theirs.weighted_score == Decimal("3.00")


# --- CSV -----------------------------------------------------------------------------------


def test_the_csv_export_has_lead_partners_budget_status_and_score_every_field_quoted(
    client, office, in_review, three_reviews
):
    ProjectProposal.objects.filter(pk=in_review.pk).update(title='=HYPERLINK("http://zlo.example")')
    PartnerFactory(proposal=in_review, organisation__name="Apteka Centralna", status="invited")

    response = act(client, proposals_url(), "export_csv", [in_review])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Acronym",
        "Title",
        "Lead organisation",
        "Partners",
        "Funding call",
        "Requested budget",
        "Currency",
        "Status",
        "Average score",
        "Reviews",
    ]
    assert rows[1:] == [
        [
            in_review.acronym,
            """'=HYPERLINK("http://zlo.example")""",
            "Szpital Wojewódzki w Lublinie",
            "Apteka Centralna (Invited); MedTech Lublin (Confirmed)",
            "Remote care R&D",
            "1500000.00",
            "PLN",
            "In review",
            "3.35",
            "2",
        ]
    ]
    quoted = io.StringIO()
    csv.writer(quoted, quoting=csv.QUOTE_ALL).writerows(rows)
    assert text == quoted.getvalue()


# --- what the applicants never see --------------------------------------------------------


def test_reviews_and_reviewers_never_reach_the_applicants(
    client, office, submitted, lead_admin, lead_member, partner_admin
):
    reviewer = make_coordinator("recenzent.tajny@klaster.example", "Zbigniew Recenzencki")
    # He also starts the review: the timeline records him, the applicants never read it.
    proposal_decide(proposal=submitted, actor=reviewer, to="in_review")
    act(
        client, proposals_url(), "assign_reviewers", [submitted], apply="1", reviewers=[reviewer.pk]
    )
    review = submitted.reviews.get(reviewer=reviewer)
    review_submit(
        review=review,
        actor=reviewer,
        scores=scores(5, 4, 4, 4),
        recommendation="major_changes",
        comment_for_coordinators="Notatka-wewnetrzna-biura-7731",
        comment_for_applicants="Uwagi-recenzenta-dla-wnioskodawcow-7731",
    )
    submitted.refresh_from_db()
    decide(client, "accept", submitted, message="Gratulujemy, projekt przyjęty.")
    planted = [
        "Recenzencki",
        "recenzent.tajny",
        "Notatka-wewnetrzna-biura-7731",
        "Uwagi-recenzenta-dla-wnioskodawcow-7731",
        "Request major changes",
        "average score",
        "weighted score",
    ]

    pages = [
        submitted.get_absolute_url(),
        reverse("projects:proposal_list"),
        reverse("projects:index"),
        reverse("pages:my_cluster"),
        reverse("notifications:list"),
    ]
    for person in (lead_admin, lead_member, partner_admin):
        applicant = logged_in(person)
        for path in pages:
            response = applicant.get(path)
            assert response.status_code == 200, (person, path)
            html = response.content.decode().lower()
            for secret in planted:
                assert secret.lower() not in html, (person.email, path, secret)

    detail = logged_in(lead_admin).get(submitted.get_absolute_url()).content.decode()
    assert "Gratulujemy, projekt przyjęty." in detail  # the decision itself is theirs to read

    deliver_outbox()
    to_applicants = [
        message
        for message in mail.outbox
        if set(message.to) & {lead_admin.email, lead_member.email, partner_admin.email}
    ]
    assert {m.subject for m in to_applicants} >= {
        f"{submitted.acronym} is in review",
        f"Decision on {submitted.acronym}: Accepted",
    }
    for message in to_applicants:
        texts = [message.subject, message.body, *(body for body, _type in message.alternatives)]
        for text in texts:
            for secret in planted:
                assert secret.lower() not in text.lower(), (message.to, message.subject, secret)


@pytest.mark.parametrize("object_id", ["abc", "99999999999999999999", "0"])
def test_a_proposal_that_does_not_exist_sends_back_to_the_admin_with_a_message(
    client, office, object_id
):
    response = client.get(f"/admin/projects/projectproposal/{object_id}/change/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist" in response.content.decode()


def test_the_change_page_shows_the_lead_and_the_call_read_with_the_proposal(
    client, office, submitted
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.html import escape

    with CaptureQueriesContext(connection) as queries:
        html = client.get(change_url(submitted)).content.decode()

    assert escape(submitted.lead.name) in html and escape(str(submitted.call)) in html
    alone = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(
            ('SELECT "members_organisation"', 'SELECT "projects_fundingcall"')
        )
    ]
    assert alone == []


def test_a_row_of_the_filtered_list_leads_to_its_proposal_and_back_to_the_same_list(
    client, office, five_proposals, call
):
    query = f"call__id__exact={call.pk}&o=-6"
    html = client.get(proposals_url(query)).content.decode()
    links = re.findall(r'<th class="field-acronym"><a href="([^"]+)"', html)

    assert links
    proposal = ProjectProposal.objects.get(acronym=re.search(r">([^<]+)</a></th>", html)[1])
    back = f"_changelist_filters=call__id__exact%3D{call.pk}%26o%3D-6"
    assert links[0] == f"/admin/projects/projectproposal/{proposal.pk}/change/?{back}"
    page = client.get(links[0]).content.decode()
    assert f'href="/admin/projects/projectproposal/?{query.replace("&", "&amp;")}"' in page


def test_the_change_page_shows_each_field_under_its_heading_with_its_label_and_value(
    client, office, submitted
):
    ProjectProposal.objects.filter(pk=submitted.pk).update(
        average_score=Decimal("3.67"), review_count=3, trl=6
    )
    html = client.get(change_url(submitted)).content.decode()

    for heading in ("Proposal", "Budget", "Review", "History"):
        assert re.search(
            rf'<h2 id="fieldset-0-\d-heading" class="fieldset-heading">{heading}</h2>', html
        )
    shown = dict(
        re.findall(
            r'<div class="form-row field-(\w+)">\s*<div>\s*<div class="flex-container">\s*'
            r"<label>[^<]+:</label>\s*<div class=\"readonly\">(.*?)</div>",
            html,
            re.S,
        )
    )
    every_field = [
        name for _title, options in ProjectProposalAdmin.fieldsets for name in options["fields"]
    ]
    assert list(shown) == every_field
    assert shown["acronym"] == submitted.acronym
    assert shown["status"] == "Submitted"
    assert shown["average_score"] == "3.67" and shown["review_count"] == "3"
    assert shown["trl"] == "6"
    assert shown["lead"] == (
        f'<a href="{reverse("admin:members_organisation_change", args=[submitted.lead_id])}">'
        f"{submitted.lead.name}</a>"
    )
    assert shown["centres"] == "Telemedicine"
    assert shown["decided_at"] == "-"  # the admin's empty value
    assert "<label>Average score:</label>" in html


def test_the_admin_sidebar_links_each_model_and_marks_the_page_being_read(
    client, office, submitted
):
    html = client.get(change_url(submitted)).content.decode()
    sidebar = html[
        html.index('<nav class="sticky" id="nav-sidebar"') : html.index(
            "</nav>", html.index('id="nav-sidebar"')
        )
    ]

    proposals = reverse("admin:projects_projectproposal_changelist")
    assert '<div class="app-projects module current-app">' in sidebar
    assert f'<a href="{proposals}" aria-current="page">Project proposals</a>' in sidebar
    assert sidebar.count('aria-current="page"') == 1
    calls = reverse("admin:projects_fundingcall_changelist")
    assert f'<a href="{calls}">Funding calls</a>' in sidebar
    assert (
        f'<a href="{reverse("admin:projects_fundingcall_add")}" class="addlink" '
        'aria-describedby="projects-fundingcall">Add</a>'
    ) in sidebar
    assert 'title="Models in the Projects and funding application"' in sidebar


def test_the_admin_sidebar_follows_the_permissions_of_whoever_reads_it(client, office, submitted):
    from django.contrib.auth.models import Group, Permission

    proposals = reverse("admin:projects_projectproposal_changelist")
    calls = reverse("admin:projects_fundingcall_changelist")
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{proposals}"' in page and f'href="{calls}"' in page

    # The same office, narrowed to reading funding calls: the next page lists only those.
    office.groups.clear()
    office.user_permissions.add(Permission.objects.get(codename="view_fundingcall"))
    page = client.get(calls).content.decode()
    sidebar = page[
        page.index('id="nav-sidebar"') : page.index("</nav>", page.index('id="nav-sidebar"'))
    ]
    assert f'href="{calls}"' in sidebar
    assert f'href="{proposals}"' not in sidebar

    office.groups.add(Group.objects.get(name="Coordinators"))
    page = client.get(calls).content.decode()
    assert f'href="{proposals}"' in page
