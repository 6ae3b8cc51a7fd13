"""The portal sets only the cookies it needs — session, CSRF, language — so it needs no
cookie banner. This lists every cookie a visitor and a member receive and fails on any other
(a `messages` cookie included: messages live in the session)."""

import pytest
from django.conf import settings

from tests.factories import DEFAULT_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

ALLOWED = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def cookies_set(responses) -> set[str]:
    return {name for response in responses for name in response.cookies}


def test_a_visitor_receives_only_the_cookies_the_portal_needs(client):
    responses = [
        client.get(path)
        for path in (
            "/pl/",
            "/en/",
            "/en/about/",
            "/en/members/",
            "/en/centres/",
            "/en/events/",
            "/en/projects/calls/",
            "/en/news/",
            "/en/privacy/",
            "/en/accounts/login/",
            "/en/accounts/signup/",
        )
    ]
    responses.append(client.get("/i18n/en/?next=/en/"))
    responses.append(client.post("/en/accounts/login/", {"login": "x@y.example", "password": "x"}))
    assert all(response.status_code < 500 for response in responses)

    received = cookies_set(responses)

    assert received <= ALLOWED, received - ALLOWED
    assert settings.LANGUAGE_COOKIE_NAME in received and settings.CSRF_COOKIE_NAME in received


def test_a_member_receives_only_the_cookies_the_portal_needs(client):
    person = MembershipFactory().user
    responses = [
        client.get("/en/accounts/login/"),
        client.post("/en/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD}),
    ]
    responses += [
        client.get(path)
        for path in ("/en/members/my/", "/en/events/my/", "/en/notifications/", "/en/my/data/")
    ]
    # A form that answers with a message ("saved"): the message must not become a cookie.
    responses.append(client.post("/en/notifications/preferences/", {}, follow=True))
    responses += list(responses[-1].redirect_chain and [responses[-1]])
    responses.append(client.post("/en/accounts/logout/"))
    assert all(response.status_code < 500 for response in responses)

    received = cookies_set(responses)

    assert received <= ALLOWED, received - ALLOWED
    assert settings.SESSION_COOKIE_NAME in received
