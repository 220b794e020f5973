"""The sweep benchmark: N requests' 48 h clocks (S4) run out at once, moved by
(a) the product's sweep, (b) the naive Django loop, (c) one Celery task per request with an
ETA at its deadline (a real worker and Redis), (d) plain SQL doing the same writes (the floor).

Each method gets the same N rows: they are made due, moved, and put back (state, columns,
records and notifications removed) before the next method runs.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from samples.models import SampleRequest
from samples.services import sweeps
from samples.services.common import notification_body, sweep_note, tell_both
from samples.services.sweeps import _closed_text, _expire_reason

ROOT = Path(__file__).resolve().parents[1]
S = SampleRequest.State



def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _exec(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def marks() -> tuple[int, int]:
    return (_scalar("SELECT coalesce(max(id), 0) FROM django_fsm_log_statelog"),
            _scalar("SELECT coalesce(max(id), 0) FROM shops_notification"))


def make_due(n: int, *, at) -> list[int]:
    """N waiting requests (the lowest ids of the REQUESTED rows) whose 48 h ran out a minute ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE samples_samplerequest SET decide_by = %s WHERE id IN ("
            " SELECT id FROM samples_samplerequest WHERE state = 'requested' ORDER BY id LIMIT %s) RETURNING id",
            [at - timedelta(minutes=1), n],
        )
        return sorted(r[0] for r in cursor.fetchall())


def restore(ids: list[int], mark: tuple[int, int], *, at) -> None:
    """Put the N rows back as they were (waiting, clock in the future), drop what the run wrote."""
    _exec("UPDATE samples_samplerequest SET state = 'requested', closed_at = NULL, close_reason = '', decide_by = %s "
          "WHERE id = ANY(%s)", [at + timedelta(hours=30), ids])
    _exec("DELETE FROM django_fsm_log_statelog WHERE id > %s", [mark[0]])
    _exec("DELETE FROM shops_notification WHERE id > %s", [mark[1]])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE samples_samplerequest, django_fsm_log_statelog, shops_notification")


def moved_count(ids: list[int]) -> int:
    return _scalar("SELECT count(*) FROM samples_samplerequest WHERE id = ANY(%s) AND state = 'expired'", [ids])


class PeakRSS:
    """Peak resident memory of this process above where it started, sampled every 5 ms."""

    def __enter__(self):
        self.base = self.peak = rss_bytes(os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes(os.getpid()))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(os.getpid()))
        self.growth = self.peak - self.base


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def tree_rss(pid: int) -> int:
    """RSS of a process and its children (a Celery worker and its pool)."""
    total = rss_bytes(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(tree_rss(int(c)) for c in children)


# ---------------------------------------------------------------------------------------
# The four ways


def run_product_sweep(ids: list[int], *, at) -> dict:
    """(a) samples.services.sweeps.sweep_expire_undecided, as beat runs it."""
    with PeakRSS() as mem:
        started = time.perf_counter()
        moved = sweeps.sweep_expire_undecided(now=at)
        seconds = time.perf_counter() - started
    return {"moved": moved, "seconds": seconds, "rows_per_s": moved / seconds, "peak_mem_bytes": mem.growth}


def run_sweep_memory(ids: list[int], *, at, env: dict) -> dict:
    """The product's sweep's peak memory: run in a fresh process (this one's allocator keeps
    what earlier runs freed, which would hide growth), its resident set sampled every 5 ms from
    just before the sweep (imports done, one empty sweep run) to its end."""
    code = ("import json, sys, django; django.setup(); from bench.sweeps import sweep_memory_here; "
            "print('MEMORY ' + json.dumps(sweep_memory_here(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-c", code, at.isoformat()], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith("MEMORY "))
    return json.loads(line.removeprefix("MEMORY "))


def sweep_memory_here(at: str) -> dict:
    """In the fresh process of run_sweep_memory."""
    from config.celery import app

    app.conf.task_always_eager = False
    at = datetime.fromisoformat(at)
    sweeps.sweep_expire_undecided(now=at - timedelta(days=3650))  # warm: nothing was due then
    with PeakRSS() as mem:
        moved = sweeps.sweep_expire_undecided(now=at)
    return {"moved": moved, "rss_before_bytes": mem.base, "peak_mem_bytes": mem.growth}


def run_naive_loop(ids: list[int], *, at, budget: float) -> dict:
    """(b) load, transition, save, log, notify: one row at a time (stops after `budget` s)."""
    started = time.perf_counter()
    moved = 0
    for pk in ids:
        with transaction.atomic():
            sample = SampleRequest.objects.select_related("product", "creator__user", "merchant__user").get(pk=pk)
            reason = _expire_reason(sample)  # the product's own texts
            sample.closed_at, sample.close_reason = at, reason
            sample.expire(by=None, description=sweep_note("naive", lambda r=reason: r))
            sample.save()
            tell_both(sample, lambda s=sample, r=reason: _closed_text(s, r))
        moved += 1
        if time.perf_counter() - started > budget:
            break
    seconds = time.perf_counter() - started
    return {"moved": moved, "seconds": seconds, "rows_per_s": moved / seconds, "budget_hit": moved < len(ids)}


def run_sql_floor(ids: list[int], *, at) -> dict:
    """(d) the same writes in one plain SQL statement: UPDATE … RETURNING feeding the
    StateLog and notification INSERT … SELECTs."""
    ct = ContentType.objects.get_for_model(SampleRequest).pk
    sql = """
    WITH moved AS (
        UPDATE samples_samplerequest r SET state = 'expired', closed_at = %(at)s,
            close_reason = '商家未在 ' || to_char(r.decide_by AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 前处理。'
        WHERE r.id = ANY(%(ids)s) AND r.state = 'requested' AND r.decide_by <= %(at)s
        RETURNING r.id, r.product_id, r.creator_id, r.merchant_id, r.close_reason
    ), logs AS (
        INSERT INTO django_fsm_log_statelog (timestamp, by_id, source_state, state, transition, content_type_id, object_id, description)
        SELECT %(at)s, NULL, 'requested', 'expired', 'expire', %(ct)s, m.id, '扫描“samples.sweep_expire_undecided”：' || m.close_reason
        FROM moved m
    )
    INSERT INTO shops_notification (user_id, title, body, url, created_at, dedupe_key, kind)
    SELECT t.user_id, t.title, %(body)s, t.url, %(at)s, NULL, 'sample' FROM moved m
    JOIN shops_product p ON p.id = m.product_id
    JOIN shops_creator c ON c.id = m.creator_id
    JOIN shops_merchant mm ON mm.id = m.merchant_id
    CROSS JOIN LATERAL (VALUES
        (c.user_id, '“' || p.title || '”的样品申请已取消：' || m.close_reason, '/creator/samples/' || m.id || '/'),
        (mm.user_id, '“' || p.title || '”的样品申请已取消：' || m.close_reason, '/merchant/samples/' || m.id || '/')
    ) AS t(user_id, title, url)
    """
    started = time.perf_counter()
    with transaction.atomic():
        _exec(sql, {"at": at, "ids": ids, "ct": ct, "body": notification_body()})
    seconds = time.perf_counter() - started
    moved = moved_count(ids)
    return {"moved": moved, "seconds": seconds, "rows_per_s": moved / seconds}


def run_eta_tasks(ids: list[int], *, at, budget: float, env: dict, log) -> dict:
    """(c) one Celery task per request, ETA at its deadline; a real worker (2 processes, the
    machine's cores) and Redis. Measures the worker's memory while the tasks wait, and the
    rows per second once the deadline comes."""
    from bench.tasks import expire_at_deadline
    from config.celery import app

    app.control.purge()
    name = f"bench-{os.getpid()}@{socket.gethostname()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning", "-c", "2", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "-n", name],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        for _ in range(60):  # until the worker answers: up, its pool started, idle
            if app.control.ping(destination=[name], timeout=1.0):
                break
        time.sleep(1)
        base = tree_rss(worker.pid)
        lead = timedelta(seconds=5 + len(ids) / 400)  # time to hand over every task before the deadline
        deadline = timezone.now() + lead
        _exec("UPDATE samples_samplerequest SET decide_by = %s WHERE id = ANY(%s)", [deadline, ids])
        started = time.perf_counter()
        for pk in ids:
            expire_at_deadline.apply_async(args=[pk], eta=deadline)
        enqueue_seconds = time.perf_counter() - started
        while timezone.now() < deadline - timedelta(seconds=2):
            time.sleep(0.5)
        waiting = tree_rss(worker.pid)
        log(f"    (c) {len(ids)} tasks handed over in {enqueue_seconds:.1f} s; worker memory {base >> 20} → {waiting >> 20} MiB")
        while timezone.now() < deadline:
            time.sleep(0.05)
        fired = time.perf_counter()
        moved = 0
        while time.perf_counter() - fired < budget:
            moved = moved_count(ids)
            if moved >= len(ids):
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - fired
        moved = moved_count(ids)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        app.control.purge()
    return {
        "requests": len(ids), "moved": moved, "seconds": seconds, "rows_per_s": moved / seconds,
        "enqueue_seconds": enqueue_seconds, "worker_mem_idle_bytes": base, "worker_mem_waiting_bytes": waiting,
        "worker_bytes_per_waiting_request": (waiting - base) / len(ids), "budget_hit": moved < len(ids),
    }


def once(run, n: int, **kwargs) -> dict:
    at = timezone.now()
    mark = marks()
    ids = make_due(n, at=at)
    if len(ids) < n:
        raise RuntimeError(f"the world has only {len(ids)} waiting requests; build a bigger one (--scale)")
    try:
        return run(ids, at=at, **kwargs)
    finally:
        restore(ids, mark, at=at)


def measure(due_sizes: list[int], *, eta_requests: int, budget: float, env: dict, log, repeat: int = 2) -> dict:
    """Each of (a), (b), (d) on the same N rows; (a) and (d) run `repeat` times and keep the
    fastest (the machine is shared: the best run is the least disturbed one)."""
    results: dict = {"due": {}}
    once(run_product_sweep, min(200, min(due_sizes)))  # warm up: imports, URL resolver, caches
    once(run_sql_floor, min(200, min(due_sizes)))
    for n in due_sizes:
        row: dict = {}
        for name, run in (("product_sweep", run_product_sweep), ("naive_loop", run_naive_loop), ("sql_floor", run_sql_floor)):
            kwargs = {"budget": budget} if name == "naive_loop" else {}
            runs = [once(run, n, **kwargs) for _ in range(1 if name == "naive_loop" else repeat)]
            row[name] = max(runs, key=lambda r: r["rows_per_s"])
            if name == "product_sweep":
                row[name]["peak_mem_in_run_bytes"] = max(r["peak_mem_bytes"] for r in runs)
                memory = once(run_sweep_memory, n, env=env)
                if memory["moved"] != n:
                    raise RuntimeError(f"the memory run moved {memory['moved']} of {n} rows")
                row[name]["peak_mem_bytes"] = memory["peak_mem_bytes"]
                log(f"  N={n} product_sweep peak memory (fresh process): +{memory['peak_mem_bytes'] / 2**20:.1f} MiB"
                    f" over {memory['rss_before_bytes'] / 2**20:.0f} MiB")
            row[name]["all_rows_per_s"] = [round(r["rows_per_s"]) for r in runs]
            log(f"  N={n} {name}: {row[name]['moved']} rows in {row[name]['seconds']:.2f} s = {row[name]['rows_per_s']:.0f} rows/s"
                f" (runs: {row[name]['all_rows_per_s']})")
        results["due"][str(n)] = row
    if eta_requests:
        at = timezone.now()
        mark = marks()
        ids = make_due(eta_requests, at=at)
        results["eta_tasks"] = run_eta_tasks(ids, at=at, budget=budget, env=env, log=log)
        log(f"  (c) ETA tasks: {results['eta_tasks']['moved']} rows = {results['eta_tasks']['rows_per_s']:.0f} rows/s")
        restore(ids, mark, at=at)
    return results
