"""What /readyz checks: the database answers, every migration is applied, the broker answers.

Each check says only ok, fail or timeout; the reason goes to the log, not the caller.

A probe must answer within 2 s and must not hold the web workers (#23: a frozen Redis made
each probe hang 30 s, and two probes held both gunicorn workers). So the checks run on a
small thread pool of this process; a probe waits for them at most BUDGET seconds (a check
still running then is answered "timeout"); a check still running is never started a second
time (a stuck check holds one thread, not one per probe); and a result younger than FRESH
seconds is answered again without checking (several balancers' probes cost one check a second).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from time import monotonic

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger("daihuo.ready")
BUDGET = 1.5  # seconds a probe waits for the checks (the answer comes within 2 s)
FRESH = 1.0  # seconds a result is answered again without checking
_migrated = False  # once true it stays true for this process (migrations are not undone)


def database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def migrations() -> bool:
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def broker() -> bool:
    """A fresh connection to the broker of the settings (not the app's pool, which may hold
    a connection opened before the broker went away), and one command: a frozen Redis still
    accepts connections (the kernel does), only a command shows it does not answer."""
    from django.conf import settings
    from kombu import Connection

    options = {**getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}), "socket_timeout": 1, "socket_connect_timeout": 1}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=1, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        conn.default_channel.client.ping()
        return True


CHECKS = {"database": database, "migrations": migrations, "broker": broker}

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_running: dict[str, Future] = {}
_last: tuple[float, dict[str, str]] | None = None


def _checked(name: str) -> bool:
    try:
        return bool(CHECKS[name]())
    except Exception:
        log.warning("readiness check %s failed", name, exc_info=True)
        return False
    finally:
        connections.close_all()  # this pool thread's own database connection, if it opened one


def run() -> dict[str, str]:
    """Each check's answer: "ok", "fail", or "timeout" (still running after BUDGET seconds)."""
    global _pool, _last
    with _lock:
        if _last is not None and monotonic() - _last[0] < FRESH:
            return dict(_last[1])
        if _pool is None:  # made in the process that serves (after gunicorn's fork)
            _pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
        futures = {}
        for name in CHECKS:
            future = _running.get(name)
            if future is None or future.done():
                future = _running[name] = _pool.submit(_checked, name)
            futures[name] = future
    wait(futures.values(), timeout=BUDGET)
    results = {name: ("ok" if future.result() else "fail") if future.done() else "timeout" for name, future in futures.items()}
    if results["database"] != "ok":
        results["migrations"] = "fail"  # cannot tell without the database
    with _lock:
        _last = (monotonic(), results)
    return dict(results)


def forget() -> None:
    """Drop the remembered result (tests)."""
    global _last
    with _lock:
        _last = None
