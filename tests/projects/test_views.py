"""The pages of funding calls and proposals: who sees what, forms, feeds, query counts."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from projects.models import ProjectProposal, ProposalPartner
from tests.factories import (
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    ProposalFactory,
)
from tests.helpers import get_counting_queries, logged_in

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def detail_url(proposal) -> str:
    return f"/en/projects/proposals/{proposal.pk}/"


# --- funding calls -------------------------------------------------------------------------


def test_the_call_list_shows_open_upcoming_and_closed_calls_apart(client, call):
    now = timezone.now()
    FundingCallFactory(
        title_en="Next year's call",
        opens_at=now + datetime.timedelta(days=30),
        deadline=now + datetime.timedelta(days=90),
    )
    FundingCallFactory(
        title_en="Last year's call",
        opens_at=now - datetime.timedelta(days=90),
        deadline=now - datetime.timedelta(days=30),
    )
    FundingCallFactory(title_en="A draft call", is_published=False)

    pages = {
        phase: client.get(f"/en/projects/calls/?phase={phase}").content.decode()
        for phase in ("open", "upcoming", "closed")
    }

    assert "Remote care R&amp;D" in pages["open"] and "Next year" not in pages["open"]
    assert "Next year&#x27;s call" in pages["upcoming"] and "Remote care" not in pages["upcoming"]
    assert "Last year&#x27;s call" in pages["closed"]
    assert not any("A draft call" in page for page in pages.values())
    assert client.get("/en/projects/calls/?phase=nonsense").status_code == 200


def test_the_call_list_filters_by_centre_and_programme(client, call):
    FundingCallFactory(title_en="Horizon call", programme="horizon_europe")

    by_centre = client.get("/en/projects/calls/?centre=telemedicine").content.decode()
    by_programme = client.get("/en/projects/calls/?programme=horizon_europe").content.decode()
    unknown = client.get("/en/projects/calls/?centre=no-such-centre&programme=x")

    assert "Remote care R&amp;D" in by_centre and "Horizon call" not in by_centre
    assert "Horizon call" in by_programme and "Remote care" not in by_programme
    assert unknown.status_code == 200


def test_the_call_list_runs_the_same_queries_for_one_and_fifty_calls(client, telemedicine):
    FundingCallFactory().centres.add(telemedicine)
    client.get("/en/projects/calls/")  # warm the site-settings cache
    _, with_one = get_counting_queries(client, "/en/projects/calls/")
    for _ in range(49):
        FundingCallFactory().centres.add(telemedicine)
    response, with_fifty = get_counting_queries(client, "/en/projects/calls/")
    assert with_fifty == with_one
    assert response.context["page_obj"].paginator.count == 50


def test_a_call_page_shows_deadline_criteria_and_the_way_to_propose(client, call):
    call.criteria.create(name_pl="Innowacyjność", name_en="Innovation", weight=3)
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Remote care R&amp;D" in html
    assert "Innovation — weight 3" in html
    assert f"/en/projects/proposals/new/?call={call.slug}" in html
    assert client.get("/en/projects/calls/no-such-call/").status_code == 404


def test_an_unpublished_call_is_not_found(client):
    draft = FundingCallFactory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def _entries(response) -> list[str]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_atom_feeds_of_all_calls_and_of_a_centre(client, call):
    FundingCallFactory(title_en="Horizon call")
    FundingCallFactory(title_en="A draft", is_published=False)

    assert sorted(_entries(client.get("/en/projects/calls/feed/"))) == [
        "Horizon call",
        "Remote care R&D",
    ]
    assert _entries(client.get("/en/projects/calls/feed/telemedicine/")) == ["Remote care R&D"]
    assert _entries(client.get("/pl/projects/calls/feed/telemedicine/")) == ["Telemedycyna B+R"]
    assert client.get("/en/projects/calls/feed/no-such-centre/").status_code == 404


def test_the_centre_page_lists_its_open_calls(client, call):
    FundingCallFactory(
        title_en="Closed one",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        deadline=timezone.now() - datetime.timedelta(days=1),
    ).centres.add(call.centres.get())
    html = client.get("/en/centres/telemedicine/").content.decode()
    assert "Remote care R&amp;D" in html
    assert "Closed one" not in html


# --- proposals -----------------------------------------------------------------------------


def test_the_people_of_a_proposal_see_it_and_nobody_else(
    client, proposal, lead_admin, lead_member, partner_org, partner_admin, outsider
):
    partnership = PartnerFactory(proposal=proposal, organisation=partner_org, status="invited")

    for person in (lead_admin, lead_member, partner_admin):
        assert logged_in(person).get(detail_url(proposal)).status_code == 200, person
    assert logged_in(outsider).get(detail_url(proposal)).status_code == 404
    visitor = client.get(detail_url(proposal))
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/en/accounts/login/?next=")

    partnership.status = "declined"
    partnership.save()
    assert logged_in(partner_admin).get(detail_url(proposal)).status_code == 404


def test_an_admin_drafts_a_proposal_for_a_call_through_the_page(
    lead, lead_admin, call, telemedicine
):
    client = logged_in(lead_admin)
    form = client.get(f"/en/projects/proposals/new/?call={call.slug}")
    assert form.status_code == 200
    assert f'<option value="{call.pk}" selected>' in form.content.decode()

    response = client.post(
        "/en/projects/proposals/new/",
        {
            "lead": lead.pk,
            "call": call.pk,
            "title": "Tele-rehabilitacja",
            "acronym": "TREHAB",
            "summary": "Rehabilitation at home.",
            "currency": "PLN",
            "centres": [telemedicine.pk],
        },
    )

    proposal = ProjectProposal.objects.get(acronym="TREHAB")
    assert response.status_code == 302
    assert response["Location"] == detail_url(proposal)
    assert (proposal.lead, proposal.call, proposal.status) == (lead, call, "draft")


def test_a_refused_draft_keeps_what_was_typed(lead, lead_admin):
    response = logged_in(lead_admin).post(
        "/en/projects/proposals/new/",
        {
            "lead": lead.pk,
            "title": "Tytuł, który zostaje",
            "acronym": "",
            "summary": "Opis",
            "currency": "PLN",
            "trl": "12",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tytuł, który zostaje" in html and "Opis" in html
    assert "Ensure this value is less than or equal to 9." in html
    assert not ProjectProposal.objects.exists()


def test_someone_who_may_lead_nothing_is_told_how(lead_member):
    response = logged_in(lead_member).get("/en/projects/proposals/new/", follow=True)
    assert response.status_code == 200
    assert "Only the administrators of an active member organisation" in response.content.decode()


def test_partners_see_but_the_lead_alone_edits(proposal, partner_org, partner_admin, lead_admin):
    PartnerFactory(proposal=proposal, organisation=partner_org, status="confirmed")
    edit = f"/en/projects/proposals/{proposal.pk}/edit/"
    assert logged_in(partner_admin).get(edit).status_code == 403
    assert logged_in(lead_admin).get(edit).status_code == 200
    response = logged_in(lead_admin).post(
        edit,
        {"title": "Nowy tytuł", "acronym": proposal.acronym, "summary": "S", "currency": "PLN"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Nowy tytuł"


def test_a_partner_confirms_from_the_proposals_page(
    proposal, lead_admin, partner_org, partner_admin
):
    client = logged_in(lead_admin)
    client.post(
        f"/en/projects/proposals/{proposal.pk}/partners/",
        {"organisation": partner_org.pk, "role": "partner", "budget_share": "30"},
    )
    partnership = ProposalPartner.objects.get()
    page = logged_in(partner_admin).get(detail_url(proposal)).content.decode()
    assert "Confirm the partnership" in page

    response = logged_in(partner_admin).post(
        f"/en/projects/proposals/{proposal.pk}/partners/{partnership.pk}/answer/",
        {"answer": "confirm"},
        follow=True,
    )
    assert "MedTech Lublin takes part in" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "confirmed"


def test_submitting_without_a_partner_explains_why(proposal, lead_admin):
    page = logged_in(lead_admin).get(detail_url(proposal)).content.decode()
    assert "A joint proposal needs at least one partner organisation" in page
    response = logged_in(lead_admin).post(
        f"/en/projects/proposals/{proposal.pk}/submit/", follow=True
    )
    assert response.status_code == 200
    assert "A joint proposal needs at least one partner organisation" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_state_changes_are_post_only(proposal, lead_admin):
    client = logged_in(lead_admin)
    for action in ("submit", "withdraw", "partners", "documents"):
        assert client.get(f"/en/projects/proposals/{proposal.pk}/{action}/").status_code == 405


def test_a_held_decision_and_the_reviews_stay_hidden_from_the_applicants(
    proposal, lead_admin, partner_org, coordinator
):
    from projects.models import Review
    from projects.services import proposal_decide, proposal_submit

    PartnerFactory(proposal=proposal, organisation=partner_org, status="confirmed")
    proposal_submit(proposal=proposal, actor=lead_admin)
    proposal_decide(proposal=proposal, actor=coordinator, to="in_review")
    Review.objects.create(
        proposal=proposal, reviewer=coordinator, comment_for_coordinators="Sekret"
    )
    proposal_decide(
        proposal=proposal,
        actor=coordinator,
        to="rejected",
        message="Nie w tej edycji.",
        hold_letter=True,
    )

    for url in (
        detail_url(proposal),
        "/en/projects/proposals/",
        "/en/members/my/",
        "/en/projects/",
    ):
        html = logged_in(lead_admin).get(url).content.decode()
        assert "status-in_review" in html, url
        assert "Rejected" not in html and "Nie w tej edycji." not in html, url
        assert "Ewa Koordynatorka" not in html and "Sekret" not in html, url


@pytest.mark.parametrize("url", ["/en/members/my/", "/en/projects/proposals/"])
def test_my_proposals_run_the_same_queries_for_one_and_fifty(url, lead, lead_admin, call):
    def add(count):
        for _ in range(count):
            proposal = ProposalFactory(lead=lead, call=call)
            PartnerFactory(proposal=proposal)

    add(1)
    client = logged_in(lead_admin)
    client.get(url)
    _, with_one = get_counting_queries(client, url)
    add(49)
    # A proposal where the lead's admin's other organisation is a partner.
    other = OrganisationFactory()
    MembershipFactory(organisation=other, user=lead_admin)
    PartnerFactory(organisation=other, status="invited")
    _, with_fifty = get_counting_queries(client, url)
    assert with_fifty == with_one
