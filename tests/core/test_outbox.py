"""core.outbox (#23): a task a change asks for is a row of the change's own transaction; the
relay hands each row to the broker once, however many relays run."""

from __future__ import annotations

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from core import notifications, outbox
from core.models import Notification, OutboxMessage
from tests import factories


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_the_message_is_a_row_of_the_transaction_and_nothing_is_sent_before_commit(settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: only the relay sends
    user = factories.UserFactory(email="m@example.test")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            note = notifications.notify(user=user, title="审核通过")
            row = OutboxMessage.objects.get()
            assert (row.task, row.args, row.sent_at) == ("core.tasks.send_notification_email", [note.pk], None)
    assert callbacks == []  # the request asks nothing of the broker after commit either
    assert mail.outbox == [] and OutboxMessage.objects.get().sent_at is None


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="m@example.test")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Boom), transaction.atomic():
        notifications.notify(user=user, title="审核通过")
        raise Boom
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_the_relay_hands_each_row_over_once_and_marks_it(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    for pk in range(5):
        outbox.enqueue("core.tasks.send_notification_email", pk)
    published = []
    assert outbox.relay(batch=2, publish=lambda row: published.append(row.args)) == 5
    assert published == [[0], [1], [2], [3], [4]]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert outbox.relay(publish=lambda row: published.append(row.args)) == 0 and len(published) == 5


@pytest.mark.django_db
def test_a_broker_failing_midway_keeps_what_was_handed_over_and_the_rest_waits(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    for pk in range(4):
        outbox.enqueue("core.tasks.send_notification_email", pk)
    published = []

    def frozen_after_two(row):
        if len(published) == 2:
            raise TimeoutError("Timeout reading from socket")
        published.append(row.args[0])

    with pytest.raises(outbox.BrokerUnavailable) as stopped:
        outbox.relay(publish=frozen_after_two)
    assert stopped.value.sent == 2
    assert list(OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk").values_list("args", flat=True)) == [[2], [3]]
    assert outbox.relay(publish=lambda row: published.append(row.args[0])) == 2  # the broker is back
    assert published == [0, 1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_two_relays_racing_hand_each_row_over_exactly_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    outbox.enqueue_many("api.tasks.deliver_webhook", [[pk] for pk in range(120)])
    published: list[int] = []
    by: dict[str, int] = {"a": 0, "b": 0}
    lock = threading.Lock()
    start = threading.Barrier(2)
    errors = []

    def relay(name: str) -> None:
        def publish(row):
            time.sleep(0.002)  # a broker round trip: the other relay runs meanwhile
            with lock:
                published.append(row.args[0])
                by[name] += 1

        try:
            start.wait(timeout=10)
            outbox.relay(batch=7, publish=publish)
        except Exception as exc:  # noqa: BLE001  reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=relay, args=(name,)) for name in by]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(published) == list(range(120))  # every row once, none twice
    assert by["a"] and by["b"]  # both relays took part: the rows were really fought over
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_eager_mode_runs_the_task_after_commit_once(django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="m@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=user, title="审核通过")
    assert [m.subject for m in mail.outbox] == ["审核通过"]
    assert OutboxMessage.objects.get().sent_at is not None
    outbox._run_inline(list(OutboxMessage.objects.values_list("pk", flat=True)))  # a second look sends nothing
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sent_rows_are_pruned_after_two_days(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.CELERY_TASK_ALWAYS_EAGER = False
    for pk in range(3):  # sent long ago, sent now, waiting
        outbox.enqueue("core.tasks.send_notification_email", pk)
    OutboxMessage.objects.filter(args=[0]).update(sent_at=timezone.now() - outbox.KEEP_SENT - timedelta(minutes=1))
    OutboxMessage.objects.filter(args=[1]).update(sent_at=timezone.now())
    assert outbox.prune() == 1
    assert sorted(OutboxMessage.objects.values_list("args", flat=True)) == [[1], [2]]


@pytest.mark.django_db
def test_a_sweep_on_a_worker_relays_its_rows_when_it_commits_and_a_web_request_never(settings, monkeypatch,
                                                                                     django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    published = []
    monkeypatch.setattr(outbox, "_publish", lambda row: published.append(row.args))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tasks.send_notification_email", 1)  # a web request: left for the beat relay
    assert published == []
    monkeypatch.setattr(outbox, "_in_worker", lambda: True)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.tasks.send_notification_email", 2)  # a sweep's transaction
    assert published == [[1], [2]] and not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_in_worker_is_false_outside_a_task_and_in_an_eager_one():
    from celery import shared_task

    assert outbox._in_worker() is False

    @shared_task
    def probe() -> bool:
        return outbox._in_worker()

    assert probe.apply().get() is False


def test_every_wait_on_redis_is_bounded_in_the_real_settings():
    """#23: the relay, beat and workers give up on a frozen broker within seconds, the cache's
    one user within half a second (the settings the Celery app and the cache really read)."""
    import config.settings as real
    from config.celery import app

    options = app.conf.broker_transport_options
    assert options == real.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] <= 5 and options["socket_connect_timeout"] <= 2
    assert app.conf.broker_connection_timeout <= 2 and app.conf.task_publish_retry is False
    assert real.CACHES["default"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    assert app.conf.beat_schedule["outbox-relay"]["task"] == "core.tasks.relay_outbox"
