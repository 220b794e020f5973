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

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from samples.models import SampleRequest
from samples.services import sweeps
from samples.services.common import sweep_note, tell_both
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
    """(d) the floor: the same writes in one statement for all N rows, with none of the
    sweep's machinery (no batches, savepoints, listeners, e-mail hand-off). It is the
    product's own one-statement SQL (core.fsm_sql via samples.services.sweeps._close_sql)
    given the whole set as one batch, so its rows, transition records and notifications
    carry the product's texts by construction: a floor with texts of its own drifted from
    the product's before (issue 21)."""
    from core.clocks import clock

    s4 = clock("s4_decide")
    move = sweeps._close_sql("samples.sweep_expire_undecided", s4, sweeps._expire_template)
    due = s4.due(at).filter(pk__in=ids)
    started = time.perf_counter()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        result = move(due, at, len(ids), s4.deadline)
    seconds = time.perf_counter() - started
    moved = len(result.moved)
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


def measure(due_sizes: list[int], *, eta_requests: int, budget: float, env: dict, log, runs: int = 3) -> dict:
    """(a) against (d) interleaved, each run in a fresh process (bench.interleaved: medians and
    ranges); (b) once on the same N rows; (a)'s peak memory in a fresh process; (c) once."""
    from bench import interleaved

    results: dict = {"due": {}, "vs_floor": interleaved.measure(due_sizes, runs=runs, env=env, log=log)}
    once(run_naive_loop, min(200, min(due_sizes)), budget=budget)  # warm up: imports, URL resolver, caches
    for n in due_sizes:
        timed = results["vs_floor"][str(n)]
        row: dict = {name: {"moved": n, "seconds": timed[name]["seconds"]["median"], "rows_per_s": timed[name]["rows_per_s_median"]}
                     for name in ("product_sweep", "sql_floor")}
        row["naive_loop"] = once(run_naive_loop, n, budget=budget)
        memory = once(run_sweep_memory, n, env=env)
        if memory["moved"] != n:
            raise RuntimeError(f"the memory run moved {memory['moved']} of {n} rows")
        row["product_sweep"]["peak_mem_bytes"] = memory["peak_mem_bytes"]
        log(f"  N={n} product_sweep peak memory (fresh process): +{memory['peak_mem_bytes'] / 2**20:.1f} MiB"
            f" over {memory['rss_before_bytes'] / 2**20:.0f} MiB; naive loop {row['naive_loop']['rows_per_s']:.0f} rows/s")
        results["due"][str(n)] = row
    if eta_requests:
        at = timezone.now()
        mark = marks()
        ids = make_due(eta_requests, at=at)
        results["eta_tasks"] = run_eta_tasks(ids, at=at, budget=budget, env=env, log=log)
        log(f"  (c) ETA tasks: {results['eta_tasks']['moved']} rows = {results['eta_tasks']['rows_per_s']:.0f} rows/s")
        restore(ids, mark, at=at)
    return results
