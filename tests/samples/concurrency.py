"""Helpers of the race tests (PostgreSQL, real threads, each with its own connection)."""

import threading

from django.db import connection


def run_in_threads(*targets):
    """Run each target in its own thread (each with its own database connection)."""
    results, errors = {}, {}

    def wrap(name, fn):
        try:
            results[name] = fn()
        except Exception as exc:  # collected for the assertions
            errors[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(name, fn), name=name) for name, fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


def wait_until_someone_waits_for_a_lock():
    """Bounded poll of pg_stat_activity until another connection is blocked on a row lock."""
    for _ in range(400):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cur.fetchone()[0]:
                return True
        threading.Event().wait(0.025)
    return False
