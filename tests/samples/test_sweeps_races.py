"""Sweeps (samples.services.sweeps) under concurrency, on PostgreSQL with real threads and their own connections:
two sweeps at once move each row once, and a person racing a sweep on the same row
either wins (the sweep skips the locked row) or loses and is told."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm_log.models import StateLog

from core.clocks import all_clocks
from core.fsm import stale_message
from samples import messages as msg
from samples.models import SampleRequest
from samples.services import requests, shipping, sweeps
from tests.samples.concurrency import run_in_threads, wait_until_someone_waits_for_a_lock
from tests.samples.factories import T0, H, M, request_at, shipped_at, travel

pytestmark = [pytest.mark.django_db(transaction=True)]
S = SampleRequest.State


def test_s4_two_sweeps_at_once_move_each_row_once(settings):
    settings.SAMPLES_SWEEP_BATCH = 3
    samples = [request_at(T0) for _ in range(20)]
    start = threading.Barrier(2)

    def sweep():
        start.wait(timeout=10)
        return sweeps.sweep_expire_undecided()

    with travel(T0 + 48 * H):
        results, errors = run_in_threads(("a", sweep), ("b", sweep))
    assert not errors
    assert results["a"] + results["b"] == 20
    for sample in samples:
        assert StateLog.objects.for_(sample).filter(state=S.EXPIRED).count() == 1
    assert SampleRequest.objects.filter(state=S.EXPIRED).count() == 20


def _pause_inside(thread_name: str, monkeypatch):
    """Make `thread_name` stop inside its transaction, row locked, until released."""
    locked, release = threading.Event(), threading.Event()

    def pausing(real):
        def paused(obj, name, **kwargs):
            result = real(obj, name, **kwargs)
            if threading.current_thread().name == thread_name:
                locked.set()
                release.wait(timeout=30)
            return result
        return paused

    # The S6 sweep and the creator's confirmation move the row in their own modules.
    for module in (sweeps, shipping):
        monkeypatch.setattr(module, "apply_transition", pausing(module.apply_transition))
    return locked, release


def test_s6_sweep_holding_the_row_wins_and_the_creator_is_told(monkeypatch):
    sample = shipped_at(T0)
    locked, release = _pause_inside("sweep", monkeypatch)

    def creator_confirms():
        locked.wait(timeout=30)
        return shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)

    with travel(T0 + 168 * H + M):
        def hold_then_release():
            try:
                wait_until_someone_waits_for_a_lock()  # the creator is now blocked on the sweep's row lock
            finally:
                release.set()
                connection.close()

        holder = threading.Thread(target=hold_then_release)
        holder.start()
        results, errors = run_in_threads(("sweep", sweeps.sweep_auto_receive), ("creator", creator_confirms))
        holder.join(timeout=30)
    assert results["sweep"] == 1
    assert isinstance(errors["creator"], ValidationError)
    assert errors["creator"].messages == [stale_message(SampleRequest.objects.get(pk=sample.pk))]  # "…now 已收货"
    assert "已收货" in errors["creator"].messages[0]
    logs = StateLog.objects.for_(sample)
    assert logs.count() == 3 and logs.latest("id").by is None  # approve, ship, then the sweep's receipt only


def test_s6_creator_holding_the_row_wins_and_the_sweep_skips_it(monkeypatch):
    sample = shipped_at(T0)
    locked, release = _pause_inside("creator", monkeypatch)

    def sweep_while_locked():
        locked.wait(timeout=30)
        try:
            return sweeps.sweep_auto_receive()  # SKIP LOCKED: does not wait for the creator
        finally:
            release.set()

    with travel(T0 + 168 * H + M):
        results, errors = run_in_threads(
            ("creator", lambda: shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)),
            ("sweep", sweep_while_locked),
        )
        assert sweeps.sweep_auto_receive() == 0  # the next run finds nothing left to move
    assert not errors and results["sweep"] == 0
    received = StateLog.objects.for_(sample).filter(state=S.RECEIVED)
    assert received.count() == 1 and received.get().by == sample.creator.user


def test_s4_merchant_and_sweep_race_on_a_due_request_exactly_one_moves_it(monkeypatch):
    """At the boundary the merchant is refused by the clock and the sweep expires the row once."""
    sample = request_at(T0)
    start = threading.Barrier(2)

    def merchant():
        start.wait(timeout=10)
        return requests.sample_request_approve(sample=sample, by=sample.merchant.user)

    def sweep():
        start.wait(timeout=10)
        return sweeps.sweep_expire_undecided()

    with travel(T0 + 48 * H):
        results, errors = run_in_threads(("merchant", merchant), ("sweep", sweep))
        sweeps.sweep_expire_undecided()  # had the merchant held the lock, the next run moves it
    expired = SampleRequest.objects.get(pk=sample.pk)
    assert expired.state == S.EXPIRED and StateLog.objects.for_(sample).count() == 1
    # Refused by the clock (the merchant locked the row first) or told the sweep moved it.
    assert isinstance(errors.get("merchant"), ValidationError)
    assert errors["merchant"].messages in ([str(msg.DECIDE_TOO_LATE)], [stale_message(expired)])


@pytest.mark.parametrize("timed", [c for c in all_clocks() if c.index_name], ids=lambda c: c.key)
def test_s4_to_s7_sweeps_find_due_rows_through_their_partial_index(timed):
    """Each declared clock's due query, as its sweep runs it (core.clocks), reads its partial index."""
    from django.utils import timezone

    due, index = timed.due(timezone.now()), timed.index_name
    with connection.cursor() as cur:
        # On an almost empty table the planner would scan, or pick any index and sort: with
        # both off, only an index that yields the rows in deadline order can serve.
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_sort = off")
        try:
            plan = due.explain()
        finally:
            cur.execute("RESET enable_seqscan")
            cur.execute("RESET enable_sort")
    assert index in plan
