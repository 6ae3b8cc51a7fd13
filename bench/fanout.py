"""make bench-fanout: write 10,000 notifications, deliver them through a real worker.

Baseline: a bare smtplib loop sending the very same messages over one connection to the
same SMTP sink, measured before and after the worker run (the better of the two counts).
"""

import os
import secrets
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "10000"))
# Delivery waits on SMTP replies and commits more than it computes: as deployed
# (docker-compose.yml), the worker runs more processes than there are cores.
WORKER_CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "4"))
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{SERVER.rstrip('/')}/cluster_portal_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET_KEY = secrets.token_urlsafe(50)

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "cluster_portal.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PORTAL_BASE_URL": "https://portal.example",
        "LOG_LEVEL": "WARNING",
    }
)


class CountingSink:
    def __init__(self):
        self.count = 0
        self.first = self.last = 0.0
        self.recipients: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.lock:
            if not self.count:
                self.first = now
            self.count += 1
            self.last = now
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"

    def reset(self):
        self.count, self.first, self.last, self.recipients = 0, 0.0, 0.0, []


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database():
    import psycopg

    with psycopg.connect(f"{SERVER.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cluster_portal_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE cluster_portal_bench")


def seed_recipients():
    from django.contrib.auth.hashers import make_password

    from members.models import Organisation, OrganisationMembership, User

    organisation = Organisation.objects.create(
        name="Bench Hospital",
        slug="bench-hospital",
        kind="public_medical",
        nip="5260250274",
        city="Lublin",
        region="lubelskie",
        status="active",
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"member{n}@bench.example",
            password=password,
            preferred_language="pl" if n % 3 else "en",
        )
        for n in range(RECIPIENTS)
    )
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(user=user, organisation=organisation) for user in users
    )
    return list(User.objects.all())


def bare_smtplib_rate(messages: list[tuple[str, bytes]], port: int, sink: CountingSink) -> float:
    sink.reset()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("noreply@cluster-portal.local", [to], data)
    elapsed = time.perf_counter() - started
    assert sink.count == len(messages)
    return len(messages) / elapsed


def main():
    from aiosmtpd.controller import Controller

    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from cluster_portal.celery import app as celery_app
    from cluster_portal.notifications.delivery import build_email
    from cluster_portal.notifications.models import Notification
    from cluster_portal.notifications.writing import notify
    from events.models import Event

    call_command("migrate", verbosity=0)
    celery_app.control.purge()
    users = seed_recipients()
    event = Event.objects.create(
        kind="congress",
        slug="bench-congress",
        title_pl="Kongres",
        title_en="Congress",
        starts_at="2031-05-14T09:00:00+02:00",
        ends_at="2031-05-14T17:00:00+02:00",
        venue="Centrum Kongresowe",
        city="Lublin",
        is_published=True,
    )

    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()

    # Rows only: enqueueing happens after commit and is timed on its own.
    started = time.perf_counter()
    with transaction.atomic():
        written = notify(
            recipients=users,
            kind="events.announcement",
            category="events",
            context={"event": event},
            dedupe_key=f"bench:{event.pk}",
            link="/pl/events/bench-congress/",
        )
        write_seconds = time.perf_counter() - started
        enqueue_started = time.perf_counter()
    enqueue_seconds = time.perf_counter() - enqueue_started
    assert written == RECIPIENTS

    # The same messages the worker will send, for the baseline.
    messages = [
        (n.to_email, build_email(n, connection=None).message().as_bytes(linesep="\r\n"))
        for n in Notification.objects.order_by("id")
    ]
    bare_before = bare_smtplib_rate(messages, port, sink)

    sink.reset()
    worker_env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cluster_portal",
            "worker",
            f"--concurrency={WORKER_CONCURRENCY}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=worker_env,
    )
    try:
        deadline = time.monotonic() + 600
        while sink.count < RECIPIENTS and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # let a stray duplicate arrive, if there were one
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    delivered = sink.count
    worker_rate = delivered / (sink.last - sink.first) if delivered > 1 else 0.0
    duplicates = len(sink.recipients) - len(set(sink.recipients))
    sent_rows = Notification.objects.filter(status="sent").count()

    bare_after = bare_smtplib_rate(messages, port, sink)
    controller.stop()
    bare_rate = max(bare_before, bare_after)

    print(f"recipients: {RECIPIENTS}")
    print(f"write_seconds: {write_seconds:.3f}")
    print(f"enqueue_seconds: {enqueue_seconds:.3f}")
    print(f"delivered: {delivered}")
    print(f"rows_sent: {sent_rows}")
    print(f"duplicates: {duplicates}")
    print(f"worker_rate_per_s: {worker_rate:.1f}")
    print(f"bare_smtplib_rate_per_s: {bare_rate:.1f}")
    print(f"ratio: {worker_rate / bare_rate:.3f}")
    if delivered != RECIPIENTS or duplicates or sent_rows != RECIPIENTS:
        sys.exit("not every notification was delivered exactly once")


if __name__ == "__main__":
    main()
