"""cluster_portal/core/redis_cache.py: the production cache, on a real Redis, keeps one
redis-py client per connection pool and still behaves as Django's Redis cache."""

import threading
import uuid

import pytest

from cluster_portal.core.redis_cache import KeptClientRedisCache


@pytest.fixture
def redis_cache(redis_url):
    cache = KeptClientRedisCache(redis_url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_values_written_by_one_thread_are_read_by_others_at_once(redis_cache):
    errors: list[str] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        start.wait()
        for step in range(100):
            key = f"w{worker}:{step}"
            redis_cache.set(key, {"worker": worker, "step": step}, 60)
            if redis_cache.get(key) != {"worker": worker, "step": step}:
                errors.append(key)
            if not redis_cache.add("total", 1):
                redis_cache.incr("total")

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert redis_cache.get("total") == 800  # no lost increment
    assert redis_cache.get_many([f"w{worker}:99" for worker in range(8)]) == {
        f"w{worker}:99": {"worker": worker, "step": 99} for worker in range(8)
    }


def test_the_cache_reconnects_after_redis_dropped_its_connections(redis_cache, redis_url):
    import redis

    redis_cache.set("greeting", "dzień dobry", 60)
    # Redis dropped the connection the kept client's pool holds (a restart, a timeout).
    connection_id = redis_cache._cache.get_client().client_id()
    redis.Redis.from_url(redis_url).client_kill_filter(_id=connection_id)

    assert redis_cache.get("greeting") == "dzień dobry"
    redis_cache.delete("greeting")
    assert redis_cache.get("greeting") is None
