"""`make run`'s database and Redis: PostgreSQL only (its own cluster under var/pg, kept
between runs, or DATABASE_URL), and a Redis on another port carries the broker and the cache."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_of(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_URL"))}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "x" * 50, **env})
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CACHES['default']['LOCATION'])"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("debug", ["false", "true"])
def test_without_database_url_the_settings_refuse_to_start_and_name_it(debug):
    proc = settings_of(DJANGO_DEBUG=debug)
    assert proc.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is not set" in proc.stderr


def test_a_sqlite_database_url_is_refused():
    proc = settings_of(DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert proc.returncode != 0
    assert "DATABASE_URL must be a postgres:// URL" in proc.stderr


def test_the_broker_and_the_cache_follow_redis_url():
    proc = settings_of(DATABASE_URL="postgres://u@127.0.0.1:5432/d", REDIS_URL="redis://127.0.0.1:6390/0")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["django.db.backends.postgresql", "redis://127.0.0.1:6390/0", "redis://127.0.0.1:6390/1"]


def lib(script: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f"source scripts/lib.sh; {script}"], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_a_taken_redis_port_is_left_alone_and_another_chosen():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = lib(f"redis_port {port}")
    assert proc.returncode == 0, proc.stderr
    chosen = int(proc.stdout.strip())
    assert chosen != port
    assert f"port {port} is in use: this run's Redis listens on {chosen}" in proc.stderr


def test_run_sh_points_the_broker_and_the_cache_at_the_redis_it_started():
    text = (ROOT / "scripts/run.sh").read_text()
    assert 'export REDIS_URL="redis://127.0.0.1:$R_PORT/0"' in text
    assert "CELERY_BROKER_URL=" not in text and "DJANGO_CACHE_URL=" not in text  # both derived from REDIS_URL


@pytest.mark.skipif(shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")),
                    reason="needs PostgreSQL's server binaries")
def test_the_run_cluster_keeps_its_data_between_runs():
    work = Path(tempfile.mkdtemp(prefix="daihuo-runpg-"))  # /tmp: the postgres user can reach it
    work.chmod(0o755)
    pg = work / "pg"
    write = (
        f'run_postgres {pg}; echo "$PG_STARTED $DATABASE_URL"; '
        f'pg psql "$DATABASE_URL" -qc "create table kept (x int); insert into kept values (42)"; stop_run_postgres {pg}'
    )
    first = lib(write)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 postgres://postgres@127.0.0.1:")
    assert "creating the PostgreSQL cluster" in first.stderr
    again = lib(f'run_postgres {pg}; pg psql "$DATABASE_URL" -tAc "select x from kept"; stop_run_postgres {pg}')
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "42"
    assert "creating the PostgreSQL cluster" not in again.stderr  # started again, not created
    assert not (pg / "data" / "postmaster.pid").exists()  # stopped at the end
    shutil.rmtree(work, ignore_errors=True)


def test_gunicorn_logs_in_the_time_zone_of_the_app():
    from django.conf import settings

    text = (ROOT / "config/gunicorn.py").read_text()
    assert f'os.environ["TZ"] = "{settings.TIME_ZONE}"' in text
