"""Settings come from the environment, strictly parsed, and fail closed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    # A database named (the settings require one; `check` never connects): each refusal
    # below is then for the reason its test names.
    env["DATABASE_URL"] = "postgres://check@127.0.0.1:1/check"
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


def test_a_secret_can_come_from_a_file_named_by_its_FILE_variable(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("y" * 64 + "-from-a-file-kept-out-of-the-environment\n")
    proc = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY_FILE=str(key), DJANGO_ALLOWED_HOSTS="desk.example.com",
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_a_secret_set_both_directly_and_by_file_refuses_to_start(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("z" * 80)
    proc = run_manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="a" * 80, DJANGO_SECRET_KEY_FILE=str(key))
    assert proc.returncode != 0 and "DJANGO_SECRET_KEY_FILE" in proc.stderr


def test_an_unreadable_secret_file_refuses_to_start(tmp_path):
    proc = run_manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert proc.returncode != 0 and "cannot read" in proc.stderr


def test_an_unknown_log_format_or_media_storage_refuses_to_start():
    assert run_manage("check", DJANGO_DEBUG="true", DJANGO_LOG_FORMAT="xml").returncode != 0
    assert run_manage("check", DJANGO_DEBUG="true", DJANGO_MEDIA_STORAGE="ftp").returncode != 0


def test_smtp_comes_from_one_url_given_directly_or_by_file(tmp_path):
    url_file = tmp_path / "email_url"
    url_file.write_text("smtp+tls://desk:pw@mail.example.com:587\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="true", DJANGO_EMAIL_URL_FILE=str(url_file), DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "mail.example.com", "587", "True"], proc.stderr
