"""Faults on the real stack: Redis stopped while people work, a worker SIGKILLed in the middle
of a sweep, the database gone for a moment. Real processes (a Celery worker with its beat, a
throwaway Redis, a person's own process) against the test's PostgreSQL; bounded polls only."""

import os
import signal
import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from api.webhooks.delivery import webhook_endpoint_create
from api.webhooks.models import Event, WebhookDelivery
from core.models import Notification, OutboxMessage
from core.rules import rule_update
from ops.management.commands.soak import count_mail
from samples.models import SampleRequest
from samples.services import requests
from tests import factories
from tests.api.receiver import Receiver
from tests.flashsales.factories import LiveSessionFactory
from tests.hardening import processes as p
from tests.samples.factories import creator_with_address, eligible_product

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
S = SampleRequest.State


def decide_within(seconds: int) -> None:
    """S4's 48 h, in seconds for the test (the rules object is read by every process)."""
    rule_update(key="sample_decide", value=seconds, unit="seconds", by=factories.StaffFactory(), reason="fault test")


def tail(path) -> str:
    return path.read_text(errors="replace")[-3000:]


@pytest.mark.hardening
def test_redis_stopped_while_people_work_loses_nothing_and_worker_and_beat_reconnect(tmp_path, hardening):
    port = p.free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = p.start_redis(port, tmp_path / "redis")
    worker = beat = None
    decide_within(4)
    creator, product = creator_with_address(), eligible_product()
    try:
        # Worker and beat as separate processes, as the Procfile runs them: an embedded beat
        # (-B) took its worker down with it now and then when the broker went away (kombu's
        # AttributeError while closing), which production never runs.
        worker, log = p.start_worker(tmp_path, broker, name="outage", embedded_beat=False)
        beat, beat_log = p.start_beat(tmp_path, broker, name="outage-beat")
        assert p.wait_for(lambda: p.worker_ready(log), timeout=30), tail(log)

        p.stop(redis)  # Redis goes away
        assert not p.redis_answers(port)
        # A person asks for a sample while it is down: the request succeeds, nothing is lost.
        done = p.run_person(broker, "sample_request", creator.pk, product.pk)
        assert done.returncode == 0, done.stderr[-3000:]
        sample = SampleRequest.objects.get(pk=int(done.stdout.strip().splitlines()[-1]))
        assert sample.state == S.REQUESTED
        note = Notification.objects.get(user=product.shop.merchant.user)
        assert note.emailed_at is None  # its e-mail waits as an outbox row of the request's transaction
        assert OutboxMessage.objects.filter(task="core.tasks.send_notification_email", args=[note.pk], sent_at__isnull=True).exists()
        # The worker keeps retrying (no retry limit) instead of exiting.
        assert not p.wait_for(lambda: worker.poll() is not None, timeout=3), tail(log)

        redis = p.start_redis(port, tmp_path / "redis")  # back on the same port
        # Beat and worker reconnect by themselves: the S4 sweep expires the request (its 4 s ran out).
        assert p.wait_for(lambda: SampleRequest.objects.get(pk=sample.pk).state == S.EXPIRED, timeout=40), tail(log) + tail(beat_log)
        # The waiting e-mail goes by itself: the relay (a beat entry) hands its row to the worker.
        assert p.wait_for(lambda: Notification.objects.get(pk=note.pk).emailed_at is not None, timeout=30), tail(log) + tail(beat_log)
        assert worker.poll() is None
    finally:
        p.stop(worker)
        p.stop(beat)
        p.stop(redis)
    hardening.fault()


def logs_per_sample(pks) -> dict[int, int]:
    ct = ContentType.objects.get_for_model(SampleRequest)
    counts = dict.fromkeys(pks, 0)
    for row in StateLog.objects.filter(content_type=ct, object_id__in=pks).values("object_id").annotate(n=Count("id")):
        counts[row["object_id"]] = row["n"]
    return counts


@pytest.mark.hardening
def test_worker_sigkilled_mid_sweep_leaves_no_row_half_moved_and_the_restart_moves_each_once(tmp_path, hardening):
    port = p.free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = p.start_redis(port, tmp_path / "redis")
    worker = None
    decide_within(1)
    product = eligible_product()
    samples = [requests.sample_request_create(creator=c, product=product, by=c.user) for c in [creator_with_address() for _ in range(120)]]
    pks = [s.pk for s in samples]
    told_before = Notification.objects.count()
    try:
        # Small batches (one transaction each) so that the kill lands while the sweep is under way.
        worker, log = p.start_worker(tmp_path, broker, name="killed", DAIHUO_TEST_SWEEP_BATCH="3")
        expired = SampleRequest.objects.filter(pk__in=pks, state=S.EXPIRED)
        assert p.wait_for(lambda: expired.exists(), timeout=40, every=0.02), tail(log)
        p.stop(worker, sig=__import__("signal").SIGKILL)  # no goodbye: the open transaction dies with it
        moved = expired.count()
        assert 0 < moved < len(pks), f"the kill came after the sweep ended ({moved} moved): nothing was in flight"
        # No row half-moved: a moved row has its one recorded change and both messages; the rest none.
        logs = logs_per_sample(pks)
        moved_pks = set(expired.values_list("pk", flat=True))
        assert {pk for pk, n in logs.items() if n} == moved_pks and set(logs.values()) <= {0, 1}
        assert Notification.objects.count() - told_before == 2 * moved

        worker, log = p.start_worker(tmp_path, broker, name="restarted")
        assert p.wait_for(lambda: expired.count() == len(pks), timeout=40), tail(log)
        assert logs_per_sample(pks) == dict.fromkeys(pks, 1)  # each moved once, across the kill
        assert Notification.objects.count() - told_before == 2 * len(pks)
    finally:
        p.stop(worker)
        p.stop(redis)
    hardening.fault()


@pytest.mark.hardening
def test_database_gone_for_a_moment_gives_a_chinese_error_page_writes_nothing_and_recovers(monkeypatch, hardening):
    creator, product = creator_with_address(), eligible_product()
    client = Client(raise_request_exception=False)
    client.force_login(creator.user)
    url = reverse("samples:creator_request", kwargs={"product_pk": product.pk})
    db = settings.DATABASES["default"]
    name = db["NAME"]
    admin = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True)

    def cut_off(allow: bool) -> None:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allow else "false"}')
        if not allow:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])

    def post():
        response = client.post(url, {})
        # What Django's request_finished does after every request in production (the test
        # client disconnects it): a connection that failed is closed, the next request opens one.
        close_old_connections()
        return response

    try:
        # 1. The database goes away between two requests: the next one gets the error page.
        cut_off(allow=False)
        response = post()
        assert response.status_code in (500, 503)
        page = response.content.decode()
        assert "出错了" in page and "Traceback" not in page and "psycopg" not in page
    finally:
        cut_off(allow=True)
    assert not SampleRequest.objects.exists()

    # 2. The connection dies in the middle of the request, after the row is written but
    #    before the transaction commits: the error page again, and no partial write.
    from samples.services import requests as request_services

    real_tell = request_services.tell

    def dying_tell(**kwargs):
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        return real_tell(**kwargs)

    monkeypatch.setattr(request_services, "tell", dying_tell)
    response = post()
    assert response.status_code in (500, 503) and "出错了" in response.content.decode()
    assert not SampleRequest.objects.exists() and not Notification.objects.exists()
    monkeypatch.setattr(request_services, "tell", real_tell)

    # 3. Recovery by itself: the next request succeeds on a new connection.
    response = post()
    assert response.status_code == 302
    assert SampleRequest.objects.filter(creator=creator, product=product, state=S.REQUESTED).count() == 1
    admin.close()
    hardening.fault()


# #23 item 1: Redis frozen (SIGSTOP: a stalled host or a partition, no refusal, no answer) for
# this long while merchants, creators and buyers work. 60 s as the issue asks;
# DAIHUO_TEST_FREEZE_SECONDS shortens it for an iteration on this test alone.
FREEZE_SECONDS = float(os.environ.get("DAIHUO_TEST_FREEZE_SECONDS", 60))
PAGE_SECONDS = 3  # every page answers within this while Redis is frozen
PROBE_SECONDS = 2  # /readyz answers within this, 503 naming the broker


def _probe(base: str, seen: list, stop: threading.Event) -> None:
    """A load balancer's readiness probe, as often as it likes, for as long as the freeze lasts."""
    browser = p.Browser(base)
    while not stop.is_set():
        status, text, _ = browser.request("/readyz", timeout=10)
        seen.append((browser.timings[-1][0], status, text))
        stop.wait(0.25)


@pytest.mark.hardening
def test_redis_frozen_60_s_every_page_answers_every_action_succeeds_and_each_email_task_and_webhook_goes_once(tmp_path, hardening):
    port, web_port = p.free_port(), p.free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    mail_env = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "DJANGO_EMAIL_FILE_PATH": str(mail_dir)}
    redis = p.start_redis(port, tmp_path / "redis")
    worker = beat = web = None
    first = eligible_product()
    shop, merchant = first.shop, first.shop.merchant
    rounds = 6
    products = [first] + [eligible_product(shop=shop) for _ in range(rounds - 1)]
    creators = [creator_with_address() for _ in range(rounds)]
    room = LiveSessionFactory()
    stop = threading.Event()
    probes: list = []
    with Receiver() as receiver:
        webhook_endpoint_create(merchant=merchant, url=receiver.url, events=[Event.SAMPLE_STATE_CHANGED])
        try:
            worker, log = p.start_worker(tmp_path, broker, name="frozen", embedded_beat=False, **mail_env)
            beat, beat_log = p.start_beat(tmp_path, broker, name="frozen-beat", **mail_env)
            web, web_log = p.start_web(tmp_path, broker, web_port, **mail_env)
            base = f"http://127.0.0.1:{web_port}"
            assert p.wait_for(lambda: p.worker_ready(log), timeout=60), tail(log)
            assert p.wait_for(lambda: p.Browser(base).request("/readyz", timeout=5)[0] == 200, timeout=60), tail(web_log)
            seller, buyer = p.Browser(base), p.Browser(base)
            people = [p.Browser(base) for _ in creators]
            assert seller.login(merchant.user.username, "pw")
            assert all(person.login(c.user.username, "pw") for person, c in zip(people, creators, strict=True))
            room_url = reverse("flashsales:live_room", kwargs={"pk": room.pk})
            assert buyer.request(room_url)[0] == 200  # a buyer opens the room (and gets the form's CSRF cookie)
            for browser in (seller, buyer, *people):
                browser.timings.clear()  # only what happens while Redis is frozen counts

            os.kill(redis.pid, signal.SIGSTOP)  # frozen: the port still accepts, nothing answers
            frozen_at = time.monotonic()
            assert not p.redis_answers(port)
            probers = [threading.Thread(target=_probe, args=(base, probes, stop)) for _ in range(2)]  # two balancers
            for prober in probers:
                prober.start()
            samples = []
            for i, (person, creator, product) in enumerate(zip(people, creators, products, strict=True)):
                # A creator asks for a sample; the merchant approves (审核通过) and ships it; a buyer joins the live room.
                assert person.act(f"/creator/samples/request/{product.pk}/", {"note": "冻结期间"})[:2] == (302, 200)
                sample = SampleRequest.objects.get(creator=creator, product=product)
                samples.append(sample.pk)
                assert seller.request("/merchant/samples/")[0] == 200
                status, page_status, page = seller.act(f"/merchant/samples/{sample.pk}/decide/", {"action": "approve"})
                assert (status, page_status) == (302, 200) and "Internal Server Error" not in page, page[:3000]
                assert seller.act(f"/merchant/samples/{sample.pk}/ship/",
                                  {"carrier": "sf", "tracking_number": f"SF{100000000000 + i}"})[:2] == (302, 200)
                assert buyer.act(reverse("flashsales:live_join", kwargs={"pk": room.pk}), {"nickname": f"观众{i}"})[:2] == (302, 200)
                assert person.request("/creator/samples/")[0] == 200
                # Spread the work over the freeze: the last round still inside it.
                stop.wait(max(0.0, frozen_at + (i + 1) * FREEZE_SECONDS / (rounds + 1) - time.monotonic()))
            while time.monotonic() < frozen_at + FREEZE_SECONDS:  # and the pages keep answering to its end
                assert seller.request("/merchant/samples/")[0] == 200
                assert buyer.request("/healthz")[0] == 200
                stop.wait(1)
            assert not p.redis_answers(port), "Redis thawed before the end of the freeze"
            stop.set()
            for prober in probers:
                prober.join(timeout=15)
            os.kill(redis.pid, signal.SIGCONT)  # the thaw
            thawed_at = time.monotonic()

            for browser in (seller, buyer, *people):
                seconds, path, status = browser.slowest()
                assert seconds < PAGE_SECONDS, f"{path} answered {status} in {seconds:.1f} s while Redis was frozen"
            assert probes and all(seconds < PROBE_SECONDS and status == 503 and '"broker": "' in text and '"broker": "ok"' not in text
                                  for seconds, status, text in probes), probes[:3]
            assert SampleRequest.objects.filter(pk__in=samples, state=S.SHIPPED).count() == rounds

            # After the thaw every e-mail, task and webhook goes, each once.
            emailed = Notification.objects.exclude(user__email="")
            delivered = WebhookDelivery.objects.filter(state=WebhookDelivery.State.DELIVERED)

            def all_out() -> bool:
                return (not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
                        and not emailed.filter(emailed_at__isnull=True).exists()
                        and delivered.count() == WebhookDelivery.objects.count())

            assert p.wait_for(all_out, timeout=90, every=0.5), tail(log) + tail(beat_log)
            caught_up = time.monotonic() - thawed_at
            assert p.wait_for(lambda: p.Browser(base).request("/readyz", timeout=5)[0] == 200, timeout=30), tail(web_log)
            assert worker.poll() is None and beat.poll() is None and web.poll() is None
            assert WebhookDelivery.objects.count() == 2 * rounds  # approve and ship of each request
        finally:
            stop.set()
            if redis.poll() is None:
                os.kill(redis.pid, signal.SIGCONT)
            p.stop(web)
            p.stop(worker)
            p.stop(beat)
            p.stop(redis)
        ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert len(ids) == len(set(ids)) == 2 * rounds  # every webhook once, none twice
    assert count_mail(mail_dir) == emailed.count() > 0  # every e-mail once, none twice
    assert "Internal Server Error" not in web_log.read_text(errors="replace")
    slowest = max(browser.slowest()[0] for browser in (seller, buyer, *people))
    print(f"frozen {FREEZE_SECONDS:.0f} s: {sum(len(b.timings) for b in (seller, buyer, *people))} requests, slowest {slowest:.2f} s; "
          f"{len(probes)} probes, slowest {max(t for t, _, _ in probes):.2f} s; caught up {caught_up:.1f} s after the thaw: "
          f"{emailed.count()} e-mails, {len(ids)} webhooks, {OutboxMessage.objects.count()} outbox rows")
    hardening.fault()
