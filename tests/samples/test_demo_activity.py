"""A demo that stays alive: in demo mode beat brings new sample requests (issue 26, item 5)."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from samples.demo_activity import DEMO_NOTE, demo_activity
from samples.models import SampleRequest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_each_run_brings_one_new_request_from_a_demo_creator_through_the_service(mailoutbox):
    call_command("seed_demo")
    before = SampleRequest.objects.count()
    rng = random.Random(7)
    first, second = demo_activity(rng), demo_activity(rng)
    assert SampleRequest.objects.count() == before + 2
    for sample in (first, second):
        assert sample.note == DEMO_NOTE and sample.creator.user.username.startswith("c_")
        assert sample.decide_by is not None  # the merchant's clock runs, as after a click
    assert (first.creator_id, first.product_id) != (second.creator_id, second.product_id)


def beat_entries(**env) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DAIHUO_DEMO")}
    code = "from config.celery import app; print(sorted(app.conf.beat_schedule.get('demo-activity', {}).items()))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60).stdout


def test_only_demo_mode_schedules_it():
    assert beat_entries() == "[]\n"
    assert "'samples.tasks.demo_activity'" in beat_entries(DAIHUO_DEMO="true")
    assert "180.0" in beat_entries(DAIHUO_DEMO="true")
