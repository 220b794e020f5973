"""/healthz and /readyz: cheap, unauthenticated, nothing but ok or fail in them."""

import pytest

from ops import checks


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
