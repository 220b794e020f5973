"""The date-bomb guard itself (tests/clock_guard.py, run by `make test` after the suite): a
test that depends on today's date passes today and fails under the moved clock, and a
process a test starts runs at the same moved instant as the test."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.clock_guard import OFFSET_VARIABLE, SITE

ROOT = Path(__file__).resolve().parents[1]

BOMB = '''
from datetime import datetime, timedelta

T0 = datetime(2026, 12, 1, 10, 0)


def test_made_at_t0_and_acted_on_at_the_wall_clock():
    made = T0
    assert datetime.now() - made < timedelta(days=365 * 2), "past its 48 h long ago"
'''


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_bomb.py").write_text(BOMB)
    env = {k: v for k, v in os.environ.items() if k not in (OFFSET_VARIABLE, "PYTHONPATH")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-p", "tests.clock_guard",
         "-c", os.devnull, "--rootdir", str(tmp_path), *args, str(tmp_path / "test_bomb.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_date_bomb_passes_today_and_fails_under_the_guard(tmp_path):
    today = _pytest(tmp_path)
    assert today.returncode == 0, today.stdout
    ahead = _pytest(tmp_path, "--clock-at=2030-01-15T10:00")
    assert ahead.returncode == 1 and "past its 48 h long ago" in ahead.stdout, ahead.stdout
    assert "clock guard: the process clock is moved to 2030-01-15T10:00:00+08:00" in ahead.stdout


def test_a_child_process_runs_at_the_moved_instant():
    # The child adds the offset to the real clock: under the guard this process's clock is
    # itself moved, by the offset in the environment.
    real_now = datetime.now(UTC) - timedelta(seconds=float(os.environ.get(OFFSET_VARIABLE, 0)))
    offset = (datetime(2031, 3, 1, tzinfo=UTC) - real_now).total_seconds()
    env = {**os.environ, OFFSET_VARIABLE: str(offset), "PYTHONPATH": str(SITE)}
    out = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.date.today().isoformat())"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()
    assert out.startswith("2031-0"), out
