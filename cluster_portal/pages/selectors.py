"""Reads of the site's pages that compose several apps: the member directory (organisations
and the centres they take part in) and a member's My cluster page."""

import functools
import re
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from cluster_portal.core.db import prepared_cursor
from competence_centres.enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus
from competence_centres.models import CentreParticipation
from competence_centres.selectors import centres_active
from members.enums import OrganisationStatus
from members.models import Organisation, OrganisationMembership
from members.selectors import organisation_list_public
from projects.models import FundingCall

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


# The directory's reads are written in SQL: the search runs on every word a visitor types,
# and building and compiling it with the ORM cost more than PostgreSQL took to answer it.
# Every value a visitor sends is a parameter; the SQL text is made of these names and fixed
# fragments only.
_ORGANISATION = f'"{Organisation._meta.db_table}"'
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


def _like_condition(query: str) -> tuple[str, list]:
    """Without full-text search (SQLite, for `make run`): every word must appear somewhere,
    as `icontains` would look for it."""
    conditions, params = [], []
    for word in query.split():
        pattern = f"%{connection.ops.prep_for_like_query(word)}%"
        alternatives = [
            f"{_ORGANISATION}.{column} LIKE %s ESCAPE '\\'" for column in _SEARCHED_COLUMNS
        ]
        conditions.append(f"({' OR '.join(alternatives)})")
        params += [pattern] * len(_SEARCHED_COLUMNS)
    return " AND ".join(conditions), params


def _full_text_search(query: str, *, ranked: bool) -> tuple[str, str, str, list]:
    """The PostgreSQL search of `query`: a WITH clause computing its queries, the condition
    on an organisation of matching them, its rank (or NULL), and the WITH clause's
    parameters."""
    queries = _tsqueries(query)
    # The queries are computed once, in a materialised CTE: written in the WHERE clause, a
    # prepared statement's generic plan evaluates to_tsquery($1) again for every row it
    # checks and ranks, which made each search three times as slow.
    terms = ", ".join(f"{sql} AS t{number}" for number, (sql, _param) in enumerate(queries))
    with_clause = f"WITH q AS MATERIALIZED (SELECT {terms})"
    # For plain words the prefix query alone finds everything the websearch one does, and
    # one query gets PostgreSQL's row estimate right: with both OR-ed it over-estimates,
    # reads the whole table instead of the GIN index and every search costs three times as
    # much. Tokens with punctuation (hosts, e-mails) keep both, as the parser may keep them
    # whole where the prefixes would split them.
    matching = range(len(queries))
    if len(queries) == 2 and _WORD.findall(query) == query.split():
        matching = range(1, 2)
    condition = f"{_ORGANISATION}.search_vector @@ ({' || '.join(f'q.t{n}' for n in matching)})"
    # One rank per query, added: a whole word scores in both, a word it only begins in one,
    # so "kardio" lists "Kardio" before "Kardiologia" (ts_rank alone scores `kardio` and
    # `kardio:*` alike).
    rank = "NULL"
    if ranked:
        rank = " + ".join(
            f"ts_rank({_ORGANISATION}.search_vector, q.t{number})" for number in range(len(queries))
        )
    return with_clause, condition, rank, [param for _sql, param in queries]


def _listed_where() -> tuple[str, list]:
    listed, listed_params = _listed_condition(connection.vendor)
    return listed, list(listed_params)


def directory_listed() -> tuple[list[tuple[int, str, str, Any]], list[tuple[int, str]]]:
    """Who the directory lists and what its filters and sorts read of them.

    (id, kind, region, joined_on) of every listed organisation, in the directory's name
    order (name, then id, in the database's collation); and (organisation id, centre slug)
    of every active participation in an active centre.
    """
    listed, params = _listed_where()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_ORGANISATION}.id, {_ORGANISATION}.kind, {_ORGANISATION}.region,"  # noqa: S608
            f" {_ORGANISATION}.joined_on FROM {_ORGANISATION} WHERE {listed}"
            f" ORDER BY {_ORGANISATION}.name ASC, {_ORGANISATION}.id ASC",
            params,
        )
        organisations = cursor.fetchall()
    participations = list(
        _active_participations()
        .filter(organisation__in=organisation_list_public())
        .values_list("organisation_id", "centre__slug")
    )
    return organisations, participations


def directory_search_matches(*, query: str, ranked: bool) -> list[tuple[int, float | None]] | None:
    """(id, rank) of every listed organisation matching the visitor's `query`, unordered;
    None when the query has nothing to look for (empty, or punctuation only): no search.

    The rank (higher is better) only when `ranked` and the database can rank (PostgreSQL);
    otherwise None.
    """
    query = _clean_query(query)
    if not query:
        return None
    listed, params = _listed_where()
    if _uses_full_text_search():
        with_clause, condition, rank, search_params = _full_text_search(query, ranked=ranked)
        sql = (
            f"{with_clause} SELECT {_ORGANISATION}.id, {rank}"  # noqa: S608
            f" FROM q, {_ORGANISATION} WHERE {listed} AND {condition}"
        )
        params = [*search_params, *params]
    else:
        condition, search_params = _like_condition(query)
        sql = (
            f"SELECT {_ORGANISATION}.id, NULL FROM {_ORGANISATION}"  # noqa: S608
            f" WHERE {listed} AND {condition}"
        )
        params = [*params, *search_params]
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
