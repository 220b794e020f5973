"""Hooks that make background work visible without touching the domain code:

- Celery: the request id rides along as a message header; each task run logs one JSON line
  and is counted in ops.TaskStat (runs, failures, rows moved: a sweep returns its count).
- django-fsm: every transition, wherever it runs, logs one JSON line (post_transition).
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ops import logging as oplog

log_tasks = logging.getLogger("daihuo.task")
log_transitions = logging.getLogger("daihuo.transition")

HEADER = "daihuo_request_id"
_running: dict[str, tuple] = {}  # task id → (context tokens, start time)


def before_task_publish(sender=None, headers=None, **kwargs):
    rid = oplog.request_id.get()
    if rid and headers is not None:
        headers.setdefault(HEADER, rid)  # an outbox message keeps the id of the request that wrote it


def outbox_headers() -> dict:
    """What an outbox row carries for its task (core.outbox): the request id of the writer."""
    rid = oplog.request_id.get()
    return {HEADER: rid} if rid else {}


def task_prerun(sender=None, task_id=None, task=None, **kwargs):
    rid = getattr(task.request, HEADER, None) or oplog.request_id.get() or task_id
    tokens = (oplog.request_id.set(rid), oplog.task_id.set(task_id or ""))
    _running[task_id] = (tokens, time.monotonic(), timezone.now())


def task_postrun(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs):
    tokens, started, started_at = _running.pop(task_id, (None, time.monotonic(), timezone.now()))
    duration_ms = int((time.monotonic() - started) * 1000)
    moved = retval if isinstance(retval, int) and not isinstance(retval, bool) else None
    name = getattr(task, "name", str(sender))
    oplog.event(log_tasks, "task", task=name, state=state, duration_ms=duration_ms, moved=moved)
    try:
        record(name, state=state or "", moved=moved, started_at=started_at, duration_ms=duration_ms)
    except Exception:  # the statistics must never break the work they describe
        log_tasks.exception("task statistics not recorded for %s", name)
    if tokens:
        oplog.task_id.reset(tokens[1])
        oplog.request_id.reset(tokens[0])


def record(name: str, *, state: str, moved: int | None, started_at, duration_ms: int) -> None:
    from ops.models import TaskStat

    failed = state not in ("SUCCESS", "")
    with transaction.atomic():
        TaskStat.objects.get_or_create(task=name)
        TaskStat.objects.filter(task=name).update(
            runs=F("runs") + 1,
            failures=F("failures") + (1 if failed else 0),
            moved_total=F("moved_total") + (moved or 0),
            last_started_at=started_at,
            last_finished_at=timezone.now(),
            last_state=state,
            last_moved=moved,
            last_duration_ms=duration_ms,
        )


def post_transition(sender, instance, name, source, target, **kwargs):
    oplog.event(
        log_transitions, "transition",
        model=sender._meta.label, pk=instance.pk, transition=name, source=str(source), target=str(target),
    )


def transitions_applied(sender, pks, name, source, target, **kwargs):
    """A set-based sweep's bulk move: one line per batch naming every row (`pks`; `count`).
    A line per row cost more than moving the row (a 100,000-row wave: 100,000 lines)."""
    oplog.event(
        log_transitions, "transitions",
        model=sender._meta.label, pks=list(pks), count=len(pks), transition=name, source=str(source), target=str(target),
    )


def connect() -> None:
    from celery import signals as celery_signals
    from django_fsm.signals import post_transition as fsm_post_transition

    celery_signals.before_task_publish.connect(before_task_publish, weak=False, dispatch_uid="ops.publish")
    celery_signals.task_prerun.connect(task_prerun, weak=False, dispatch_uid="ops.prerun")
    celery_signals.task_postrun.connect(task_postrun, weak=False, dispatch_uid="ops.postrun")
    fsm_post_transition.connect(post_transition, weak=False, dispatch_uid="ops.transition")
    from core.events import transitions_applied as bulk_transitions

    bulk_transitions.connect(transitions_applied, weak=False, dispatch_uid="ops.bulk_transitions")
    from core import outbox

    if outbox_headers not in outbox.header_providers:
        outbox.header_providers.append(outbox_headers)
