"""The public directory's URL: what a visitor may search and filter by, validated and labelled."""

from dataclasses import dataclass

import django_filters
from django.utils.functional import cached_property
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once per request: the form validates against them and the facets list them.
        self.filters["centre"].extra["choices"] = directory_centre_choices()

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
        if not self.is_bound:
            return None
        self.form.is_valid()  # validates once; invalid fields are left out of cleaned_data
        return self.form.cleaned_data.get(name)

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
                for value, label in self.filters[name].extra["choices"]
            ]
        options["sort"] = [
            FacetOption(value=value, label=label, selected=value == selected["sort"])
            for value, label in DirectorySort.choices
        ]
        return options
