"""Whole-page caching for anonymous visitors, with versioned invalidation.

Public list pages (the member directory above all) are the same for every visitor who is not
logged in: no CSRF token, no messages, no session. Their rendered responses are kept in the
cache with the version of the data they show; any change to the data behind them starts a new
version after the transaction commits, so a change is visible on the next request, and a page
kept under an older version is rendered again.
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

SKIPPED_HEADERS = {"set-cookie", "content-length"}


def _version_key(namespace: str) -> str:
    return f"page-cache:{namespace}:version"


def _bump(namespace: str) -> None:
    cache.set(_version_key(namespace), uuid.uuid4().hex, None)


def page_cache_invalidate(namespace: str) -> None:
    """Make every cached page of `namespace` stale once the current transaction commits."""
    transaction.on_commit(partial(_bump, namespace), robust=True)


def page_cache_version(namespace: str) -> str:
    """The current version of `namespace`: fragments cached under it go stale with its pages.

    A new random token, never a counter: after the cache is emptied (or the key evicted) a
    counter would start again at a number already used, and a fragment a process kept in its
    own memory under that number would come back although the data changed since.
    """
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


class KeptForVersion:
    """Something a process keeps for one version of a namespace at a time (the directory's
    index, its rendered cards), made again when the version changes.

    Kept as one (version, value) pair assigned at once: with two attributes, a thread could
    read the new version beside the previous version's value.
    """

    def __init__(self):
        self.kept: tuple[str, Any] | None = None

    def get(self, version: str, make: Callable[[], Any]) -> Any:
        kept = self.kept
        if kept is None or kept[0] != version:
            kept = self.kept = (version, make())
        return kept[1]

    def forget(self) -> None:
        self.kept = None


def _page_key(request, namespace: str, variant: str) -> str | None:
    """Where the page of this request is kept, or None if it is not for the cache.

    The key holds no version: the version is kept with the page, and the page and the
    current version are read together in one round trip (a page served from the cache was
    two round trips, a third of its time). A page kept under an older version is a miss.
    """
    if not settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS or request.method != "GET":
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if request.user.is_authenticated:
        return None
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page-cache:{namespace}:{get_language()}:{variant}:{path}"


class AnonymousPageCacheMixin:
    """Serve a view's 200 responses to anonymous visitors from the cache."""

    page_cache_namespace: str
    # The namespace's version as this request read it with the page (None when the page
    # cache was not asked): fragments of the same namespace need not read it again.
    page_cache_version_read: str | None = None

    def page_cache_variant(self) -> str:
        """Names what the view renders for this request, beyond its URL and language.

        The key must follow the view's own decision, not the raw headers: a request saying
        `HX-Request: false` gets the full page, and must not leave it where a real htmx
        request (which gets a fragment) would find it.
        """
        return "page"

    def dispatch(self, request, *args, **kwargs):
        namespace = self.page_cache_namespace
        key = _page_key(request, namespace, self.page_cache_variant())
        if key:
            found = cache.get_many([_version_key(namespace), key])
            version = found.get(_version_key(namespace)) or page_cache_version(namespace)
            self.page_cache_version_read = version
            kept = found.get(key)
            if kept is not None and kept[0] == version:
                _version, content, headers = kept
                return HttpResponse(content, headers=headers)
        response = super().dispatch(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.cookies:
            if hasattr(response, "render"):
                response.render()
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower() not in SKIPPED_HEADERS
            }
            # Under the version read before rendering: a change committed meanwhile makes
            # this page a miss at once.
            cache.set(
                key,
                (version, response.content, headers),
                settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS,
            )
        return response
