import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import totp_now, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    # The admin has no language prefix: the language cookie decides.
    client.cookies["portal_language"] = "en"


def log_in(client, user, secret: str | None = None):
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    if secret:
        response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert "_auth_user_id" in client.session
    return response


@pytest.fixture
def coordinator(db):
    user = UserFactory(email="koordynator@klaster.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


def test_anonymous_visitor_is_sent_to_the_portal_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/en/accounts/login/?next=%2Fadmin%2F", 302)
    assert response.status_code == 200


def test_staff_without_mfa_cannot_reach_the_admin(client, coordinator):
    log_in(client, coordinator)
    response = client.get("/admin/", follow=True)
    assert [url for url, _status in response.redirect_chain][1:] == [
        "/en/accounts/2fa/totp/activate/",
        "/en/accounts/reauthenticate/?next=%2Fen%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert response.status_code == 200
    assert "Set up two-factor authentication" in response.content.decode()
    changelist = client.get("/admin/members/organisation/")
    assert changelist.status_code == 302
    assert changelist["Location"] == "/admin/login/?next=/admin/members/organisation/"


def test_staff_with_mfa_reaches_the_admin(client, coordinator):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    log_in(client, coordinator, secret)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Organisations" in response.content.decode()
    assert client.get("/admin/members/organisation/").status_code == 200


def test_demo_mode_lets_staff_in_without_mfa(client, coordinator, settings):
    settings.PORTAL_DEMO_MODE = True
    log_in(client, coordinator)
    assert client.get("/admin/").status_code == 200


def test_member_without_staff_status_is_turned_away(client):
    user = UserFactory()
    log_in(client, user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/en/", 302)
    assert response.status_code == 200
    assert "no access to the administration" in response.content.decode()


def test_admin_login_does_not_redirect_to_another_site(client, coordinator, settings):
    settings.PORTAL_DEMO_MODE = True
    log_in(client, coordinator)
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_coordinators_group_can_edit_events_and_news_but_not_users(coordinator):
    assert coordinator.has_perm("events.add_event")
    assert coordinator.has_perm("pages.change_newspost")
    assert coordinator.has_perm("pages.change_sitesettings")
    assert coordinator.has_perm("members.view_user")
    assert not coordinator.has_perm("members.change_user")


def test_the_admin_never_shows_or_sets_the_secret_of_a_second_factor(client):
    owner = UserFactory(email="lekarz@szpital.example")
    secret = with_second_factor(owner)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with_second_factor(superuser)
    client.force_login(superuser)
    authenticator = owner.authenticator_set.get()
    change_url = f"/admin/mfa/authenticator/{authenticator.pk}/change/"

    page = client.get(change_url)
    posted = client.post(change_url, {"user": superuser.pk, "type": "totp", "data": "{}"})

    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert posted.status_code == 403
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
    authenticator.refresh_from_db()
    assert authenticator.user == owner
