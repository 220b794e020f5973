"""V6 reminders (samples.services.reminders) under concurrency, on PostgreSQL with real
threads and their own connections."""

import threading

import pytest
from django.core import mail

from core.models import Notification
from samples.services import reminders
from tests.samples.concurrency import run_in_threads
from tests.samples.factories import T0, H, request_at, travel

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_v6_two_overlapping_reminder_sweeps_send_each_reminder_once_in_app_and_by_email():
    samples = [request_at(T0) for _ in range(15)]
    for sample in samples:
        sample.merchant.user.email = f"m{sample.pk}@example.com"
        sample.merchant.user.save()
    start = threading.Barrier(2)

    def sweep():
        start.wait(timeout=10)
        return reminders.sweep_reminders()

    mail.outbox = []
    with travel(T0 + 24 * H):
        results, errors = run_in_threads(("a", sweep), ("b", sweep))
    assert not errors
    assert results["a"] + results["b"] == 15
    for sample in samples:
        assert Notification.objects.filter(dedupe_key=reminders.reminder_key(sample.pk, "decide-half")).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{s.pk}@example.com" for s in samples)
