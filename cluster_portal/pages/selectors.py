"""Reads of the site's pages that compose several apps: the member directory (organisations
and the centres they take part in) and a member's My cluster page."""

import functools
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from cluster_portal.core.db import prepared_cursor
from competence_centres.enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus
from competence_centres.models import CentreParticipation, CompetenceCentre
from competence_centres.selectors import centres_active
from members.enums import OrganisationStatus
from members.models import Organisation, OrganisationMembership
from members.selectors import organisation_list_public
from projects.models import FundingCall

from .enums import DirectorySort

# The page-cache namespace of the directory (core/page_cache.py); pages/apps.py bumps it
# whenever the data behind it changes.
DIRECTORY_CACHE = "directory"

# What websearch_to_tsquery treats as operators: "quoted phrases", OR, a leading -exclusion.
_WEBSEARCH_OPERATORS = re.compile(r'"|(?:^|\s)-|\bor\b', re.IGNORECASE)
# Letters and digits only: safe to hand to to_tsquery as raw lexemes.
_WORD = re.compile(r"[^\W_]+")


def _active_participations() -> QuerySet[CentreParticipation]:
    return CentreParticipation.objects.filter(
        status=ParticipationStatus.ACTIVE, centre__is_active=True
    )


def organisation_detail_public(*, slug: str) -> QuerySet[Organisation]:
    """One listed organisation with `active_centres`: the centres it takes part in."""
    return (
        organisation_list_public()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "centre_participations",
                queryset=_active_participations()
                .select_related("centre")
                .order_by("centre__order"),
                to_attr="active_centres",
            )
        )
    )


def membership_list_for_user(*, user) -> QuerySet[OrganisationMembership]:
    """The user's memberships with what the "My cluster" page shows about each.

    Each has its organisation, `colleague_count` (the people who belong to it) and
    `organisation.open_participations` (requested or active, centre included).
    """
    open_participations = (
        CentreParticipation.objects.filter(status__in=OPEN_PARTICIPATION_STATUSES)
        .select_related("centre")
        .order_by("centre__order")
    )
    return (
        OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(colleague_count=Count("organisation__memberships"))
        .prefetch_related(
            Prefetch(
                "organisation__centre_participations",
                queryset=open_participations,
                to_attr="open_participations",
            )
        )
        .order_by("organisation__name")
    )


def directory_centre_choices() -> list[tuple[str, str]]:
    """(slug, name) of the active competence centres, in their display order."""
    return [(centre.slug, centre.name) for centre in centres_active()]


def _uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def _clean_query(query: str) -> str:
    # A query of punctuation only has no lexeme to look for: treat it as no search at all.
    query = (query or "").strip()
    return query if _WORD.search(query) else ""


# The directory's reads are written in SQL: they run on every search a visitor types, and
# building and compiling them with the ORM (three querysets of filters, subqueries and
# annotations) cost more than PostgreSQL took to answer them. Every value a visitor sends is
# a parameter; the SQL text is made of these names and fixed fragments only.
_ORGANISATION = f'"{Organisation._meta.db_table}"'
_PARTICIPATION = f'"{CentreParticipation._meta.db_table}"'
_CENTRE = f'"{CompetenceCentre._meta.db_table}"'
# What the search reads where there is no search vector (SQLite, for `make run`).
_SEARCHED_COLUMNS = ("name", "specialisations", "description", "city")


def _tsqueries(query: str) -> list[tuple[str, str]]:
    """The PostgreSQL queries as (SQL, parameter): the websearch one, and every word as a
    prefix.

    Visitors type as they think ("kardio", "onkolog") and the htmx form searches while they
    type, so a word must also match the words it begins ("kardiologia", "onkologii": with the
    "simple" configuration there is no stemming to rescue Polish inflection). Prefix lexemes
    (`kardio:*`) keep the GIN index on `search_vector` and the ranking; an OR with a
    substring match would instead scan every listed row on every keystroke and could not be
    ranked. When the visitor used websearch operators (quotes, OR, -word) their query is taken
    as written, because OR-ing prefixes would bring back what they excluded.
    """
    websearch = ("websearch_to_tsquery('simple', %s)", query)
    if _WEBSEARCH_OPERATORS.search(query):
        return [websearch]
    prefixes = " & ".join(f"{word}:*" for word in _WORD.findall(query))
    return [websearch, ("to_tsquery('simple', %s)", prefixes)]


@functools.lru_cache(maxsize=4)
def _listed_condition(vendor: str) -> tuple[str, tuple]:
    """Who is listed (members' own rule, `organisation_list_public`) as an SQL condition."""
    listed = organisation_list_public()
    compiler = listed.query.get_compiler(connection=connection)
    sql, params = compiler.compile(listed.query.where)
    return sql, tuple(params)


def _search_condition(query: str) -> tuple[str, list]:
    """The SQL condition on an organisation of matching `query`, with its parameters."""
    if not _uses_full_text_search():
        # SQLite (make run): no search vector; every word must appear somewhere, as
        # `icontains` would look for it.
        conditions, params = [], []
        for word in query.split():
            pattern = f"%{connection.ops.prep_for_like_query(word)}%"
            alternatives = [
                f"{_ORGANISATION}.{column} LIKE %s ESCAPE '\\'" for column in _SEARCHED_COLUMNS
            ]
            conditions.append(f"({' OR '.join(alternatives)})")
            params += [pattern] * len(_SEARCHED_COLUMNS)
        return " AND ".join(conditions), params
    queries = _tsqueries(query)
    # For plain words the prefix query alone finds everything the websearch one does, and
    # one query gets PostgreSQL's row estimate right: with both OR-ed it over-estimates,
    # reads the whole table instead of the GIN index and every search costs three times as
    # much. Tokens with punctuation (hosts, e-mails) keep both, as the parser may keep them
    # whole where the prefixes would split them.
    if len(queries) == 2 and _WORD.findall(query) == query.split():
        queries = queries[1:]
    tsquery = " || ".join(sql for sql, _param in queries)
    return f"{_ORGANISATION}.search_vector @@ ({tsquery})", [param for _sql, param in queries]


def _search_rank(query: str) -> tuple[str, list]:
    # One rank per query, added: a whole word scores in both, a word it only begins in one,
    # so "kardio" lists "Kardio" before "Kardiologia" (ts_rank alone scores `kardio` and
    # `kardio:*` alike).
    queries = _tsqueries(query)
    ranks = [f"ts_rank({_ORGANISATION}.search_vector, {sql})" for sql, _param in queries]
    return " + ".join(ranks), [param for _sql, param in queries]


def _directory_conditions(
    *, query: str, filters: Mapping[str, Any], skip: Collection[str] = ()
) -> tuple[str, list]:
    """The SQL condition on an organisation of being listed and matching the search and
    every filter not in `skip` (for facets), with its parameters."""
    listed, listed_params = _listed_condition(connection.vendor)
    conditions, params = [listed], list(listed_params)
    if query:
        condition, search_params = _search_condition(query)
        conditions.append(condition)
        params += search_params
    kinds = filters.get("kind") or []
    if kinds and "kind" not in skip:
        conditions.append(f"{_ORGANISATION}.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    region = filters.get("region")
    if region and "region" not in skip:
        conditions.append(f"{_ORGANISATION}.region = %s")
        params.append(region)
    centre = filters.get("centre")
    if centre and "centre" not in skip:
        # At most one active participation per organisation and centre (a unique constraint).
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_PARTICIPATION} p INNER JOIN {_CENTRE} c"  # noqa: S608
            " ON c.id = p.centre_id"
            f" WHERE p.organisation_id = {_ORGANISATION}.id AND p.status = %s AND c.slug = %s)"
        )
        params += [ParticipationStatus.ACTIVE, centre]
    return " AND ".join(conditions), params


def directory_page_ids(
    *, query: str, filters: Mapping[str, Any], offset: int, limit: int
) -> list[int]:
    """The ids of one page of the public directory: listed organisations matching `query`
    and `filters`, sorted.

    `filters` may hold `kind` (a list of OrganisationKind values), `region` (a Region value),
    `centre` (a competence centre's slug) and `sort` (a DirectorySort; empty means the best
    match when searching, else by name).
    """
    query = _clean_query(query)
    where, params = _directory_conditions(query=query, filters=filters)
    sort = filters.get("sort") or DirectorySort.BEST_MATCH
    if sort == DirectorySort.BEST_MATCH and query and _uses_full_text_search():
        rank, rank_params = _search_rank(query)
        select, params = f"{_ORGANISATION}.id, {rank}", rank_params + params
        order = f"2 DESC, {_ORGANISATION}.name ASC, {_ORGANISATION}.id ASC"
    else:
        select = f"{_ORGANISATION}.id"
        order = f"{_ORGANISATION}.name ASC, {_ORGANISATION}.id ASC"
        if sort == DirectorySort.NEWEST:
            order = f"{_ORGANISATION}.joined_on DESC NULLS LAST, {order}"
    sql = (
        f"SELECT {select} FROM {_ORGANISATION} WHERE {where}"  # noqa: S608
        f" ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


DIRECTORY_CARD_FIELDS = (
    "name",
    "slug",
    "kind",
    "city",
    "region",
    "country",
    "specialisations",
    "logo_thumbnail",
)


def directory_cards(*, ids: Collection[int]) -> dict[int, Organisation]:
    """What a directory card shows of each organisation of `ids`: its fields and
    `active_centres`, its active participations with their centre."""
    centres = (
        _active_participations()
        .select_related("centre")
        .only("organisation", "centre__slug", "centre__name_pl", "centre__name_en")
        .order_by("centre__order")
    )
    organisations = (
        Organisation.objects.filter(pk__in=ids)
        .only(*DIRECTORY_CARD_FIELDS)
        .prefetch_related(
            Prefetch("centre_participations", queryset=centres, to_attr="active_centres")
        )
    )
    return {organisation.pk: organisation for organisation in organisations}


@dataclass(frozen=True)
class DirectoryFacets:
    kind: dict[str, int]
    region: dict[str, int]
    centre: dict[str, int]
    total: int  # organisations matching the search and every filter


def directory_facets(*, query: str, filters: Mapping[str, Any]) -> DirectoryFacets:
    """For kind, region and centre: how many organisations each option would list.

    Classic faceting: an option's count applies the search and the *other* filters, so it
    says what choosing it (or adding it, for kinds) would give. One query of two grouped
    parts: kind and region come from one count per (kind, region) pair over the matches of
    the search and the centre, which also gives the total, so the paginator needs no COUNT
    of its own; centres are counted over the matches of the search, kind and region.
    """
    query = _clean_query(query)
    kinds = set(filters.get("kind") or [])
    region = filters.get("region") or ""
    pairs_where, pairs_params = _directory_conditions(
        query=query, filters=filters, skip=("kind", "region")
    )
    centres_where, centres_params = _directory_conditions(
        query=query, filters=filters, skip=("centre",)
    )
    # Two independent parts in one round trip. COUNT(*) of participations is exact: an
    # organisation has at most one active participation per centre.
    sql = (
        f"SELECT 0, {_ORGANISATION}.kind, {_ORGANISATION}.region, COUNT(*)"  # noqa: S608
        f" FROM {_ORGANISATION} WHERE {pairs_where}"
        f" GROUP BY {_ORGANISATION}.kind, {_ORGANISATION}.region"
        " UNION ALL"
        f" SELECT 1, c.slug, NULL, COUNT(*) FROM {_PARTICIPATION} p"
        f" INNER JOIN {_CENTRE} c ON c.id = p.centre_id"
        f" INNER JOIN {_ORGANISATION} ON {_ORGANISATION}.id = p.organisation_id"
        f" WHERE p.status = %s AND c.is_active = %s AND {centres_where}"
        " GROUP BY c.slug"
    )
    params = [*pairs_params, ParticipationStatus.ACTIVE, True, *centres_params]
    kind_counts: Counter[str] = Counter()
    region_counts: Counter[str] = Counter()
    centre_counts: dict[str, int] = {}
    total = 0
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for part, value, region_value, count in rows:
        if part == 1:
            centre_counts[value] = count
            continue
        in_region = not region or region_value == region
        of_kind = not kinds or value in kinds
        if in_region:
            kind_counts[value] += count
        if of_kind:
            region_counts[region_value] += count
        if in_region and of_kind:
            total += count
    return DirectoryFacets(
        kind=dict(kind_counts), region=dict(region_counts), centre=centre_counts, total=total
    )


def call_list_for_personal_calendar(*, user, since) -> QuerySet[FundingCall]:
    """The published funding calls whose deadline a person's calendar shows: those of the
    centres their active member organisations take part in, and those for every member
    (no centre), with a deadline after `since`. None for people of no active member
    organisation."""
    organisations = Organisation.objects.filter(
        memberships__user_id=user.pk, status=OrganisationStatus.ACTIVE
    )
    if not organisations.exists():
        return FundingCall.objects.none()
    centres = _active_participations().filter(organisation__in=organisations).values("centre")
    return (
        FundingCall.objects.published()
        .filter(deadline__gte=since)
        .filter(Q(centres__in=centres) | Q(centres__isnull=True))
        .distinct()
        .order_by("deadline", "pk")
    )
