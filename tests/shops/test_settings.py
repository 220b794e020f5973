"""Settings come from the environment, strictly parsed, and fail closed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_debug_off_without_secret_key_refuses_to_start():
    proc = run_manage("check", DJANGO_DEBUG="false")
    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY" in proc.stderr


def test_debug_is_parsed_strictly():
    proc = run_manage("check", DJANGO_DEBUG="maybe")
    assert proc.returncode != 0


def test_deploy_check_passes_with_debug_off_and_settings_set():
    proc = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 64 + "-a-long-random-production-secret-value",
        DJANGO_ALLOWED_HOSTS="desk.example.com",
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
