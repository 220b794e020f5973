"""Prometheus metrics.

Per-process ones (requests, latency) live in prometheus_client's registry; under gunicorn
with several workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared at start) so
that a scrape adds up every worker. Fleet-wide ones (tasks, sweeps, lag, e-mails) are read
from the database at scrape time, so any web process tells the same truth.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUESTS = Counter("daihuo_http_requests", "HTTP requests by view, method and status", ["view", "method", "status"])
LATENCY = Histogram(
    "daihuo_http_request_duration_seconds", "Time to answer a request, by view", ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class DatabaseCollector:
    """Reads ops.TaskStat and the sweep clocks when scraped (a few indexed queries)."""

    def collect(self):
        from core import outbox
        from ops import clocks
        from ops.models import TaskStat

        runs = CounterMetricFamily("daihuo_task_runs", "Celery task runs", labels=["task"])
        failures = CounterMetricFamily("daihuo_task_failures", "Celery task runs that failed", labels=["task"])
        moved = CounterMetricFamily("daihuo_sweep_rows_moved", "Rows moved by each sweep", labels=["task"])
        last = GaugeMetricFamily("daihuo_task_last_finished_timestamp_seconds", "When each task last finished", labels=["task"])
        for stat in TaskStat.objects.all():
            runs.add_metric([stat.task], stat.runs)
            failures.add_metric([stat.task], stat.failures)
            moved.add_metric([stat.task], stat.moved_total)
            if stat.last_finished_at:
                last.add_metric([stat.task], stat.last_finished_at.timestamp())
        lag = GaugeMetricFamily(
            "daihuo_sweep_lag_seconds", "Age of the oldest row whose deadline passed and that no sweep moved yet",
            labels=["clock", "rule"],
        )
        for reading in clocks.read_all():
            lag.add_metric([reading.clock.key, reading.clock.rule], reading.lag_seconds)
        pending = GaugeMetricFamily("daihuo_emails_pending", "Notifications whose e-mail has not gone out")
        pending.add_metric([], clocks.emails_pending())
        waiting = GaugeMetricFamily("daihuo_outbox_waiting", "Outbox messages not yet handed to the broker (#23)")
        waiting.add_metric([], outbox.waiting())
        yield from (runs, failures, moved, last, lag, pending, waiting)


def exposition() -> bytes:
    process = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(process) + generate_latest(database)
