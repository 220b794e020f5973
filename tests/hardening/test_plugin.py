"""The figures of reports/hardening.json are counted from what the run did: sums over passed
tests, the fewest racers, and every failed hardening test as a violation."""

from types import SimpleNamespace

import pytest

from tests.hardening.plugin import PREFIX, Tally, marker_figures


def report(nodeid, outcome, when="call", **figures):
    props = [(PREFIX + "test", 1)] + [(PREFIX + k, v) for k, v in figures.items()]
    return SimpleNamespace(
        nodeid=nodeid, when=when, user_properties=props,
        passed=outcome == "passed", failed=outcome == "failed", skipped=outcome == "skipped",
    )


def test_tally_sums_passed_tests_and_counts_failed_ones_as_violations():
    tally = Tally()
    tally.add(report("a", "passed", invariant=1, racers=24))
    tally.add(report("b", "passed", invariant=1, racers=20))
    tally.add(report("c", "passed", hostile=40))
    tally.add(report("d", "passed", fault=1))
    tally.add(report("e", "failed", invariant=1, racers=2))  # not counted as proved, and a violation
    tally.add(report("f", "failed", when="setup", fault=1))  # an error before the call is a violation too
    tally.add(report("g", "skipped", hostile=5))
    tally.add(SimpleNamespace(nodeid="h", when="call", user_properties=[], passed=False, failed=True))  # not a hardening test
    assert tally.figures("postgresql") == {
        "database": "postgresql", "invariants": 2, "racers_min": 20, "hostile_inputs": 40, "faults": 1, "violations": 2,
    }


def test_tally_counts_a_test_that_fails_in_setup_and_teardown_once():
    tally = Tally()
    tally.add(report("a", "failed", when="call", fault=1))
    tally.add(report("a", "failed", when="teardown", fault=1))
    assert tally.figures("postgresql")["violations"] == 1


def item_with(*args, **kwargs):
    mark = pytest.mark.hardening(*args, **kwargs).mark
    return SimpleNamespace(nodeid="t", get_closest_marker=lambda name: mark if name == "hardening" else None)


@pytest.mark.parametrize("args, kwargs, problem", [
    ((), {"invariants": 1, "racers": 20}, "takes only"),  # a typo must not count as zero
    ((1,), {}, "takes only"),
    ((), {"hostile": -1}, "whole numbers"),
    ((), {"fault": True}, "whole numbers"),
    ((), {"invariant": 1}, "racers=N"),
])
def test_a_malformed_hardening_marker_stops_the_run(args, kwargs, problem):
    with pytest.raises(pytest.UsageError, match=problem):
        marker_figures(item_with(*args, **kwargs))


def test_a_wellformed_marker_gives_its_figures():
    assert marker_figures(item_with(invariant=1, racers=20)) == {"invariant": 1, "racers": 20}
