"""V10 return on samples (samples.returns, fed by shops.orders): the orders a
creator's promotions brought after a sample was shipped, per channel."""

from datetime import timedelta
from decimal import Decimal

import pytest

from flashsales.models import FlashSaleOrder
from samples import returns
from samples.services import shipping
from shops.models import ChannelOrder, LiveCartItem
from tests import factories
from tests.flashsales.factories import FlashSaleFactory, ViewerFactory
from tests.samples.factories import (
    T0,
    H,
    approved_at,
    feed_sale,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
SEC = timedelta(seconds=1)
D = timedelta(days=1)


# ---------------------------------------------------------------------------------------
# V10: return on samples


def _world():
    """One creator shipped a sample at T0 + 1 h; sales of each channel around that moment."""
    sample = approved_at(T0)
    ship = T0 + H
    with travel(ship):
        shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012",
                                     shipping_cost="10.00")
    creator, product = sample.creator, sample.product
    session = factories.LiveSessionFactory(creator=creator)
    LiveCartItem.objects.create(session=session, product=product, added_at=T0)
    video = video_with_product(sample, T0)
    for at, qty in ((ship - SEC, 5), (ship, 2), (ship + D, 1)):
        feed_sale(creator=creator, product=product, session=session, quantity=qty,
                                              amount=Decimal("99.00") * qty, sold_at=at)
    feed_sale(creator=creator, product=product, video=video, quantity=3,
                                          amount=Decimal("297.00"), sold_at=ship + 2 * D)
    flash = FlashSaleFactory(session=factories.LiveSessionFactory(creator=creator), product=product, price=Decimal("80.00"))
    for at in (ship - SEC, ship + H):
        FlashSaleOrder.objects.create(flash_sale=flash, viewer=ViewerFactory(), quantity=2, unit_price=Decimal("80.00"),
                                      shipping_fee=Decimal("8.00"), amount=Decimal("168.00"), created_at=at)
    return sample


def test_v10_orders_afterwards_per_channel_from_the_shipping_moment_on_flash_sales_read_not_copied():
    sample = _world()
    # noise: another creator's sales of the product, and the same creator's sales of another product
    other = factories.CreatorFactory()
    other_session = factories.LiveSessionFactory(creator=other)
    LiveCartItem.objects.create(session=other_session, product=sample.product)
    feed_sale(creator=other, product=sample.product, session=other_session, quantity=9,
                                          amount=Decimal("900"), sold_at=T0 + D)
    [row] = returns.with_sales(merchant=sample.merchant, pairs=returns.sample_return_pairs(merchant=sample.merchant))
    assert (row.creator_id, row.product_id, row.sent) == (sample.creator_id, sample.product_id, 1)
    assert row.cost == Decimal("109.00")
    live, video, flash = row.channels["live"], row.channels["video"], row.channels["flash"]
    assert (live.orders, live.units, live.amount) == (2, 3, Decimal("297.00"))  # at and after shipping, not 1 s before
    assert (video.orders, video.units, video.amount) == (1, 3, Decimal("297.00"))
    assert (flash.orders, flash.units, flash.amount) == (1, 2, Decimal("160.00"))  # goods value, no buyer shipping fee
    assert row.orders == 4 and row.sales == Decimal("754.00") and row.ratio == Decimal("6.92")
    assert not ChannelOrder.objects.filter(channel="flash").exists()
    totals = returns.sample_returns_totals(merchant=sample.merchant)
    assert totals == {"sent": 1, "creators": 1, "cost": Decimal("109.00"), "orders": 4, "sales": Decimal("754.00"),
                      "ratio": Decimal("6.92")}
    assert returns.sample_returns_totals(merchant=factories.MerchantFactory())["orders"] == 0


