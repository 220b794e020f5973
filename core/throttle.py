"""A counter per client in the cache: `allow(key, limit, seconds)` says whether one more
attempt fits in the window. Used where an anonymous POST would otherwise be free to repeat
(joining a live room). With several web processes the cache must be shared (Redis); the
default per-process cache still bounds each process."""

from __future__ import annotations

from django.core.cache import cache


def client_address(request) -> str:
    """The address the connection came from (a proxy in front sets REMOTE_ADDR through the
    WSGI server; X-Forwarded-For is client-controlled and not trusted here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` fell in `seconds`."""
    full = f"throttle:{key}"
    if cache.add(full, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=seconds)
        return True
    return count <= limit
