"""Accounts: allauth as members/adapter.py and the settings configure it (e-mail login,
verification, a second factor, resets, rate limits), its mails written to the outbox."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from cluster_portal.notifications.enums import NotificationStatus
from cluster_portal.notifications.models import Notification
from members.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import deliver_outbox, get_html, last_mail_to, links_in, totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "Szpital-Kliniczny-2026!"


def sign_up(client, email: str, language: str = "en"):
    return client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_sends_a_verification_mail_and_blocks_login_until_verified(client):
    response = sign_up(client, "Anna.Kowalska@Szpital.example")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "anna.kowalska@szpital.example"

    message = last_mail_to("anna.kowalska@szpital.example")
    assert message.subject == "Please Confirm Your Email Address"

    client.logout()
    login = client.post(
        "/en/accounts/login/", {"login": "anna.kowalska@szpital.example", "password": PASSWORD}
    )
    # Unverified: allauth sends the mail again and shows the "verify your e-mail" page.
    assert login.status_code == 302
    assert login["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_verification_link_then_login_with_email(client):
    assert sign_up(client, "jan.nowak@uniwersytet.example").status_code == 302
    link = next(
        link
        for link in links_in(last_mail_to("jan.nowak@uniwersytet.example"))
        if "confirm" in link
    )
    confirm_path = urlsplit(link).path
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    client.logout()

    response = client.post(
        "/en/accounts/login/", {"login": "JAN.NOWAK@uniwersytet.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


def test_sign_up_in_polish_sends_the_mail_in_polish(client):
    assert sign_up(client, "ewa@klinika.example", language="pl").status_code == 302
    message = last_mail_to("ewa@klinika.example")
    assert message.subject == "Proszę potwierdź adresy e-mail"  # allauth's own catalogue
    [link] = [link for link in links_in(message) if "/accounts/confirm-email/" in link]
    assert urlsplit(link).path.startswith("/pl/accounts/confirm-email/")


def test_a_sign_up_with_a_known_address_mails_its_owner_instead_of_saying_so(client):
    UserFactory(email="taken@example.org")
    response = sign_up(client, "taken@example.org")
    # allauth does not reveal registered addresses: it mails the owner instead.
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert last_mail_to("taken@example.org").subject == "Account Already Exists"


def test_weak_password_is_refused_with_a_message_and_the_email_kept(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "kept@example.org", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common." in html
    assert 'value="kept@example.org"' in html
    assert not User.objects.exists()


def test_mfa_enrolment_then_login_asks_for_the_code(client):
    user = UserFactory(email="lekarz@szpital.example")
    login = client.post("/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 302

    # Enrolling a second factor is sensitive: allauth asks for the password once more.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    page = client.post(page["Location"], {"password": DEFAULT_PASSWORD}, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = client.session["mfa.totp.secret"]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are generated alongside TOTP.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    assert client.post(reverse("account_logout")).status_code == 302
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_password_reset_mail_leads_to_a_new_password(client):
    user = UserFactory(email="reset@example.org")
    asked = client.post("/en/accounts/password/reset/", {"email": "reset@example.org"})
    assert asked.status_code == 302
    link = next(link for link in links_in(last_mail_to("reset@example.org")) if "/key/" in link)
    key_path = urlsplit(link).path
    # allauth trades the key in the link for one in the session, then shows the form.
    opened = client.get(key_path)
    assert opened.status_code == 302
    uidb36 = key_path.rstrip("/").rsplit("/", 1)[1].split("-", 1)[0]
    form_path = f"/en/accounts/password/reset/key/{uidb36}-set-password/"
    assert opened["Location"] == form_path
    assert client.get(form_path).status_code == 200
    response = client.post(
        form_path, {"password1": "Nowe-Haslo-Do-Portalu-1", "password2": "Nowe-Haslo-Do-Portalu-1"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nowe-Haslo-Do-Portalu-1")


@pytest.mark.parametrize(
    ("path", "english", "polish"),
    [
        ("accounts/login/", "Sign In", "Zaloguj się"),
        ("accounts/signup/", "Sign Up", "Zarejestruj się"),
        ("accounts/password/reset/", "Password Reset", "Resetowanie hasła"),
    ],
)
def test_account_pages_use_the_portal_layout_in_both_languages(client, path, english, polish):
    english_html = get_html(client, f"/en/{path}")
    polish_html = get_html(client, f"/pl/{path}")
    assert english in english_html and 'class="site-header"' in english_html
    assert polish in polish_html and 'class="site-header"' in polish_html


def test_repeated_failed_logins_are_rate_limited(client, settings):
    from cluster_portal.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # the tests turn them off
    user = UserFactory(email="cel@szpital.example")
    for _attempt in range(5):
        response = client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


# Found by tests/test_form_fuzzing.py: allauth's e-mail fields take any length, the column 254.
ADDRESS_OF_262_CHARACTERS = "a" * 250 + "@example.org"
TOO_LONG = "Ensure this value has at most 254 characters (it has 262)."


def test_sign_up_refuses_an_address_longer_than_254_characters_instead_of_cutting_it(client):
    response = sign_up(client, ADDRESS_OF_262_CHARACTERS)
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert not User.objects.exists()
    assert not Notification.objects.exists()


def test_adding_an_address_longer_than_254_characters_is_a_form_error(client):
    user = UserFactory(email="lekarz@szpital.example")
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"email": ADDRESS_OF_262_CHARACTERS, "action_add": ""}
    )
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [user.email]
    assert not Notification.objects.exists()


def test_a_password_reset_for_an_address_longer_than_254_characters_is_a_form_error(client):
    response = client.post("/en/accounts/password/reset/", {"email": ADDRESS_OF_262_CHARACTERS})
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert not Notification.objects.exists()


def test_an_address_of_exactly_254_characters_still_signs_up(client):
    address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61
    assert len(address) == 254
    response = sign_up(client, address)
    assert response.status_code == 302
    assert User.objects.get().email == address


def test_allauth_mails_are_written_to_the_outbox_first(client):
    response = sign_up(client, "nowa@klinika.example", language="pl")
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.kind == "account.email_confirmation_signup"
    assert notification.is_essential is True
    assert notification.language == "pl"
    assert notification.recipient.email == "nowa@klinika.example"
    assert notification.status == NotificationStatus.PENDING
    assert mail.outbox == []  # nothing leaves before a worker delivers it
    assert deliver_outbox() == [notification.pk]
    [message] = mail.outbox
    assert message.to == ["nowa@klinika.example"]
