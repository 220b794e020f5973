"""AP2 under concurrency: reviewers deciding one appeal at once, on PostgreSQL with real
threads and their own connections: exactly one decision, the others told it moved on."""

import threading

import pytest

from core.fsm import stale_message
from samples.models import SampleAppeal, SampleRequest
from samples.services import appeals
from tests import factories
from tests.samples.concurrency import run_in_threads
from tests.samples.factories import T0, H, outcome, travel

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_ap2_twenty_reviewers_deciding_at_once_make_exactly_one_decision(settings, tmp_path):
    settings.FILINGS_PRIVATE_ROOT = str(tmp_path)
    sample = outcome(SampleRequest.State.BREACHED, T0)
    with travel(T0 + H):
        appeal = appeals.sample_appeal_file(sample=sample, by=sample.creator.user, reason="误判")
    reviewers = [factories.StaffFactory(username=f"race-reviewer-{i}") for i in range(20)]
    start = threading.Barrier(20)

    def decide(i):
        def run():
            start.wait(timeout=20)
            action = appeals.sample_appeal_uphold if i % 2 else appeals.sample_appeal_dismiss
            return action(appeal=appeal, by=reviewers[i], reason=f"审核员 {i}")
        return run

    with travel(T0 + 2 * H):
        results, errors = run_in_threads(*[(f"r{i}", decide(i)) for i in range(20)])
    assert len(results) == 1 and len(errors) == 19
    final = SampleAppeal.objects.get(pk=appeal.pk)
    (winner,) = results
    assert final.decided_by == reviewers[int(winner[1:])]
    expected = SampleRequest.State.EXCUSED if final.state == SampleAppeal.State.UPHELD else SampleRequest.State.BREACHED
    assert SampleRequest.objects.get(pk=sample.pk).state == expected
    assert all(e.messages == [stale_message(final)] for e in errors.values())
