"""The transactional outbox (#23): a task a change asks for (an e-mail, a webhook attempt)
is a row written in the change's own transaction, and the relay hands it to Celery later.

Why: a request that called the broker itself (`.delay()` after commit) waited on it. With
Redis frozen (a stalled host, a partition: no refusal, no answer) that wait lasted until
gunicorn killed the worker, after the change had committed. Now a request writes rows and
is done; a rollback leaves no message; a broker that is away only delays the messages.

The relay is the `outbox-relay` beat entry (every second, config/celery.py) running
`core.tasks.relay_outbox` on a worker; a task already running on a worker (a sweep) also
relays its own rows when its transaction commits (`relay_soon`), the worker being connected
to the broker anyway. Why a beat entry and not a process of its own: the
relay is useless while the broker is away, which is exactly when beat cannot tick either;
it needs no new process in the Procfile, compose.yaml, systemd and the soak; the ops page
and TaskStat show its runs like any sweep's; and a second beat by mistake is harmless (rows
are claimed with SKIP LOCKED). The cost: up to a second (plus the queue) before a message
leaves, which e-mails and webhooks can bear.

Delivery is at least once and every task is idempotent on its own row, so nothing happens
twice: the e-mail task sends only while `emailed_at` is empty (row lock), a webhook attempt
holds a lease on its delivery row. A message is published with the task id `outbox-<id>`,
so a row published twice (a relay killed between publishing and committing its mark) is
recognisable in the logs as the same message.

With `CELERY_TASK_ALWAYS_EAGER` (the tests, a quick start without Redis) there is no broker:
the rows a transaction wrote are marked and their tasks run in-process when it commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH = 200
KEEP_SENT = timedelta(days=2)  # sent rows kept this long (what was handed over, when), then pruned

# Callables returning headers to carry with every message written now (ops adds the request id).
header_providers: list[Callable[[], dict]] = []


class BrokerUnavailable(Exception):
    """The relay stopped: publishing failed. Rows published before the failure are marked;
    the rest wait for the next run."""

    def __init__(self, sent: int):
        super().__init__(f"broker unavailable after {sent} message(s)")
        self.sent = sent


def enqueue(task: str, *args) -> None:
    """Ask for `task(*args)` once the current transaction commits (at once in autocommit).
    `task` is the task's dotted name (`core.tasks.send_notification_email`)."""
    enqueue_many(task, [list(args)])


def enqueue_many(task: str, calls: list[list]) -> None:
    """Ask for `task(*args)` for each args of `calls`, in one statement."""
    if not calls:
        return
    headers: dict = {}
    for provide in header_providers:
        headers.update(provide())
    rows = OutboxMessage.objects.bulk_create([OutboxMessage(task=task, args=list(args), headers=headers) for args in calls])
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(partial(_run_inline, [row.pk for row in rows]))
    elif _in_worker():
        transaction.on_commit(relay_soon)


def _in_worker() -> bool:
    """Inside a Celery task on a worker (a sweep): the process talks to the broker anyway."""
    from celery import current_task

    if not current_task:  # a proxy: false outside a task
        return False
    return not current_task.request.is_eager and current_task.request.id is not None


def relay_soon() -> None:
    """A worker's task (a sweep) relays what its transaction wrote when it commits, instead of
    leaving it for the next beat tick; never a web request, which must not wait on the broker.
    A broker that fails leaves the rows to the beat relay."""
    try:
        relay()
    except BrokerUnavailable as stopped:
        logger.warning("outbox relay after commit stopped: %s", stopped, exc_info=stopped.__cause__)


def _publish(row: OutboxMessage) -> None:
    """Hand one message to the broker (routes by task name: config/celery.py). The broker
    transport's socket timeouts (settings) bound the wait on a frozen broker."""
    from celery import current_app

    current_app.send_task(row.task, args=row.args, task_id=f"outbox-{row.pk}", headers=row.headers or None, retry=False)


def relay(*, batch: int = BATCH, publish: Callable[[OutboxMessage], None] | None = None) -> int:
    """Hand every waiting row to the broker, oldest first, `batch` rows per transaction.

    Each batch is claimed with SELECT … FOR UPDATE SKIP LOCKED, so two relays at once never
    take the same row; a row is marked sent in the transaction that claimed it, after its
    publish returned. Returns how many rows were handed over; raises BrokerUnavailable when
    a publish fails (the rows before it stay marked, the rest wait)."""
    publish = publish or _publish
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                        .filter(sent_at__isnull=True).order_by("pk")[:batch])
            done: list[int] = []
            failure: Exception | None = None
            for row in rows:
                try:
                    publish(row)
                except Exception as exc:  # noqa: BLE001  kombu and redis-py raise their own classes
                    failure = exc
                    break
                done.append(row.pk)
            if done:
                OutboxMessage.objects.filter(pk__in=done).update(sent_at=timezone.now())
        sent += len(done)
        if failure is not None:
            raise BrokerUnavailable(sent) from failure
        if len(rows) < batch:
            return sent


def _run_inline(ids: list[int]) -> None:
    """Eager mode: mark the rows (once, whoever else looks) and run their tasks here."""
    with transaction.atomic():
        rows = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=ids, sent_at__isnull=True).order_by("pk"))
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    for row in rows:
        import_string(row.task).apply(args=row.args, task_id=f"outbox-{row.pk}", headers=row.headers or None,
                                      throw=settings.CELERY_TASK_EAGER_PROPAGATES)


def waiting() -> int:
    """Rows not yet handed to the broker (the ops page and /metrics show it)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def prune(*, keep: timedelta = KEEP_SENT) -> int:
    """Forget rows handed over more than `keep` ago."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - keep).delete()
    return deleted
