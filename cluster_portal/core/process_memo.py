"""Values nearly every page reads, kept in each process and refreshed when they change.

The layout needs the site's settings and the competence centres on every request. Even from
Redis that was a round trip and an unpickling per request (with the centres' query, a third
of the about page's time). A ProcessMemo keeps the value in the process and compares a
version held in the shared cache at most once every CHECK_SECONDS: a change shows at once in
the process that made it and within that time in the others.
"""

import time
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

CHECK_SECONDS = 1.0

T = TypeVar("T")
_memos: list["ProcessMemo"] = []


class ProcessMemo(Generic[T]):
    def __init__(self, name: str, compute: Callable[[], T]):
        self.name = name
        self.compute = compute
        self._value: T | None = None
        self._version: str | None = None
        self._checked = 0.0
        _memos.append(self)

    @property
    def _version_key(self) -> str:
        return f"process-memo:{self.name}:version"

    def get(self) -> T:
        if connection.in_atomic_block:
            # Inside a transaction the value may include writes not yet committed (or about
            # to be rolled back): good for this transaction only, never kept.
            return self.compute()
        now = time.monotonic()
        if self._version is not None and now - self._checked < CHECK_SECONDS:
            return self._value
        # The version is read before the value: a change committed in between leaves the
        # old version here, so the next check computes again.
        version = cache.get(self._version_key)
        if version is None:  # never set, evicted or the cache was cleared
            cache.add(self._version_key, uuid.uuid4().hex, None)
            version = cache.get(self._version_key)
        if version is None or version != self._version:
            self._value = self.compute()
            self._version = version
        self._checked = now
        return self._value

    def invalidate(self) -> None:
        """Every process computes the value again once the current transaction commits."""
        transaction.on_commit(self._bump, robust=True)

    def _bump(self) -> None:
        cache.set(self._version_key, uuid.uuid4().hex, None)
        self.forget()

    def forget(self) -> None:
        self._value, self._version, self._checked = None, None, 0.0


def forget_all() -> None:
    """Drop every process's own copies (tests that swap the database under one process)."""
    for memo in _memos:
        memo.forget()
