"""The order feed in (shops.orders, V10): events count once, orders are attributed only when
the product was in that creator's cart at the order's time, refunds reduce the sales."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shops.models import ChannelOrder, LiveCartItem
from shops.orders import Event, order_events_ingest
from tests import factories
from tests.samples.factories import T0

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


@pytest.fixture
def world():
    creator = factories.CreatorFactory()
    product = factories.ProductFactory()
    session = factories.LiveSessionFactory(creator=creator)
    LiveCartItem.objects.create(session=session, product=product, added_at=T0, removed_at=T0 + 60 * M)
    return creator, product, session


def ev(kind, creator, product, session, *, at=T0 + 10 * M, order="A1", **extra):
    return Event(order_id=order, kind=kind, occurred_at=at, channel="live", creator=creator.platform_id, product=product.pk,
                 quantity=2, amount=Decimal("198.00"), session=session.pk, **extra)


def test_v10_order_in_the_cart_at_its_time_is_attributed_and_paid(world):
    creator, product, session = world
    result = order_events_ingest(events=[ev("created", *world), ev("paid", *world, at=T0 + 11 * M)])
    order = ChannelOrder.objects.get(order_id="A1")
    assert (result.accepted, result.orders_created, result.unattributed) == (2, 1, {})
    assert order.attributed and order.creator == creator and order.product == product and order.paid_at == T0 + 11 * M


def test_v10_same_events_twice_count_once(world):
    batch = [ev("created", *world), ev("paid", *world)]
    order_events_ingest(events=batch)
    again = order_events_ingest(events=[ev("created", *world), ev("paid", *world), ev("paid", *world)])
    assert (again.accepted, again.duplicates) == (0, 3)
    assert ChannelOrder.objects.count() == 1


@pytest.mark.parametrize("at, reason", [(T0 - M, "not_in_cart"), (T0 + 60 * M, "not_in_cart"), (T0, "")])
def test_v10_cart_stretch_boundaries(world, at, reason):
    order_events_ingest(events=[ev("created", *world, at=at)])
    order = ChannelOrder.objects.get()
    assert order.unattributed_reason == reason and order.attributed == (reason == "")


def test_v10_another_creators_session_and_unknown_ids_are_kept_unattributed_with_the_reason(world):
    creator, product, session = world
    stranger = factories.CreatorFactory()
    result = order_events_ingest(events=[
        ev("created", stranger, product, session, order="B1"),
        Event(order_id="B2", kind="created", occurred_at=T0, channel="live", creator="nobody", product=product.pk,
              quantity=1, amount=Decimal("1"), session=session.pk),
        Event(order_id="B3", kind="created", occurred_at=T0, channel="video", creator=creator.platform_id, product=product.pk,
              quantity=1, amount=Decimal("1"), video=999999),
    ])
    assert result.unattributed == {"not_creators": 1, "unknown_creator": 1, "unknown_source": 1}
    assert ChannelOrder.objects.filter(attributed=False).count() == 3


def test_v10_refunds_reduce_the_sales_and_never_below_zero(world):
    order_events_ingest(events=[ev("created", *world), ev("paid", *world)])
    order_events_ingest(events=[ev("refunded", *world, event_id="r1", refund_quantity=1, refund_amount=Decimal("99.00"))])
    order = ChannelOrder.objects.get()
    assert (order.refunded_quantity, order.refunded_amount) == (1, Decimal("99.00"))
    order_events_ingest(events=[ev("refunded", *world, event_id="r2", refund_quantity=5, refund_amount=Decimal("500.00"))])
    order = ChannelOrder.objects.get()
    assert (order.refunded_quantity, order.refunded_amount) == (2, Decimal("198.00"))
