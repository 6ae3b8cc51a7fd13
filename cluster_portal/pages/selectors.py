"""Reads of the site's pages that compose several apps: the member directory (organisations
and the centres they take part in) and a member's My cluster page."""

import functools
import operator
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from competence_centres.enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus
from competence_centres.models import CentreParticipation
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


def _search_queries(query: str) -> list[SearchQuery]:
    """The PostgreSQL queries: the websearch one, and every word as a prefix.

    Visitors type as they think ("kardio", "onkolog") and the htmx form searches while they
    type, so a word must also match the words it begins ("kardiologia", "onkologii": with the
    "simple" configuration there is no stemming to rescue Polish inflection). Prefix lexemes
    (`kardio:*`) keep the GIN index on `search_vector` and the ranking; an OR with
    `name__icontains` would instead scan every listed row on every keystroke and could not be
    ranked. When the visitor used websearch operators (quotes, OR, -word) their query is taken
    as written, because OR-ing prefixes would bring back what they excluded.
    """
    websearch = SearchQuery(query, search_type="websearch", config="simple")
    if _WEBSEARCH_OPERATORS.search(query):
        return [websearch]
    prefixes = " & ".join(f"{word}:*" for word in _WORD.findall(query))
    return [websearch, SearchQuery(prefixes, search_type="raw", config="simple")]


def _search_filter(query: str) -> SearchQuery:
    # For plain words the prefix query alone finds everything the websearch one does, and
    # one query gets PostgreSQL's row estimate right: with both OR-ed it over-estimates,
    # reads the whole table instead of the GIN index and every search costs three times as
    # much. Tokens with punctuation (hosts, e-mails) keep both, as the parser may keep them
    # whole where the prefixes would split them.
    queries = _search_queries(query)
    if len(queries) == 2 and _WORD.findall(query) == query.split():
        return queries[1]
    return functools.reduce(operator.or_, queries)


def _search_rank(query: str):
    # One rank per query, added: a whole word scores in both, a word it only begins in one,
    # so "kardio" lists "Kardio" before "Kardiologia" (ts_rank alone scores `kardio` and
    # `kardio:*` alike).
    ranks = [
        SearchRank(F("search_vector"), search_query) for search_query in _search_queries(query)
    ]
    return functools.reduce(operator.add, ranks)


def _directory_matches(
    *, query: str, filters: Mapping[str, Any], skip: Collection[str] = ()
) -> QuerySet[Organisation]:
    """Listed organisations matching the search and every filter not in `skip` (for facets)."""
    organisations = organisation_list_public()
    if query:
        if _uses_full_text_search():
            organisations = organisations.filter(search_vector=_search_filter(query))
        else:
            # SQLite (make run): no search vector; every word must appear somewhere.
            for word in query.split():
                organisations = organisations.filter(
                    Q(name__icontains=word)
                    | Q(specialisations__icontains=word)
                    | Q(description__icontains=word)
                    | Q(city__icontains=word)
                )
    kinds = filters.get("kind") or []
    if kinds and "kind" not in skip:
        organisations = organisations.filter(kind__in=kinds)
    region = filters.get("region")
    if region and "region" not in skip:
        organisations = organisations.filter(region=region)
    centre = filters.get("centre")
    if centre and "centre" not in skip:
        # One filter() call, so both conditions hold for the same participation; at most one
        # active participation per organisation and centre (a unique constraint), so no
        # duplicate rows.
        organisations = organisations.filter(
            centre_participations__centre__slug=centre,
            centre_participations__status=ParticipationStatus.ACTIVE,
        )
    return organisations


def directory_search(*, query: str, filters: Mapping[str, Any]) -> QuerySet[Organisation]:
    """The public directory: listed organisations matching `query` and `filters`, sorted.

    `filters` may hold `kind` (a list of OrganisationKind values), `region` (a Region value),
    `centre` (a competence centre's slug) and `sort` (a DirectorySort; empty means
    the best match when searching, else by name). Each organisation comes with
    `active_centres`: its active participations, centre included, so listing any number of
    them costs a fixed number of queries.
    """
    query = _clean_query(query)
    organisations = _directory_matches(query=query, filters=filters)
    sort = filters.get("sort") or DirectorySort.BEST_MATCH
    if sort == DirectorySort.BEST_MATCH and query and _uses_full_text_search():
        organisations = organisations.annotate(rank=_search_rank(query)).order_by(
            "-rank", "name", "pk"
        )
    elif sort == DirectorySort.NEWEST:
        organisations = organisations.order_by(F("joined_on").desc(nulls_last=True), "name", "pk")
    else:
        organisations = organisations.order_by("name", "pk")
    # What a card shows, nothing more: the search vector alone is most of a row, and each
    # column loaded is work for every one of the page's rows.
    return organisations.only(*DIRECTORY_CARD_FIELDS).prefetch_related(directory_card_centres())


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


def directory_card_centres() -> Prefetch:
    """What a directory card shows of an organisation's centres: `active_centres`, its
    active participations with their centre (a card already cached needs none of it)."""
    centres = (
        _active_participations()
        .select_related("centre")
        .only("organisation", "centre__slug", "centre__name_pl", "centre__name_en")
        .order_by("centre__order")
    )
    return Prefetch("centre_participations", queryset=centres, to_attr="active_centres")


@dataclass(frozen=True)
class DirectoryFacets:
    kind: dict[str, int]
    region: dict[str, int]
    centre: dict[str, int]
    total: int  # organisations matching the search and every filter


def directory_facets(*, query: str, filters: Mapping[str, Any]) -> DirectoryFacets:
    """For kind, region and centre: how many organisations each option would list.

    Classic faceting: an option's count applies the search and the *other* filters, so it
    says what choosing it (or adding it, for kinds) would give. Two grouped queries: kind and
    region come from one count per (kind, region) pair over the matches of the search and the
    centre, which also gives the total, so the paginator needs no COUNT of its own; centres
    are counted over the matches of the search, kind and region.
    """
    query = _clean_query(query)
    kinds = set(filters.get("kind") or [])
    region = filters.get("region") or ""
    pairs = (
        _directory_matches(query=query, filters=filters, skip=("kind", "region"))
        .order_by()
        .values_list("kind", "region")
        .annotate(total=Count("*"))
    )
    kind_counts: Counter[str] = Counter()
    region_counts: Counter[str] = Counter()
    total = 0
    for kind_value, region_value, count in pairs:
        in_region = not region or region_value == region
        of_kind = not kinds or kind_value in kinds
        if in_region:
            kind_counts[kind_value] += count
        if of_kind:
            region_counts[region_value] += count
        if in_region and of_kind:
            total += count
    matching = _directory_matches(query=query, filters=filters, skip=("centre",)).values("pk")
    # COUNT(*) is exact: an organisation has at most one active participation per centre.
    centres = (
        _active_participations()
        .filter(organisation__in=matching)
        .order_by()
        .values_list("centre__slug")
        .annotate(total=Count("*"))
    )
    return DirectoryFacets(
        kind=dict(kind_counts), region=dict(region_counts), centre=dict(centres), total=total
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
