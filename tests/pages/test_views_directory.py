"""cluster_portal/pages/views/directory.py (with the selectors and filters it uses): the
member directory, its search, facets, htmx fragment and query counts."""

import datetime
import html
import re

import pytest
from django.db import connection

from competence_centres.enums import ParticipationStatus
from members.enums import OrganisationKind, OrganisationStatus, Region
from members.services.organisations import organisation_refresh_search
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.helpers import centre, get_counting_queries, get_html, require

pytestmark = pytest.mark.django_db

URL = "/en/members/"


def organisation(**kwargs):
    """An organisation as the services leave it: with its search vector computed."""
    created = OrganisationFactory(**kwargs)
    organisation_refresh_search(organisation_ids=[created.pk])
    return created


CARD_TITLE = re.compile(r'<h3 class="card-title"><a href="[^"]*">([^<]*)</a></h3>')


def listed(response) -> list[str]:
    """The names on the page's cards, in order, as a visitor reads them."""
    return [html.unescape(name) for name in CARD_TITLE.findall(response.content.decode())]


def test_directory_lists_only_active_organisations_that_chose_to_be_listed(client):
    organisation(name="Active Listed Clinic")
    organisation(name="Applicant Clinic", status=OrganisationStatus.APPLIED)
    organisation(name="Rejected Clinic", status=OrganisationStatus.REJECTED)
    organisation(name="Suspended Clinic", status=OrganisationStatus.SUSPENDED)
    organisation(name="Resigned Clinic", status=OrganisationStatus.RESIGNED)
    organisation(name="Unlisted Clinic", is_public=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert listed(response) == ["Active Listed Clinic"]
    assert "Unlisted Clinic" not in response.content.decode()


def test_search_finds_an_organisation_by_name(client):
    organisation(name="Szpital Świętej Anny", specialisations="chirurgia", description="")
    organisation(name="Uniwersytet Medyczny", specialisations="chirurgia", description="")

    assert listed(client.get(URL, {"q": "Anny"})) == ["Szpital Świętej Anny"]


def test_search_finds_an_organisation_by_specialisation(client):
    organisation(name="Diagnostyka Obrazowa", specialisations="radiologia, telemedycyna")
    organisation(name="Centrum Rehabilitacji", specialisations="fizjoterapia")

    assert listed(client.get(URL, {"q": "radiologia"})) == ["Diagnostyka Obrazowa"]


def test_search_matches_the_beginning_of_a_word(client):
    organisation(name="Instytut Serca", specialisations="kardiologia, kardiochirurgia")
    organisation(name="Centrum Rehabilitacji", specialisations="fizjoterapia", description="")

    assert listed(client.get(URL, {"q": "kardio"})) == ["Instytut Serca"]


def test_search_with_two_words_needs_both(client):
    organisation(name="Szpital Miejski", specialisations="kardiologia, onkologia", description="")
    organisation(name="Szpital Dziecięcy", specialisations="kardiologia, pediatria", description="")

    assert listed(client.get(URL, {"q": "kardiologia pediatria"})) == ["Szpital Dziecięcy"]


def test_kind_filter_accepts_several_kinds(client):
    organisation(name="Uniwersytet Medyczny", kind=OrganisationKind.UNIVERSITY)
    organisation(name="Instytut Badawczy", kind=OrganisationKind.RESEARCH_INSTITUTE)
    organisation(name="MedTech Sp. z o.o.", kind=OrganisationKind.ENTERPRISE)

    response = client.get(URL, {"kind": ["university", "research_institute"]})

    assert listed(response) == ["Instytut Badawczy", "Uniwersytet Medyczny"]


def test_region_filter_lists_only_that_region(client):
    organisation(name="Szpital w Lublinie", region=Region.LUBELSKIE)
    organisation(name="Szpital w Warszawie", region=Region.MAZOWIECKIE, city="Warszawa")

    assert listed(client.get(URL, {"region": "mazowieckie"})) == ["Szpital w Warszawie"]


def test_centre_filter_lists_only_active_participants_of_that_centre(client):
    ParticipationFactory(organisation=organisation(name="Active Participant"))
    ParticipationFactory(
        organisation=organisation(name="Pending Applicant"), status=ParticipationStatus.REQUESTED
    )
    ParticipationFactory(
        organisation=organisation(name="Former Participant"), status=ParticipationStatus.LEFT
    )
    ParticipationFactory(organisation=organisation(name="ICT Participant"), centre=centre("ict"))

    assert listed(client.get(URL, {"centre": "telemedicine"})) == ["Active Participant"]


def test_filters_combine_with_the_search_and_stay_in_the_pagination_links(client):
    for number in range(30):
        organisation(
            name=f"Uczelnia {number:02d}",
            kind=OrganisationKind.UNIVERSITY,
            region=Region.MAZOWIECKIE,
            specialisations="biotechnologia",
        )
    organisation(name="Uczelnia Lubelska", kind=OrganisationKind.UNIVERSITY)
    organisation(
        name="Firma Mazowiecka",
        kind=OrganisationKind.ENTERPRISE,
        region=Region.MAZOWIECKIE,
        specialisations="biotechnologia",
    )
    organisation(
        name="Uczelnia Bez Biotechnologii",
        kind=OrganisationKind.UNIVERSITY,
        region=Region.MAZOWIECKIE,
        specialisations="informatyka",
    )
    query = {"q": "biotechnologia", "kind": "university", "region": "mazowieckie", "sort": "name"}

    first = client.get(URL, query)
    second = client.get(URL, {**query, "page": "2"})

    assert listed(first) == [f"Uczelnia {number:02d}" for number in range(24)]
    assert listed(second) == [f"Uczelnia {number:02d}" for number in range(24, 30)]
    assert (
        'href="?q=biotechnologia&amp;kind=university&amp;region=mazowieckie&amp;sort=name'
        '&amp;page=2" rel="next"'
    ) in first.content.decode()
    assert "30 organisations" in first.content.decode()


def test_facet_counts_apply_the_search_and_the_other_filters(client):
    both = organisation(
        kind=OrganisationKind.UNIVERSITY, region=Region.MAZOWIECKIE, city="Warszawa"
    )
    ParticipationFactory(organisation=both)
    organisation(kind=OrganisationKind.UNIVERSITY, region=Region.LUBELSKIE)
    enterprise = organisation(
        kind=OrganisationKind.ENTERPRISE, region=Region.MAZOWIECKIE, city="Warszawa"
    )
    ParticipationFactory(organisation=enterprise, centre=centre("ict"))
    organisation(kind=OrganisationKind.PUBLIC_MEDICAL_FACILITY, region=Region.MAZOWIECKIE)
    organisation(kind=OrganisationKind.ENTERPRISE, region=Region.MAZOWIECKIE, is_public=False)
    organisation(
        kind=OrganisationKind.UNIVERSITY,
        region=Region.MAZOWIECKIE,
        specialisations="informatyka",
        description="",
    )

    response = client.get(URL, {"q": "kardiologia", "kind": "university", "region": "mazowieckie"})

    counts = {
        name: {option.value: option.count for option in options if option.count}
        for name, options in response.context["facets"].items()
        if name != "sort"
    }
    # Kinds: the search and the region apply, the chosen kind does not.
    assert counts["kind"] == {"university": 1, "enterprise": 1, "public_medical": 1}
    # Regions: the search and the kind apply.
    assert counts["region"] == {"mazowieckie": 1, "lubelskie": 1}
    # Centres: all three apply; only active participations count.
    assert counts["centre"] == {"telemedicine": 1}
    html = response.content.decode()
    assert '<span class="facet-label">Enterprise</span> <span class="facet-count">(1)</span>' in (
        html
    )
    assert '<option value="lubelskie">Lublin (1)</option>' in html
    assert '<option value="telemedicine">Telemedicine (1)</option>' in html


def test_htmx_request_gets_only_the_results_fragment(client):
    organisation(name="Klinika Okulistyczna", kind=OrganisationKind.ENTERPRISE)

    response = client.get(
        URL,
        {"q": "Okulistyczna", "kind": "enterprise", "region": "", "centre": "", "sort": ""},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.template_name == ["pages/directory/_results.html"]
    assert "<html" not in html and "site-header" not in html
    assert "Klinika Okulistyczna" in html
    # The count outside the fragment (the live region) is updated in place.
    assert '<span id="directory-count" hx-swap-oob="innerHTML">1 organisation</span>' in html
    # The address bar keeps the state, without the empty fields the form sends.
    assert response["HX-Push-Url"] == "/en/members/?q=Okulistyczna&kind=enterprise"
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert response.status_code == 200
    assert response.templates[0].name == "pages/directory/directory.html"
    assert "<html" in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()


def test_full_page_carries_the_htmx_form_and_works_without_javascript(client):
    html = get_html(client, URL)

    form = re.search(r"<form id=\"directory-form\"[^>]*>", html).group(0)
    assert 'method="get"' in form and 'action="/en/members/"' in form
    assert 'hx-get="/en/members/"' in form
    assert 'hx-target="#directory-results"' in form
    assert 'hx-push-url="true"' in form
    assert "input changed delay:300ms from:#id_q" in form
    assert 'hx-sync="this:replace"' in form
    assert '<label for="id_q">Search the directory</label>' in html
    assert '<button type="submit">Search</button>' in html
    assert "<legend>Kind of organisation</legend>" in html
    assert 'aria-live="polite"' in html
    assert "{#" not in html and "#}" not in html
    # The strict CSP allows no inline script and no inline event handler.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_sorts_by_name_by_default_and_by_newest_members_on_request(client):
    organisation(name="Beta Clinic", joined_on=datetime.date(2020, 1, 1))
    organisation(name="Alpha Clinic", joined_on=datetime.date(2019, 1, 1))
    organisation(name="Gamma Clinic", joined_on=datetime.date(2025, 6, 1))
    organisation(name="Delta Clinic", joined_on=None)

    by_name = listed(client.get(URL))
    newest = listed(client.get(URL, {"sort": "newest"}))

    assert by_name == ["Alpha Clinic", "Beta Clinic", "Delta Clinic", "Gamma Clinic"]
    assert newest == ["Gamma Clinic", "Beta Clinic", "Alpha Clinic", "Delta Clinic"]


def test_invalid_parameters_are_ignored_rather_than_failing(client):
    organisation(name="Szpital Miejski")

    response = client.get(
        URL, {"kind": "castle", "region": "atlantis", "centre": "closed", "sort": "random"}
    )

    assert response.status_code == 200
    assert listed(response) == ["Szpital Miejski"]


def test_no_match_suggests_clearing_the_filters(client):
    organisation(name="Szpital Miejski")

    html = get_html(client, URL, {"q": "weterynaria", "region": "opolskie"})

    assert "No organisation matches your search and filters." in html
    assert '<a href="/en/members/">clear all filters</a>' in html
    assert '<a href="/en/members/">Clear filters</a>' in html
    assert "0 organisations" in html


def test_card_shows_kind_place_specialisations_and_active_centres(client):
    abroad = organisation(
        name="Charité Partner GmbH",
        kind=OrganisationKind.ENTERPRISE,
        region=Region.ABROAD,
        country="DE",
        city="Berlin",
        nip="",
        specialisations="robotics, imaging, telemedicine, AI, sensors, wearables",
    )
    ParticipationFactory(organisation=abroad)
    ParticipationFactory(
        organisation=abroad, centre=centre("ict"), status=ParticipationStatus.REQUESTED
    )
    organisation(name="Logo Clinic", logo_thumbnail="logos/logo-clinic/thumb.png")

    html = get_html(client, URL)

    assert '<p class="org-place">Berlin · DE</p>' in html
    assert "<li>robotics</li><li>imaging</li><li>telemedicine</li><li>AI</li>" in html
    assert "<li>sensors</li>" not in html and "+2 more" in html
    assert "Competence centres:</span> Telemedicine</p>" in html
    assert '<span class="org-initial" aria-hidden="true">C</span>' in html
    assert 'src="/media/logos/logo-clinic/thumb.png"' in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (URL, 5),
        (URL + "?q=kardiologia&kind=university&kind=enterprise&region=lubelskie&centre=ict", 6),
    ],
)
def test_list_runs_the_same_number_of_queries_for_one_and_fifty_organisations(
    client, django_assert_num_queries, path, expected
):
    ict, telemedicine = centre("ict"), centre("telemedicine")
    first = organisation(kind=OrganisationKind.UNIVERSITY)
    ParticipationFactory(organisation=first, centre=ict)
    client.get(path)  # warm the site-settings cache
    with_one = get_counting_queries(client, path)[1]

    for number in range(49):
        more = organisation(
            kind=OrganisationKind.UNIVERSITY if number % 2 else OrganisationKind.ENTERPRISE,
            logo_thumbnail=f"logos/{number}/thumb.png",
        )
        ParticipationFactory(organisation=more, centre=ict)
        ParticipationFactory(organisation=more, centre=telemedicine)

    with django_assert_num_queries(with_one):
        response = client.get(path)
    assert len(listed(response)) == 24
    # Centres for the form; inside the test's transaction nothing is kept, so who is listed
    # and their centres (the index); the search, if any; the page's cards and their centres.
    assert with_one == expected


def test_search_ranks_a_name_match_above_a_specialisation_and_a_description_match(client):
    require(connection.vendor == "postgresql", "ranking uses PostgreSQL full-text search")
    organisation(
        name="Aaa Opieka Domowa", specialisations="rehabilitacja", description="Telemedycyna."
    )
    organisation(name="Bbb Centrum", specialisations="telemedycyna", description="")
    organisation(name="Telemedycyna Polska", specialisations="radiologia", description="")

    response = client.get(URL, {"q": "telemedycyna"})

    assert listed(response) == ["Telemedycyna Polska", "Bbb Centrum", "Aaa Opieka Domowa"]


def test_search_ranks_a_whole_word_above_a_word_it_only_begins(client):
    require(connection.vendor == "postgresql", "ranking uses PostgreSQL full-text search")
    organisation(name="Aaa Kardiologia Dziecięca", specialisations="", description="")
    organisation(name="Zzz Kardio", specialisations="", description="")

    assert listed(client.get(URL, {"q": "kardio"})) == ["Zzz Kardio", "Aaa Kardiologia Dziecięca"]


def test_search_honours_websearch_exclusion(client):
    require(connection.vendor == "postgresql", "websearch syntax is PostgreSQL's")
    organisation(name="Szpital A", specialisations="kardiologia, onkologia", description="")
    organisation(name="Szpital B", specialisations="kardiologia, pediatria", description="")

    assert listed(client.get(URL, {"q": "kardiologia -onkologia"})) == ["Szpital B"]


@pytest.mark.django_db(transaction=True)
def test_cached_cards_follow_each_change_to_an_organisation_and_its_centres(client, seeded_data):
    clinic = organisation(name="Klinika Okulistyczna", city="Lublin")
    first = get_html(client, URL)
    # Read again, everything comes from what the process keeps: the same page with no query
    # (the index answers the facets and the page; the cards and the centres of the form are
    # kept), and a search asks the database only what it matches.
    again, queries = get_counting_queries(client, URL)
    assert again.content.decode() == first
    assert queries == 0
    get_html(client, URL + "?q=okulistyczna")
    found, queries = get_counting_queries(client, URL + "?q=okulistyczna")
    assert "Klinika Okulistyczna" in found.content.decode()
    assert queries == 1

    clinic.city = "Zamość"
    clinic.save()
    assert '<p class="org-place">Zamość · Lublin</p>' in get_html(client, URL)

    ict = centre("ict")
    ParticipationFactory(organisation=clinic, centre=ict)
    assert f"Competence centres:</span> {ict.name_en}</p>" in get_html(client, URL)

    ict.name_en = "Digital health"
    ict.save()
    assert "Competence centres:</span> Digital health</p>" in get_html(client, URL)


@pytest.mark.django_db(transaction=True)
def test_a_card_kept_in_the_process_is_not_shown_after_the_shared_cache_was_emptied(
    client, seeded_data
):
    from django.core.cache import cache

    from members.models import Organisation

    clinic = organisation(name="Klinika Okulistyczna", city="Lublin")
    cache.clear()  # the directory's version starts here, as after a restart of Redis
    assert '<p class="org-place">Lublin · ' in get_html(client, URL)
    # A change the directory's version never heard of (written outside the services), then
    # Redis emptied (a restart, an eviction): the version starts anew, and it must not be one
    # this process already kept cards under.
    Organisation.objects.filter(pk=clinic.pk).update(city="Zamość")
    cache.clear()

    assert '<p class="org-place">Zamość · ' in get_html(client, URL)


def test_filter_and_sort_labels_follow_the_language_of_each_page(client):
    organisation(kind=OrganisationKind.UNIVERSITY)

    english = get_html(client, URL)
    polish = get_html(client, "/pl/members/")
    english_again = get_html(client, URL)

    assert '<span class="facet-label">University</span>' in english
    assert ">Newest members first</option>" in english
    assert '<span class="facet-label">Uczelnia</span>' in polish
    assert ">Od najnowszych członków</option>" in polish
    assert english_again == english
