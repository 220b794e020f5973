"""What /readyz checks: the database answers, every migration is applied, the broker answers.

Each check is cheap and says only ok or fail; the reason goes to the log, not the caller."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger("daihuo.ready")
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
    a connection opened before the broker went away)."""
    from django.conf import settings
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True


CHECKS = {"database": database, "migrations": migrations, "broker": broker}


def run() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:
            log.warning("readiness check %s failed", name, exc_info=True)
            results[name] = False
        if name == "database" and not results[name]:
            results["migrations"] = False  # cannot tell without the database
            break
    return results
