"""The hardening figures: what this run proved, measured while the tests ran (#23).

A test says it is a hardening test with a bare marker, and reports what it actually did
through the `hardening` fixture (or the race helpers, which report their racers):

    @pytest.mark.hardening
    def test_…(hardening):
        out = race(24, work)          # records racers=24: the racers that ran to the end
        assert …                      # the invariant
        hardening.invariant()         # one invariant held, under that race
        hardening.hostile(len(sent))  # hostile inputs sent and refused cleanly
        hardening.fault()             # a fault injected and survived

The numbers used to be literals in the marker (`hardening(racers=20, hostile=40)`), which
nothing checked: a parametrized test declared its whole list once per case. Now a passed
hardening test that measured nothing fails, as does an invariant without racers.

The measured numbers travel with each test report as user properties (so they reach the
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


class Recorder:
    """What one test did, as it did it."""

    def __init__(self) -> None:
        self.invariants = self.faults = self.hostiles = 0
        self.racer_counts: list[int] = []

    def racers(self, n: int) -> None:
        """A race ran with n racers (the helpers call this with the racers that finished)."""
        self.racer_counts.append(_count(n))

    def invariant(self, n: int = 1) -> None:
        self.invariants += _count(n)

    def hostile(self, n: int = 1) -> None:
        self.hostiles += _count(n)

    def fault(self, n: int = 1) -> None:
        self.faults += _count(n)

    def figures(self) -> dict[str, int]:
        figures = {"invariant": self.invariants, "fault": self.faults, "hostile": self.hostiles}
        if self.racer_counts:
            figures["racers"] = min(self.racer_counts)  # the weakest race of the test
        return {key: value for key, value in figures.items() if value}


def _count(n) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise TypeError(f"a hardening figure is a whole number ≥ 0 (got {n!r})")
    return n


_current: list[Recorder] = []


def recorder() -> Recorder:
    """The running test's recorder (a scratch one outside a test, e.g. a helper's own test)."""
    return _current[-1] if _current else Recorder()


@pytest.fixture
def hardening(request) -> Recorder:
    return request.node._hardening_recorder


def is_hardening(item) -> bool:
    """Whether the test is a hardening test; the marker takes no numbers any more."""
    marker = item.get_closest_marker(MARK)
    if marker is None:
        return False
    if marker.args or marker.kwargs:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.hardening takes no numbers: the test measures them "
                                f"(the hardening fixture; got {marker.args or marker.kwargs})")
    return True


def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_hardening(item):
            item.user_properties.append((PREFIX + "test", 1))


def measured_problem(figures: dict[str, int]) -> str | None:
    if not figures:
        return "a hardening test that passed measured nothing (call the hardening fixture with what it ran)"
    if figures.get("invariant") and not figures.get("racers"):
        return "an invariant was recorded without a race (racers=N)"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item._hardening_recorder = Recorder()  # before the fixtures: the hardening fixture hands it out
    _current.append(item._hardening_recorder)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # a failing test raises here: its own failure is the report, not ours
    if is_hardening(item):
        figures = item._hardening_recorder.figures()
        item.user_properties.extend((PREFIX + key, value) for key, value in figures.items())
        problem = measured_problem(figures)
        if problem:
            raise AssertionError(f"{item.nodeid}: {problem}")
    return result


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    recorder = getattr(item, "_hardening_recorder", None)
    if recorder is not None and recorder in _current:
        _current.remove(recorder)


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
    if session.config.getoption("--clock-at", default=None):
        return  # the date-bomb guard's reruns of some modules: the suite's figures stay as the suite measured them
    figures = _tally.figures(database_vendor())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    session.config._hardening_figures = figures


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    figures = getattr(config, "_hardening_figures", None)
    if figures:
        terminalreporter.write_line("hardening: " + json.dumps(figures, ensure_ascii=False) + f" -> {REPORT.relative_to(REPORT.parents[1])}")
