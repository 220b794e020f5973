"""A counter per client in the cache: `allow(key, limit, seconds)` says whether one more
attempt fits in the window. Used where an anonymous POST would otherwise be free to repeat
(joining a live room). The settings' cache is Redis, shared by every web process; when it
cannot be reached the attempt is let through and a warning logged (a join is not worth a 500,
and the join itself is idempotent per browser)."""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger("daihuo.throttle")
CACHE_DOWN = "throttle cache unreachable: attempt allowed"


def client_address(request) -> str:
    """The address the connection came from (a proxy in front sets REMOTE_ADDR through the
    WSGI server; X-Forwarded-For is client-controlled and not trusted here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in `seconds`."""
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
        log.warning(CACHE_DOWN, extra={"event": "throttle_cache_down", "key": key})
        return True
    return count <= limit
