"""Factories and helpers of the samples domain: requests are made through the services,
so their clocks are set exactly as in production."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from samples import services
from samples.models import SampleRequest
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


def request_at(moment=T0, *, creator=None, product=None) -> SampleRequest:
    creator = creator or factories.CreatorFactory()
    product = product or eligible_product()
    with travel(moment):
        return services.sample_request_create(creator=creator, product=product, by=creator.user)


def approved_at(moment=T0, **kwargs) -> SampleRequest:
    sample = request_at(moment, **kwargs)
    with travel(moment):
        return services.sample_request_approve(sample=sample, by=sample.merchant.user)


def shipped_at(moment=T0, **kwargs) -> SampleRequest:
    sample = approved_at(moment, **kwargs)
    with travel(moment):
        return services.sample_request_ship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF123456789012")


def received_at(moment=T0, **kwargs) -> SampleRequest:
    sample = shipped_at(moment, **kwargs)
    with travel(moment):
        return services.sample_request_confirm_receipt(sample=sample, by=sample.creator.user)


def video_with_product(sample: SampleRequest, moment):
    with travel(moment):
        return shop_services.video_publish(
            creator=sample.creator, title="开箱视频", url="https://v.example/1", products=[sample.product], by=sample.creator.user
        )


def reload(sample: SampleRequest) -> SampleRequest:
    return SampleRequest.objects.get(pk=sample.pk)
