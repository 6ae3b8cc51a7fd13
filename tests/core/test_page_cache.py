"""cluster_portal/core/page_cache.py: pages are served from the cache to anonymous visitors
only, one entry per language and per what the view renders; the directory is the example.
(What makes the directory's entries stale: tests/pages/test_apps.py.)"""

import pytest

from members.enums import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory
from tests.helpers import get_counting_queries, get_html

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("page_cache")]


def test_an_anonymous_visitor_gets_the_cached_page_without_queries(client):
    OrganisationFactory(name="Szpital Kliniczny Nr 1")
    first, first_queries = get_counting_queries(client, "/en/members/?kind=non_public_medical")
    again, again_queries = get_counting_queries(client, "/en/members/?kind=non_public_medical")
    assert first_queries > 0
    assert again_queries == 0
    assert again.content == first.content
    assert "Szpital Kliniczny Nr 1" in again.content.decode()


def test_each_language_and_the_htmx_partial_are_cached_apart(client):
    OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name="Uniwersytet Przykładowy")
    english = get_html(client, "/en/members/")
    polish = get_html(client, "/pl/members/")
    partial = get_html(client, "/en/members/", HTTP_HX_REQUEST="true")
    assert 'lang="en"' in english and 'lang="pl"' in polish
    assert "<html" not in partial and "Uniwersytet Przykładowy" in partial
    assert '<p class="card-kicker">University</p>' in english
    assert '<p class="card-kicker">Uczelnia</p>' in polish


def test_the_cache_key_follows_what_the_view_renders_not_the_raw_header(client):
    OrganisationFactory(name="Szpital Kliniczny Nr 2")
    # An htmx header that says "false" gets the full page, and so does a history restore.
    full = get_html(client, "/en/members/", HTTP_HX_REQUEST="false")
    restored = get_html(
        client, "/en/members/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    partial = get_html(client, "/en/members/", HTTP_HX_REQUEST="true")
    plain = get_html(client, "/en/members/")

    assert "<html" in full and "<html" in restored and "<html" in plain
    assert "<html" not in partial
    assert "Szpital Kliniczny Nr 2" in partial


def test_logged_in_members_always_get_a_fresh_page(client):
    OrganisationFactory()
    user = MembershipFactory().user
    client.force_login(user)
    get_counting_queries(client, "/en/members/")
    _response, queries = get_counting_queries(client, "/en/members/")
    assert queries > 0
