from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.shortcuts import get_object_or_404
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.views.generic import DetailView, ListView
from django_htmx.http import push_url

from cluster_portal.core.page_cache import (
    AnonymousPageCacheMixin,
    KeptForVersion,
    page_cache_version,
)
from members.enums import OrganisationKind, Region

from ..directory_index import directory_search
from ..filters import DirectoryFilter
from ..selectors import DIRECTORY_CACHE, directory_cards, organisation_detail_public

CARD_TEMPLATE = "pages/directory/_card.html"
CARD_CACHE_SECONDS = 24 * 60 * 60
# Cards kept in each process, besides the shared cache: reading 24 of them from Redis (a
# round trip, 24 keys made and unpickled) was a sixth of a rendered search. About 1 kB each;
# the bound keeps a process under a few MB however large the directory grows.
KEPT_CARDS_MAX = 4096


# The cards this process keeps, by language and organisation, for one version of the
# directory at a time.
_kept_cards = KeptForVersion()


def forget_kept_cards() -> None:
    """Drop the process's own cards (tests that swap the database under one process)."""
    _kept_cards.forget()


def _render_cards(ids: list[int]) -> dict[int, str]:
    organisations = directory_cards(ids=ids)
    template = get_template(CARD_TEMPLATE)
    # Labels looked up once: get_kind_display() hashes (and so translates) every choice of the
    # field on each call.
    kinds, regions = dict(OrganisationKind.choices), dict(Region.choices)
    cards = {}
    for pk, organisation in organisations.items():
        organisation.kind_label = kinds.get(organisation.kind, organisation.kind)
        organisation.region_label = regions.get(organisation.region, organisation.region)
        cards[pk] = template.render({"organisation": organisation})
    return cards


def organisation_cards(ids: list[int], *, version: str) -> list[str]:
    """The directory's cards of the organisations `ids`, in order, as HTML.

    A card is the same for every visitor and every search that shows it, so each is
    rendered once per organisation, language and version of the directory (any change to
    an organisation, a participation or a centre starts a new version) and then kept: in the
    process, and in the shared cache for the other processes. `version` is the directory's
    current version. Inside a transaction (which may hold
    uncommitted changes) nothing is read from or written to either.
    """
    if connection.in_atomic_block:
        cards = _render_cards(ids)
        return [mark_safe(cards[pk]) for pk in ids if pk in cards]  # noqa: S308 -- rendered above
    language = get_language()
    kept = _kept_cards.get(version, dict)
    if len(kept) > KEPT_CARDS_MAX:
        kept.clear()
    found = {pk: kept.get((language, pk)) for pk in ids}
    missing = [pk for pk, card in found.items() if card is None]
    if missing:
        prefix = f"directory-card:{version}:{language}"
        shared = cache.get_many([f"{prefix}:{pk}" for pk in missing])
        for pk in missing:
            found[pk] = shared.get(f"{prefix}:{pk}")
        rendered = _render_cards([pk for pk in missing if found[pk] is None])
        found.update(rendered)
        if rendered:
            cache.set_many(
                {f"{prefix}:{pk}": card for pk, card in rendered.items()}, CARD_CACHE_SECONDS
            )
        kept.update(((language, pk), found[pk]) for pk in missing if found[pk] is not None)
    # An id whose organisation left the directory since the page was read has no card.
    return [mark_safe(found[pk]) for pk in ids if found[pk] is not None]  # noqa: S308


class DirectoryView(AnonymousPageCacheMixin, ListView):
    """The public member directory: search, facets, 24 cards a page.

    The URL holds the whole state. An htmx request (the filter form, as the visitor types or
    ticks) gets only the results partial; everything else, including htmx's history restore,
    gets the full page.
    """

    page_cache_namespace = DIRECTORY_CACHE
    template_name = "pages/directory/directory.html"
    partial_template_name = "pages/directory/_results.html"
    context_object_name = "organisation_ids"
    paginate_by = 24

    def get_queryset(self):
        # Always bound: no parameters at all is a valid state too (everyone, A to Z).
        self.filterset = DirectoryFilter(self.request.GET, request=self.request)
        self.directory_version = self.page_cache_version_read or page_cache_version(DIRECTORY_CACHE)
        search = directory_search(
            query=self.filterset.search_query,
            filters=self.filterset.selected,
            version=self.directory_version,
        )
        # The facets have counted the matches already: the paginator runs no COUNT.
        self.facets = search.facets
        return search

    @property
    def is_partial(self) -> bool:
        htmx = self.request.htmx
        return bool(htmx) and not htmx.history_restore_request

    def page_cache_variant(self) -> str:
        return "partial" if self.is_partial else "page"

    def get_template_names(self):
        return [self.partial_template_name if self.is_partial else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        total = self.facets.total
        context.update(
            organisation_cards=organisation_cards(
                context["organisation_ids"], version=self.directory_version
            ),
            filterset=filterset,
            facets=filterset.facet_options(self.facets),
            is_narrowed=filterset.is_narrowed,
            is_partial=self.is_partial,
            result_summary=ngettext("%(count)s organisation", "%(count)s organisations", total)
            % {"count": total},
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers with a page or a fragment: caches must tell them apart, or
        # the back button could show a bare fragment.
        patch_vary_headers(response, ["HX-Request"])
        if self.is_partial:
            push_url(response, self._clean_url())
        return response

    def _clean_url(self) -> str:
        # The form sends every field, empty or not; the address bar keeps only what is set.
        query = urlencode(
            [(key, value) for key, values in self.request.GET.lists() for value in values if value]
        )
        return f"{self.request.path}?{query}" if query else self.request.path


class OrganisationDetailView(DetailView):
    template_name = "pages/directory/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return get_object_or_404(organisation_detail_public(slug=self.kwargs["slug"]))
