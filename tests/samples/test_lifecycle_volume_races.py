"""V6/V7 under concurrency, on PostgreSQL with real threads and their own connections."""

import threading

import pytest
from django.core import mail

from core.models import Notification
from samples import services, services_volume
from samples.models import ExtensionRequest, SampleRequest
from tests.samples.factories import T0, H, M, received_at, request_at, travel
from tests.samples.test_races import run_in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_v6_two_overlapping_reminder_sweeps_send_each_reminder_once_in_app_and_by_email():
    samples = [request_at(T0) for _ in range(15)]
    for sample in samples:
        sample.merchant.user.email = f"m{sample.pk}@example.com"
        sample.merchant.user.save()
    start = threading.Barrier(2)

    def sweep():
        start.wait(timeout=10)
        return services.sweep_reminders()

    mail.outbox = []
    with travel(T0 + 24 * H):
        results, errors = run_in_threads(("a", sweep), ("b", sweep))
    assert not errors
    assert results["a"] + results["b"] == 15
    for sample in samples:
        assert Notification.objects.filter(dedupe_key=services.reminder_key(sample.pk, "decide-half")).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{s.pk}@example.com" for s in samples)


def test_v7_merchant_refusing_while_the_grant_sweep_runs_one_of_them_wins_cleanly():
    sample = received_at(T0)
    with travel(T0 + H):
        services_volume.sample_extension_request(sample=sample, by=sample.creator.user, reason="档期")
    start = threading.Barrier(2)

    def refuse():
        start.wait(timeout=10)
        return services_volume.sample_extension_refuse(sample=sample, by=sample.merchant.user, reason="不行")

    def sweep():
        start.wait(timeout=10)
        return services_volume.sweep_grant_extensions(now=T0 + 49 * H)

    with travel(T0 + 48 * H + 59 * M):  # the person acts just before the mark; the sweep runs as if at the mark
        results, errors = run_in_threads(("refuse", refuse), ("sweep", sweep))
    ext = ExtensionRequest.objects.get(sample=sample)
    assert ext.state in (ExtensionRequest.State.REFUSED, ExtensionRequest.State.GRANTED)
    assert set(errors) <= {"refuse"}  # the sweep never fails; a losing person is told why
    if ext.state == ExtensionRequest.State.GRANTED:
        assert SampleRequest.objects.get(pk=sample.pk).fulfil_by == ext.fulfil_by_after
    else:
        assert results["sweep"] == 0

