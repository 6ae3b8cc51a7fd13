"""Fixtures for every test module; plain helpers are in tests/helpers.py."""

import os

import pytest

from tests.factories import UserFactory
from tests.helpers import require


@pytest.fixture(autouse=True, scope="session")
def _empty_test_media(django_db_setup):
    """Files a previous (perhaps aborted) run left behind must not pass for this run's: the
    test database starts its ids from 1 again."""
    import shutil

    from django.conf import settings

    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_site_settings_cache():
    # SiteSettings lives in the cache; each test starts from its own database rows.
    from django.core.cache import cache

    from cluster_portal.core.process_memo import forget_all
    from cluster_portal.pages.directory_index import forget_kept_index
    from cluster_portal.pages.templatetags.layout import forget_kept_parts
    from cluster_portal.pages.views.directory import forget_kept_cards

    def forget_process_copies():
        forget_all()  # the process's own copies, checked against the cache only once a second
        forget_kept_parts()
        forget_kept_cards()
        forget_kept_index()

    cache.clear()
    forget_process_copies()
    yield
    cache.clear()
    forget_process_copies()


@pytest.fixture
def seeded_data(transactional_db):
    """Put back what data migrations create, which a transactional test's flush removes.

    (serialized_rollback would do it, but its per-connection state does not survive
    Playwright's event loop in the same thread.)
    """
    import importlib

    from django.apps import apps

    for module, function in (
        ("competence_centres.migrations.0003_seed_seven_centres", "create_centres"),
        ("members.migrations.0007_coordinators_permissions", "grant"),
        ("competence_centres.migrations.0005_coordinators_permissions", "grant"),
        ("events.migrations.0002_coordinators_permissions", "grant"),
        ("events.migrations.0004_coordinators_registration_permissions", "grant"),
        ("cluster_portal.notifications.migrations.0004_coordinators_permissions", "grant"),
        ("cluster_portal.pages.migrations.0002_coordinators_permissions", "grant"),
        ("projects.migrations.0002_default_criteria_and_permissions", "create_defaults"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def collected_static_root(tmp_path_factory):
    """A STATIC_ROOT that `collectstatic` filled with the production settings, once a run."""
    from tests.helpers import PRODUCTION_REQUIRED, production_env, run_python

    root = tmp_path_factory.mktemp("staticfiles")
    env = production_env(**PRODUCTION_REQUIRED, STATIC_ROOT=str(root))
    result = run_python(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def english():
    """Services called directly speak English (outside a request, Polish is the default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def page_cache(settings, seeded_data):
    """The anonymous page cache switched on (the test settings keep it off), in a
    transactional test, since the cache is invalidated when a transaction commits."""
    settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a directory of the test's own, which it may list afterwards."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "REDIS_URL is not set: no Redis to run a Celery worker against")
    return url


@pytest.fixture
def celery_worker_on_redis(redis_url, transactional_db):
    """A real Celery worker, in a thread, consuming from Redis and writing to the test DB."""
    from celery.contrib.testing.worker import start_worker

    from cluster_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    app.conf.result_backend = redis_url
    app.control.purge()  # messages left by an earlier test belong to rows that are gone
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd) in this process; Django sends to it over TCP."""
    import asyncio
    import socket
    from email import message_from_bytes
    from email.policy import default as default_policy

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []
            self.refuse_next = 0  # answer "421 try again later" to this many messages
            self.delay = 0.0

        async def handle_DATA(self, server, session, envelope):
            if self.refuse_next:
                self.refuse_next -= 1
                return "421 4.3.0 Mailbox busy, try again later"
            if self.delay:
                await asyncio.sleep(self.delay)
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield sink
    controller.stop()
