"""cluster_portal/core/process_memo.py: what every page reads is kept in the process, and a
change shows at once in the process that made it and within a second in the others."""

import pytest
from django.core.cache import cache
from django.db import transaction

from cluster_portal.core import process_memo
from cluster_portal.core.process_memo import ProcessMemo
from cluster_portal.pages.models import SiteSettings
from tests.helpers import get_html

pytestmark = pytest.mark.django_db(transaction=True)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(process_memo.time, "monotonic", clock)
    return clock


def test_a_value_is_computed_once_until_it_changes(clock):
    computed = []
    memo = ProcessMemo("test-counter", lambda: computed.append(1) or len(computed))

    assert [memo.get(), memo.get()] == [1, 1]
    clock.now += 5
    assert memo.get() == 1  # checked against the cache: nothing changed

    memo.invalidate()  # outside a transaction: at once
    assert memo.get() == 2


def test_another_process_s_change_shows_within_a_second(clock):
    values = iter(["old", "new"])
    memo = ProcessMemo("test-other-process", lambda: next(values))
    assert memo.get() == "old"

    # Another process changed the value: it wrote a new version to the shared cache.
    cache.set("process-memo:test-other-process:version", "from-elsewhere", None)
    clock.now += 0.5
    assert memo.get() == "old"
    clock.now += 0.6
    assert memo.get() == "new"


def test_inside_a_transaction_nothing_is_kept(clock):
    names = iter(["first", "second", "third"])
    memo = ProcessMemo("test-transaction", lambda: next(names))
    with transaction.atomic():
        assert memo.get() == "first"
        assert memo.get() == "second"  # uncommitted writes may be rolled back: never kept
    assert memo.get() == "third"


def test_a_cleared_cache_makes_every_process_read_again(clock):
    values = iter([1, 2])
    memo = ProcessMemo("test-cleared", lambda: next(values))
    assert memo.get() == 1
    cache.clear()
    clock.now += 1.1
    assert memo.get() == 2


def test_site_settings_edited_show_on_the_next_page(client, clock):
    assert "Medical Cluster" in get_html(client, "/en/about/")
    site = SiteSettings.load()
    site.cluster_name_en = "Lublin Health Cluster"
    site.save()
    assert "Lublin Health Cluster" in get_html(client, "/en/about/")
