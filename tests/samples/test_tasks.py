"""S4 end to end: a real Celery worker with an embedded beat, against a real Redis and the
test database, expires a request by itself once the rules object says seconds, not hours."""

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django_fsm_log.models import StateLog

from core.rules import rule_update
from samples.models import SampleRequest
from samples.services import requests
from tests import factories
from tests.samples.factories import creator_with_address, eligible_product

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
POLL_LIMIT_SECONDS = 60


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def private_broker_url() -> str:
    """The test's Redis, on a database index of its own, so other suites' workers keep apart."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{random.randint(1, 15)}"))


def test_s4_celery_worker_and_beat_expire_a_request_by_themselves(tmp_path):
    staff = factories.StaffFactory()
    rule_update(key="sample_decide", value=3, unit="seconds", by=staff, reason="integration test")
    creator = creator_with_address()
    sample = requests.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert (sample.decide_by - sample.requested_at).total_seconds() == 3

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "celery-integration-test-only",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": private_broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DAIHUO_SWEEP_SECONDS": "1",
    }
    log_path = tmp_path / "celery.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--pool=solo", "--loglevel=INFO",
             f"--schedule={tmp_path / 'beat-schedule'}", f"--hostname=samples-it-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            started = time.monotonic()
            while time.monotonic() - started < POLL_LIMIT_SECONDS:
                sample = SampleRequest.objects.get(pk=sample.pk)  # protected FSM field: no refresh_from_db
                if sample.state != SampleRequest.State.REQUESTED or worker.poll() is not None:
                    break
                threading.Event().wait(0.5)  # bounded polling, not a timing assertion
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
    output = log_path.read_text(errors="replace")
    assert sample.state == SampleRequest.State.EXPIRED, f"not expired within {POLL_LIMIT_SECONDS}s; worker log:\n{output[-3000:]}"
    entry = StateLog.objects.for_(sample).get()
    assert entry.by is None and "samples.sweep_expire_undecided" in entry.description
    assert "samples.tasks.sweep_expire_undecided" in output
