"""C3 under real concurrency (PostgreSQL: SQLite ignores row locks)."""

from __future__ import annotations

import pytest

from shops import services
from shops.models import LiveCartItem, ShopType
from tests import factories
from tests.shops.helpers import official_account, run_in_threads, session_for

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_c3_ten_parallel_adds_of_different_non_own_products_leave_at_most_three():
    creator = official_account(ShopType.INDIVIDUAL)
    session = session_for(creator)
    services.live_session_go_live(session=session, by=None)
    products = [factories.AllianceListingFactory().product for _ in range(10)]
    results, errors = run_in_threads([lambda p=p: services.cart_add(session=session, product=p, by=None) for p in products])
    assert len(results) == 3 and len(errors) == 7
    assert LiveCartItem.objects.filter(session=session).count() == 3
