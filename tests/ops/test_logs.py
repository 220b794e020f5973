"""Structured logs: one JSON line per request, task and transition, and one id that follows
the work from the view to the task it queues."""

import io
import json
import logging

import pytest

from ops import logging as oplog
from ops import signals
from tests.samples.factories import T0, H, request_at, travel


@pytest.fixture
def json_lines():
    """What the console handler of settings.LOGGING writes, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(oplog.ContextFilter())
    handler.setFormatter(oplog.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def events(lines, name):
    return [line for line in lines if line.get("event") == name]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_the_id_it_answers_with(client, json_lines):
    resp = client.get("/healthz?viewer=secret-token")
    (line,) = events(json_lines(), "request")
    assert line["request_id"] == resp["X-Request-ID"]
    assert line["view"] == "healthz" and line["status"] == 200 and line["method"] == "GET"
    assert "secret-token" not in json.dumps(line)  # the query string is never logged


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345678")["X-Request-ID"] == "proxy-id-12345678"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id\nwith newline"


def test_a_queued_task_carries_the_request_id_in_its_message_headers():
    token = oplog.request_id.set("req-abc-123456")
    try:
        headers = {}
        signals.before_task_publish(headers=headers)
    finally:
        oplog.request_id.reset(token)
    assert headers == {signals.HEADER: "req-abc-123456"}


@pytest.mark.django_db
def test_a_task_run_and_its_transitions_log_json_lines_under_the_request_id_that_queued_it(json_lines):
    from samples import tasks

    sample = request_at(T0)
    token = oplog.request_id.set("req-from-view-0001")
    try:
        with travel(T0 + 49 * H):
            tasks.sweep_expire_undecided.delay()
    finally:
        oplog.request_id.reset(token)
    lines = json_lines()
    (task,) = events(lines, "task")
    assert task["task"] == "samples.tasks.sweep_expire_undecided" and task["state"] == "SUCCESS" and task["moved"] == 1
    assert task["request_id"] == "req-from-view-0001" and task["task_id"]
    # the sweep moved its batch in bulk: one line per batch naming every row
    (transition,) = [t for t in events(lines, "transitions") if sample.pk in t["pks"]]
    assert transition["model"] == "samples.SampleRequest" and transition["target"] == "expired"
    assert transition["request_id"] == "req-from-view-0001" and transition["task_id"] == task["task_id"]
