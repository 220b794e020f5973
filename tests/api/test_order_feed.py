"""The order feed endpoint: platform keys only, batches validated, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shops.models import ChannelOrder, LiveCartItem
from tests import factories
from tests.samples.factories import T0

pytestmark = pytest.mark.django_db
FEED = "/api/v1/order-events/"


def _event(creator, product, session, order="A1", kind="created"):
    return {"order_id": order, "kind": kind, "occurred_at": T0.isoformat(), "channel": "live", "creator": creator.platform_id,
            "product": product.pk, "session": session.pk, "quantity": 1, "amount": "99.00"}


def test_v10_platform_key_posts_a_batch_and_a_retry_counts_once(staff, api_for):
    creator, product = factories.CreatorFactory(), factories.ProductFactory()
    session = factories.LiveSessionFactory(creator=creator)
    LiveCartItem.objects.create(session=session, product=product, added_at=T0)
    api = api_for(staff, scopes=["orders"], kind="platform")
    batch = {"events": [_event(creator, product, session), _event(creator, product, session, kind="paid")]}
    first = api.post(FEED, batch)
    assert first.status_code == 200 and first.json()["orders_created"] == 1
    again = api.post(FEED, batch)  # another Idempotency-Key: the events themselves are idempotent
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 2
    assert ChannelOrder.objects.get().amount == Decimal("99.00")


def test_v10_merchant_key_cannot_post_orders(merchant, api_for):
    assert api_for(merchant.user).post(FEED, {"events": []}).status_code == 403


def test_v10_a_live_order_without_its_session_is_400(staff, api_for):
    event = _event(factories.CreatorFactory(), factories.ProductFactory(), factories.LiveSessionFactory())
    event["session"] = None
    response = api_for(staff, scopes=["orders"], kind="platform").post(FEED, {"events": [event]})
    assert response.status_code == 400 and not ChannelOrder.objects.exists()
