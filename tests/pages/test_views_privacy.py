"""pages/views/privacy.py and privacy/notice.py: the privacy page in both languages, the
line at sign-up, and the pages of one's own data."""

import pytest

from cluster_portal.pages.models import SiteSettings
from tests.factories import UserFactory
from tests.helpers import get_html

pytestmark = pytest.mark.django_db


def test_the_default_notice_states_the_retention_periods_in_both_languages(client, settings):
    settings.PORTAL_RETENTION_UNVERIFIED_DAYS = 14
    english = get_html(client, "/en/privacy/")
    polish = get_html(client, "/pl/privacy/")
    assert "removed after 14 days" in english
    assert "usuwamy po 14 dniach" in polish
    assert "No tracking" in english


def test_coordinators_text_replaces_the_default_and_is_escaped(client):
    row = SiteSettings.load()
    row.privacy_en = "Our own notice <b>bold</b>"
    row.privacy_pl = "Nasza informacja"
    row.save()
    english = get_html(client, "/en/privacy/")
    assert "Our own notice &lt;b&gt;bold&lt;/b&gt;" in english
    assert "Nasza informacja" in get_html(client, "/pl/privacy/")


def test_sign_up_and_the_footer_link_the_privacy_page(client):
    signup = get_html(client, "/en/accounts/signup/")
    assert 'href="/en/privacy/"' in signup
    assert "By signing up you accept" in signup


def test_sign_up_records_that_the_notice_was_accepted(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "nowa@szpital.example",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )
    assert response.status_code == 302
    from members.models import User

    assert User.objects.get(email="nowa@szpital.example").privacy_notice_accepted_at


def test_your_data_needs_a_login_and_lists_the_actions(client):
    response = client.get("/en/my/data/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    client.force_login(UserFactory())
    page = get_html(client, "/en/my/data/")
    assert 'action="/en/my/data/export/"' in page
    assert 'href="/en/my/delete/"' in page


def test_a_malformed_export_address_is_a_404(client):
    client.force_login(UserFactory())
    assert client.get("/en/my/data/export/not-a-uuid/").status_code == 404
