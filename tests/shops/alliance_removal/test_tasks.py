"""D2: the beat entry that carries out the due removals."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_d2_beat_runs_the_removal_sweep_every_minute():
    from config.celery import EVERY_MINUTE, app

    entry = app.conf.beat_schedule["alliance-removals"]
    assert entry["task"] == "shops.tasks.alliance_removals_sweep" and entry["schedule"] == EVERY_MINUTE
    from shops.tasks import alliance_removals_sweep

    assert alliance_removals_sweep.delay().get() == 0
