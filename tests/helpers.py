import re

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

LINK = re.compile(r"https?://[^\s\"'<>]+")


def totp_now(secret: str) -> str:
    """The code an authenticator app would show right now."""
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def with_second_factor(user) -> str:
    """Switch TOTP on for `user` (as the MFA page would) and return the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def deliver_outbox() -> list[int]:
    """Deliver every pending notification as a worker would (tests inside a transaction never
    reach on_commit, so nothing was enqueued for them)."""
    from cluster_portal.notifications.models import Notification
    from cluster_portal.notifications.services import notification_deliver

    ids = list(Notification.objects.filter(status="pending").values_list("id", flat=True))
    return notification_deliver(ids=ids).sent


def last_mail_to(address: str):
    """The newest mail to `address`, after delivering what the outbox holds."""
    deliver_outbox()
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no e-mail was sent to {address}"
    return messages[-1]


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def coordinator_in_admin(client, **user_fields):
    """A cluster coordinator logged in through allauth with a TOTP code, admin in English."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from tests.factories import DEFAULT_PASSWORD, UserFactory

    user = UserFactory(is_staff=True, **user_fields)
    user.groups.add(Group.objects.get(name="Coordinators"))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post("/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert "_auth_user_id" in client.session
    client.cookies["portal_language"] = "en"  # the admin has no language prefix
    return user
