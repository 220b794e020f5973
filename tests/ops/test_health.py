"""/healthz and /readyz: cheap, unauthenticated, nothing but ok or fail in them."""

import threading
import time

import pytest

from ops import checks


@pytest.fixture(autouse=True)
def _fresh_checks():
    """Each test checks afresh (a probe answers a result younger than a second again)."""
    checks.forget()
    yield
    checks.forget()


def test_healthz_answers_ok_without_login_or_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_is_ok_when_database_migrations_and_broker_are(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_does_not_answer_and_says_no_more(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json() == {"status": "fail", "checks": {"database": "ok", "migrations": "ok", "broker": "fail"}}


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_not_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(checks, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    monkeypatch.setitem(checks.CHECKS, "broker", lambda: True)
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["migrations"] == "fail"


def test_probes_are_not_redirected_to_https_when_the_proxy_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_answers_within_2_s_naming_the_check_that_hangs_and_never_runs_it_twice(client, monkeypatch):
    """#23: a frozen broker made each probe hang 30 s and two probes held both web workers."""
    release = threading.Event()
    started = []

    def frozen_broker():
        started.append(1)
        release.wait(30)
        return True

    monkeypatch.setitem(checks.CHECKS, "broker", frozen_broker)
    try:
        for _ in range(3):
            checks.forget()
            began = time.monotonic()
            resp = client.get("/readyz")
            assert time.monotonic() - began < 2
            assert resp.status_code == 503
            assert resp.json() == {"status": "fail", "checks": {"database": "ok", "migrations": "ok", "broker": "timeout"}}
        assert len(started) == 1  # the stuck check holds one thread, not one per probe
    finally:
        release.set()
    assert checks._running["broker"].result(timeout=5) is True
    checks.forget()
    assert client.get("/readyz").status_code == 200  # answered again once the check returns


@pytest.mark.django_db
def test_readyz_answers_a_result_younger_than_a_second_without_checking_again(client, monkeypatch):
    calls = []
    monkeypatch.setitem(checks.CHECKS, "broker", lambda: calls.append(1) or True)
    assert [client.get("/readyz").status_code for _ in range(5)] == [200] * 5
    assert len(calls) == 1
