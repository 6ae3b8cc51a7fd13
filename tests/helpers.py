import re

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

LINK = re.compile(r"https?://[^\s\"'<>]+")


def logged_in(user):
    """A test client logged in as `user` (no login form, no second-factor stage)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_counting_queries(client, path: str, **headers):
    """(response, number of SQL queries) of a GET, for the pages whose query count is pinned."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response, len(queries)


def read_qr(png: bytes) -> str:
    """What a phone's camera reads in a QR code's picture (zxing-cpp)."""
    import io

    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def totp_now(secret: str) -> str:
    """The code an authenticator app would show right now."""
    import time

    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    # A code read a moment before its period ends may be stale when the server checks it.
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def with_second_factor(user) -> str:
    """Switch TOTP on for `user` (as the MFA page would) and return the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def deliver_outbox() -> list[int]:
    """Deliver every pending notification as a worker would (tests inside a transaction never
    reach on_commit, so nothing was enqueued for them)."""
    from cluster_portal.notifications.delivery import notification_deliver
    from cluster_portal.notifications.models import Notification

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


def form_fields(html: str, *, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The values a browser would submit from the page's form (the first one, or `form_id`):
    inputs (checked boxes only), selected options and textareas. For posting an admin change
    form back with one field changed, as a coordinator would."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.data: dict[str, list[str]] = {}
            self.in_form = False
            self.done = False
            self.select: str | None = None
            self.textarea: str | None = None
            self.text = ""

        def add(self, name, value):
            self.data.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and not self.done and (form_id is None or attrs.get("id") == form_id):
                self.in_form = True
            if not self.in_form or ("name" not in attrs and tag != "option"):
                return
            if tag == "input":
                kind = attrs.get("type", "text")
                if kind in {"submit", "button", "file", "image", "reset"}:
                    return
                if kind in {"checkbox", "radio"} and "checked" not in attrs:
                    return
                self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            elif tag == "select":
                self.select = attrs["name"]
            elif tag == "option" and self.select and "selected" in attrs:
                self.add(self.select, attrs.get("value", ""))
            elif tag == "textarea":
                self.textarea, self.text = attrs["name"], ""

        def handle_data(self, data):
            if self.textarea:
                self.text += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea" and self.textarea:
                self.add(self.textarea, self.text.removeprefix("\n"))
                self.textarea = None
            elif tag == "form" and self.in_form:
                self.in_form, self.done = False, True

    parser = Parser()
    parser.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
