"""Django's Redis cache, made optional: when Redis is down the site serves from
the database.

Every cache call that fails is logged and answered as a miss (a write is
dropped). After a failure the process leaves Redis alone for ``down_for``
seconds, so an outage costs one log line and one short timeout per process
every few seconds, not a timeout on every call of every request.
"""

import logging
import pickle
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import RedisError

log = logging.getLogger("newsroom.cache")


class Serializer(RedisSerializer):
    """Django's: integers stored bare (for ``incr``), everything else pickled.

    Read without trying ``int()`` first: a pickle always starts with the PROTO
    opcode (protocol 2 and later). The exception ``int()`` raised on every
    pickled value cost a cached article page (the page and its ten keys'
    versions) about 10 µs of the 130 µs it spent in this backend."""

    def loads(self, data):
        return pickle.loads(data) if data[:1] == b"\x80" else int(data)


class FailSoftRedisCacheClient(RedisCacheClient):
    down_for = 5.0
    _down_until = 0.0

    def __init__(self, *args, serializer=Serializer, **kwargs):
        super().__init__(*args, serializer=serializer, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django makes a new redis.Redis per call, and each one builds a table of
        # ~170 reply callbacks: a fifth of the time of a page served from cache.
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(pool)) is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def _try(self, call, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call(*args)
        except RedisError as exc:
            self._down_until = time.monotonic() + self.down_for
            log.warning("cache unavailable, serving without it for %.0f s: %s", self.down_for, exc)
            return fallback

    def add(self, key, value, timeout):
        return self._try(super().add, False, key, value, timeout)

    def get(self, key, default):
        return self._try(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._try(super().set, None, key, value, timeout)

    def touch(self, key, timeout):
        return self._try(super().touch, False, key, timeout)

    def delete(self, key):
        return self._try(super().delete, False, key)

    def get_many(self, keys):
        return self._try(super().get_many, {}, keys)

    def has_key(self, key):
        return self._try(super().has_key, False, key)

    def incr(self, key, delta):
        value = self._try(super().incr, None, key, delta)
        if value is None:  # Redis failed (a real incr() returns a number)
            # What callers of incr() already handle: the key is not there.
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return value

    def set_many(self, data, timeout):
        return self._try(super().set_many, None, data, timeout)

    def delete_many(self, keys):
        return self._try(super().delete_many, None, keys)

    def clear(self):
        return self._try(super().clear, False)


class FailSoftRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that never raises a Redis error."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def validate_key(self, key):
        """Nothing to check: Redis takes any key. Django's check warns of keys
        memcached would refuse, one character at a time, on every key of every
        call: about 20 µs of the 130 µs a cached article page spent in this backend."""
