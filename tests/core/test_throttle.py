"""core.throttle: the per-client counter is shared by every web process (Redis in production,
not one process's memory) and a cache that cannot be reached does not turn a join into a 500."""

from __future__ import annotations

import importlib
import logging

from django.test import override_settings

from core import throttle

UNREACHABLE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}


def test_v8_production_settings_count_joins_in_the_shared_redis_cache(monkeypatch):
    """With 4 gunicorn workers a per-process cache would let each worker count its own joins:
    the limit would be 4× what the platform set. The real settings use Redis (db 1)."""
    monkeypatch.setenv("DJANGO_CACHE_URL", "redis://cache.internal:6380/2")
    import config.settings as real

    reloaded = importlib.reload(real)
    assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert reloaded.CACHES["default"]["LOCATION"] == "redis://cache.internal:6380/2"
    monkeypatch.delenv("DJANGO_CACHE_URL")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/0")  # make run's Redis on another port
    assert importlib.reload(real).CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6390/1"
    monkeypatch.delenv("REDIS_URL")
    assert importlib.reload(real).CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_v8_the_limit_counts_every_attempt_in_the_window():
    assert [throttle.allow("join:1:10.0.0.1", limit=2, seconds=60) for _ in range(3)] == [True, True, False]
    assert throttle.allow("join:1:10.0.0.2", limit=2, seconds=60) is True  # another address, its own count


def test_v8_an_unreachable_cache_lets_the_attempt_through_and_says_so(caplog):
    with override_settings(CACHES=UNREACHABLE), caplog.at_level(logging.WARNING, logger="daihuo.throttle"):
        assert throttle.allow("join:1:10.0.0.1", limit=1, seconds=60) is True
    assert [r.getMessage() for r in caplog.records] == [throttle.CACHE_DOWN]


def test_v8_after_a_failure_the_cache_is_left_alone_for_a_while_and_tried_again_after(caplog, monkeypatch):
    """#23: a frozen Redis costs one request its socket timeout, not every request."""
    clock = [1000.0]
    monkeypatch.setattr(throttle, "monotonic", lambda: clock[0])
    calls = []

    class Frozen:
        def add(self, *args, **kwargs):
            calls.append(args)
            raise ConnectionError("frozen")

    real = throttle.cache
    monkeypatch.setattr(throttle, "cache", Frozen())
    with caplog.at_level(logging.WARNING, logger="daihuo.throttle"):
        assert [throttle.allow("join:1:10.0.0.1", limit=1, seconds=60) for _ in range(5)] == [True] * 5
    assert len(calls) == 1 and [r.getMessage() for r in caplog.records] == [throttle.CACHE_DOWN]
    monkeypatch.setattr(throttle, "cache", real)
    clock[0] += throttle.CACHE_RETRY_AFTER
    assert [throttle.allow("join:1:10.0.0.1", limit=1, seconds=60) for _ in range(2)] == [True, False]  # counting again
