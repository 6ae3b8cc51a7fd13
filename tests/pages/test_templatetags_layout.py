"""cluster_portal/pages/templatetags/layout.py: the header and footer kept for visitors show
each page's own return address and section, and never what belongs to a logged-in person."""

import pytest

from cluster_portal.pages.models import SiteSettings
from tests.factories import UserFactory
from tests.helpers import get_html, logged_in

pytestmark = pytest.mark.django_db


def test_a_kept_header_returns_each_visitor_to_their_own_page(client):
    about = get_html(client, "/en/about/")
    search = get_html(client, "/en/members/?q=kardiologia")

    assert 'href="/i18n/pl/?next=/en/about/"' in about
    assert 'href="/i18n/pl/?next=/en/members/%3Fq%3Dkardiologia"' in search
    assert "#portal-next#" not in about + search


def test_the_section_of_the_menu_follows_the_page(client):
    directory = get_html(client, "/en/members/")
    news = get_html(client, "/en/news/")

    assert '<a href="/en/members/" aria-current="page">Members</a>' in directory
    assert '<a href="/en/members/">Members</a>' in news
    assert '<a href="/en/news/" aria-current="page">News</a>' in news


def test_a_logged_in_person_gets_their_own_menu_and_visitors_never_see_it(client):
    person = UserFactory(email="anna.nowak@szpital.example")
    get_html(client, "/en/about/")  # the visitors' header, kept

    mine = get_html(logged_in(person), "/en/about/")
    visitors = get_html(client, "/en/about/")

    assert "anna.nowak@szpital.example" in mine and "Log out" in mine
    assert "anna.nowak@szpital.example" not in visitors and "Log in" in visitors


def test_a_renamed_cluster_shows_in_the_kept_footer(client):
    get_html(client, "/en/about/")
    site = SiteSettings.load()
    site.cluster_name_en = "Lublin Health Valley"
    site.save()

    html = get_html(client, "/en/about/")
    assert html.count("Lublin Health Valley") >= 2  # the header's brand and the footer
