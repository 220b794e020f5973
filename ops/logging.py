"""Structured logs: one JSON object a line, each carrying the id of the work it belongs to.

`request_id` is set by ops.middleware for a web request and travels with the Celery tasks
that request queues (a message header, see ops.signals), so one id follows the work from
view to service to task. `task_id` is set while a task runs.
"""

from __future__ import annotations

import contextvars
import logging
import uuid

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")


def new_id() -> str:
    return uuid.uuid4().hex


class ContextFilter(logging.Filter):
    """Adds request_id and task_id (empty outside a request or task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_ensure_ascii", False)  # Chinese stays readable
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for key in ("request_id", "task_id"):
            if not log_record.get(key):
                log_record.pop(key, None)


def event(logger: logging.Logger, name: str, **fields) -> None:
    """Log one structured event: message = name, the fields as JSON keys."""
    logger.info(name, extra={"event": name, **fields})
