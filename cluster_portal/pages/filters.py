"""The public directory's URL: what a visitor may search and filter by, validated and labelled."""

import functools
from dataclasses import dataclass

import django_filters
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.enums import OrganisationKind, Region
from members.models import Organisation

from .directory_index import DirectoryFacets
from .enums import DirectorySort
from .selectors import directory_centre_choices


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    selected: bool
    count: int | None = None


class DirectoryFilter(django_filters.FilterSet):
    """Search, kind, region, competence centre and sort, all in the query string.

    Invalid values (an unknown kind, a centre that closed) are dropped rather than answered
    with an error: a bookmarked or hand-edited URL still shows a useful list.
    """

    q = django_filters.CharFilter(label=_("Search the directory"), max_length=200)
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"), choices=OrganisationKind.choices
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All regions")
    )
    centre = django_filters.ChoiceFilter(
        label=_("Competence centre"), choices=[], empty_label=_("All competence centres")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=DirectorySort.choices, empty_label=None
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def __init__(self, data=None, *, request=None):
        # Not the FilterSet's own __init__ and form: they deep-copy every filter and build a
        # form class and a form on each request (1.1 ms, a fifth of a rendered directory),
        # and this filter set filters no queryset (the directory's index does). Each value
        # of the URL is cleaned by its filter's field, built once per process; the centres,
        # which change, are checked against the list read for this request.
        self.is_bound = data is not None
        self.data = data if data is not None else QueryDict()
        self.request = request
        # Read once per request: the URL is validated against them and the facets list them.
        self.centre_choices = directory_centre_choices()

    @cached_property
    def search_query(self) -> str:
        return self._cleaned("q") or ""

    @cached_property
    def selected(self) -> dict:
        """The valid filter values, in the shape the directory's selectors take."""
        return {
            "kind": self._cleaned("kind") or [],
            "region": self._cleaned("region") or "",
            "centre": self._cleaned("centre") or "",
            "sort": self._cleaned("sort") or "",
        }

    @property
    def is_narrowed(self) -> bool:
        """Whether the visitor searched or filtered (sorting alone narrows nothing)."""
        selected = self.selected
        return bool(
            self.search_query or selected["kind"] or selected["region"] or selected["centre"]
        )

    def _cleaned(self, name: str):
        """The URL's value of `name` as its field cleans it, or None if missing or invalid
        (a bookmarked or hand-edited URL still shows a useful list)."""
        if not self.is_bound:
            return None
        field = self.base_filters[name].field
        value = field.widget.value_from_datadict(self.data, {}, name)
        if name == "centre":
            return value if value in dict(self.centre_choices) else None
        try:
            return field.clean(value)
        except ValidationError:
            return None

    def facet_options(self, facets: DirectoryFacets) -> dict[str, list[FacetOption]]:
        """Every option of kind, region and centre with its count, and the sort options."""
        selected = self.selected
        options = {}
        for name in ("kind", "region", "centre"):
            chosen = selected[name] if name == "kind" else [selected[name]]
            options[name] = [
                FacetOption(
                    value=value,
                    label=label,
                    count=getattr(facets, name).get(value, 0),
                    selected=value in chosen,
                )
                for value, label in self._choices(name)
            ]
        options["sort"] = [
            FacetOption(value=value, label=label, selected=value == selected["sort"])
            for value, label in self._choices("sort")
        ]
        return options

    def _choices(self, name: str):
        if name == "centre":
            return self.centre_choices
        return _choices_translated(name, get_language())


@functools.lru_cache(maxsize=16)
def _choices_translated(name: str, language: str) -> tuple[tuple[str, str], ...]:
    """A filter's choices with their labels translated into `language`, once per process:
    the 30 lazy labels were translated again on every page."""
    choices = (
        DirectorySort.choices
        if name == "sort"
        else DirectoryFilter.base_filters[name].extra["choices"]
    )
    return tuple((value, str(label)) for value, label in choices)
