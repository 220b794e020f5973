"""Factories and helpers of the samples domain: requests are made through the services,
so their clocks are set exactly as in production."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from samples.models import SampleRequest, ShippingAddress
from samples.services import addresses, requests, shipping
from shops import services as shop_services
from tests import factories

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
H = timedelta(hours=1)
M = timedelta(minutes=1)


def eligible_product(**product_kwargs):
    """A product listed in the alliance with free samples on, of a merchant meeting the standard (S2)."""
    listing = factories.AllianceListingFactory(**{f"product__{k}": v for k, v in product_kwargs.items()})
    return listing.product


def travel(moment):
    return time_machine.travel(moment, tick=False)


def address_for(creator, **fields) -> ShippingAddress:
    """The creator's default shipping address (收货地址), made once."""
    existing = ShippingAddress.objects.filter(creator=creator, is_default=True).first()
    if existing and not fields:
        return existing
    data = {"name": "张小明", "phone": "13812345678", "province": "浙江省", "city": "杭州市", "district": "西湖区",
            "street": "文三路 90 号 3 幢 501 室", **fields}
    return addresses.address_create(creator=creator, by=creator.user, **data)


def creator_with_address(**kwargs):
    creator = factories.CreatorFactory(**kwargs)
    address_for(creator)
    return creator


def request_at(moment=T0, *, creator=None, product=None) -> SampleRequest:
    creator = creator or factories.CreatorFactory()
    address_for(creator)
    product = product or eligible_product()
    with travel(moment):
        return requests.sample_request_create(creator=creator, product=product, by=creator.user)


def approved_at(moment=T0, **kwargs) -> SampleRequest:
    sample = request_at(moment, **kwargs)
    with travel(moment):
        return requests.sample_request_approve(sample=sample, by=sample.merchant.user)


def shipped_at(moment=T0, **kwargs) -> SampleRequest:
    sample = approved_at(moment, **kwargs)
    with travel(moment):
        return shipping.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012")


def received_at(moment=T0, **kwargs) -> SampleRequest:
    sample = shipped_at(moment, **kwargs)
    with travel(moment):
        return shipping.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)


def video_with_product(sample: SampleRequest, moment):
    with travel(moment):
        return shop_services.video_publish(
            creator=sample.creator, title="开箱视频", url="https://v.example/1", products=[sample.product], by=sample.creator.user
        )


def reload(sample: SampleRequest) -> SampleRequest:
    return SampleRequest.objects.get(pk=sample.pk)


# ---------------------------------------------------------------------------------------
# The sample policy (V1–V5)


def outcome(state: str, closed, *, creator=None, product=None) -> SampleRequest:
    """A finished sample of `creator` that became `state` (breached / fulfilled / rejected /
    expired) at `closed`. The outcome is written directly: the scoring and the V3 wait read
    only the state and closed_at, and the sweeps that produce them are tested in S4–S7."""
    sample = approved_at(closed - 10 * 24 * H, creator=creator, product=product)
    extra = {"fulfilled_at": closed} if state == SampleRequest.State.FULFILLED else {}
    SampleRequest.objects.filter(pk=sample.pk).update(state=state, closed_at=closed, **extra)
    return reload(sample)


def triage_rule(*, merchant=None, product=None, shop=None, action="approve", name="规则", **thresholds):
    from samples.models import TriageRule

    merchant = merchant or (product.shop.merchant if product else shop.merchant)
    if product is None and shop is None:
        raise ValueError("a triage rule needs a product or a shop")
    return TriageRule.objects.create(
        merchant=merchant, product=product, shop=shop, action=action, name=name, created_by=merchant.user, **thresholds
    )


def log_of(sample) -> list:
    """The request's transition history, oldest first."""
    from django_fsm_log.models import StateLog

    return list(StateLog.objects.for_(sample).order_by("timestamp", "id"))


def ask(creator, product, moment) -> SampleRequest:
    address_for(creator)
    with travel(moment):
        return requests.sample_request_create(creator=creator, product=product, by=creator.user)


def refused(creator, product, moment) -> str:
    """The message a creator's request is refused with at `moment` (it must be refused)."""
    address_for(creator)
    with pytest.raises(ValidationError) as exc, travel(moment):
        requests.sample_request_create(creator=creator, product=product, by=creator.user)
    return " ".join(exc.value.messages)


def feed_sale(*, creator, product, quantity, amount, sold_at=None, session=None, video=None, order_id=None):
    """V10: one paid live-cart or video order through the order feed (shops.orders), as the
    platform's order system reports it. Returns the intake's result."""
    from django.utils import timezone

    from shops.orders import Event, order_events_ingest

    global _orders
    _orders += 1
    at = sold_at or timezone.now()
    base = dict(order_id=order_id or f"o-{_orders}", channel="live" if session else "video", creator=creator.platform_id,
                product=product.pk, quantity=quantity, amount=amount, session=getattr(session, "pk", None), video=getattr(video, "pk", None))
    return order_events_ingest(events=[Event(kind="created", occurred_at=at, **base), Event(kind="paid", occurred_at=at, **base)])


_orders = 0
