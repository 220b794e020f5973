"""The run command's pieces: the restart wrapper of each Procfile line, the error pages."""

import signal
import subprocess
import time
from pathlib import Path

from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

ROOT = Path(__file__).resolve().parents[2]


def test_a_process_that_dies_is_reported_and_started_again_until_stopped(tmp_path):
    runs = tmp_path / "runs"
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts/supervise.sh"), "demo", "bash", "-c", f"echo run >>{runs}; exit 3"],
        stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not runs.exists() or runs.read_text().count("run") < 2):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert runs.read_text().count("run") >= 2
    assert "demo exited with status 3; restarting" in proc.stderr.read()


def test_stopping_the_wrapper_stops_the_process_it_runs(tmp_path):
    pidfile = tmp_path / "pid"
    # A shell cannot trap a signal it was started with ignored, and a test process may carry
    # SIGINT ignored (inherited from whatever ran it): start the wrapper as a terminal would.
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts/supervise.sh"), "sleeper", "bash", "-c", f"echo $$ >{pidfile}; exec sleep 60"],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (pidfile.exists() and pidfile.read_text().strip()):
        time.sleep(0.05)
    child = int(pidfile.read_text())
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    time.sleep(0.2)
    assert subprocess.run(["kill", "-0", str(child)], capture_output=True).returncode != 0


def test_the_500_page_is_chinese_and_needs_neither_request_context_nor_database():
    request = RequestFactory().get("/boom")
    with translation.override("zh-hans"):
        resp = defaults.server_error(request)
    assert resp.status_code == 500
    assert "出错了" in resp.content.decode()


def test_every_procfile_process_runs_under_the_restart_wrapper():
    for procfile in ("Procfile", "Procfile.dev"):
        lines = [line for line in (ROOT / procfile).read_text().splitlines() if line and not line.startswith("#")]
        assert {line.split(":", 1)[0] for line in lines} == {"redis", "web", "worker", "beat"}
        for line in lines:
            name, command = line.split(":", 1)
            assert command.split()[:2] == ["scripts/supervise.sh", name], line


def test_redis_keeps_queued_tasks_across_a_restart_in_an_append_only_file():
    line = next(x for x in (ROOT / "Procfile").read_text().splitlines() if x.startswith("redis:"))
    assert "--appendonly yes" in line and "--dir ${REDIS_DIR}" in line
    assert "REDIS_DIR=var/redis" in (ROOT / "scripts/run.sh").read_text()


def test_a_worker_never_gives_up_on_the_broker():
    from config.celery import app

    assert app.conf.broker_connection_max_retries is None
    assert app.conf.broker_connection_retry_on_startup is True
