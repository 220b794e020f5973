"""V7 extensions (samples.services.extensions and the grant sweep) under concurrency, on
PostgreSQL with real threads and their own connections."""

import threading

import pytest

from core.fsm import stale_message
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, sweeps
from tests.samples.concurrency import run_in_threads
from tests.samples.factories import T0, H, M, received_at, travel

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_v7_merchant_refusing_while_the_grant_sweep_runs_one_of_them_wins_cleanly():
    sample = received_at(T0)
    with travel(T0 + H):
        extensions.sample_extension_request(sample=sample, by=sample.creator.user, reason="档期")
    start = threading.Barrier(2)

    def refuse():
        start.wait(timeout=10)
        return extensions.sample_extension_refuse(sample=sample, by=sample.merchant.user, reason="不行")

    def sweep():
        start.wait(timeout=10)
        return sweeps.sweep_grant_extensions(now=T0 + 49 * H)

    with travel(T0 + 48 * H + 59 * M):  # the person acts just before the mark; the sweep runs as if at the mark
        results, errors = run_in_threads(("refuse", refuse), ("sweep", sweep))
    ext = ExtensionRequest.objects.get(sample=sample)
    assert ext.state in (ExtensionRequest.State.REFUSED, ExtensionRequest.State.GRANTED)
    assert "sweep" not in errors  # the sweep never fails; a losing person is told why
    if ext.state == ExtensionRequest.State.GRANTED:
        assert SampleRequest.objects.get(pk=sample.pk).fulfil_by == ext.fulfil_by_after
        assert errors["refuse"].messages == [stale_message(ext)]
    else:
        assert "refuse" not in errors and results["sweep"] == 0
