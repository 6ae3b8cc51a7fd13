"""cluster_portal/pages/directory_index.py: the directory's facets, filters and order,
answered from the process's snapshot of who is listed, against a plain reading of the same
rows; and the snapshot kept between pages following every change."""

import datetime
import itertools
import random

import pytest

from cluster_portal.pages.directory_index import DirectoryIndex, directory_search
from competence_centres.enums import ParticipationStatus
from competence_centres.models import CompetenceCentre
from members.enums import OrganisationKind, OrganisationStatus, Region
from members.models import Organisation
from members.services.organisations import organisation_refresh_search
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.helpers import centre, get_html

pytestmark = pytest.mark.django_db

KINDS = [OrganisationKind.UNIVERSITY, OrganisationKind.ENTERPRISE, OrganisationKind.NGO]
REGIONS = [Region.LUBELSKIE, Region.MAZOWIECKIE, Region.SLASKIE]
NO_DATE = datetime.date.min
STATUSES = [ParticipationStatus.ACTIVE] * 3 + [ParticipationStatus.REQUESTED]


def seed_varied_directory(rng: random.Random, count: int = 40) -> list[Organisation]:
    """`count` organisations of mixed kinds, regions, centres and joining dates; some not
    listed, some taking part only in an inactive centre or only asking to. Names are given
    out of the order of creation, so the order by name is not the order of the ids."""
    centres = list(CompetenceCentre.objects.order_by("order")[:3])
    centres[2].is_active = False
    centres[2].save()
    numbers = list(range(count))
    rng.shuffle(numbers)
    made = []
    for number in numbers:
        # Every third one carries the searched word, once, in its name alone: all of them
        # rank alike, so the best match lists them by name.
        word = "Kardio " if number % 3 == 0 else ""
        status = OrganisationStatus.ACTIVE if rng.random() < 0.85 else OrganisationStatus.APPLIED
        joined = rng.choice([None, *(datetime.date(2024, 1, 1 + day) for day in range(4))])
        organisation = OrganisationFactory(
            name=f"{word}Org {number:02d}",
            kind=rng.choice(KINDS),
            region=rng.choice(REGIONS),
            status=status,
            is_public=rng.random() < 0.9,
            joined_on=joined,
            specialisations="",
            description="",
        )
        for taken in rng.sample(centres, rng.randint(0, 3)):
            ParticipationFactory(
                organisation=organisation,
                centre=taken,
                status=rng.choice(STATUSES),
            )
        made.append(organisation)
    organisation_refresh_search(organisation_ids=[o.pk for o in made])
    return made


def plain_reading(*, query: str, filters: dict):
    """The directory as its definition reads, organisation by organisation: the expected
    facets and the expected order."""
    rows = []
    for organisation in Organisation.objects.filter(
        status=OrganisationStatus.ACTIVE, is_public=True
    ):
        centres = set(
            organisation.centre_participations.filter(
                status=ParticipationStatus.ACTIVE, centre__is_active=True
            ).values_list("centre__slug", flat=True)
        )
        if query and query.lower() not in organisation.name.lower():
            continue
        rows.append((organisation, centres))
    kinds, region, centre = filters.get("kind"), filters.get("region"), filters.get("centre")

    def passes(organisation, centres, skip=None):
        return (
            (skip == "kind" or not kinds or organisation.kind in kinds)
            and (skip == "region" or not region or organisation.region == region)
            and (skip == "centre" or not centre or centre in centres)
        )

    def counts(name, value_of):
        found = {}
        for organisation, centres in rows:
            if passes(organisation, centres, skip=name):
                for value in value_of(organisation, centres):
                    found[value] = found.get(value, 0) + 1
        return found

    facets = {
        "kind": counts("kind", lambda o, c: [o.kind]),
        "region": counts("region", lambda o, c: [o.region]),
        "centre": counts("centre", lambda o, c: c),
    }
    listed = [o for o, c in rows if passes(o, c)]
    listed.sort(key=lambda o: (o.name, o.pk))
    if filters.get("sort") == "newest":
        # Newest first, no date last; sorted by name before, ties keep that order.
        listed.sort(key=lambda o: (o.joined_on is None, -(o.joined_on or NO_DATE).toordinal()))
    return facets, [o.pk for o in listed]


def test_every_combination_of_search_filters_and_order_lists_and_counts_what_is_stored():
    seed_varied_directory(random.Random(7))
    ict_like = list(CompetenceCentre.objects.filter(is_active=True).order_by("order")[:2])
    combinations = itertools.product(
        ["", "kardio"],
        [[], [KINDS[0]], [KINDS[0], KINDS[2]]],
        ["", REGIONS[1]],
        ["", ict_like[0].slug],
        ["", "name", "newest"],
    )
    for query, kinds, region, centre_slug, sort in combinations:
        filters = {"kind": kinds, "region": region, "centre": centre_slug, "sort": sort}
        expected_facets, expected_ids = plain_reading(query=query, filters=filters)

        search = directory_search(query=query, filters=filters, version=None)

        case = (query, kinds, region, centre_slug, sort)
        assert search.facets.kind == expected_facets["kind"], case
        assert search.facets.region == expected_facets["region"], case
        assert search.facets.centre == expected_facets["centre"], case
        assert search.facets.total == len(search) == len(expected_ids), case
        # Read a page at a time, as the paginator does, past the end included.
        pages = [search[start : start + 7] for start in range(0, len(expected_ids) + 7, 7)]
        assert list(itertools.chain(*pages)) == expected_ids, case


def test_a_match_the_snapshot_does_not_hold_is_left_out_of_counts_and_pages():
    organisations = [(1, "ngo", "lubelskie", None), (2, "ngo", "slaskie", None)]
    index = DirectoryIndex(organisations, [(2, "ict")])

    search = index.search(matches=[(2, 0.5), (99, 0.9)], filters={})

    assert search.facets.total == 1
    assert search.facets.region == {"slaskie": 1}
    assert search.facets.centre == {"ict": 1}
    assert search[0:24] == [2]


URL = "/en/members/"


@pytest.mark.django_db(transaction=True)
def test_the_index_kept_between_pages_follows_every_change_to_who_is_listed(client, seeded_data):
    from django.core.cache import cache

    first = OrganisationFactory(name="Aaa Klinika", kind=OrganisationKind.UNIVERSITY)
    second = OrganisationFactory(name="Bbb Szpital", kind=OrganisationKind.UNIVERSITY)
    university = f"{URL}?kind={OrganisationKind.UNIVERSITY}"
    page = get_html(client, university)
    assert "Aaa Klinika" in page and "Bbb Szpital" in page
    assert "2 organisations" in page

    OrganisationFactory(name="Ccc Instytut", kind=OrganisationKind.UNIVERSITY)
    assert "3 organisations" in get_html(client, university)

    second.is_public = False
    second.save()
    page = get_html(client, university)
    assert "Bbb Szpital" not in page and "2 organisations" in page

    telemedicine = f"{URL}?centre=telemedicine"
    assert "Aaa Klinika" not in get_html(client, telemedicine)
    ParticipationFactory(organisation=first, centre=centre("telemedicine"))
    assert "Aaa Klinika" in get_html(client, telemedicine)

    # Written past the services and signals, then Redis emptied (a restart): the version
    # starts anew, and the process must not answer from the snapshot it kept before.
    Organisation.objects.filter(pk=first.pk).update(kind=OrganisationKind.NGO)
    cache.clear()
    page = get_html(client, university)
    assert "Aaa Klinika" not in page and "1 organisation" in page
