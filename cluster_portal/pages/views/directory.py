from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.views.generic import DetailView, ListView
from django_htmx.http import push_url

from cluster_portal.core.page_cache import AnonymousPageCacheMixin, page_cache_version
from members.enums import OrganisationKind, Region

from ..filters import DirectoryFilter
from ..selectors import (
    DIRECTORY_CACHE,
    directory_card_centres,
    directory_facets,
    organisation_detail_public,
)


class CountedPaginator(Paginator):
    """A paginator told how many items there are, so it runs no COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # shadows the cached_property that would query


CARD_TEMPLATE = "pages/directory/_card.html"
CARD_CACHE_SECONDS = 24 * 60 * 60


def organisation_cards(organisations) -> list[str]:
    """The directory's cards of `organisations`, in order, as HTML.

    A card is the same for every visitor and every search that shows it, so each is
    rendered once per organisation, language and version of the directory (any change to
    an organisation, a participation or a centre starts a new version) and then read back
    with the other cards of the page in one round trip: rendering 24 cards was a third of
    a search's time. Inside a transaction (which may hold uncommitted changes) nothing is
    read from or written to the cache.
    """
    template = get_template(CARD_TEMPLATE)
    if connection.in_atomic_block:
        prefetch_related_objects(organisations, directory_card_centres())
        return [template.render({"organisation": o}) for o in organisations]
    prefix = f"directory-card:{page_cache_version(DIRECTORY_CACHE)}:{get_language()}"
    keys = [f"{prefix}:{organisation.pk}" for organisation in organisations]
    found = cache.get_many(keys)
    missing = [o for key, o in zip(keys, organisations, strict=True) if key not in found]
    prefetch_related_objects(missing, directory_card_centres())
    cards, rendered = [], {}
    for key, organisation in zip(keys, organisations, strict=True):
        card = found.get(key)
        if card is None:
            card = rendered[key] = template.render({"organisation": organisation})
        cards.append(mark_safe(card))  # noqa: S308 -- rendered by the template, escaped there
    if rendered:
        cache.set_many(rendered, CARD_CACHE_SECONDS)
    return cards


class DirectoryView(AnonymousPageCacheMixin, ListView):
    """The public member directory: search, facets, 24 cards a page.

    The URL holds the whole state. An htmx request (the filter form, as the visitor types or
    ticks) gets only the results partial; everything else, including htmx's history restore,
    gets the full page.
    """

    page_cache_namespace = DIRECTORY_CACHE
    template_name = "pages/directory/directory.html"
    partial_template_name = "pages/directory/_results.html"
    context_object_name = "organisations"
    paginate_by = 24

    def get_queryset(self):
        # Always bound: no parameters at all is a valid state too (everyone, A to Z).
        self.filterset = DirectoryFilter(self.request.GET, request=self.request)
        self.facets = directory_facets(
            query=self.filterset.search_query, filters=self.filterset.selected
        )
        # The cards' centres are read only for cards not cached yet (organisation_cards).
        return self.filterset.qs.prefetch_related(None)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The facet query has counted the matches already.
        return CountedPaginator(
            queryset,
            per_page,
            count=self.facets.total,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **kwargs,
        )

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
        # Labels looked up once per page: get_kind_display() hashes (and so translates) every
        # choice of the field on each call, which was a sixth of the page's time.
        kinds, regions = dict(OrganisationKind.choices), dict(Region.choices)
        for organisation in context["organisations"]:
            organisation.kind_label = kinds.get(organisation.kind, organisation.kind)
            organisation.region_label = regions.get(organisation.region, organisation.region)
        context.update(
            organisation_cards=organisation_cards(context["organisations"]),
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
