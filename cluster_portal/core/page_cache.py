"""Whole-page caching for anonymous visitors, with versioned invalidation.

Public list pages (the member directory above all) are the same for every visitor who is not
logged in: no CSRF token, no messages, no session. Their rendered responses are kept in the
cache under a key that carries a version number; any change to the data behind them bumps
the version after the transaction commits, so a change is visible on the next request and
stale entries simply age out.
"""

import hashlib
import uuid
from functools import partial

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


def _cache_key(request, namespace: str, variant: str) -> str | None:
    if not settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS or request.method != "GET":
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if request.user.is_authenticated:
        return None
    version = page_cache_version(namespace)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page-cache:{namespace}:{version}:{get_language()}:{variant}:{path}"


class AnonymousPageCacheMixin:
    """Serve a view's 200 responses to anonymous visitors from the cache."""

    page_cache_namespace: str

    def page_cache_variant(self) -> str:
        """Names what the view renders for this request, beyond its URL and language.

        The key must follow the view's own decision, not the raw headers: a request saying
        `HX-Request: false` gets the full page, and must not leave it where a real htmx
        request (which gets a fragment) would find it.
        """
        return "page"

    def dispatch(self, request, *args, **kwargs):
        key = _cache_key(request, self.page_cache_namespace, self.page_cache_variant())
        if key:
            cached = cache.get(key)
            if cached is not None:
                content, headers = cached
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
            cache.set(
                key, (response.content, headers), settings.PORTAL_ANONYMOUS_PAGE_CACHE_SECONDS
            )
        return response
