"""make bench-review: the proposals' admin under load, against a trivial view.

Seeds 2,000 joint proposals in a fresh PostgreSQL database with bulk inserts: 3 partners and
3 reviews each (scores per criterion, weighted; the reviews of proposals still waiting for
their review are assigned, not written), two documents, a timeline, centres, spread over
eight funding calls of different sizes. A cluster coordinator with TOTP logs in through
allauth's own login and second-factor stage (in this process, with Django's test client,
against the same database); the admin wants that second factor. Then the portal is served
by gunicorn (2 sync workers, production settings) and driven by wrk (2 threads,
8 connections) carrying the coordinator's session cookie, three alternating rounds of 10 s
over three targets:

    trivial     a view returning "ok", through the same middleware (the baseline)
    changelist  the proposals of the largest call, best average score first
    change      one proposal's change page: partners, documents, reviews, timeline

Prints `name: value` lines (medians of the rounds) and last `ratio: R`, the slower admin
page's throughput relative to the trivial view in the same round. `*_queries` are the SQL
queries of one request; `changelist_small_call_queries` is the same list for a call with
few proposals, which must be the same number.
"""

import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import ensure_wrk, gunicorn, recreate_database, run_wrk  # noqa: E402

PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
DATABASE = "cluster_portal_bench_review"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
STATIC_ROOT = tempfile.mkdtemp(prefix="bench-review-static-")
TRIVIAL = "/bench/trivial"

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{SERVER.rstrip('/')}/{DATABASE}",
        # Production refuses to start without them: the cache (rate limits of the login
        # below) is Redis, as deployed; no mail leaves, so the base URL is never used.
        "REDIS_URL": REDIS_URL,
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "WARNING",
    }
)

PASSWORD = secrets.token_urlsafe(16)
COORDINATOR_EMAIL = "biuro@klaster.example"
REVIEWERS = 12
ORGANISATIONS = 400
# Proposals per call, relative: one large call (the changelist measured), one small one.
CALL_WEIGHTS = [30, 14, 12, 10, 8, 6, 1, 0]  # the last call has no proposals yet
CALL_TITLES = [
    ("Telemedycyna w opiece kardiologicznej", "Telemedicine in cardiac care"),
    ("Innowacje w diagnostyce obrazowej", "Innovation in medical imaging"),
    ("Zdrowe starzenie się", "Healthy ageing"),
    ("Sztuczna inteligencja w medycynie", "Artificial intelligence in medicine"),
    ("Wyroby medyczne dla MŚP", "Medical devices for SMEs"),
    ("Cyberbezpieczeństwo szpitali", "Hospital cybersecurity"),
    ("Badania kliniczne niekomercyjne", "Non-commercial clinical trials"),
    ("Rehabilitacja domowa", "Home rehabilitation"),
]
STATUS_WEIGHTS = {
    "submitted": 15,
    "in_review": 50,
    "accepted": 12,
    "rejected": 8,
    "changes_requested": 8,
    "withdrawn": 7,
}
# fmt: off
TOPICS = [
    "zdalnego monitorowania niewydolności serca", "wczesnej diagnostyki raka płuca",
    "rehabilitacji po udarze w domu", "analizy EKG z pomocą AI", "opieki nad seniorami",
    "teleporad psychiatrycznych", "druku 3D implantów", "profilaktyki cukrzycy typu 2",
    "cyfrowej patologii", "robotyki w ortopedii", "wykrywania sepsy", "telemetrii ciąży",
]
KINDS = ["Platforma", "System", "Program", "Narzędzie", "Model", "Sieć"]
BRANDS = ["Medi", "Cardio", "Tele", "Neuro", "Onko", "Vita", "Bio", "Geri", "Pulmo", "Derma"]
ENDINGS = ["tech", "care", "lab", "med", "data", "sense", "nova", "link"]
CITIES = ["Lublin", "Zamość", "Chełm", "Puławy", "Warszawa", "Kraków", "Rzeszów", "Kielce"]
COMMENTS = [
    "Spójny plan prac, realny budżet.", "Partnerstwo kompletne, brakuje pilotażu.",
    "Wysoki potencjał wdrożeniowy.", "Harmonogram zbyt optymistyczny.",
    "Dobrze opisane ryzyka.", "Należy doprecyzować wskaźniki.",
]
# fmt: on
TWO_PLACES = Decimal("0.01")


def seed(rng: random.Random) -> dict:
    """Everything the pages show, in bulk; returns what the measurements need."""
    import datetime

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from stdnum.pl import nip

    from competence_centres.models import CompetenceCentre
    from members.models import Organisation
    from projects.models import (
        FundingCall,
        ProjectProposal,
        ProposalDocument,
        ProposalEvent,
        ProposalPartner,
        Review,
        ReviewCriterion,
        ReviewScore,
    )

    now = timezone.now()
    coordinators = Group.objects.get(name="Coordinators")
    User = get_user_model()
    coordinator = User.objects.create_user(
        email=COORDINATOR_EMAIL,
        password=PASSWORD,
        full_name="Ewa Koordynatorka",
        is_staff=True,
        preferred_language="en",
    )
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    coordinator.groups.add(coordinators)
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    reviewers = User.objects.bulk_create(
        User(
            email=f"recenzent{number}@klaster.example",
            full_name=f"Recenzent {number}",
            is_staff=True,
            password="!",  # unusable: they never log in here
        )
        for number in range(REVIEWERS)
    )
    coordinators.user_set.add(*reviewers)

    numbers = iter(range(10**8, 10**9))
    organisations = []
    for number in range(ORGANISATIONS):
        while not nip.is_valid(candidate := f"{next(numbers)}{number % 10}"):
            pass
        brand = rng.choice(BRANDS) + rng.choice(ENDINGS)
        name = f"{brand} {rng.choice(['Sp. z o.o.', 'S.A.', 'Centrum Medyczne'])} {number}"
        organisations.append(
            Organisation(
                name=name,
                slug=f"org-{number}",
                kind="enterprise",
                nip=candidate,
                city=rng.choice(CITIES),
                region="lubelskie",
                status="active",
                joined_on=datetime.date(2020, 1, 1),
            )
        )
    organisations = Organisation.objects.bulk_create(organisations, batch_size=1000)

    calls = FundingCall.objects.bulk_create(
        FundingCall(
            slug=f"call-{number}",
            title_pl=title_pl,
            title_en=title_en,
            programme=rng.choice(["feng", "abm", "eu4health", "regional"]),
            funder="NCBR",
            opens_at=now - datetime.timedelta(days=200 - number * 20),
            deadline=now + datetime.timedelta(days=30 + number * 10),
            is_published=True,
            published_at=now - datetime.timedelta(days=200 - number * 20),
        )
        for number, (title_pl, title_en) in enumerate(CALL_TITLES)
    )
    centres = list(CompetenceCentre.objects.all())
    criteria = list(ReviewCriterion.objects.filter(call__isnull=True))
    total_weight = sum(criterion.weight for criterion in criteria)

    proposals = []
    for number in range(PROPOSALS):
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        call = rng.choices(calls, weights=CALL_WEIGHTS)[0] if rng.random() < 0.9 else None
        submitted = now - datetime.timedelta(days=rng.randint(1, 700), minutes=number)
        decided = status in {"accepted", "rejected", "changes_requested"}
        topic = rng.choice(TOPICS)
        proposals.append(
            ProjectProposal(
                call=call,
                lead=rng.choice(organisations),
                title=f"{rng.choice(KINDS)} {topic}",
                acronym=f"{rng.choice(BRANDS).upper()}{number:04d}",
                summary=f"Wspólny projekt dotyczący {topic}.",
                objectives="Wdrożenie w trzech szpitalach regionu w ciągu dwóch lat.",
                expected_impact="Krótsze hospitalizacje, wcześniejsze rozpoznania.",
                requested_budget=Decimal(rng.randint(200, 9000) * 1000),
                duration_months=rng.choice([12, 18, 24, 36]),
                trl=rng.randint(3, 8),
                keywords="telemedycyna, kardiologia",
                status=status,
                submitted_at=submitted,
                decided_at=submitted + datetime.timedelta(days=30) if decided else None,
                decision_released_at=submitted + datetime.timedelta(days=31) if decided else None,
                decision_message="Dziękujemy za wniosek." if decided else "",
            )
        )
    proposals = ProjectProposal.objects.bulk_create(proposals, batch_size=1000)

    centre_links, partners, reviews, documents, timeline = [], [], [], [], []
    for proposal in proposals:
        for centre in rng.sample(centres, rng.randint(1, 2)):
            centre_links.append(
                ProjectProposal.centres.through(projectproposal=proposal, competencecentre=centre)
            )
        others = [o for o in rng.sample(organisations, 4) if o.pk != proposal.lead_id][:3]
        for organisation in others:
            partners.append(
                ProposalPartner(
                    proposal=proposal,
                    organisation=organisation,
                    role=rng.choice(["partner", "research_partner", "clinical_partner"]),
                    budget_share=Decimal(rng.randint(5, 40)),
                    status="confirmed" if rng.random() < 0.9 else "invited",
                    responded_at=proposal.submitted_at,
                )
            )
        written = proposal.status != "submitted"
        for reviewer in rng.sample(reviewers, 3):
            reviews.append(
                Review(
                    proposal=proposal,
                    reviewer=reviewer,
                    assigned_by=coordinator,
                    recommendation=rng.choice(["accept", "minor_changes", "major_changes"])
                    if written
                    else "",
                    comment_for_coordinators=rng.choice(COMMENTS) if written else "",
                    submitted_at=proposal.submitted_at + datetime.timedelta(days=20)
                    if written
                    else None,
                )
            )
        for kind in ("application", "budget"):
            documents.append(
                ProposalDocument(
                    proposal=proposal,
                    kind=kind,
                    file=f"proposals/{proposal.pk}/{secrets.token_hex(16)}.pdf",
                    original_name=f"{proposal.acronym} {kind}.pdf",
                    content_type="application/pdf",
                    size=rng.randint(50_000, 5_000_000),
                )
            )
        steps = [("created", "", "draft"), ("status", "draft", "submitted")]
        if proposal.status != "submitted":
            steps.append(("status", "submitted", "in_review"))
        if proposal.status not in {"submitted", "in_review"}:
            steps.append(("status", "in_review", proposal.status))
        for offset, (kind, from_status, to_status) in enumerate(steps):
            at = proposal.submitted_at + datetime.timedelta(days=offset * 10 - 10)
            timeline.append(
                ProposalEvent(
                    proposal=proposal,
                    kind=kind,
                    created_at=at,
                    from_status=from_status,
                    to_status=to_status,
                    shown_from=at,
                )
            )
    ProjectProposal.centres.through.objects.bulk_create(centre_links, batch_size=5000)
    ProposalPartner.objects.bulk_create(partners, batch_size=5000)
    ProposalDocument.objects.bulk_create(documents, batch_size=5000)
    ProposalEvent.objects.bulk_create(timeline, batch_size=5000)
    reviews = Review.objects.bulk_create(reviews, batch_size=5000)

    # Scores, each review's weighted score and each proposal's average, as review_submit
    # and its _refresh_average would leave them.
    scores, averages = [], {}
    for review in reviews:
        if review.submitted_at is None:
            continue
        given = {criterion: rng.randint(2, 5) for criterion in criteria}
        scores.extend(
            ReviewScore(review=review, criterion=criterion, score=score)
            for criterion, score in given.items()
        )
        weighted = sum(score * c.weight for c, score in given.items()) / Decimal(total_weight)
        review.weighted_score = weighted.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        averages.setdefault(review.proposal_id, []).append(review.weighted_score)
    ReviewScore.objects.bulk_create(scores, batch_size=5000)
    Review.objects.bulk_update(reviews, ["weighted_score"], batch_size=2000)
    by_pk = {proposal.pk: proposal for proposal in proposals}
    for proposal_id, weighted in averages.items():
        average = sum(weighted) / len(weighted)
        by_pk[proposal_id].average_score = average.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        by_pk[proposal_id].review_count = len(weighted)
    ProjectProposal.objects.bulk_update(
        proposals, ["average_score", "review_count"], batch_size=1000
    )

    sizes = {call.pk: 0 for call in calls}
    for proposal in proposals:
        if proposal.call_id:
            sizes[proposal.call_id] += 1
    large = max(sizes, key=sizes.get)
    small = min((pk for pk in sizes if sizes[pk]), key=sizes.get)
    example = next(p for p in proposals if p.call_id == large and p.status == "in_review")
    return {
        "secret": secret,
        "large_call": large,
        "large_call_proposals": sizes[large],
        "small_call": small,
        "small_call_proposals": sizes[small],
        "proposal": example.pk,
        "counts": {
            "partners": len(partners),
            "reviews": len(reviews),
            "scores": len(scores),
            "documents": len(documents),
            "timeline": len(timeline),
        },
    }


def log_in(secret: str):
    """A test client logged in as the coordinator the way a person is: allauth's login form,
    then the TOTP code an authenticator app would show. Its session cookie is wrk's."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        "/en/accounts/login/", {"login": COORDINATOR_EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    code = format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302, response.status_code
    client.cookies["portal_language"] = "en"  # the admin has no language prefix
    assert client.get("/admin/").status_code == 200, "the coordinator did not reach the admin"
    return client


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warms what every request after the first finds ready
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def time_in_process(client, path: str, requests: int = 20) -> dict[str, float]:
    """Median time of a request in this process, and how much of it SQL takes."""
    from django.db import connection

    spent = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[-1] += time.perf_counter() - started

    totals = []
    with connection.execute_wrapper(timed):
        for _ in range(requests):
            spent.append(0.0)
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            totals.append(time.perf_counter() - started)
    return {
        "ms": statistics.median(totals) * 1000,
        "sql_ms": statistics.median(spent) * 1000,
    }


def main():
    wrk = ensure_wrk()
    recreate_database(SERVER, DATABASE)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    seeded = seed(random.Random(2026))
    seed_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    changelist = "/admin/projects/projectproposal/"
    targets = {
        "trivial": TRIVIAL,
        # o=-6: the average score's column, descending (best first).
        "changelist": f"{changelist}?call__id__exact={seeded['large_call']}&o=-6",
        "change": f"{changelist}{seeded['proposal']}/change/",
    }
    client = log_in(seeded["secret"])
    queries = {
        name: count_queries(client, path) for name, path in targets.items() if name != "trivial"
    }
    small_call = count_queries(client, f"{changelist}?call__id__exact={seeded['small_call']}&o=-6")
    in_process = {name: time_in_process(client, targets[name]) for name in queries}
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    connections.close_all()  # the workers open their own

    results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    with gunicorn(ready_path=TRIVIAL) as base:
        headers = [f"Cookie: {cookies}"]
        for path in targets.values():  # warm-up: imports, connections, caches
            run_wrk(wrk, base + path, 2, headers=headers)
        for _ in range(ROUNDS):
            for name, path in targets.items():
                results[name].append(run_wrk(wrk, base + path, SECONDS, headers=headers))

    def median(name: str, key: str) -> float:
        return statistics.median(result[key] for result in results[name])

    print(f"proposals: {PROPOSALS}")
    for name, count in seeded["counts"].items():
        print(f"{name}: {count}")
    print(f"seed_seconds: {seed_seconds:.1f}")
    print(f"trivial_rps: {median('trivial', 'rps'):.0f}")
    print(f"trivial_p50_ms: {median('trivial', 'p50_ms'):.2f}")
    print(f"trivial_p99_ms: {median('trivial', 'p99_ms'):.2f}")
    ratios = {}
    for name in queries:
        # Each page against the trivial view of the same round, so drift between rounds
        # (other load on the machine) cancels out.
        ratios[name] = statistics.median(
            page["rps"] / trivial["rps"]
            for page, trivial in zip(results[name], results["trivial"], strict=True)
        )
        print(f"{name}_rps: {median(name, 'rps'):.1f}")
        print(f"{name}_p50_ms: {median(name, 'p50_ms'):.2f}")
        print(f"{name}_p99_ms: {median(name, 'p99_ms'):.2f}")
        print(f"{name}_queries: {queries[name]}")
        print(f"{name}_in_process_ms: {in_process[name]['ms']:.1f}")
        print(f"{name}_sql_ms: {in_process[name]['sql_ms']:.1f}")
        print(f"{name}_ratio: {ratios[name]:.3f}")
    print(f"changelist_call_proposals: {seeded['large_call_proposals']}")
    print(f"changelist_small_call_proposals: {seeded['small_call_proposals']}")
    print(f"changelist_small_call_queries: {small_call}")
    print(f"ratio: {min(ratios.values()):.3f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
