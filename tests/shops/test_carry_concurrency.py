"""C3 and D2 under real concurrency (PostgreSQL: SQLite ignores row locks)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from shops import services, services_carry
from shops.models import AllianceRemoval, LiveCartItem, ShopType
from tests import factories
from tests.shops.carry_helpers import official_account, session_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def wrap(fn):
        try:
            barrier.wait()
            results.append(fn())
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_c3_ten_parallel_adds_of_different_non_own_products_leave_at_most_three():
    creator = official_account(ShopType.INDIVIDUAL)
    session = session_for(creator)
    services.live_session_go_live(session=session, by=None)
    products = [factories.AllianceListingFactory().product for _ in range(10)]
    results, errors = run_in_threads([lambda p=p: services.cart_add(session=session, product=p, by=None) for p in products])
    assert len(results) == 3 and len(errors) == 7
    assert LiveCartItem.objects.filter(session=session).count() == 3


def test_d2_two_sweeps_at_once_carry_a_removal_out_once():
    listings = [factories.AllianceListingFactory() for _ in range(5)]
    removals = [
        services_carry.alliance_removal_create(product=lst.product, by=None, at=timezone.now() + timedelta(seconds=1))
        for lst in listings
    ]
    AllianceRemoval.objects.filter(pk__in=[r.pk for r in removals]).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    results, errors = run_in_threads([services_carry.alliance_removals_sweep, services_carry.alliance_removals_sweep])
    assert not errors and sum(results) == 5
    assert AllianceRemoval.objects.filter(status="done").count() == 5
