"""Plain helpers shared by the test modules; fixtures live in the conftest modules."""

import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from members.enums import MembershipRole

LINK = re.compile(r"https?://[^\s\"'<>]+")


# --- services the suite depends on ---------------------------------------------------------


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing — but fail in CI, where every service must run.

    `.ci/run` sets PORTAL_TESTS_REQUIRE_ALL=1 so that a missing Redis or Chromium can never
    turn into a quietly skipped, "green" test.
    """
    if condition:
        return
    if os.environ.get("PORTAL_TESTS_REQUIRE_ALL") == "1":
        pytest.fail(f"required for this run: {reason}")
    pytest.skip(reason)


def wait_for(condition, *, timeout: float = 20.0, interval: float = 0.05):
    """Poll until `condition()` is true; fail with a clear message after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def race(*calls) -> list:
    """Run the calls at the same moment, each in its own thread and database connection (in
    English); return what each returned or raised, in order."""
    import threading

    from django.db import connections
    from django.utils import translation

    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):
                outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def concurrent_posts(url: str, data: dict, *, n: int, user=None, client=None) -> list:
    """POST `data` to `url` n times at the same moment, as a double click or a browser's retry
    would: n threads, each with its own test client and its own database connection, all
    carrying the same session (`user` logged in, or the cookies of `client`). Returns the n
    responses in no particular order; a server error comes back as a 500 response."""
    import threading

    from django.db import connections
    from django.test import Client

    if client is None:
        client = Client()
        if user is not None:
            client.force_login(user)
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    barrier = threading.Barrier(n)
    responses: list = [None] * n

    def post(index):
        sender = Client(raise_request_exception=False)
        for key, value in cookies.items():
            sender.cookies[key] = value
        try:
            barrier.wait(timeout=30)
            responses[index] = sender.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(response is not None for response in responses), "a request never finished"
    return responses


def behind_an_uncommitted_write(write, call):
    """Run `call` in the unlucky order of a race, every time, and return what it returned or
    raised.

    Another connection does `write` (the twin's insert) and keeps its transaction open; `call`
    runs on a connection of its own, so its checks find nothing and its insert waits on the
    uncommitted row. Once PostgreSQL shows `call` waiting on a lock, the other transaction
    commits and `call` meets the database's refusal: the branch that handles it runs.
    """
    import threading

    from django.db import connection, connections, transaction
    from django.utils import translation

    written, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def twin():
        try:
            with transaction.atomic():
                outcome["written"] = write()
                written.set()
                release.wait(timeout=30)
        except Exception as error:
            outcome["write_error"] = error
            written.set()
        finally:
            connections.close_all()

    def request():
        try:
            with translation.override("en"):
                outcome["result"] = call()
        except Exception as error:  # the outcome under test
            outcome["result"] = error
        finally:
            connections.close_all()

    writer = threading.Thread(target=twin)
    writer.start()
    written.wait(timeout=30)
    assert "write_error" not in outcome, outcome.get("write_error")
    caller = threading.Thread(target=request)
    caller.start()

    def waiting_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    try:
        wait_for(lambda: waiting_on_a_lock() or not caller.is_alive(), timeout=30)
        waited = caller.is_alive()
    finally:
        release.set()
        writer.join(timeout=30)
        caller.join(timeout=60)
    assert waited, "the call never waited for the uncommitted write: no race was forced"
    return outcome["result"]


@contextmanager
def broker_unreachable():
    """Point the producer at a closed port, as if Redis were down, then restore it."""
    from cluster_portal.celery import app as celery_app

    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url, conf.task_always_eager
    conf.broker_write_url = "redis://127.0.0.1:9/0"
    conf.task_always_eager = False
    celery_app._after_fork()  # drop pooled connections so the next publish really connects
    try:
        yield
    finally:
        conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
        celery_app._after_fork()


# --- clients and pages ---------------------------------------------------------------------


def logged_in(user):
    """A test client logged in as `user` (no login form, no second-factor stage)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def reauthenticated(client, user):
    """Log `user` in and confirm it is them with their password (allauth's
    reauthentication), as the pages of one's own data ask. No second factor."""
    from tests.factories import DEFAULT_PASSWORD

    client.force_login(user)
    response = client.post("/en/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content
    return client


def get_counting_queries(client, path: str, **headers):
    """(response, number of SQL queries) of a GET, for the pages whose query count is pinned."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response, len(queries)


def get_html(client, path: str, data=None, **headers) -> str:
    """The page at `path` as text, once it answered 200: a check of what a page does not
    show means nothing on an error page or a redirect."""
    response = client.get(path, data, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages (django.contrib.messages) the request left for the next page."""
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


def read_qr(png: bytes) -> str:
    """What a phone's camera reads in a QR code's picture (zxing-cpp)."""
    import io

    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


# --- second factor -------------------------------------------------------------------------


def totp_now(secret: str) -> str:
    """The code an authenticator app would show right now."""
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


# --- the outbox and the mail it sends -------------------------------------------------------


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


def person(email: str | None = None, language: str = "en", **fields):
    """Someone with an account (a verified address) who reads the portal in `language`."""
    from tests.factories import UserFactory

    if email:
        fields["email"] = email
    return UserFactory(preferred_language=language, **fields)


def member(email: str | None = None, language: str = "en", organisation=None, **fields):
    """Someone of an active member organisation (so that the cluster's news reach them)."""
    from tests.factories import MembershipFactory, OrganisationFactory

    user = person(email, language, **fields)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory())
    return user


def soon(days: float = 14, **fields):
    """A published event `days` from now, lasting eight hours."""
    import datetime

    from django.utils import timezone

    from tests.factories import EventFactory

    starts = timezone.now() + datetime.timedelta(days=days)
    return EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=8), **fields)


def announced_member(email: str = "czlonek@szpital.example", language: str = "en"):
    """A cluster member who got the announcement of an event ("Annual congress") by mail."""
    from events.services import event_announce
    from tests.factories import EventFactory

    user = member(email, language)
    event_announce(event=EventFactory(title_en="Annual congress", title_pl="Kongres roczny"))
    deliver_outbox()
    return user


# --- members -------------------------------------------------------------------------------


def accept_path_in_mail(address: str) -> str:
    """The path of the invitation link in the newest mail to `address`."""
    message = last_mail_to(address)
    [link] = [link for link in links_in(message) if "/members/invitations/" in link]
    return urlsplit(link).path


def invited(email="nowa.lekarka@szpital.example", role=MembershipRole.MEMBER, organisation=None):
    """An admin's invitation, made through the service; returns (invitation, accept path)."""
    from django.utils import translation

    from members.services import organisation_invite_member
    from tests.factories import MembershipFactory, OrganisationFactory

    admin = MembershipFactory(
        role=MembershipRole.ADMIN, organisation=organisation or OrganisationFactory()
    )
    with translation.override("en"):
        invitation = organisation_invite_member(
            organisation=admin.organisation,
            actor=admin.user,
            email=email,
            role=role,
        )
    return invitation, accept_path_in_mail(email)


# --- competence centres --------------------------------------------------------------------


def centre(slug: str):
    """One of the seven competence centres (made by a data migration, never by a test)."""
    from competence_centres.models import CompetenceCentre

    return CompetenceCentre.objects.get(slug=slug)


# --- the admin -----------------------------------------------------------------------------


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


def admin_pages_a_coordinator_can_open(client, user) -> dict[str, str]:
    """Every admin page of every registered model the coordinator may view: index, list,
    a search, each object's change and history page."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        urls += [changelist, f"{changelist}?q=prezes"]
        for pk in model_admin.get_queryset(request).values_list("pk", flat=True):
            for view in ("change", "history"):
                urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk]))
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)  # the site settings list opens its one row
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def admin_action(client, changelist: str, action: str, obj, message: str | None = None):
    """Run an admin action on `obj` from its list, as a coordinator would; with a `message`,
    also confirm the action's intermediate page with it. Follows the redirect back."""
    data = {"action": action, "_selected_action": [obj.pk]}
    if message is not None:
        data.update(apply="1", message=message)
    response = client.post(changelist, data, follow=True)
    assert response.status_code == 200, response.redirect_chain
    return response


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


# --- production settings, loaded in subprocesses as a server loads them ---------------------

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_REQUIRED = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PORTAL_BASE_URL": "https://portal.example",
}
_ENV_READ = re.compile(
    r"""(?:\benv_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.environ\[|os\.getenv\()"""
    r"""\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def settings_env_names() -> set[str]:
    """Every environment variable the settings modules read."""
    names: set[str] = set()
    for path in (ROOT / "cluster_portal" / "settings").glob("*.py"):
        names.update(_ENV_READ.findall(path.read_text()))
    return names


def production_env(**overrides: str) -> dict[str, str]:
    """The caller's environment without anything the settings read, with the production
    settings module and `overrides`."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests; production never has it.
    unwanted = settings_env_names() | {
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_CONFIGURATION",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    env["DJANGO_SETTINGS_MODULE"] = "cluster_portal.settings.production"
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str], timeout: float = 120):
    """Run the project's Python with `args` in the checkout; the finished process."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
