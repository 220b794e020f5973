"""A demo that stays alive, the alliance's part (`make run` only: DAIHUO_DEMO=true; beat runs
`demo_activity` with the other domains' ones, config/celery.py).

Two README walk-throughs show a removal from the alliance waiting for its time (D2/D3):
`m_snacks` → 精选联盟: 川味零食大礼包 「scheduled three days out: it can be cancelled or
announced until then」, and `m_jade` → 精选联盟: 翡翠平安扣吊坠's scheduled removal and its
announcement to its flash-sale buyers. The sweep carries each out on its day. Then (or a day
after a cancellation) the merchant lists the product again and schedules the removal anew,
as many days out, with the same notes, through the services: one removal row every few days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shops import services
from shops.alliance_removal import services as removal_services
from shops.models import AllianceListing, AllianceRemoval

logger = logging.getLogger(__name__)
S = AllianceRemoval.Status


@dataclass(frozen=True)
class Need:
    walkthrough: str
    merchant: str
    product: str
    days: int
    compensation_note: str
    announcement: str

    @property
    def what(self) -> str:
        return f"精选联盟: {self.product}, a removal scheduled {self.days} days out to cancel or announce"

    def listing(self) -> AllianceListing | None:
        return AllianceListing.objects.select_related("product__shop__merchant__user").filter(
            product__title=self.product, product__shop__merchant__user__username=self.merchant
        ).first()

    def count(self) -> int:
        return AllianceRemoval.objects.filter(listing=self.listing(), status=S.SCHEDULED).count()


NEEDS = [
    Need("Official accounts and taking products out of the alliance: Merchant (m_snacks)", "m_snacks", "川味零食大礼包", 3,
         "已下单未发货的订单照常发货，另赠5元无门槛券", "川味零食大礼包将于三天后停止联盟推广，感谢支持！"),
    Need("Flash sales: Merchant m_jade (精选联盟)", "m_jade", "翡翠平安扣吊坠", 5,
         "已购买的买家可凭订单领取 50 元无门槛券", "翡翠平安扣吊坠即将下架精选联盟，售后与质保照常由本店负责。"),
]


def _schedule_again(need: Need, now) -> AllianceRemoval | None:
    listing = need.listing()
    if listing is None:
        return None
    last = listing.removals.order_by("-created_at", "-pk").first()
    if last is not None and last.status == S.CANCELLED and last.cancelled_at and now - last.cancelled_at < timedelta(days=1):
        return None  # the merchant just cancelled it (the walk-through's own step): leave it so for a day
    product, by = listing.product, listing.product.shop.merchant.user
    try:
        with transaction.atomic():
            if listing.status == AllianceListing.Status.OUT:
                services.alliance_list(product=product, by=by, commission_rate=listing.commission_rate,
                                       sample_support=listing.sample_support)
            return removal_services.alliance_removal_create(
                product=product, by=by, at=now + timedelta(days=need.days), compensation_note=need.compensation_note,
                announcement=need.announcement,
            )
    except (ValidationError, PermissionDenied) as exc:
        logger.info("demo activity: %s not scheduled again: %s", need.product, exc)
        return None


def demo_activity() -> list[AllianceRemoval]:
    """One run: each walk-through's product without a scheduled removal gets one again."""
    now = timezone.now()
    return [removal for need in NEEDS if need.count() < 1 and (removal := _schedule_again(need, now)) is not None]
