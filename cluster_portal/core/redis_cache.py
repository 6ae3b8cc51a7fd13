"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's client builds a new `redis.Redis` for every cache operation, and building one fills
a table of about 170 response callbacks: 0.16 ms a call, a third of the cost of a page served
from the page cache (which reads the directory's version, then the page). A `redis.Redis` is
safe to share between threads: it takes a connection from its pool for each command.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools are kept as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
