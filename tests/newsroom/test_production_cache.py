"""The Redis cache is optional at run time: errors are logged, never raised."""

import socket
import uuid
from contextlib import closing

import pytest

from newsroom.cache import FailSoftRedisCache
from tests.conftest import TEST_REDIS_URL, require_redis

REDIS_URL = TEST_REDIS_URL
OPTIONS = {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}


def closed_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_down():
    return FailSoftRedisCache(f"redis://127.0.0.1:{closed_port()}/0", OPTIONS)


@pytest.fixture
def redis_up():
    require_redis(REDIS_URL)
    return FailSoftRedisCache(REDIS_URL, {**OPTIONS, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_reads_from_an_unreachable_redis_are_misses(redis_down):
    assert redis_down.get("page", "miss") == "miss"
    assert redis_down.get_or_set("version", "fresh") == "fresh"


def test_writes_to_an_unreachable_redis_are_dropped(redis_down):
    redis_down.set("page", "<html>")
    assert redis_down.add("page", "<html>") is False
    assert redis_down.delete("page") is False


def test_an_unreachable_redis_is_logged_once_then_left_alone(redis_down, caplog):
    for _ in range(5):
        redis_down.get("page")
    warnings = [record for record in caplog.records if record.name == "newsroom.cache"]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()


def test_a_reachable_redis_caches(redis_up):
    redis_up.set("page", {"html": "<p>新闻</p>"}, 30)
    assert redis_up.get("page") == {"html": "<p>新闻</p>"}
    redis_up.delete("page")
