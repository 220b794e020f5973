"""D2 under real concurrency (PostgreSQL: SQLite ignores row locks)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shops.alliance_removal import services as removal_services
from shops.models import AllianceRemoval
from tests import factories
from tests.shops.helpers import run_in_threads

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_d2_two_sweeps_at_once_carry_a_removal_out_once():
    listings = [factories.AllianceListingFactory() for _ in range(5)]
    removals = [
        removal_services.alliance_removal_create(product=lst.product, by=None, at=timezone.now() + timedelta(seconds=1))
        for lst in listings
    ]
    AllianceRemoval.objects.filter(pk__in=[r.pk for r in removals]).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    results, errors = run_in_threads([removal_services.alliance_removals_sweep, removal_services.alliance_removals_sweep])
    assert not errors and sum(results) == 5
    assert AllianceRemoval.objects.filter(status="done").count() == 5
