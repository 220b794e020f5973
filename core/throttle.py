"""A counter per client in the cache: `allow(key, limit, seconds)` says whether one more
attempt fits in the window. Used where an anonymous POST would otherwise be free to repeat
(joining a live room). The settings' cache is Redis, shared by every web process.

When the cache cannot be reached (down, or frozen: its socket timeout is half a second) the
attempt is let through and a warning logged: fail open, on purpose. A join is idempotent per
browser, so the worst an outage allows is one address joining faster than the limit for a
while; failing closed would shut every buyer out of every live room for as long as Redis is
away. After a failure this process leaves the cache alone for CACHE_RETRY_AFTER (a circuit
breaker), so a frozen Redis costs one request its timeout, not every request.
(Login lockout is not here: django-axes keeps its attempts in the database.)"""

from __future__ import annotations

import logging
from time import monotonic

from django.core.cache import cache

log = logging.getLogger("daihuo.throttle")
CACHE_DOWN = "throttle cache unreachable: attempt allowed"
CACHE_RETRY_AFTER = 10.0  # seconds
_cache_down_until = 0.0  # monotonic() before which this process does not try the cache


def client_address(request) -> str:
    """The address the connection came from (a proxy in front sets REMOTE_ADDR through the
    WSGI server; X-Forwarded-For is client-controlled and not trusted here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in `seconds`."""
    global _cache_down_until
    if monotonic() < _cache_down_until:
        return True  # the cache failed a moment ago: fail open without waiting on it again
    full = f"throttle:{key}"
    try:
        if cache.add(full, 1, timeout=seconds):
            return True
        try:
            count = cache.incr(full)
        except ValueError:  # expired between add and incr
            cache.add(full, 1, timeout=seconds)
            return True
    except Exception:  # noqa: BLE001  redis-py's ConnectionError/TimeoutError: fail open, said in the log
        _cache_down_until = monotonic() + CACHE_RETRY_AFTER
        log.warning(CACHE_DOWN, extra={"event": "throttle_cache_down", "key": key})
        return True
    return count <= limit
