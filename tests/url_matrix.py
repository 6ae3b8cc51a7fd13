"""The machinery of the URL-by-role matrix (tests/test_url_role_matrix.py): rows, cells, the
portal's named URLs, and one request per cell inside a savepoint.

The table itself lives in the test module, where a reviewer reads it.
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

ROLES = (
    "visitor",
    "user",
    "member_a",
    "admin_a",
    "admin_b",
    "centre_coord_x",
    "centre_coord_x_nomfa",
    "cluster_coord",
    "cluster_coord_nomfa",
    "superuser",
)

# Where a declared 302 must go: the suffix letter names the page (compared without the query).
REDIRECT_TARGETS = {
    "L": "account_login",  # the portal's login page
    "M": "mfa_activate_totp",  # "set up two-factor authentication first"
    "A": "admin:login",  # the admin's login, which sends people on to the portal's
    "R": "account_reauthenticate",  # "confirm it is you" with the password
    "F": "mfa_reauthenticate",  # "confirm it is you" with the second factor
}
ADMIN_ACTIONS = ("changelist", "add", "change", "history", "delete")
LANGUAGE = "en"

CELL = re.compile(r"^(?P<status>[1-4]\d\d)(?P<target>[" + "".join(REDIRECT_TARGETS) + r"]?)$")


def _no_kwargs(world) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    """One URL (a named URL with the kwargs a real object gives it) and its expected cells.

    `get` and `post` hold one status per role, in the order of ROLES, separated by spaces;
    a 302 may name where it goes with a letter of REDIRECT_TARGETS (`302L`, `302M`, `302A`).
    `data` builds the POST body (empty by default; CSRF is not enforced by the test client).
    `creates` marks a POST that creates a unique row, for the duplicate-POST race tests.
    `variant` tells apart several rows of one URL name (another object, a broken token).
    """

    name: str
    get: str
    post: str
    kwargs: Callable[[Any], dict] = _no_kwargs
    data: Callable[[Any], dict] | None = None
    creates: bool = False
    variant: str = ""
    note: str = ""
    cells: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        cells = {}
        for method, line in (("GET", self.get), ("POST", self.post)):
            tokens = tuple(line.split())
            if len(tokens) != len(ROLES):
                raise ValueError(
                    f"{self.label} {method}: {len(tokens)} statuses for {len(ROLES)} roles"
                )
            for token in tokens:
                if not CELL.match(token):
                    raise ValueError(f"{self.label} {method}: {token!r} is not a status")
                if token[3:] and not token.startswith("3"):
                    raise ValueError(f"{self.label} {method}: only redirects have a target")
            cells[method] = tokens
        object.__setattr__(self, "cells", cells)

    @property
    def label(self) -> str:
        return f"{self.name} [{self.variant}]" if self.variant else self.name

    def url(self, world) -> str:
        with translation.override(LANGUAGE):
            return reverse(self.name, kwargs=self.kwargs(world))


def portal_url_names() -> set[str]:
    """Every named URL of the portal (ROOT_URLCONF, cluster_portal.urls) with its namespaces,
    except the admin's generated ones."""

    def walk(patterns, namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns, ""))


def admin_url_names() -> set[str]:
    """admin:index and the five pages of every model registered in the admin."""
    names = {"admin:index"}
    for model in admin.site._registry:
        opts = model._meta
        names.update(
            f"admin:{opts.app_label}_{opts.model_name}_{action}" for action in ADMIN_ACTIONS
        )
    return names


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str = ""
    error: str = ""

    def matches(self, expected: str) -> bool:
        match = CELL.match(expected)
        if int(match["status"]) != self.status:
            return False
        target = match["target"]
        if not target:
            return True
        with translation.override(LANGUAGE):
            wanted = reverse(REDIRECT_TARGETS[target])
        return self.location.split("?", 1)[0] == wanted

    def __str__(self) -> str:
        text = str(self.status)
        if self.location:
            text += f" → {self.location.split('?', 1)[0]}"
        if self.error:
            text += f" ({self.error})"
        return text


class Requester:
    """Sends each cell's request as its role, then undoes whatever the request changed.

    Each role is logged in once; every request starts from that session alone (no cookie a
    previous cell set) and runs in a savepoint that is rolled back, so a POST that removes a
    member or logs somebody out leaves the next cell the same world.
    """

    def __init__(self, users: dict[str, Any]):
        self.client = Client(raise_request_exception=False)
        self.cookies: dict[str, SimpleCookie] = {}
        for role in ROLES:
            client = Client()
            if users[role] is not None:  # a role missing from `users` is an error, not a visitor
                client.force_login(users[role])
            self.cookies[role] = client.cookies

    def send(self, role: str, method: str, url: str, data: dict) -> Outcome:
        self.client.cookies = SimpleCookie(
            {key: morsel.value for key, morsel in self.cookies[role].items()}
        )
        with transaction.atomic():
            response = self.client.get(url) if method == "GET" else self.client.post(url, data)
            transaction.set_rollback(True)
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            exception = response.exc_info[1]
            error = f"{type(exception).__name__}: {exception}"
        return Outcome(response.status_code, response.get("Location", ""), error)


@dataclass(frozen=True)
class Difference:
    row: Row
    url: str
    role: str
    method: str
    expected: str
    got: Outcome


@contextmanager
def _quiet_request_log():
    # Thousands of deliberate 403s and 404s; a 500's exception is kept in its Outcome.
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run_matrix(table, world) -> tuple[int, list[Difference]]:
    """Request every cell as `world.users[role]`; return how many cells ran and those that
    differ from the table."""
    with _quiet_request_log():
        return _run(table, world)


def _run(table, world) -> tuple[int, list[Difference]]:
    requester = Requester(world.users)
    differences, count = [], 0
    for row in table:
        url = row.url(world)
        data = row.data(world) if row.data else {}
        for method, cells in row.cells.items():
            for role, expected in zip(ROLES, cells, strict=True):
                got = requester.send(role, method, url, data)
                count += 1
                if not got.matches(expected):
                    differences.append(Difference(row, url, role, method, expected, got))
    return count, differences


def describe(differences: list[Difference], count: int) -> str:
    lines = [f"{len(differences)} of {count} cells differ from the table:"]
    width = max(len(f"{d.row.label} {d.url}") for d in differences)
    for d in differences:
        where = f"{d.row.label} {d.url}".ljust(width)
        lines.append(f"  {where}  {d.role:<21} {d.method:<4}  expected {d.expected:<5} got {d.got}")
    return "\n".join(lines)
