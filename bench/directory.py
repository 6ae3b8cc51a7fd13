"""make bench-directory: the public member directory under load, against a trivial view.

Seeds 5,000 active, listed organisations (with centre participations and search vectors) in
a fresh PostgreSQL database, serves the portal with gunicorn (2 sync workers, production
settings) on 127.0.0.1 and drives it with wrk (2 threads, 8 connections), three alternating
rounds of 10 s over four targets:

    trivial         a view returning "ok", through the same middleware (the baseline)
    directory       /pl/members/                     the first page, A to Z, with facets
    search          /pl/members/?q=<common word>     full-text search, ranked
    search_filters  the same search with a kind and a region
    layout          /pl/about/, static text in the site layout: a reference, not in the ratio
    varied          600 distinct directory URLs in turn (bench/varied_paths.lua): words from
                    the seeded names, specialisations and cities, alone, in pairs, with kinds,
                    regions, centres and later pages, in both languages, percent-encoded;
                    the cache is emptied before each round, so every URL's first request in
                    a round is rendered

All of it twice: as deployed (anonymous pages cached) and with the page cache off, which
puts the cost of rendering on record (`*_uncached_ratio`).

Prints `name: value` lines (medians of the rounds) and last `ratio: R`, the lowest of the
three directory pages' throughput relative to the trivial view in the same round. The
layout's own ratio shows the ceiling any page rendered with base.html can reach here.
"""

import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import ensure_wrk, gunicorn, recreate_database, run_wrk  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "5000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
DATABASE = "cluster_portal_bench_directory"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{SERVER.rstrip('/')}/{DATABASE}"
STATIC_ROOT = tempfile.mkdtemp(prefix="bench-directory-static-")

SEARCH_WORD = "kardiologia"
SEARCH_KIND = "non_public_medical"
SEARCH_REGION = "lubelskie"
TARGETS = {
    "trivial": "/bench/trivial",
    "directory": "/pl/members/",
    "search": f"/pl/members/?q={SEARCH_WORD}",
    "search_filters": f"/pl/members/?q={SEARCH_WORD}&kind={SEARCH_KIND}&region={SEARCH_REGION}",
    "layout": "/pl/about/",
}
PAGES = ("directory", "search", "search_filters")
VARIED_URLS = int(os.environ.get("BENCH_VARIED_URLS", "600"))
VARIED_SCRIPT = ROOT / "bench" / "varied_paths.lua"

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "WARNING",
    }
)
# As deployed: production needs Redis (shared rate limits and page cache). The bench's own
# database number keeps its cached pages apart from anything else.
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["PORTAL_BASE_URL"] = "http://127.0.0.1"

# --- Seed data: varied, plausible, entirely fictional ----------------------------------------

CITIES = {
    "lubelskie": ["Lublin", "Zamość", "Chełm", "Biała Podlaska", "Puławy", "Kraśnik"],
    "mazowieckie": ["Warszawa", "Radom", "Płock", "Siedlce", "Ostrołęka"],
    "malopolskie": ["Kraków", "Tarnów", "Nowy Sącz", "Oświęcim"],
    "slaskie": ["Katowice", "Gliwice", "Zabrze", "Bielsko-Biała", "Częstochowa"],
    "wielkopolskie": ["Poznań", "Kalisz", "Konin", "Piła"],
    "dolnoslaskie": ["Wrocław", "Wałbrzych", "Legnica", "Jelenia Góra"],
    "lodzkie": ["Łódź", "Piotrków Trybunalski", "Skierniewice"],
    "pomorskie": ["Gdańsk", "Gdynia", "Słupsk"],
    "podkarpackie": ["Rzeszów", "Przemyśl", "Krosno"],
    "kujawsko-pomorskie": ["Bydgoszcz", "Toruń", "Włocławek"],
    "zachodniopomorskie": ["Szczecin", "Koszalin"],
    "warminsko-mazurskie": ["Olsztyn", "Elbląg"],
    "podlaskie": ["Białystok", "Suwałki", "Łomża"],
    "swietokrzyskie": ["Kielce", "Ostrowiec Świętokrzyski"],
    "opolskie": ["Opole", "Nysa"],
    "lubuskie": ["Zielona Góra", "Gorzów Wielkopolski"],
}
REGION_WEIGHTS = {"lubelskie": 30, "mazowieckie": 14, "malopolskie": 8, "slaskie": 8}
ABROAD = [("DE", "Berlin"), ("CZ", "Praga"), ("SK", "Bratysława"), ("LT", "Wilno"), ("UA", "Lwów")]
KIND_WEIGHTS = {
    "enterprise": 30,
    "non_public_medical": 20,
    "public_medical": 10,
    "ngo": 9,
    "local_government": 7,
    "university": 5,
    "research_institute": 5,
    "business_support": 5,
    "technology_park": 3,
    "other": 6,
}
# fmt: off
SPECIALISATIONS = [
    "kardiologia", "onkologia", "neurologia", "pediatria", "ortopedia", "radiologia",
    "diagnostyka obrazowa", "telemedycyna", "rehabilitacja", "geriatria", "psychiatria",
    "dermatologia", "okulistyka", "chirurgia", "anestezjologia", "medycyna ratunkowa",
    "diabetologia", "endokrynologia", "ginekologia", "urologia", "nefrologia", "pulmonologia",
    "gastroenterologia", "hematologia", "immunologia", "medycyna nuklearna", "radioterapia",
    "biotechnologia", "bioinformatyka", "sztuczna inteligencja", "wyroby medyczne",
    "robotyka medyczna", "druk 3D", "farmacja", "e-zdrowie", "cyberbezpieczeństwo",
    "analiza danych medycznych", "opieka długoterminowa", "zdrowie publiczne", "profilaktyka",
    "stomatologia", "genetyka", "diagnostyka laboratoryjna", "fizjoterapia",
]
PATRONS = [
    "Jana Pawła II", "Marii Skłodowskiej-Curie", "Mikołaja Kopernika", "Ludwika Rydygiera",
    "Tytusa Chałubińskiego", "Józefa Strusia", "św. Łukasza", "Janusza Korczaka",
]
BRAND_START = [
    "Medi", "Bio", "Cardio", "Tele", "Neuro", "Ortho", "Vita", "Pharma", "Gen", "Sano", "Onko",
    "Derma", "Pulmo", "Nefro", "Immuno", "Radio", "Lab", "Opti",
]
BRAND_END = [
    "tech", "lab", "systems", "soft", "med", "care", "sense", "data", "vision", "logic",
    "bridge", "wave", "point", "nova",
]
FIELDS = [
    "Kardiologii", "Onkologii", "Biocybernetyki", "Inżynierii Biomedycznej", "Genetyki",
    "Medycyny Pracy", "Farmakologii", "Neurobiologii", "Telemedycyny",
]
# fmt: on
NAME_PATTERNS = {
    "public_medical": [
        "Szpital Wojewódzki im. {patron} w {city}",
        "Szpital Powiatowy w {city}",
        "Samodzielny Publiczny Zakład Opieki Zdrowotnej w {city}",
        "Wojewódzki Szpital Specjalistyczny nr {n} w {city}",
        "Uniwersytecki Szpital Kliniczny nr {n} w {city}",
    ],
    "non_public_medical": [
        "Centrum Medyczne {brand}",
        "Przychodnia {brand} w {city}",
        "Klinika {field} {brand}",
        "Niepubliczny Zakład Opieki Zdrowotnej {brand}",
        "Centrum Rehabilitacji {brand}",
    ],
    "enterprise": ["{brand} Sp. z o.o.", "{brand} S.A.", "{brand} Polska Sp. z o.o."],
    "university": [
        "Uniwersytet Medyczny w {city}",
        "Akademia Nauk Stosowanych w {city}",
        "Wydział Lekarski Uczelni w {city}",
        "Politechnika w {city}, Katedra {field}",
    ],
    "research_institute": ["Instytut {field} im. {patron}", "Centrum Badań {field} w {city}"],
    "technology_park": ["Park Naukowo-Technologiczny {city}", "{city} Park Technologiczny"],
    "local_government": ["Gmina {city}", "Powiat {city}", "Miasto {city}"],
    "business_support": [
        "Agencja Rozwoju Regionalnego w {city}",
        "Fundacja Rozwoju Przedsiębiorczości {city}",
        "Izba Gospodarcza Ochrony Zdrowia w {city}",
    ],
    "ngo": [
        "Stowarzyszenie Pacjentów {field}",
        "Fundacja {brand} dla Zdrowia",
        "Polskie Towarzystwo {field}, oddział w {city}",
    ],
    "other": ["Kancelaria Prawa Medycznego {brand}", "Wydawnictwo Medyczne {brand}"],
}
DESCRIPTION_OPENINGS = [
    "Działamy w {city} od {year} roku.",
    "Od {year} roku pracujemy dla pacjentów i partnerów w regionie.",
    "Jesteśmy zespołem lekarzy, inżynierów i menedżerów z {city}.",
]
DESCRIPTION_BODIES = [
    "Specjalizujemy się w takich dziedzinach jak {a} i {b}.",
    "Rozwijamy projekty z zakresu {a}, a także {b}.",
    "Nasze główne obszary to {a} oraz {b}.",
]
DESCRIPTION_CLOSINGS = [
    "W klastrze szukamy partnerów do wspólnych projektów badawczych i wdrożeniowych.",
    "Chętnie dzielimy się doświadczeniem i infrastrukturą z innymi członkami.",
    "Współpracujemy z uczelniami, szpitalami i firmami z całej Polski.",
    "Przygotowujemy wnioski o finansowanie z funduszy europejskich.",
]
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def valid_nip(seed: int) -> str:
    """As tests/factories.py: the first NIP at or after the seed whose checksum works."""
    base = 100_000_000 + seed * 7
    while True:
        digits = [int(ch) for ch in str(base)[:9]]
        check = sum(w * d for w, d in zip(NIP_WEIGHTS, digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)
        base += 1


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed_organisations() -> int:
    import datetime

    from django.utils.text import slugify

    from members.models import Organisation
    from members.services.organisations import organisation_refresh_search

    rng = random.Random(2026)
    region_weights = {region: REGION_WEIGHTS.get(region, 3) for region in CITIES}
    region_weights["abroad"] = 4
    organisations = []
    for number in range(ORGANISATIONS):
        kind = weighted(rng, KIND_WEIGHTS)
        region = weighted(rng, region_weights)
        if region == "abroad":
            country, city = rng.choice(ABROAD)
            nip = ""
        else:
            country, city, nip = "PL", rng.choice(CITIES[region]), valid_nip(number)
        brand = rng.choice(BRAND_START) + rng.choice(BRAND_END)
        name = rng.choice(NAME_PATTERNS[kind]).format(
            city=city,
            brand=brand,
            patron=rng.choice(PATRONS),
            field=rng.choice(FIELDS),
            n=rng.randint(1, 6),
        )
        specialisations = rng.sample(SPECIALISATIONS, rng.randint(2, 6))
        first, second = rng.sample(specialisations, 2)
        year = rng.randint(1990, 2022)
        description = " ".join(
            [
                rng.choice(DESCRIPTION_OPENINGS).format(city=city, year=year),
                rng.choice(DESCRIPTION_BODIES).format(a=first, b=second),
                rng.choice(DESCRIPTION_CLOSINGS),
            ]
        )
        organisations.append(
            Organisation(
                name=name,
                slug=f"{slugify(name.replace('ł', 'l').replace('Ł', 'L'))[:240]}-{number}",
                kind=kind,
                nip=nip,
                city=city,
                region=region,
                country=country,
                description=description,
                specialisations=", ".join(specialisations),
                status="active",
                is_public=True,
                joined_on=datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randint(0, 5300)),
            )
        )
    created = Organisation.objects.bulk_create(organisations, batch_size=1000)
    seed_participations(rng, created)
    organisation_refresh_search(organisation_ids=[o.pk for o in created])
    return len(created)


def seed_participations(rng: random.Random, organisations) -> None:
    from competence_centres.models import CentreParticipation, CompetenceCentre

    centres = list(CompetenceCentre.objects.all())
    participations = []
    for organisation in organisations:
        if rng.random() < 0.45:
            for centre in rng.sample(centres, rng.randint(1, 3)):
                status = "active" if rng.random() < 0.85 else "requested"
                participations.append(
                    CentreParticipation(organisation=organisation, centre=centre, status=status)
                )
    CentreParticipation.objects.bulk_create(participations, batch_size=2000)


# --- Running it ------------------------------------------------------------------------------


def queries_per_page() -> dict[str, int]:
    """SQL queries per rendered request (page cache off), counted in this process against
    the same database. A cache hit runs none."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name in PAGES:
        with override_settings(PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS=0):
            assert client.get(TARGETS[name]).status_code == 200  # warms the site-settings cache
            with CaptureQueriesContext(connection) as queries:
                response = client.get(TARGETS[name])
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(queries)
    return counts


def results_per_page() -> dict[str, int]:
    search = {"kind": [SEARCH_KIND], "region": SEARCH_REGION}
    return {
        "directory": matching(query="", filters={}),
        "search": matching(query=SEARCH_WORD, filters={}),
        "search_filters": matching(query=SEARCH_WORD, filters=search),
    }


def matching(*, query: str, filters: dict) -> int:
    """How many organisations the directory lists for `query` and `filters`."""
    from cluster_portal.pages.directory_index import directory_search

    return len(directory_search(query=query, filters=filters, version=None))


def varied_paths(count: int) -> list[str]:
    """`count` distinct directory URLs as visitors make them: seeded words alone or in
    pairs, a prefix typed halfway, with and without a kind, a region or a centre, now and
    then a second page (only where there is one: a missing page is a 404), in both
    languages. Deterministic, so runs compare."""
    from competence_centres.models import CompetenceCentre

    rng = random.Random(13)
    words = sorted(
        {word for phrase in SPECIALISATIONS for word in phrase.split() if len(word) > 2}
        | {brand.lower() for brand in BRAND_START}
        | {city for cities in CITIES.values() for city in cities if " " not in city}
        | {field.lower() for field in FIELDS if " " not in field}
    )
    regions = sorted(CITIES)
    centres = list(CompetenceCentre.objects.values_list("slug", flat=True))
    paths: list[str] = []
    seen: set[str] = set()
    while len(paths) < count:
        params: list[tuple[str, str]] = []
        shape = rng.random()
        if shape < 0.75:
            query = rng.choice(words)
            if rng.random() < 0.25:
                query = f"{query} {rng.choice(words)}"
            elif rng.random() < 0.2:
                query = query[: max(3, len(query) // 2)]  # typed halfway
            params.append(("q", query))
        filters: dict = {}
        if shape >= 0.6 or rng.random() < 0.3:
            kinds = rng.sample(list(KIND_WEIGHTS), rng.choice([1, 1, 2]))
            params += [("kind", kind) for kind in kinds]
            filters["kind"] = kinds
        if rng.random() < 0.3:
            filters["region"] = rng.choice(regions)
            params.append(("region", filters["region"]))
        if rng.random() < 0.15:
            filters["centre"] = rng.choice(centres)
            params.append(("centre", filters["centre"]))
        if rng.random() < 0.2:
            query = dict(params).get("q", "")
            if matching(query=query, filters=filters) > 24:
                params.append(("page", "2"))
        language = "pl" if rng.random() < 0.7 else "en"
        path = f"/{language}/members/?{urlencode(params)}"
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def serve_and_measure(
    wrk: str, *, varied_file: Path, extra_env: dict[str, str]
) -> dict[str, list[dict[str, float]]]:
    """Start gunicorn with `extra_env`, run the alternating wrk rounds, stop it."""
    from django.core.cache import cache

    results: dict[str, list[dict[str, float]]] = {name: [] for name in [*TARGETS, "varied"]}
    with gunicorn(ready_path=TARGETS["trivial"], env=extra_env) as base:
        for path in TARGETS.values():  # warm-up: imports, connections, caches
            run_wrk(wrk, base + path, 2)
        for _ in range(ROUNDS):
            for name, path in TARGETS.items():
                results[name].append(run_wrk(wrk, base + path, SECONDS))
            cache.clear()  # the varied URLs start cold in every round
            results["varied"].append(
                run_wrk(
                    wrk,
                    base + TARGETS["trivial"],
                    SECONDS,
                    script=VARIED_SCRIPT,
                    script_args=[str(varied_file)],
                )
            )
    return results


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
    seeded = seed_organisations()
    seed_seconds = time.perf_counter() - started
    # Measure a settled database, as autovacuum leaves it a minute later: the search-vector
    # UPDATE left a dead copy of every row, and the planner has no statistics yet.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    queries = queries_per_page()
    matches = results_per_page()
    varied_file = Path(STATIC_ROOT) / "varied-paths.txt"
    varied_file.write_text("\n".join(varied_paths(VARIED_URLS)) + "\n")
    connections.close_all()  # the workers open their own

    # As deployed: anonymous visitors get cached pages. Then the same load with the page
    # cache off, so the cost of rendering is on record too.
    results = serve_and_measure(wrk, varied_file=varied_file, extra_env={})
    uncached = serve_and_measure(
        wrk, varied_file=varied_file, extra_env={"PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS": "0"}
    )

    def median(name: str, key: str) -> float:
        return statistics.median(result[key] for result in results[name])

    print(f"organisations: {seeded}")
    print(f"seed_seconds: {seed_seconds:.1f}")
    print(f"search_word: {SEARCH_WORD}")
    print(f"trivial_rps: {median('trivial', 'rps'):.0f}")
    print(f"trivial_p50_ms: {median('trivial', 'p50_ms'):.2f}")
    print(f"trivial_p99_ms: {median('trivial', 'p99_ms'):.2f}")

    def ratio(name: str, runs=results) -> float:
        # Each page against the trivial view of the same round, so drift between rounds
        # (other load on the machine) cancels out.
        return statistics.median(
            page["rps"] / trivial["rps"]
            for page, trivial in zip(runs[name], runs["trivial"], strict=True)
        )

    ratios = {name: ratio(name) for name in PAGES}
    for name in PAGES:
        print(f"{name}_rps: {median(name, 'rps'):.0f}")
        print(f"{name}_p50_ms: {median(name, 'p50_ms'):.2f}")
        print(f"{name}_p99_ms: {median(name, 'p99_ms'):.2f}")
        print(f"{name}_queries: {queries[name]}")
        print(f"{name}_results: {matches[name]}")
        print(f"{name}_ratio: {ratios[name]:.3f}")
    print(f"layout_rps: {median('layout', 'rps'):.0f}")
    print(f"layout_p50_ms: {median('layout', 'p50_ms'):.2f}")
    print(f"layout_ratio: {ratio('layout'):.3f}")
    print(f"varied_urls: {VARIED_URLS}")
    print(f"varied_rps: {median('varied', 'rps'):.0f}")
    print(f"varied_p99_ms: {median('varied', 'p99_ms'):.2f}")
    print(f"varied_ratio: {ratio('varied'):.3f}")
    for name in [*PAGES, "layout", "varied"]:
        rendered = statistics.median(r["rps"] for r in uncached[name])
        print(f"{name}_uncached_rps: {rendered:.0f}")
        print(f"{name}_uncached_ratio: {ratio(name, uncached):.3f}")
    print(f"ratio: {min(ratios.values()):.3f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
