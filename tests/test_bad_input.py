"""Bad input in URLs gets a page or a 404, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/members/?page=abc",
        "/en/members/?page=999",
        "/en/members/?kind=bogus&region=mars&centre=nowhere&sort=sideways",
        "/en/members/?q=" + "x" * 5000,
        "/en/members/?q=%22unbalanced%20%22%22%20-%20or%20|%20!",
        "/en/members/no-such-organisation/",
        "/en/centres/no-such-centre/",
        "/en/events/?page=-1",
        "/en/news/?page=0",
        "/en/members/invitations/garbage-token/",
        "/en/notifications/unsubscribe/garbage/",
        "/i18n/xx/",
    ],
)
def test_bad_input_never_gives_a_server_error(client, path):
    assert client.get(path).status_code < 500
