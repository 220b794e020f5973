"""The demo world the README walk-throughs act in."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command

from tests.samples.factories import T0, travel
from tests.samples.test_demo_activity import tick
from tests.walkthroughs.helpers import AT, M


@pytest.fixture
def demo():
    """The demo world 30 minutes after `make run`'s seed: beat's sweeps ran every minute
    (here every 3), the demo activity every 3 minutes; the test then acts at that moment."""
    rng = random.Random(30)
    with travel(T0):
        call_command("seed_demo", stdout=io.StringIO())
    for n in range(1, 11):
        tick(T0 + 3 * n * M, rng)
    with travel(AT):
        yield
