"""The hardening figures: what this run proved, counted from the tests that ran.

Tests say what they prove with a marker:

    @pytest.mark.hardening(invariant=1, racers=20)   # an invariant raced by 20 real racers
    @pytest.mark.hardening(fault=1)                  # a fault injected and survived
    @pytest.mark.hardening(hostile=40)               # 40 hostile inputs refused cleanly

The marker's numbers travel with each test report as user properties (so they reach the
controller under pytest-xdist); the controller adds them up over the tests that PASSED,
counts every hardening test that FAILED as a violation, and writes
reports/hardening.json at the end of the session:

    {"database": "postgresql", "invariants": N, "racers_min": N, "hostile_inputs": N,
     "faults": N, "violations": 0}
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MARK = "hardening"
KEYS = ("invariant", "racers", "fault", "hostile")
PREFIX = "hardening."
REPORT = Path(__file__).resolve().parents[2] / "reports" / "hardening.json"


def marker_figures(item) -> dict[str, int] | None:
    """The marker's numbers of one test, checked: a typo must not count silently as zero."""
    marker = item.get_closest_marker(MARK)
    if marker is None:
        return None
    unknown = set(marker.kwargs) - set(KEYS)
    if marker.args or unknown:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.hardening takes only {', '.join(KEYS)} as keywords (got {marker.args or sorted(unknown)})")
    figures = {key: marker.kwargs[key] for key in KEYS if key in marker.kwargs}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in figures.values()):
        raise pytest.UsageError(f"{item.nodeid}: the hardening marker's numbers are whole numbers ≥ 0 (got {figures})")
    if figures.get("invariant") and not figures.get("racers"):
        raise pytest.UsageError(f"{item.nodeid}: an invariant says how many racers it ran (racers=N)")
    return figures


def pytest_collection_modifyitems(config, items):
    for item in items:
        figures = marker_figures(item)
        if figures is not None:
            item.user_properties.append((PREFIX + "test", 1))
            item.user_properties.extend((PREFIX + key, value) for key, value in figures.items())


class Tally:
    """What the reports said, on the process that receives them all (the controller)."""

    def __init__(self):
        self.invariants = self.hostile = self.faults = 0
        self.racers: list[int] = []
        self.failed: set[str] = set()

    def add(self, report) -> None:
        props = {name[len(PREFIX):]: value for name, value in report.user_properties if str(name).startswith(PREFIX)}
        if not props:
            return
        if report.failed:
            self.failed.add(report.nodeid)  # in setup, call or teardown: a violation either way
        elif report.when == "call" and report.passed:
            self.invariants += props.get("invariant", 0)
            self.faults += props.get("fault", 0)
            self.hostile += props.get("hostile", 0)
            if props.get("invariant"):
                self.racers.append(props["racers"])

    def figures(self, database: str) -> dict:
        return {
            "database": database,
            "invariants": self.invariants,
            "racers_min": min(self.racers) if self.racers else 0,
            "hostile_inputs": self.hostile,
            "faults": self.faults,
            "violations": len(self.failed),
        }


def database_vendor() -> str:
    try:
        from django.db import connection

        return connection.vendor
    except Exception:  # Django not configured: nothing ran against a database
        return "none"


_tally = Tally()


def pytest_configure(config):
    global _tally
    _tally = Tally()


def pytest_runtest_logreport(report):
    _tally.add(report)


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller receives its reports and writes the file
    figures = _tally.figures(database_vendor())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    session.config._hardening_figures = figures


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    figures = getattr(config, "_hardening_figures", None)
    if figures:
        terminalreporter.write_line("hardening: " + json.dumps(figures, ensure_ascii=False) + f" -> {REPORT.relative_to(REPORT.parents[1])}")
