"""The directory is served from the cache to anonymous visitors, and never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.services import organisation_approve
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings, seeded_data):
    settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS = 300


def get_counting_queries(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


def test_an_anonymous_visitor_gets_the_cached_page_without_queries(client):
    OrganisationFactory(name="Szpital Kliniczny Nr 1")
    first, first_queries = get_counting_queries(client, "/en/members/?kind=non_public_medical")
    again, again_queries = get_counting_queries(client, "/en/members/?kind=non_public_medical")
    assert first_queries > 0
    assert again_queries == 0
    assert again.content == first.content
    assert "Szpital Kliniczny Nr 1" in again.content.decode()


def test_each_language_and_the_htmx_partial_are_cached_apart(client):
    OrganisationFactory(kind="university", name="Uniwersytet Przykładowy")
    english = client.get("/en/members/").content.decode()
    polish = client.get("/pl/members/").content.decode()
    partial = client.get("/en/members/", HTTP_HX_REQUEST="true").content.decode()
    assert 'lang="en"' in english and 'lang="pl"' in polish
    assert "<html" not in partial
    assert '<p class="card-kicker">University</p>' in english
    assert '<p class="card-kicker">Uczelnia</p>' in polish


def test_the_cache_key_follows_what_the_view_renders_not_the_raw_header(client):
    OrganisationFactory(name="Szpital Kliniczny Nr 2")
    # An htmx header that says "false" gets the full page, and so does a history restore.
    full = client.get("/en/members/", HTTP_HX_REQUEST="false").content.decode()
    restored = client.get(
        "/en/members/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    partial = client.get("/en/members/", HTTP_HX_REQUEST="true").content.decode()
    plain = client.get("/en/members/").content.decode()

    assert "<html" in full and "<html" in restored and "<html" in plain
    assert "<html" not in partial
    assert "Szpital Kliniczny Nr 2" in partial


def test_an_approved_organisation_shows_at_once(client):
    pending = OrganisationFactory(name="Nowa Klinika", status="applied", joined_on=None)
    assert "Nowa Klinika" not in client.get("/en/members/").content.decode()
    organisation_approve(organisation=pending, actor=UserFactory(is_staff=True))
    assert "Nowa Klinika" in client.get("/en/members/").content.decode()


def test_joining_a_centre_shows_at_once_in_the_centre_filter(client):
    organisation = OrganisationFactory(name="Centrum Telemedyczne")
    assert (
        "Centrum Telemedyczne"
        not in client.get("/en/members/?centre=telemedicine").content.decode()
    )
    ParticipationFactory(organisation=organisation)
    assert "Centrum Telemedyczne" in client.get("/en/members/?centre=telemedicine").content.decode()


def test_logged_in_members_always_get_a_fresh_page(client):
    OrganisationFactory()
    user = MembershipFactory().user
    client.force_login(user)
    client.get("/en/members/")
    _response, queries = get_counting_queries(client, "/en/members/")
    assert queries > 0
