"""cluster_portal/pages/views/site.py: home, about, news, the language switch and the
health check."""

import datetime

import pytest
from django.utils import timezone

from cluster_portal.pages.models import SiteSettings
from competence_centres.enums import ParticipationStatus
from members.enums import OrganisationStatus
from tests.factories import EventFactory, NewsPostFactory, OrganisationFactory, ParticipationFactory
from tests.helpers import get_html

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_visitors_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_root_defaults_to_polish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"


def test_home_in_polish_lists_the_seven_centres_in_polish(client):
    response = client.get("/pl/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Centra kompetencji" in html
    assert "Telemedycyna" in html
    assert "Wsparcie osób starszych i z niepełnosprawnościami" in html
    assert len(response.context["centres"]) == 7


def test_home_in_english_lists_the_seven_centres_in_english(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Competence centres" in html
    assert "Support for the elderly and disabled" in html
    assert "Telemedicine" in html


def test_home_shows_the_texts_coordinators_wrote_in_each_language(client):
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={
            "cluster_name_pl": "Klaster Zdrowia",
            "cluster_name_en": "Health Cluster",
            "about_pl": "Sieć szpitali i firm.",
            "about_en": "A network of hospitals and companies.",
            "goals_pl": "Wspólne projekty\nFinansowanie z funduszy UE",
            "goals_en": "Joint projects\nEU funding",
            "benefits_pl": "Partnerzy do projektów",
        },
    )
    polish = get_html(client, "/pl/")
    english = get_html(client, "/en/")
    assert "Klaster Zdrowia" in polish and "Sieć szpitali i firm." in polish
    assert "Finansowanie z funduszy UE" in polish
    assert "Health Cluster" in english and "A network of hospitals and companies." in english
    assert "EU funding" in english
    # A missing English translation falls back to the Polish text instead of a gap.
    assert "Partnerzy do projektów" in english


def test_home_has_friendly_empty_states(client):
    html = get_html(client, "/en/")
    assert "No events are planned right now" in html
    assert "No news yet." in html


def test_home_lists_upcoming_published_events_and_latest_news_only(client):
    EventFactory(title_en="Telemedicine Congress")
    EventFactory(title_en="Draft workshop", is_published=False)
    EventFactory(
        title_en="Last year's convention",
        starts_at=timezone.now() - datetime.timedelta(days=400),
        ends_at=timezone.now() - datetime.timedelta(days=399),
    )
    NewsPostFactory(title_en="New members joined")
    NewsPostFactory(title_en="Unpublished note", is_published=False)
    NewsPostFactory(
        title_en="Scheduled post", published_at=timezone.now() + datetime.timedelta(days=3)
    )
    html = get_html(client, "/en/")
    assert "Telemedicine Congress" in html
    assert "Draft workshop" not in html
    assert "Last year&#x27;s convention" not in html
    assert "New members joined" in html
    assert "Unpublished note" not in html
    assert "Scheduled post" not in html


def test_home_counts_active_members_of_each_centre(client):
    ParticipationFactory()
    ParticipationFactory()
    ParticipationFactory(status=ParticipationStatus.REQUESTED)
    ParticipationFactory(organisation=OrganisationFactory(status=OrganisationStatus.APPLIED))
    response = client.get("/en/")
    assert response.status_code == 200
    telemedicine = next(c for c in response.context["centres"] if c.slug == "telemedicine")
    assert telemedicine.member_count == 2
    assert "2 member organisations" in response.content.decode()


def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    for _ in range(10):
        EventFactory()
        NewsPostFactory()
        ParticipationFactory()
    client.get("/en/")  # warm the site-settings cache
    with django_assert_max_num_queries(6):
        assert client.get("/en/").status_code == 200


def test_dates_follow_the_active_language(client):
    EventFactory(
        title_en="Spring congress",
        starts_at=datetime.datetime(2031, 5, 14, 9, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 5, 14, 17, 0, tzinfo=datetime.UTC),
    )
    assert "14 maja 2031" in get_html(client, "/pl/")
    english = get_html(client, "/en/")
    assert "May 14, 2031" in english
    # Shown in Warsaw time: 09:00 UTC is 11:00 in May.
    assert "11 a.m." in english


@pytest.mark.parametrize(
    "path",
    ["/pl/about/", "/en/news/", "/pl/members/", "/en/centres/", "/pl/projects/", "/en/events/"],
)
def test_public_pages_answer(client, path):
    assert client.get(path).status_code == 200


def test_unknown_news_post_is_404(client):
    assert client.get("/en/news/no-such-post/").status_code == 404


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_language_links_switch_and_remember_the_language(client):
    response = client.get("/i18n/en/?next=/pl/events/")
    assert response.status_code == 302
    assert response["Location"] == "/en/events/"
    assert client.cookies["portal_language"].value == "en"
    again = client.get("/")
    assert again.status_code == 302
    assert again["Location"] == "/en/"


def test_language_link_leaves_a_page_in_another_language_than_the_browsers(client):
    # A Polish browser, no cookie yet, on an English page asks for Polish.
    response = client.get("/i18n/pl/?next=/en/events/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl")
    assert response.status_code == 302
    assert response["Location"] == "/pl/events/"


def test_language_links_do_not_redirect_elsewhere_or_accept_unknown_languages(client):
    elsewhere = client.get("/i18n/en/?next=https://evil.example/")
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == "/en/"
    assert client.get("/i18n/de/?next=/pl/").status_code == 404


def test_public_pages_carry_no_csrf_token(client):
    # So that they can be cached and served to every anonymous visitor alike.
    for path in ("/pl/", "/en/members/", "/pl/centres/"):
        assert "csrfmiddlewaretoken" not in get_html(client, path)


def test_about_links_each_active_centre_in_the_pages_language(client):
    from competence_centres.models import CompetenceCentre

    closed = CompetenceCentre.objects.order_by("order").first()
    closed.is_active = False
    closed.save()

    for language in ("pl", "en"):
        html = get_html(client, f"/{language}/about/")
        for centre in CompetenceCentre.objects.filter(is_active=True):
            name = getattr(centre, f"name_{language}")
            assert f'<li><a href="/{language}/centres/{centre.slug}/">{name}</a></li>' in html
        assert f"/centres/{closed.slug}/" not in html.split("<main")[1].split("</main>")[0]


def test_every_page_links_the_layouts_own_files_where_static_files_are_served(client):
    from django.templatetags.static import static

    html = get_html(client, "/en/about/")

    assert f'<link rel="stylesheet" href="{static("css/portal.css")}">' in html
    assert f'<script src="{static("vendor/htmx/htmx.min.js")}" defer></script>' in html
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
