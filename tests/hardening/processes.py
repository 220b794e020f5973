"""Real processes for the fault tests: a throwaway Redis, a Celery worker with its beat, and a
person working from another process, all against the test database. Every wait is a bounded
poll; every process is stopped by its own id (its process group) at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, every: float = 0.2, what: str = "") -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass (not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        threading.Event().wait(every)
    return bool(predicate())


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    """A Redis of this test alone (the suite's shared one is never touched), on loopback."""
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    assert wait_for(lambda: redis_answers(port), timeout=10), "the throwaway Redis did not start"
    return proc


def redis_answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def stop(proc: subprocess.Popen | None, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
    """Stop a process this test started, with its children (its own process group)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def env_for(broker_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.hardening.worker_settings",
        "DJANGO_SECRET_KEY": "fault-test-only",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DAIHUO_SWEEP_SECONDS": "1",
        **extra,
    }


def start_worker(tmp_path: Path, broker_url: str, *, name: str, embedded_beat: bool = True, **extra: str) -> tuple[subprocess.Popen, Path]:
    """`celery worker -B` (worker and embedded beat) in its own process group; returns it and its log.
    `embedded_beat=False`: the worker alone, as the Procfile runs it (start_beat runs the beat)."""
    log_path = tmp_path / f"{name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    beat = ["-B", f"--schedule={tmp_path / (name + '-beat')}"] if embedded_beat else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", *beat, "--pool=solo", "--loglevel=INFO",
         f"--hostname={name}-{os.getpid()}@%h"],
        cwd=ROOT, env=env_for(broker_url, **extra), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return proc, log_path


def start_beat(tmp_path: Path, broker_url: str, *, name: str, **extra: str) -> tuple[subprocess.Popen, Path]:
    """`celery beat` in its own process (as the Procfile runs it); returns it and its log."""
    log_path = tmp_path / f"{name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO", f"--schedule={tmp_path / (name + '-schedule')}"],
        cwd=ROOT, env=env_for(broker_url, **extra), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return proc, log_path


def worker_ready(log_path: Path) -> bool:
    return " ready." in log_path.read_text(errors="replace")


def run_person(broker_url: str, *args: object, timeout: float = 40) -> subprocess.CompletedProcess:
    """A person's action in a process of its own (as a web process would run it)."""
    return subprocess.run(
        [sys.executable, "-m", "tests.hardening.person", *map(str, args)],
        cwd=ROOT, env=env_for(broker_url), capture_output=True, text=True, timeout=timeout,
    )
