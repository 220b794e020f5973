"""A demo that stays alive (issue 26, item 4): at any time after `make run` (ten minutes, a
day, a week) every README walk-through has its work. The demo is seeded at T0, then the
clock moves on in steps; at each step the beat's sweeps run, then the demo activity, as
beat runs them, each step inside travel()."""

import importlib
import os
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from core.models import Notification
from filings import demo_activity as filings_demo
from filings.models import Filing
from samples import demo_activity as samples_demo
from samples.models import SampleRequest
from shops import demo_activity as shops_demo
from shops.models import LiveSession, Merchant
from tests.samples.factories import T0, travel

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# The README's walk-throughs and what each needs at any time.
NEEDS = samples_demo.NEEDS + filings_demo.NEEDS + shops_demo.NEEDS


def beat_sweeps():
    """The beat's entries that move rows (not the e-mail, webhook, reminder or demo ones), as tasks."""
    from config.celery import app

    names = [e["task"] for e in app.conf.beat_schedule.values()]
    tasks = []
    for name in names:
        if "sweep" in name and "webhook" not in name and "email" not in name:
            module, func = name.rsplit(".", 1)
            tasks.append(getattr(importlib.import_module(module), func))
    assert len(tasks) >= 8
    return tasks


def tick(at, rng):
    with travel(at):
        for task in beat_sweeps():
            task()
        from filings.tasks import demo_activity as filings_task
        from samples.tasks import demo_activity as samples_task
        from shops.tasks import demo_activity as shops_task

        shops_task()
        filings_task()
        samples_demo.demo_activity(rng)
        samples_task()  # what beat calls: a second run in the same minute adds nothing


def missing(at) -> list[str]:
    with travel(at):
        gaps = [f"{n.walkthrough}: {n.what}" for n in NEEDS if n.count() < 1]
        jade_live = LiveSession.objects.get(title="玉石哥和田玉直播")
        if jade_live.status != LiveSession.Status.LIVE:
            gaps.append("Flash sales: Creator (c_jadeking): a live session to sell in")
    return gaps


def board(username: str, at) -> dict[str, int]:
    from core.todo import board_for

    with travel(at):
        merchant = Merchant.objects.get(user__username=username)
        return {str(c.label): c.count for c in board_for("merchant", merchant).counts}


def test_every_readme_walkthrough_has_work_ten_minutes_a_day_a_week_and_a_month_after_seeding():
    """A month is past every clock the demo's work goes through (S7's 360 h plus V7's 7 days,
    V3's 30 days), so what holds then holds from there on."""
    rng = random.Random(26)
    with travel(T0):
        call_command("seed_demo")
    steps = [T0 + 10 * M] + [T0 + n * 6 * H for n in range(1, 4 * 30 + 1)]
    checkpoints = {T0 + 10 * M: "10 minutes", T0 + D: "1 day", T0 + 7 * D: "7 days", T0 + 30 * D: "30 days"}
    sizes = {}
    for at in steps:
        tick(at, rng)
        if at in checkpoints:
            assert missing(at) == [], checkpoints[at]
            sizes[checkpoints[at]] = SampleRequest.objects.count()
            # The merchant walk-through's to-do board (/merchant/) shows the work, as the README says.
            counts = board("m_snacks", at)
            assert counts["待审核"] >= 1 and counts["待发货"] >= 1 and counts["待报备"] >= 1, (checkpoints[at], counts)
    # Bounded: the requests grow with the clocks that use the work up (about two a day),
    # not with each run (beat runs 480 times a day).
    assert sizes["30 days"] - sizes["10 minutes"] <= 3 * 30, sizes


def test_nothing_is_added_while_every_walkthrough_still_has_its_work():
    rng = random.Random(1)
    with travel(T0):
        call_command("seed_demo")
    tick(T0 + 10 * M, rng)
    with travel(T0 + 11 * M):
        before = SampleRequest.objects.count(), Filing.objects.count()
        assert samples_demo.demo_activity(rng) == [] and filings_demo.demo_activity() == [] and shops_demo.demo_activity() == []
        assert (SampleRequest.objects.count(), Filing.objects.count()) == before


def test_a_missing_request_arrives_from_a_demo_creator_through_the_service():
    rng = random.Random(7)
    with travel(T0):
        call_command("seed_demo")
    with travel(T0 + 5 * M):
        for sample in SampleRequest.objects.filter(merchant__user__username="m_snacks", state=SampleRequest.State.REQUESTED):
            from samples.services import requests

            requests.sample_request_reject(sample=sample, by=sample.merchant.user, reason="演示")
        added = samples_demo.demo_activity(rng)
    new = [s for s in added if s.merchant.user.username == "m_snacks" and s.state == SampleRequest.State.REQUESTED]
    assert len(new) == 1
    sample = new[0]
    assert sample.note == samples_demo.DEMO_NOTE and sample.creator.user.username.startswith("c_fan")
    assert sample.decide_by == T0 + 5 * M + 48 * H  # the merchant's S4 clock runs, as after a click
    assert sample.ship_to_name  # the creator's default address, snapshotted
    told = Notification.objects.filter(user__username="m_snacks", url__endswith=f"/{sample.pk}/")
    assert told.exists()  # the merchant is notified (and e-mailed after commit) as after a click


def test_the_demo_creators_withdraw_before_s4_would_expire_their_request():
    """An expiry would keep the pair out for V3's 30 days; a withdrawal costs nothing."""
    rng = random.Random(3)
    with travel(T0):
        call_command("seed_demo")
        samples_demo.demo_activity(rng)
        fans = SampleRequest.objects.filter(creator__user__username__startswith="c_fan", state=SampleRequest.State.REQUESTED)
        waiting = list(fans.values_list("pk", flat=True))
    assert waiting
    with travel(T0 + 36 * H + 30 * M):  # 11 h 30 min before S4
        samples_demo.demo_activity(rng)
    states = set(SampleRequest.objects.filter(pk__in=waiting).values_list("state", flat=True))
    assert states == {SampleRequest.State.WITHDRAWN}


def beat_entries(**env) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DAIHUO_DEMO")}
    code = ("from config.celery import app; "
            "print(sorted((k, v['task'], v['schedule']) for k, v in app.conf.beat_schedule.items() if k.startswith('demo')))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60).stdout


def test_only_demo_mode_schedules_it():
    assert beat_entries() == "[]\n"
    entries = beat_entries(DAIHUO_DEMO="true")
    for domain in ("shops", "filings", "samples"):
        assert f"'{domain}.tasks.demo_activity', 180.0" in entries



def test_d2_a_removal_happened_is_scheduled_again_but_one_the_merchant_cancelled_waits_a_day():
    from shops.alliance_removal.services import alliance_removal_cancel
    from shops.models import AllianceRemoval

    with travel(T0):
        call_command("seed_demo")
    snacks, jade = shops_demo.NEEDS
    with travel(T0 + H):
        removal = AllianceRemoval.objects.get(listing=snacks.listing(), status=AllianceRemoval.Status.SCHEDULED)
        alliance_removal_cancel(removal=removal, by=removal.created_by)
        assert shops_demo.demo_activity() == []  # the walk-through's own step: left so
    with travel(T0 + D + 2 * H):
        again = shops_demo.demo_activity()
    assert [r.listing.product.title for r in again] == ["川味零食大礼包"]
    assert again[0].scheduled_at == T0 + D + 2 * H + 3 * D
    with travel(T0 + 5 * D + M):  # m_jade's happened at 5 days (the sweep): listed again, scheduled 5 days out
        from shops.tasks import alliance_removals_sweep

        alliance_removals_sweep()
        assert jade.count() == 0 and jade.listing().status == "out"
        shops_demo.demo_activity()
        assert jade.listing().status == "listed" and jade.count() == 1
        assert jade.listing().removals.get(status="scheduled").announcements.exists()  # announced to its buyers again
