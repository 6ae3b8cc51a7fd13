"""members/views/colleagues.py: the colleagues page, inviting, accepting an invitation,
roles, removing and leaving, as an organisation's people use them."""

import datetime
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from cluster_portal.core.errors import InvalidTransition, NotAllowed
from cluster_portal.notifications.models import Notification
from members.enums import MembershipRole, OrganisationStatus
from members.models import Invitation, OrganisationMembership, User
from members.services import (
    invitation_accept,
    membership_leave,
    membership_remove,
    membership_set_role,
    organisation_invite_member,
)
from members.tokens import read_invitation_token
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import (
    accept_path_in_mail,
    get_counting_queries,
    get_html,
    invited,
    last_mail_to,
    logged_in,
    messages_of,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kardiologia-i-Onkologia-2026"


def colleagues_url(organisation, lang="en") -> str:
    return f"/{lang}/members/{organisation.slug}/colleagues/"


def invite(client, organisation, email, role=MembershipRole.MEMBER, lang="en"):
    return client.post(
        f"/{lang}/members/{organisation.slug}/colleagues/invite/", {"email": email, "role": role}
    )


def english_user(email: str, **kwargs) -> User:
    return UserFactory(email=email, preferred_language="en", **kwargs)


# --- inviting ------------------------------------------------------------------------------


def test_admin_invites_by_email_and_the_mail_carries_the_accept_link():
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__full_name="Anna Nowak")
    response = invite(logged_in(admin.user), admin.organisation, "  Jan.Kowalski@Szpital.Example ")

    assert response.status_code == 302
    assert response["Location"] == colleagues_url(admin.organisation)
    assert messages_of(response) == [
        "The invitation is on its way to jan.kowalski@szpital.example."
    ]
    invitation = Invitation.objects.get()
    assert invitation.email == "jan.kowalski@szpital.example"
    assert invitation.role == MembershipRole.MEMBER
    assert invitation.invited_by == admin.user
    expected_expiry = timezone.now() + datetime.timedelta(days=14)
    assert abs(invitation.expires_at - expected_expiry) < datetime.timedelta(minutes=1)

    notification = Notification.objects.get()
    assert notification.kind == "membership.invitation"
    assert notification.category == "membership"
    assert notification.is_essential is True
    assert notification.recipient is None
    assert notification.dedupe_key == f"invitation:{invitation.pk}"

    message = last_mail_to("jan.kowalski@szpital.example")
    assert message.subject == f"Invitation to join {admin.organisation.name} on the cluster portal"
    assert "Anna Nowak invites you to join" in message.body
    path = accept_path_in_mail("jan.kowalski@szpital.example")
    # The token carries the second it was signed in: compare what it names, not its text.
    prefix = "/en/members/invitations/"
    assert path.startswith(prefix)
    assert read_invitation_token(path.removeprefix(prefix).rstrip("/")) == invitation.pk
    assert Client().get(path).status_code == 200


def test_invitation_mail_is_in_the_invitees_language_if_they_have_an_account():
    invitee = UserFactory(email="lekarz@szpital.example", preferred_language="pl")
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    invite(logged_in(admin.user), admin.organisation, invitee.email)  # the admin works in English

    notification = Notification.objects.get()
    assert notification.language == "pl"
    assert notification.recipient == invitee
    message = last_mail_to(invitee.email)
    assert accept_path_in_mail(invitee.email).startswith("/pl/members/invitations/")
    with translation.override("pl"):
        polish_date = date_format(
            timezone.localtime(Invitation.objects.get().expires_at), "DATE_FORMAT"
        )
    assert polish_date in message.body


def test_invitation_mail_to_an_unknown_address_is_in_the_admins_language():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    invite(logged_in(admin.user), admin.organisation, "ktos@klinika.example", lang="pl")
    assert Notification.objects.get().language == "pl"
    assert accept_path_in_mail("ktos@klinika.example").startswith("/pl/members/invitations/")

    invite(logged_in(admin.user), admin.organisation, "someone@clinic.example", lang="en")
    assert Notification.objects.get(to_email="someone@clinic.example").language == "en"


def test_inviting_an_existing_member_gives_a_form_error_and_keeps_the_address():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    colleague = MembershipFactory(organisation=admin.organisation, user__email="jest@szpital.pl")

    response = invite(logged_in(admin.user), admin.organisation, "JEST@szpital.pl")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<ul class="errorlist" id="id_email_error"><li>jest@szpital.pl is already a member of '
        f"{admin.organisation.name}.</li></ul>"
    ) in html
    assert 'value="JEST@szpital.pl"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert not Invitation.objects.exists()
    assert colleague.organisation.memberships.count() == 2


def test_an_invalid_address_is_a_form_error_and_keeps_what_was_typed():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    response = invite(
        logged_in(admin.user), admin.organisation, "not-an-address", role=MembershipRole.ADMIN
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="not-an-address"' in html
    assert 'value="admin" required id="id_role_0" checked' in html
    assert not Invitation.objects.exists()


def test_an_address_longer_than_254_characters_is_a_form_error_not_a_server_error():
    # Found by tests/test_form_fuzzing.py: the form took it and PostgreSQL refused it.
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    address = "a" * 250 + "@example.org"
    response = invite(logged_in(admin.user), admin.organisation, address)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 254 characters (it has 262)." in html
    assert f'value="{address}"' in html
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_an_organisation_that_resigned_cannot_invite():
    admin = MembershipFactory(
        role=MembershipRole.ADMIN, organisation__status=OrganisationStatus.RESIGNED
    )
    assert invite(logged_in(admin.user), admin.organisation, "x@y.example").status_code == 403
    with pytest.raises(NotAllowed):
        organisation_invite_member(
            organisation=admin.organisation,
            actor=admin.user,
            email="x@y.example",
            role=MembershipRole.MEMBER,
        )


def test_an_applying_organisation_can_invite():
    admin = MembershipFactory(
        role=MembershipRole.ADMIN, organisation__status=OrganisationStatus.APPLIED
    )
    response = invite(logged_in(admin.user), admin.organisation, "x@y.example")
    assert response.status_code == 302
    assert response["Location"] == colleagues_url(admin.organisation)
    assert messages_of(response) == ["The invitation is on its way to x@y.example."]
    assert Invitation.objects.get().email == "x@y.example"


# --- accepting -----------------------------------------------------------------------------


def test_accepting_with_the_invited_address_creates_the_membership_with_the_role():
    invitee = english_user("nowa.lekarka@szpital.example")
    invitation, path = invited(email=invitee.email, role=MembershipRole.ADMIN)
    client = logged_in(invitee)

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert invitation.organisation.name in html
    assert "<dt>Your role</dt><dd>Administrator</dd>" in html
    assert f"Accept and join {invitation.organisation.name}</button>" in html

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    assert messages_of(response) == [
        f"Welcome to {invitation.organisation.name}. Your role: Administrator."
    ]
    membership = OrganisationMembership.objects.get(user=invitee)
    assert (membership.organisation, membership.role) == (
        invitation.organisation,
        MembershipRole.ADMIN,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee and invitation.accepted_at is not None

    # Opening the link again goes where the organisation now is.
    again = client.get(path)
    assert again.status_code == 302
    assert again["Location"] == "/en/members/my/"


def test_accepting_with_another_address_is_refused_and_names_the_invited_one():
    invitation, path = invited(email="adresat@szpital.example")
    someone_else = english_user("ktos.inny@szpital.example")
    client = logged_in(someone_else)

    html = get_html(client, path)
    assert (
        "This invitation was sent to adresat@szpital.example, but you are logged in as "
        "ktos.inny@szpital.example."
    ) in html
    assert 'action="/en/accounts/logout/"' in html

    response = client.post(path)
    assert response.status_code == 403
    assert (
        "This invitation was sent to adresat@szpital.example. Log in with that address to "
        "accept it."
    ) in response.content.decode()
    assert not OrganisationMembership.objects.filter(user=someone_else).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_is_refused_and_says_whom_to_ask():
    invitee = english_user("spozniony@szpital.example")
    invitation, path = invited(email=invitee.email)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = logged_in(invitee)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This invitation expired on" in html
        assert f"Ask an administrator of {invitation.organisation.name}" in html
        assert f'href="mailto:{invitation.invited_by.email}"' in html
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_a_tampered_token_gives_400():
    invitee = english_user("ciekawski@szpital.example")
    _invitation, path = invited(email=invitee.email)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = path.replace(token, signing.dumps(999, salt="another.salt"))
    client = logged_in(invitee)
    for url in (tampered, forged, "/en/members/invitations/garbage/"):
        for response in (client.get(url), client.post(url), Client().get(url)):
            assert response.status_code == 400
            assert "This invitation link does not work" in response.content.decode()
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_a_withdrawn_invitation_is_refused():
    invitee = english_user("wycofany@szpital.example")
    invitation, path = invited(email=invitee.email)
    admin_client = logged_in(invitation.invited_by)

    response = admin_client.post(
        f"/en/members/{invitation.organisation.slug}/colleagues/invitations/{invitation.pk}/revoke/"
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    refused = logged_in(invitee).post(path)
    assert refused.status_code == 410
    assert "This invitation was withdrawn." in refused.content.decode()
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_an_accepted_invitation_cannot_be_used_by_someone_else():
    invitee = english_user("pierwszy@szpital.example")
    invitation, path = invited(email=invitee.email)
    invitation_accept(invitation=invitation, user=invitee)
    response = Client().get(path)
    assert response.status_code == 410
    assert "This invitation has already been accepted." in response.content.decode()


def test_logged_out_invitee_with_an_account_is_sent_to_log_in_and_back():
    invitee = english_user("ma.konto@szpital.example")
    _invitation, path = invited(email=invitee.email)
    html = get_html(Client(), path)
    assert f'href="/en/accounts/login/?{urlencode({"next": path})}"' in html
    assert 'name="password1"' not in html

    client = Client()
    login = client.post(
        f"/en/accounts/login/?next={path}", {"login": invitee.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == path
    accepted = client.post(path)
    assert accepted.status_code == 302
    assert accepted["Location"] == "/en/members/my/"
    assert OrganisationMembership.objects.filter(user=invitee).exists()


def test_accepting_without_an_account_creates_a_verified_one_logs_in_and_joins():
    invitation, path = invited(email="bez.konta@szpital.example", role=MembershipRole.MEMBER)
    client = Client()

    form = get_html(client, path)
    assert '<label for="id_full_name">Full name:</label>' in form
    assert 'name="password1"' in form and 'name="password2"' in form

    response = client.post(
        path, {"full_name": "Ewa Zielińska", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    user = User.objects.get(email="bez.konta@szpital.example")
    assert user.full_name == "Ewa Zielińska"
    assert user.check_password(NEW_PASSWORD)
    assert user.preferred_language == "en"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert OrganisationMembership.objects.get(user=user).organisation == invitation.organisation
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_the_new_account_form_keeps_what_was_typed_except_the_passwords():
    _invitation, path = invited(email="literowka@szpital.example")
    client = Client()

    differ = client.post(
        path, {"full_name": "Ewa Zielińska", "password1": NEW_PASSWORD, "password2": "inne"}
    )
    assert differ.status_code == 200
    html = differ.content.decode()
    assert '<ul class="errorlist" id="id_password2_error"><li>The two passwords differ.' in html
    assert 'value="Ewa Zielińska"' in html
    assert NEW_PASSWORD not in html

    weak = client.post(path, {"full_name": "Ewa", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert "This password is entirely numeric." in weak.content.decode()
    assert not User.objects.filter(email="literowka@szpital.example").exists()


def test_a_closed_invitation_creates_no_account():
    invitation, path = invited(email="za.pozno@szpital.example")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    response = Client().post(
        path, {"full_name": "Ewa", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="za.pozno@szpital.example").exists()


def test_a_user_can_belong_to_two_organisations():
    first = MembershipFactory(user__email="dwa.etaty@szpital.example")
    invitation, path = invited(email=first.user.email)
    client = logged_in(first.user)
    assert client.post(path).status_code == 302

    assert set(first.user.memberships.values_list("organisation", flat=True)) == {
        first.organisation.pk,
        invitation.organisation.pk,
    }
    assert client.get(colleagues_url(first.organisation)).status_code == 200
    assert client.get(colleagues_url(invitation.organisation)).status_code == 200


# --- who may do what -----------------------------------------------------------------------


def test_a_plain_member_sees_colleagues_but_cannot_invite_or_change_roles():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    invitation = organisation_invite_member(
        organisation=admin.organisation,
        actor=admin.user,
        email="x@y.example",
        role=MembershipRole.MEMBER,
    )
    client = logged_in(member.user)
    base = f"/en/members/{admin.organisation.slug}/colleagues"

    page = client.get(f"{base}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert admin.user.email in html
    assert "Invite a colleague" not in html and "x@y.example" not in html
    assert "Make administrator" not in html

    assert invite(client, admin.organisation, "kolega@y.example").status_code == 403
    assert client.post(f"{base}/{member.pk}/role/", {"role": "admin"}).status_code == 403
    assert client.post(f"{base}/{admin.pk}/role/", {"role": "member"}).status_code == 403
    assert client.post(f"{base}/{admin.pk}/remove/").status_code == 403
    assert client.post(f"{base}/invitations/{invitation.pk}/revoke/").status_code == 403
    assert set(admin.organisation.memberships.values_list("role", flat=True)) == {
        MembershipRole.ADMIN,
        MembershipRole.MEMBER,
    }
    assert Invitation.objects.get().revoked_at is None
    with pytest.raises(NotAllowed):
        membership_set_role(membership=member, actor=member.user, role=MembershipRole.ADMIN)


def test_an_admin_of_one_organisation_gets_404_at_another():
    admin_a = MembershipFactory(role=MembershipRole.ADMIN)
    member_b = MembershipFactory(role=MembershipRole.ADMIN)
    client = logged_in(admin_a.user)
    slug_a, slug_b = admin_a.organisation.slug, member_b.organisation.slug

    assert client.get(f"/en/members/{slug_b}/colleagues/").status_code == 404
    assert client.post(f"/en/members/{slug_b}/colleagues/{member_b.pk}/remove/").status_code == 404
    # B's membership through A's address is not found either.
    assert client.post(f"/en/members/{slug_a}/colleagues/{member_b.pk}/remove/").status_code == 404
    assert (
        client.post(
            f"/en/members/{slug_a}/colleagues/{member_b.pk}/role/", {"role": "member"}
        ).status_code
        == 404
    )
    assert invite(client, member_b.organisation, "x@y.example").status_code == 404
    assert OrganisationMembership.objects.filter(pk=member_b.pk, role=MembershipRole.ADMIN).exists()
    with pytest.raises(NotAllowed):
        membership_remove(membership=member_b, actor=admin_a.user)


def test_colleagues_pages_need_login_and_state_changes_need_post():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    base = f"/en/members/{admin.organisation.slug}"
    for response in (Client().get(f"{base}/colleagues/"), Client().post(f"{base}/leave/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")
    client = logged_in(admin.user)
    for url in (
        f"{base}/colleagues/invite/",
        f"{base}/colleagues/{admin.pk}/role/",
        f"{base}/colleagues/{admin.pk}/remove/",
        f"{base}/colleagues/invitations/1/revoke/",
        f"{base}/leave/",
    ):
        assert client.get(url).status_code == 405


# --- roles, removing, leaving --------------------------------------------------------------


def test_admin_promotes_then_demotes_a_colleague():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    colleague = MembershipFactory(organisation=admin.organisation, user__full_name="Jan Kowalski")
    client = logged_in(admin.user)
    url = f"/en/members/{admin.organisation.slug}/colleagues/{colleague.pk}/role/"

    promoted = client.post(url, {"role": "admin"})
    assert promoted.status_code == 302
    assert promoted["Location"] == colleagues_url(admin.organisation)
    assert messages_of(promoted) == [
        f"Jan Kowalski is now an administrator of {admin.organisation.name}."
    ]
    colleague.refresh_from_db()
    assert colleague.role == MembershipRole.ADMIN

    demoted = client.post(url, {"role": "member"})
    assert demoted.status_code == 302
    # Nothing showed the first message yet, so the second joins it.
    assert messages_of(demoted) == [
        f"Jan Kowalski is now an administrator of {admin.organisation.name}.",
        f"Jan Kowalski is now a member of {admin.organisation.name} without admin rights.",
    ]
    colleague.refresh_from_db()
    assert colleague.role == MembershipRole.MEMBER


def test_admin_removes_a_colleague():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    colleague = MembershipFactory(organisation=admin.organisation, role=MembershipRole.ADMIN)
    response = logged_in(admin.user).post(
        f"/en/members/{admin.organisation.slug}/colleagues/{colleague.pk}/remove/"
    )
    assert response.status_code == 302
    assert response["Location"] == colleagues_url(admin.organisation)
    assert not OrganisationMembership.objects.filter(pk=colleague.pk).exists()


def test_the_last_admin_cannot_leave_be_demoted_or_removed():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    MembershipFactory(organisation=admin.organisation)  # a plain member does not count
    client = logged_in(admin.user)
    base = f"/en/members/{admin.organisation.slug}"
    name = admin.organisation.name

    left = client.post(f"{base}/leave/", follow=True)
    assert left.redirect_chain == [(colleagues_url(admin.organisation), 302)]
    assert left.status_code == 200
    assert (
        '<p class="message message-error">'
        f"You are the only administrator of {name}. Name another administrator first.</p>"
    ) in left.content.decode()

    demoted = client.post(f"{base}/colleagues/{admin.pk}/role/", {"role": "member"}, follow=True)
    assert demoted.redirect_chain == [(colleagues_url(admin.organisation), 302)]
    assert demoted.status_code == 200
    assert (
        f"{admin.user} is the only administrator of {name}. Name another administrator first."
    ) in demoted.content.decode()

    # Removing yourself is leaving.
    removed = client.post(f"{base}/colleagues/{admin.pk}/remove/", follow=True)
    assert removed.redirect_chain == [(colleagues_url(admin.organisation), 302)]
    assert removed.status_code == 200
    assert (
        f"You are the only administrator of {name}. Name another administrator first."
    ) in removed.content.decode()

    admin.refresh_from_db()
    assert admin.role == MembershipRole.ADMIN


def test_an_admin_can_leave_once_there_is_another_admin():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    MembershipFactory(organisation=admin.organisation, role=MembershipRole.ADMIN)
    response = logged_in(admin.user).post(f"/en/members/{admin.organisation.slug}/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    assert not OrganisationMembership.objects.filter(pk=admin.pk).exists()


def test_a_member_leaves():
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    response = logged_in(member.user).post(f"/en/members/{admin.organisation.slug}/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/en/members/my/"
    assert messages_of(response) == [f"You left {admin.organisation.name}."]
    assert not OrganisationMembership.objects.filter(pk=member.pk).exists()
    with pytest.raises(NotAllowed):
        membership_leave(membership=admin, actor=member.user)


# --- the page ------------------------------------------------------------------------------


def test_colleagues_page_shows_members_open_invitations_and_forms():
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__full_name="Anna Nowak")
    MembershipFactory(organisation=admin.organisation, user__full_name="Jan Kowalski")
    organisation_invite_member(
        organisation=admin.organisation,
        actor=admin.user,
        email="czeka@y.example",
        role=MembershipRole.ADMIN,
    )
    html = get_html(logged_in(admin.user), colleagues_url(admin.organisation))
    assert "Anna Nowak (you)" in html
    assert 'Make administrator<span class="visually-hidden">: Jan Kowalski</span>' in html
    assert '<th scope="row">czeka@y.example</th>' in html
    assert "Withdraw" in html
    assert "<legend>Who should join?</legend>" in html
    assert f"Leave {admin.organisation.name}</button>" in html
    # Log out, two roles, remove, withdraw, invite and leave: every form posts a CSRF token.
    assert html.count("<form ") == 7
    assert html.count('name="csrfmiddlewaretoken"') == 7


def test_colleagues_page_queries_do_not_grow_with_its_rows():
    def queries_for(extra: int) -> int:
        admin = MembershipFactory(role=MembershipRole.ADMIN)
        for index in range(extra):
            MembershipFactory(organisation=admin.organisation)
            organisation_invite_member(
                organisation=admin.organisation,
                actor=admin.user,
                email=f"x{index}@{admin.organisation.slug}.example",
                role=MembershipRole.MEMBER,
            )
        client = logged_in(admin.user)
        client.get(colleagues_url(admin.organisation))  # warm the session and site settings
        _response, queries = get_counting_queries(client, colleagues_url(admin.organisation))
        return queries

    assert queries_for(1) == queries_for(20)


# --- an invitation speaks for the administrator who sent it, and only while they are one ---


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Szpital Powiatowy")


@pytest.fixture
def sender(organisation):
    return MembershipFactory(
        organisation=organisation, role=MembershipRole.ADMIN, user__full_name="Jan Wysyła"
    )


@pytest.fixture
def other_admin(organisation):
    return MembershipFactory(
        organisation=organisation, role=MembershipRole.ADMIN, user__full_name="Ewa Zostaje"
    )


def invite_as(membership, email):
    return organisation_invite_member(
        organisation=membership.organisation,
        actor=membership.user,
        email=email,
        role=MembershipRole.ADMIN,
    )


def assert_withdrawn(invitation: Invitation, email: str):
    invitee = UserFactory(email=email)
    with pytest.raises(InvalidTransition) as refusal:
        invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk), user=invitee)
    assert str(refusal.value) == (
        "This invitation was withdrawn. "
        f"Ask an administrator of {invitation.organisation.name} to send you a new one."
    )
    assert not OrganisationMembership.objects.filter(user=invitee).exists()


def test_demoting_an_admin_withdraws_the_invitations_they_sent(organisation, sender, other_admin):
    theirs = invite_as(sender, "nowy.admin@example.org")
    kept = invite_as(other_admin, "ktos.inny@example.org")

    response = logged_in(other_admin.user).post(
        f"{colleagues_url(organisation)}{sender.pk}/role/", {"role": "member"}, follow=True
    )

    assert response.redirect_chain == [(colleagues_url(organisation), 302)]
    assert response.status_code == 200
    assert messages_of(response) == [
        "Jan Wysyła is now a member of Szpital Powiatowy without admin rights. "
        "The invitation they sent is withdrawn."
    ]
    theirs.refresh_from_db()
    kept.refresh_from_db()
    assert theirs.revoked_at is not None
    assert kept.revoked_at is None
    assert_withdrawn(theirs, "nowy.admin@example.org")


def test_removing_an_admin_withdraws_the_invitations_they_sent(organisation, sender, other_admin):
    first = invite_as(sender, "a@example.org")
    second = invite_as(sender, "b@example.org")

    response = logged_in(other_admin.user).post(
        f"{colleagues_url(organisation)}{sender.pk}/remove/", follow=True
    )

    assert response.redirect_chain == [(colleagues_url(organisation), 302)]
    assert response.status_code == 200
    assert messages_of(response) == [
        "Jan Wysyła no longer belongs to Szpital Powiatowy. "
        "The 2 invitations they sent are withdrawn."
    ]
    assert Invitation.objects.filter(pk__in=[first.pk, second.pk], revoked_at=None).count() == 0


def test_an_admin_who_leaves_takes_their_open_invitations_with_them(
    organisation, sender, other_admin
):
    invitation = invite_as(sender, "a@example.org")

    response = logged_in(sender.user).post(f"/en/members/{organisation.slug}/leave/", follow=True)

    assert response.redirect_chain == [("/en/members/my/", 302)]
    assert response.status_code == 200
    assert messages_of(response) == [
        "You left Szpital Powiatowy. The invitation you sent is withdrawn."
    ]
    assert_withdrawn(invitation, "a@example.org")


def test_the_colleagues_page_says_invitations_depend_on_their_sender(organisation, sender):
    invite_as(sender, "a@example.org")

    html = get_html(logged_in(sender.user), colleagues_url(organisation))

    assert "withdraws the invitations they sent" in html
    assert "<td>Jan Wysyła</td>" in html  # who sent it
