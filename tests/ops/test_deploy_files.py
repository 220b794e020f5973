"""The deployment files say the same as the Procfile, and the guide explains every setting."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile_commands() -> dict[str, list[str]]:
    """Procfile process → its command, without the restart wrapper."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, command = line.split(":", 1)
        words = shlex.split(command)
        assert words[:2] == ["scripts/supervise.sh", name]
        commands[name] = words[2:]
    return commands


def same_command(procfile: list[str], other: list[str]) -> bool:
    """Word for word, where a ${VARIABLE} of the Procfile stands for any value."""
    if len(procfile) != len(other):
        return False
    for want, got in zip(procfile, other, strict=True):
        pattern = re.sub(r"\\\$\\\{\w+\\\}", ".+", re.escape(want))
        if not re.fullmatch(pattern, got):
            return False
    return True


def test_compose_runs_every_procfile_process_with_the_same_command():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    for name, command in procfile_commands().items():
        assert name in services, f"compose.yaml has no service {name}"
        got = services[name]["command"]
        got = shlex.split(got) if isinstance(got, str) else got
        assert same_command(command, got), f"{name}: Procfile {command} vs compose {got}"


def test_compose_runs_exactly_one_beat_and_restarts_what_dies():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    beats = [s for s in services.values() if "beat" in (s.get("command") or [])]
    assert len(beats) == 1 and "replicas" not in str(beats[0].get("deploy", ""))
    for name in procfile_commands():
        assert services[name].get("restart") == "unless-stopped"


def skeleton(words: list[str]) -> list[str]:
    """The program, its arguments and option names, without the options' values."""
    return [w for i, w in enumerate(words) if not (i and words[i - 1].startswith("--") and not w.startswith("-"))]


def test_systemd_units_run_the_procfile_commands():
    units = {"web": "daihuo-web.service", "worker": "daihuo-worker@.service", "beat": "daihuo-beat.service"}
    for name, command in procfile_commands().items():
        if name not in units:
            continue  # Redis and PostgreSQL come with the distribution's own units
        text = (ROOT / "deploy/systemd" / units[name]).read_text()
        (exec_start,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
        words = shlex.split(exec_start)
        words[0] = Path(words[0]).name  # the virtualenv's copy of the program
        want = skeleton(command)
        assert skeleton(words)[: len(want)] == want, f"{units[name]}: {words} vs Procfile {command}"


def test_the_worker_of_make_run_consumes_every_queue_the_routes_use():
    from config.celery import app

    routed = {route["queue"] for route in app.conf.task_routes.values()} | {app.conf.task_default_queue}
    worker = procfile_commands()["worker"]
    assert set(worker[worker.index("--queues") + 1].split(",")) == routed == {q.name for q in app.conf.task_queues}


def test_every_environment_variable_the_settings_read_is_explained_in_the_deploy_guide():
    settings = (ROOT / "config/settings.py").read_text()
    names = set(re.findall(r'(?:env\.\w+|secret|env_secret)\(\s*f?"([A-Z][A-Z0-9_]+)"', settings))
    assert len(names) > 15
    guide = (ROOT / "docs/deploy.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in guide)
    assert missing == []


@pytest.mark.parametrize("task", ["core.tasks.send_notification_email", "core.tasks.send_notification_emails",
                                  "core.tasks.send_pending_notification_emails"])
def test_every_e_mail_task_lands_on_the_email_queue(task):
    """A sweep's batch of e-mails (one task per batch) waits with the other e-mails, not on default."""
    from config.celery import app

    assert app.amqp.router.route({}, task, (), {})["queue"].name == "email"
