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


def start_web(tmp_path: Path, broker_url: str, port: int, *, name: str = "web", **extra: str) -> tuple[subprocess.Popen, Path]:
    """gunicorn as the Procfile runs it (the product's config file, 2 workers, --timeout 30),
    with debug off, on 127.0.0.1 only; returns it and its log."""
    log_path = tmp_path / f"{name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    env = env_for(broker_url, DJANGO_DEBUG="false", DJANGO_SECURE_COOKIES="false", DJANGO_SECURE_SSL_REDIRECT="false",
                  DJANGO_HSTS_SECONDS="0", DJANGO_ALLOWED_HOSTS="127.0.0.1", **extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "30", "--graceful-timeout", "5", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return proc, log_path


class Browser:
    """One person's browser against a live server: cookies, the CSRF token, no redirect followed
    by itself, every answer timed (`slowest` keeps the worst: path and seconds)."""

    def __init__(self, base: str) -> None:
        import http.cookiejar
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.timings: list[tuple[float, str, int]] = []

    def request(self, path: str, data: dict | None = None, *, timeout: float = 40) -> tuple[int, str, str]:
        import urllib.error
        import urllib.parse
        import urllib.request

        body = None
        headers = {}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
            headers["X-CSRFToken"] = token
            headers["Referer"] = self.base + path
        started = time.monotonic()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers), timeout=timeout) as resp:
                status, text, location = resp.status, resp.read().decode(errors="replace"), resp.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, text, location = exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")
        except OSError as exc:  # no answer at all (a timeout, a refused connection)
            status, text, location = -1, repr(exc), ""
        self.timings.append((time.monotonic() - started, path, status))
        return status, text, location

    def login(self, username: str, password: str) -> bool:
        self.request("/accounts/login/")
        return self.request("/accounts/login/", {"username": username, "password": password})[0] == 302

    def act(self, path: str, data: dict) -> tuple[int, int, str]:
        """POST a form as the page does, then open the page it leads to: (POST status, page status, page)."""
        status, text, location = self.request(path, data)
        if status != 302:
            return status, status, text
        page_status, page, _ = self.request(location.removeprefix(self.base))
        return status, page_status, page

    def slowest(self) -> tuple[float, str, int]:
        return max(self.timings, default=(0.0, "", 0))
