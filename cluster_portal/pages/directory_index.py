"""The member directory's facets, filters and order, answered in the process.

Every directory page counts its facets over everyone the search matched: with 5,000 listed
organisations PostgreSQL took 2.5 to 7 ms a page for the counts alone (grouping every
listed row, joining every participation), more than all of Django's rendering. Yet what the
filters and facets read of an organisation (its kind, region, centres and place in the name
and joining orders) changes only when the directory does. So each process keeps one
snapshot of it per version of the directory (the page cache's version, which every change
to an organisation, a participation or a centre renews), as bit sets: one per kind, region
and centre, with bit i for the i-th listed organisation by name. A page then asks the
database only for what a search matches, if the visitor typed one, and counts and orders
the rest with a few operations on 5,000-bit integers.

Not a cache of answers: nothing here is kept per search, and a search never seen before is
answered as fast as any other.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from cluster_portal.core.page_cache import KeptForVersion

from .enums import DirectorySort
from .selectors import directory_listed, directory_search_matches


@dataclass(frozen=True)
class DirectoryFacets:
    kind: dict[str, int]
    region: dict[str, int]
    centre: dict[str, int]
    total: int  # organisations matching the search and every filter


def _bit_set(positions: Iterable[int], size: int) -> int:
    # Written as a string of binary digits, which int() reads in C: OR-ing 1 << i into an
    # int copies the whole int every time, and setting bits of a bytearray took twice as long.
    digits = bytearray(b"0" * size)
    for position in positions:
        digits[position] = 49  # "1"
    digits.reverse()  # the highest position is the leftmost digit
    return int(digits, 2) if size else 0


def _counts(masks: Mapping[str, int], within: int) -> dict[str, int]:
    counts = {value: (mask & within).bit_count() for value, mask in masks.items()}
    return {value: count for value, count in counts.items() if count}


class DirectoryIndex:
    """Who is listed, as bit sets by kind, region and centre (bit i: the i-th by name)."""

    def __init__(self, organisations, participations):
        self.ids: list[int] = [row[0] for row in organisations]
        self.position: dict[int, int] = {pk: i for i, pk in enumerate(self.ids)}
        self.size = size = len(self.ids)
        self.everyone = (1 << size) - 1
        by_kind, by_region, by_centre = defaultdict(list), defaultdict(list), defaultdict(list)
        for i, (_pk, kind, region, _joined_on) in enumerate(organisations):
            by_kind[kind].append(i)
            by_region[region].append(i)
        for pk, centre in participations:
            if pk in self.position:
                by_centre[centre].append(self.position[pk])
        self.kind = {value: _bit_set(found, size) for value, found in by_kind.items()}
        self.region = {value: _bit_set(found, size) for value, found in by_region.items()}
        self.centre = {value: _bit_set(found, size) for value, found in by_centre.items()}
        # Newest members first, those with no joining date last, then by name (the order of
        # the positions themselves).
        joined = [row[3] for row in organisations]
        self.newest: list[int] = sorted(
            range(size),
            key=lambda i: (joined[i] is None, -joined[i].toordinal() if joined[i] else 0, i),
        )

    @classmethod
    def read(cls) -> "DirectoryIndex":
        return cls(*directory_listed())

    def search(
        self, *, matches: list[tuple[int, float | None]] | None, filters: Mapping[str, Any]
    ) -> "DirectorySearch":
        """The facets and ordered results of the organisations `matches` (id, rank) found by
        a search, or of everyone listed when `matches` is None, under `filters` (the shape
        `DirectoryFilter.selected` gives)."""
        located = None  # (position, rank) of each match
        if matches is None:
            found = self.everyone
        else:
            position = self.position
            # An id this snapshot does not hold joined after it was taken: its version is
            # already stale, and the next page reads a new one.
            find = position.get
            located = [(i, rank) for pk, rank in matches if (i := find(pk)) is not None]
            found = _bit_set((i for i, _rank in located), self.size)
        kinds, region, centre = filters.get("kind"), filters.get("region"), filters.get("centre")
        of_kind = self.everyone
        if kinds:
            of_kind = 0
            for kind in kinds:
                of_kind |= self.kind.get(kind, 0)
        in_region = self.region.get(region, 0) if region else self.everyone
        in_centre = self.centre.get(centre, 0) if centre else self.everyone
        # Classic faceting: an option's count applies the search and the *other* filters,
        # so it says what choosing it (or adding it, for kinds) would give.
        facets = DirectoryFacets(
            kind=_counts(self.kind, found & in_region & in_centre),
            region=_counts(self.region, found & of_kind & in_centre),
            centre=_counts(self.centre, found & of_kind & in_region),
            total=(selected := found & of_kind & in_region & in_centre).bit_count(),
        )
        sort = filters.get("sort") or DirectorySort.BEST_MATCH
        ranked = None
        if sort == DirectorySort.BEST_MATCH and located and located[0][1] is not None:
            ranked = located
        return DirectorySearch(
            self,
            selected=selected,
            facets=facets,
            ranked=ranked,
            sort=sort,
            filtered=selected != found,
        )


class DirectorySearch(Sequence):
    """The ids a directory search lists, in order, as the paginator reads them: `facets.total`
    of them, each page's worked out when the page is sliced."""

    def __init__(self, index: DirectoryIndex, *, selected: int, facets, ranked, sort, filtered):
        self.index, self.facets = index, facets
        # `ranked`: (position, rank) of every match, when listed by best match; `filtered`:
        # whether the filters left out some of them.
        self.ranked, self.sort, self.filtered = ranked, sort, filtered
        # Bit i of `selected` is character i: a set bit is found by str.find, in C.
        self._bits = bin(selected)[:1:-1] if selected else ""

    def __len__(self) -> int:
        return self.facets.total

    def _is_selected(self, position: int) -> bool:
        return position < len(self._bits) and self._bits[position] == "1"

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("A page of the directory is read as a slice.")
        start, stop = index.start or 0, min(index.stop, len(self))
        if stop <= start:
            return []
        ids = self.index.ids
        if self.ranked is not None:
            # Highest rank first, then by name (the order of the positions).
            ranked = self.ranked
            if self.filtered:
                ranked = [match for match in ranked if self._is_selected(match[0])]
            best = heapq.nsmallest(stop, ((-rank, i) for i, rank in ranked))
            return [ids[i] for _rank, i in best[start:]]
        if self.sort == DirectorySort.NEWEST:
            page = []
            for i in self.index.newest:
                if self._is_selected(i):
                    page.append(i)
                    if len(page) == stop:
                        break
            return [ids[i] for i in page[start:]]
        # By name: the selected positions in ascending order.
        page, i, bits = [], -1, self._bits
        while len(page) < stop:
            i = bits.find("1", i + 1)
            if i < 0:
                break
            page.append(i)
        return [ids[i] for i in page[start:]]


# The index this process keeps, for one version of the directory at a time.
_kept_index = KeptForVersion()


def forget_kept_index() -> None:
    """Drop the process's own index (tests that swap the database under one process)."""
    _kept_index.forget()


def directory_search(
    *, query: str, filters: Mapping[str, Any], version: str | None
) -> DirectorySearch:
    """The public directory for a visitor's search `query` and `filters`: the facets, and the
    matching ids in the order asked (best match when searching, else by name; or newest).

    `version` is the directory's current version, under which the process keeps its index;
    with None, or inside a transaction (which may hold uncommitted changes), the index is
    read afresh and not kept.
    """
    kept = version is not None and not connection.in_atomic_block
    index = _kept_index.get(version, DirectoryIndex.read) if kept else DirectoryIndex.read()
    sort = filters.get("sort") or DirectorySort.BEST_MATCH
    matches = directory_search_matches(query=query, ranked=sort == DirectorySort.BEST_MATCH)
    return index.search(matches=matches, filters=filters)
