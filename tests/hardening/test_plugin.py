"""The figures of reports/hardening.json are counted from what the run did: sums over passed
tests, the fewest racers, and every failed hardening test as a violation."""

from types import SimpleNamespace

import pytest

from tests.hardening.plugin import PREFIX, Recorder, Tally, is_hardening, measured_problem


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


@pytest.mark.parametrize("args, kwargs", [((), {"racers": 20}), ((), {"hostile": 40}), ((1,), {})])
def test_a_marker_that_declares_numbers_stops_the_run(args, kwargs):
    """#23: the figures are measured; a number in the marker would be a claim nobody checks."""
    with pytest.raises(pytest.UsageError, match="takes no numbers"):
        is_hardening(item_with(*args, **kwargs))


def test_the_recorder_gives_what_was_measured():
    recorder = Recorder()
    recorder.racers(24)
    recorder.racers(20)
    recorder.invariant()
    recorder.hostile()
    recorder.hostile(3)
    assert recorder.figures() == {"invariant": 1, "racers": 20, "hostile": 4}  # the weakest race of the test
    with pytest.raises(TypeError):
        recorder.hostile(-1)


def test_a_hardening_test_that_measured_nothing_or_an_invariant_without_racers_fails():
    assert "measured nothing" in measured_problem({})
    assert "without a race" in measured_problem({"invariant": 1})
    assert measured_problem({"invariant": 1, "racers": 20}) is None and measured_problem({"hostile": 2}) is None


def test_a_race_reports_the_racers_that_ran(hardening):
    """The race helper measures: 20 racers that ran to the end are 20 (nothing declared)."""
    from tests.hardening.racing import race

    race(20, lambda i: i)
    assert hardening.figures() == {"racers": 20}
