"""The date-bomb guard: `--clock-at=2030-01-15` runs the tests with the whole process's clock
moved to that instant (time-machine, ticking), so a test that builds a fixed instant and then
acts at the wall clock fails on the day the suite is run ahead, not on the day it comes.

The clock moves by one offset, taken once by the controller: each xdist worker, and each
process a test starts (a Celery worker, a server: `tests/clock_site/sitecustomize.py`), runs
at real time plus that offset, so they all agree on "now". Tests that travel keep working:
`time_machine.travel(T0)` inside nests over the moved clock and returns to it. PostgreSQL's
own `now()` is not moved: code that mixed the database's clock with Python's would show here.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
OFFSET_VARIABLE = "DAIHUO_TEST_CLOCK_OFFSET"
SITE = Path(__file__).resolve().parent / "clock_site"
_traveller = None


def pytest_addoption(parser):
    parser.addoption(
        "--clock-at", default=None, metavar="ISO-DATE",
        help="run with the process clock moved to this instant (Asia/Shanghai unless it says), ticking",
    )


def moved_to(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=PLATFORM_TZ)


def pytest_configure(config):
    global _traveller
    value = config.getoption("--clock-at")
    if not value or _traveller is not None:
        return
    if OFFSET_VARIABLE not in os.environ:  # the controller (xdist workers inherit its environment)
        os.environ[OFFSET_VARIABLE] = str((moved_to(value) - datetime.now(UTC)).total_seconds())
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE), os.environ.get("PYTHONPATH")]))
    if getattr(sys.modules.get("sitecustomize"), "MOVED", False):
        return  # an xdist worker: its clock was moved at start-up, by the same offset
    offset = timedelta(seconds=float(os.environ[OFFSET_VARIABLE]))
    _traveller = time_machine.travel(datetime.now(UTC) + offset, tick=True)
    _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    value = config.getoption("--clock-at")
    if value:
        return f"clock guard: the process clock is moved to {moved_to(value).isoformat()} (ticking)"
    return None


@pytest.fixture(scope="session")
def clock_moved(pytestconfig) -> datetime | None:
    """The instant the guard moved the clock to, or None on an ordinary run."""
    value = pytestconfig.getoption("--clock-at")
    return moved_to(value) if value else None
