"""A demo that stays alive (`make run` only: DAIHUO_DEMO=true).

The seeded world lets several clocks run out within minutes (samples.demo), and the others
run out within days: requests expire after 48 h (S4), approved ones are cancelled after
120 h (S5), extensions are granted after 48 h (V7). In demo mode, beat runs `demo_activity`
every DAIHUO_DEMO_EVERY seconds (3 minutes). Each run looks at what the README's
walk-throughs need (NEEDS below: the merchant `m_snacks` has requests to decide and to
ship and an extension to answer; the creator `c_dapeng` has samples to confirm and to
promote) and tops up only what is missing, through the same services a person's click goes
through (eligibility, quota, triage, notifications and e-mails, the clocks). The new
requests come from a small fixed pool of demo creators (FANS, made the first time).

Bounded: nothing is added while a walk-through still has its work, so the rows grow with
the clocks that use the work up (a few requests a day), not with each run; the demo
creators withdraw their own requests 12 hours before S4 would expire them and promote what
they received, so they never wait out V3's 30 days, never lose score (V1) and can ask for
the same products again. The seeded creators are saved from a breach the same way, a day
before it (the breaches the seed shows within minutes still happen).
Never scheduled outside demo mode (config/celery.py).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samples.models import ExtensionRequest, SampleQuota, SampleRequest, ShippingAddress
from samples.services import addresses, extensions, promotion, requests, shipping
from shops.models import AllianceListing, AllianceRemoval, Creator, Product, Shop

logger = logging.getLogger(__name__)
State = SampleRequest.State

DEMO_NOTE = "演示：新的样品申请"
EXTENSION_REASON = "演示：拍摄档期顺延，需要多几天准备脚本"
MERCHANT = "m_snacks"  # the README's merchant walk-through
CREATOR = "c_dapeng"  # the README's creator walk-through
# The demo creators the new requests come from: (login, nickname, platform ID, followers).
FANS = [
    ("c_fan1", "吃货小橙", "DY91001", 18_000),
    ("c_fan2", "深夜零食局", "DY91002", 46_000),
    ("c_fan3", "辣妹子阿香", "DY91003", 9_800),
    ("c_fan4", "宿舍囤货王", "DY91004", 27_000),
    ("c_fan5", "周末探店记", "DY91005", 63_000),
    ("c_fan6", "办公室下午茶", "DY91006", 12_500),
]
# A demo creator withdraws an undecided request this long before S4 would expire it (a wide
# window, so that a beat that was down for hours, a laptop asleep, still catches it).
WITHDRAW_BEFORE = timedelta(hours=12)
PROMOTE_AFTER = timedelta(hours=1)  # never promotes what runs out sooner (the seed's breach in 10 minutes)
RESCUE_WITHIN = timedelta(days=1)  # a seeded creator promotes a sample this long before the S7 breach


@dataclass(frozen=True)
class Need:
    """What one README walk-through needs at any time: `count()` of it must stay ≥ 1."""

    walkthrough: str  # the README section and person
    what: str
    count: Callable[[], int]
    stage: str  # how far a new request is taken to meet it (see _take)
    asker: str  # "fan" or "creator" (CREATOR)


def _merchants(**filters) -> int:
    return SampleRequest.objects.filter(merchant__user__username=MERCHANT, **filters).count()


def _creators(**filters) -> int:
    return SampleRequest.objects.filter(creator__user__username=CREATOR, **filters).count()


NEEDS = [
    Need("The marketplace core / Samples: Merchant (m_snacks)", "待审核: a request to approve or decline",
         lambda: _merchants(state=State.REQUESTED), "requested", "fan"),
    Need("The marketplace core / Samples: Merchant (m_snacks)", "待发货: an approved request to ship to its 收货地址",
         lambda: _merchants(state=State.APPROVED), "approved", "fan"),
    Need("Samples at volume (V6–V10): V7 extension, Merchant (m_snacks)", "an extension to refuse or grant",
         lambda: ExtensionRequest.objects.filter(state=ExtensionRequest.State.REQUESTED,
                                                 sample__merchant__user__username=MERCHANT).count(),
         "extension", "fan"),
    Need("The marketplace core: Creator (c_dapeng)", "待确认收货: a shipped sample to confirm",
         lambda: _creators(state=State.SHIPPED), "shipped", "creator"),
    Need("The marketplace core: Creator (c_dapeng)", "待推广: a received sample to promote",
         lambda: _creators(state=State.RECEIVED, promotion=""), "received", "creator"),
]
STAGES = ["requested", "approved", "shipped", "received", "extension"]
REACHED = {"requested": State.REQUESTED, "approved": State.APPROVED, "shipped": State.SHIPPED, "received": State.RECEIVED,
           "extension": State.RECEIVED}


def fans() -> list[Creator]:
    """The pool of demo creators, each with a default shipping address (made once: a fixed
    set, so the accounts do not grow). Accounts have no service; the seed makes its own the same way."""
    from shops.management.commands.seed_demo import user

    pool = []
    for username, nickname, platform_id, followers in FANS:
        creator = Creator.objects.filter(user__username=username).first()
        if creator is None:
            creator, _ = Creator.objects.get_or_create(
                user=user(username, first_name=nickname),
                defaults={"nickname": nickname, "platform_id": platform_id, "followers": followers},
            )
        if not ShippingAddress.objects.filter(creator=creator).exists():
            addresses.address_create(
                creator=creator, by=creator.user, name=nickname[-2:], phone=f"1390000{platform_id[-4:]}", province="四川省",
                city="成都市", district="武侯区", street=f"天府大道北段 {platform_id[-3:]} 号",
            )
        pool.append(creator)
    return pool


def _products(*, merchant: str | None = None) -> list[Product]:
    """Products a creator may ask a sample of (S2), without a quota (V2's walk-through counts
    翡翠平安扣's samples left, which the demo must not use up) and not leaving the alliance."""
    qs = Product.objects.filter(
        alliance_listing__status=AllianceListing.Status.LISTED, alliance_listing__sample_support=True,
        sale_status=Product.SaleStatus.ON_SALE, shop__status=Shop.Status.OPEN,
    ).exclude(pk__in=SampleQuota.objects.values("product_id")).exclude(
        # A product leaving the alliance: its sample could not be promoted after (D4), a breach.
        alliance_listing__removals__status=AllianceRemoval.Status.SCHEDULED,
    ).select_related("shop__merchant__user").order_by("pk")
    if merchant:
        qs = qs.filter(shop__merchant__user__username=merchant)
    return list(qs)


def _take(creator: Creator, product: Product, stage: str, rng: random.Random) -> SampleRequest | None:
    """A new request of `creator` for `product`, moved through the services as far as
    `stage`; rolled back whole and None when a rule refuses a step."""
    try:
        with transaction.atomic():
            sample = requests.sample_request_create(creator=creator, product=product, by=creator.user, note=DEMO_NOTE)
            goal = STAGES.index(stage)
            if goal >= 1 and sample.state == State.REQUESTED:
                sample = requests.sample_request_approve(sample=sample, by=product.shop.merchant.user)
            if goal >= 2:
                sample = shipping.sample_request_ship(
                    sample=sample, by=product.shop.merchant.user, carrier="sf", tracking_number=f"SF{rng.randrange(10**11, 10**12)}",
                )
            if goal >= 3:
                sample = shipping.sample_request_confirm_receipt(sample=sample, by=creator.user)
            if goal >= 4:
                extensions.sample_extension_request(sample=sample, by=creator.user, reason=EXTENSION_REASON)
            sample = SampleRequest.objects.select_related("merchant__user", "creator__user").get(pk=sample.pk)
            if sample.state != REACHED[stage]:  # e.g. the merchant's triage rule decided it on arrival
                raise ValidationError(f"{sample.state}, not {stage}")
            return sample
    except (ValidationError, PermissionDenied) as exc:
        logger.debug("demo activity: %s → %s refused: %s", creator, product, exc)
        return None


def _top_up(need: Need, rng: random.Random) -> SampleRequest | None:
    if need.asker == "fan":
        askers, products = fans(), _products(merchant=MERCHANT)
    else:
        askers = list(Creator.objects.filter(user__username=CREATOR))
        # Another merchant's products first: m_snacks's inbox is the merchant walk-through's.
        products = sorted(_products(), key=lambda p: p.shop.merchant.user.username == MERCHANT)
    rng.shuffle(askers)
    for product in products:
        for creator in askers:
            sample = _take(creator, product, need.stage, rng)
            if sample is not None:
                return sample
    logger.info("demo activity: nothing could be added for %s (%s)", need.walkthrough, need.what)
    return None


def _housekeeping(now) -> int:
    """The demo creators withdraw what the merchant left undecided before it expires (S4
    would start V3's 30-day wait); every demo creator promotes a received sample before its
    S7 breach (the pool's as soon as no extension awaits the merchant, the seeded ones a day
    before the breach, leaving their 待推广 to the walk-through until then)."""
    done = 0
    pool = [c.pk for c in fans()]
    for sample in SampleRequest.objects.filter(creator__in=pool, state=State.REQUESTED, decide_by__lte=now + WITHDRAW_BEFORE,
                                               decide_by__gt=now).select_related("creator__user"):
        try:
            requests.sample_request_withdraw(sample=sample, by=sample.creator.user)
            done += 1
        except (ValidationError, PermissionDenied):
            pass
    due = SampleRequest.objects.filter(state=State.RECEIVED, promotion="", fulfil_by__gt=now + PROMOTE_AFTER).filter(
        Q(creator__in=pool) | Q(fulfil_by__lte=now + RESCUE_WITHIN)
    ).exclude(extension__state=ExtensionRequest.State.REQUESTED).select_related("creator__user", "product")
    for sample in due:
        try:
            with transaction.atomic():
                promotion.sample_request_publish_video(
                    sample=sample, by=sample.creator.user, title=f"{sample.product.short_title or sample.product.title} 上手分享",
                    url="https://www.douyin.com/video/demo",
                )
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            logger.info("demo activity: %s could not promote %s: %s", sample.creator, sample.product, exc)
    return done


def demo_activity(rng: random.Random | None = None) -> list[SampleRequest]:
    """One run: housekeeping, then one new request for each walk-through need that has none
    left. Returns the requests added (none when every walk-through still has its work)."""
    rng = rng or random.Random()
    _housekeeping(timezone.now())
    added = []
    for need in NEEDS:
        if need.count() < 1:
            sample = _top_up(need, rng)
            if sample is not None:
                added.append(sample)
    return added
