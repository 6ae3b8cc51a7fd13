"""make bench-registration: 2,000 people registering for 500 seats at once, through gunicorn.

Seeds 2,000 logged-in people (a session each) and one published event with 500 seats in a
fresh PostgreSQL database, serves the portal with gunicorn (2 sync workers, production
settings) on 127.0.0.1, and drives it with concurrent clients (threads, one TCP connection
per request, as gunicorn's sync workers close each one):

    trivial        GET a view returning "ok", through the same middleware (the baseline),
                   measured before and after the registrations
    registration   POST /pl/events/<slug>/register/, once per person: the one-click
                   registration, with its row lock on the event, the seat count, the
                   outbox rows of the confirmation (calendar file, sealed cancel link and QR
                   code) and the enqueueing of their delivery after commit

Then counts what the database holds: exactly 500 seats and 1,500 places in line, ordered,
one registration per person. Prints `name: value` lines and last `ratio: R`, registration
throughput over the trivial view's (the better of its two runs).
"""

import itertools
import os
import secrets
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import gunicorn, recreate_database  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
SEATS = int(os.environ.get("BENCH_SEATS", "500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
TRIVIAL_REQUESTS = int(os.environ.get("BENCH_TRIVIAL_REQUESTS", "4000"))
DATABASE = "cluster_portal_bench_registration"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{SERVER.rstrip('/')}/{DATABASE}"
# Production needs Redis (the broker the confirmations are enqueued to, and the cache); the
# bench empties the Celery queue of this database before and after.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
STATIC_ROOT = tempfile.mkdtemp(prefix="bench-registration-static-")
EVENT_SLUG = "kongres-benchmark"
HOST = "127.0.0.1"

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PORTAL_BASE_URL": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("CACHE_URL", None)


def purge_queue() -> None:
    from cluster_portal.celery import app

    app.control.purge()


def seed() -> tuple[list[tuple[str, str]], int]:
    """PEOPLE people, each with a session and a CSRF secret; one event with SEATS seats.
    Returns the (session key, CSRF secret) of each person, and the event's id."""
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from events.models import Event
    from members.models import User

    password = make_password("bench-password-2026")
    users = User.objects.bulk_create(
        [
            User(
                email=f"uczestnik{number}@bench.example",
                full_name=f"Uczestnik {number}",
                password=password,
                preferred_language="pl" if number % 3 else "en",
            )
            for number in range(PEOPLE)
        ],
        batch_size=1000,
    )
    store = SessionStore()
    expires = timezone.now() + datetime.timedelta(days=1)
    sessions, clients = [], []
    for user in users:
        key = get_random_string(32)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        clients.append((key, get_random_string(32)))
    Session.objects.bulk_create(sessions, batch_size=1000)
    starts = timezone.now() + datetime.timedelta(days=30)
    event = Event.objects.create(
        kind="congress",
        slug=EVENT_SLUG,
        title_pl="Kongres Telemedycyny 2027",
        title_en="Telemedicine Congress 2027",
        summary_pl="Dwa dni wykładów i warsztatów.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=30),
        venue="Centrum Spotkań i Konferencji",
        address="ul. Grottgera 2",
        city="Lublin",
        capacity=SEATS,
        is_published=True,
    )
    return clients, event.pk


# --- the clients -----------------------------------------------------------------------------


def _request(port: int, payload: bytes) -> tuple[int, float, bytes]:
    """Send one prepared request on a new connection; (status, seconds, head of answer)."""
    started = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=60) as connection:
        connection.sendall(payload)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    answer = b"".join(chunks)
    return int(answer[9:12]), elapsed, answer[:2048]


def drive(port: int, payloads: list[bytes], clients: int) -> dict:
    """Send every payload once, from `clients` threads; throughput and latencies."""
    results: list = [None] * len(payloads)
    queue = iter(enumerate(payloads))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def run():
        barrier.wait()
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            index, payload = item
            results[index] = _request(port, payload)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies = sorted(result[1] for result in results)
    return {
        "rps": len(payloads) / seconds,
        "seconds": seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "statuses": [result[0] for result in results],
        "heads": [result[2] for result in results],
    }


def trivial_payloads(port: int) -> list[bytes]:
    request = f"GET /bench/trivial HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    return [request.encode()] * TRIVIAL_REQUESTS


def registration_payloads(port: int, clients: list[tuple[str, str]]) -> list[bytes]:
    path = f"/pl/events/{EVENT_SLUG}/register/"
    payloads = []
    for session_key, csrf in clients:
        body = f"csrfmiddlewaretoken={csrf}".encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n"
            f"Cookie: sessionid={session_key}; csrftoken={csrf}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        payloads.append(head.encode() + body)
    return payloads


# --- running it ------------------------------------------------------------------------------


def audit(event_id: int) -> dict:
    """What the database holds after the run."""
    from django.db.models import Count

    from events.models import Registration

    rows = list(
        Registration.objects.filter(event_id=event_id)
        .order_by("pk")
        .values_list("user_id", "status", "queued_at")
    )
    confirmed = sum(1 for _user, status, _place in rows if status == "confirmed")
    waiting = [place for _user, status, place in rows if status == "waitlisted"]
    per_person = (
        Registration.objects.filter(event_id=event_id)
        .values("user_id")
        .annotate(count=Count("*"))
        .filter(count__gt=1)
        .count()
    )
    return {
        "rows": len(rows),
        "people": len({user for user, _status, _place in rows}),
        "confirmed": confirmed,
        "waitlisted": len(waiting),
        # Seats were given in the order of ids (drawn under the lock); the line must follow.
        "line_in_order": all(a < b for a, b in itertools.pairwise(waiting)),
        "seats_after_line": all(
            status == "confirmed" for _user, status, _place in rows[:confirmed]
        ),
        "doubled": per_person,
    }


def main():
    recreate_database(SERVER, DATABASE)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from cluster_portal.notifications.models import Notification

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    purge_queue()
    started = time.perf_counter()
    clients, event_id = seed()
    seed_seconds = time.perf_counter() - started
    connections.close_all()  # the workers open their own

    try:
        with gunicorn(ready_path="/bench/trivial") as base:
            port = int(base.rsplit(":", 1)[1])
            drive(port, trivial_payloads(port)[:400], CLIENTS)  # warm-up: imports, connections
            before = drive(port, trivial_payloads(port), CLIENTS)
            registration = drive(port, registration_payloads(port, clients), CLIENTS)
            after = drive(port, trivial_payloads(port), CLIENTS)
    finally:
        purge_queue()

    found = audit(event_id)
    answered = sum(
        1
        for status, head in zip(registration["statuses"], registration["heads"], strict=True)
        if status == 302 and f"/pl/events/{EVENT_SLUG}/".encode() in head
    )
    trivial = max(before, after, key=lambda result: result["rps"])
    overbooked = max(0, found["confirmed"] - SEATS)
    # Lost: a click answered otherwise than by the event page, or without its row.
    lost = (PEOPLE - answered) + (PEOPLE - found["people"])
    mails = Notification.objects.filter(kind__in=["events.confirmed", "events.waitlisted"])

    print(f"people: {PEOPLE}")
    print(f"seats: {SEATS}")
    print(f"clients: {CLIENTS}")
    print(f"seed_seconds: {seed_seconds:.1f}")
    print(f"trivial_rps: {trivial['rps']:.0f}")
    print(f"trivial_p50_ms: {trivial['p50_ms']:.2f}")
    print(f"trivial_p99_ms: {trivial['p99_ms']:.2f}")
    print(f"trivial_rps_before_after: {before['rps']:.0f} {after['rps']:.0f}")
    print(f"registration_seconds: {registration['seconds']:.2f}")
    print(f"registration_rps: {registration['rps']:.0f}")
    print(f"registration_p50_ms: {registration['p50_ms']:.2f}")
    print(f"registration_p99_ms: {registration['p99_ms']:.2f}")
    print(f"confirmed: {found['confirmed']}")
    print(f"waitlisted: {found['waitlisted']}")
    print(f"line_in_order: {found['line_in_order'] and found['seats_after_line']}")
    print(f"outbox_rows: {mails.count()}")
    print(f"doubled: {found['doubled']}")
    print(f"overbooked: {overbooked}")
    print(f"lost: {lost}")
    print(f"ratio: {registration['rps'] / trivial['rps']:.3f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
