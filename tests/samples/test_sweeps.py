"""The sweeps of the clocks (samples.services.sweeps) at their boundaries: S4 expire,
S5 cancel, S6 auto-receipt, S7 breach; batches, a bad row, and one clock."""

from datetime import timedelta

import pytest
from django_fsm_log.models import StateLog

from samples.filters import MerchantSampleFilter
from samples.models import SampleRequest
from samples.services import sweeps
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    log_of,
    received_at,
    reload,
    request_at,
    shipped_at,
    travel,
)

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# S4: expired at 48 h


def test_s4_nothing_happens_at_47h59m_and_the_request_expires_at_48h():
    sample = request_at(T0)
    assert sample.decide_by == T0 + 48 * H
    with travel(T0 + 47 * H + 59 * M):
        assert sweeps.sweep_expire_undecided() == 0
    assert reload(sample).state == S.REQUESTED
    with travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 1
    sample = reload(sample)
    assert sample.state == S.EXPIRED and sample.get_state_display() == "已取消（超时未审核）"
    entry = log_of(sample)[-1]
    assert entry.by is None and "samples.sweep_expire_undecided" in entry.description


def test_s4_double_sweep_moves_each_row_once():
    samples = [request_at(T0) for _ in range(3)]
    with travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 3
        assert sweeps.sweep_expire_undecided() == 0
    for sample in samples:
        assert [e.state for e in log_of(sample)] == ["expired"]


def test_s4_sweep_works_in_batches(settings):
    settings.SAMPLES_SWEEP_BATCH = 2
    for _ in range(5):
        request_at(T0)
    with travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 5
    assert SampleRequest.objects.filter(state=S.EXPIRED).count() == 5


def test_s4_a_failing_batch_rolls_back_whole_then_a_bad_row_is_logged_and_skipped_the_rest_move(monkeypatch, caplog):
    bad, good = request_at(T0), request_at(T0)
    real = sweeps.apply_transition

    def failing_batch(*args, **kwargs):
        raise RuntimeError("set path down")

    monkeypatch.setattr(sweeps, "claim_and_move", failing_batch)  # S4's set-based path: one statement

    def flaky(obj, name, **kwargs):
        if obj.pk == bad.pk:
            raise RuntimeError("boom")
        return real(obj, name, **kwargs)

    monkeypatch.setattr(sweeps, "apply_transition", flaky)
    with travel(T0 + 48 * H):
        assert sweeps.sweep_expire_undecided() == 1
    assert reload(bad).state == S.REQUESTED and reload(good).state == S.EXPIRED
    assert "one-statement batch rolled back" in caplog.text
    assert f"request #{bad.pk} skipped" in caplog.text
    assert not StateLog.objects.for_(bad).exists()  # nothing half-moved
    monkeypatch.setattr(sweeps, "apply_transition", real)
    with travel(T0 + 48 * H + M):
        assert sweeps.sweep_expire_undecided() == 1  # the next run finishes the job
    assert reload(bad).state == S.EXPIRED


# ---------------------------------------------------------------------------------------
# S5: cancelled at 120 h (late from 48 h)


def shown_late(merchant) -> set[int]:
    """The requests the merchant's inbox shows as late (S5, ours: the "late" filter)."""
    return set(
        MerchantSampleFilter({"attention": "late"}, queryset=SampleRequest.objects.all(), merchant=merchant).qs.values_list("pk", flat=True)
    )


def test_s5_shown_late_from_48h_and_cancelled_at_120h_not_at_119h59m():
    sample = approved_at(T0)
    assert (sample.ship_by, sample.ship_cancel_at) == (T0 + 48 * H, T0 + 120 * H)
    with travel(T0 + 47 * H + 59 * M):
        assert sample.pk not in shown_late(sample.merchant)
    with travel(T0 + 48 * H):
        assert sample.pk in shown_late(sample.merchant)
    with travel(T0 + 119 * H + 59 * M):
        assert sweeps.sweep_cancel_unshipped() == 0
    with travel(T0 + 120 * H):
        assert sweeps.sweep_cancel_unshipped() == 1
    sample = reload(sample)
    assert sample.state == S.CANCELLED and "samples.sweep_cancel_unshipped" in log_of(sample)[-1].description


# ---------------------------------------------------------------------------------------
# S6: received automatically at 168 h


def test_s6_auto_receive_at_168h_not_167h59m_and_the_360h_clock_starts_at_the_mark():
    sample = shipped_at(T0)
    with travel(T0 + 167 * H + 59 * M):
        assert sweeps.sweep_auto_receive() == 0
    with travel(T0 + 168 * H + 5 * M):  # the sweep runs a little after the mark
        assert sweeps.sweep_auto_receive() == 1
    sample = reload(sample)
    assert sample.state == S.RECEIVED
    assert sample.received_at == T0 + 168 * H
    assert sample.fulfil_by == T0 + 168 * H + 360 * H
    assert log_of(sample)[-1].by is None


# ---------------------------------------------------------------------------------------
# S7: breached at 360 h without a promotion


def test_s7_breached_at_360h_without_promotion_not_at_359h59m():
    sample = received_at(T0)
    with travel(T0 + 359 * H + 59 * M):
        assert sweeps.sweep_breach_unpromoted() == 0
    with travel(T0 + 360 * H):
        assert sweeps.sweep_breach_unpromoted() == 1
    sample = reload(sample)
    assert sample.state == S.BREACHED and "samples.sweep_breach_unpromoted" in log_of(sample)[-1].description


# ---------------------------------------------------------------------------------------
# One clock: a sweep's `now` is also the instant its transitions' conditions compare against


@pytest.mark.parametrize("make, sweep, field, moved_to", [
    (request_at, sweeps.sweep_expire_undecided, "decide_by", S.EXPIRED),  # S4
    (approved_at, sweeps.sweep_cancel_unshipped, "ship_cancel_at", S.CANCELLED),  # S5
    (shipped_at, sweeps.sweep_auto_receive, "auto_receive_at", S.RECEIVED),  # S6
], ids=["s4-expire", "s5-cancel", "s6-receive"])
def test_s4_to_s6_a_sweep_run_at_a_later_now_moves_the_rows_due_then_though_the_real_clock_is_earlier(make, sweep, field, moved_to):
    sample = make(T0)
    deadline = getattr(sample, field)
    with travel(T0 + H):  # the real clock: hours before any of these deadlines
        assert sweep(now=deadline - SEC) == 0
        assert sweep(now=deadline) == 1
    sample = reload(sample)
    assert sample.state == moved_to
    assert log_of(sample)[-1].by is None and f"samples.{sweep.__name__}" in log_of(sample)[-1].description
