"""The order feed in (V10): the platform's order system reports order events (created, paid,
refunded) of live carts and videos in batches; each event counts once.

Set-based, for batches of thousands: the batch's creators, products, sessions, videos and
cart histories are read in one query each, new orders are inserted in one statement, paid
and refunded ones updated in bulk. V10's rule decides attribution: the product was in that
creator's session cart or video cart at the order's time (added at or before, not removed
by then); otherwise the order is kept unattributed with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.db import connection, transaction
from django.db.models import F, Q

from shops.models import ChannelOrder, Creator, LiveCartItem, LiveSession, OrderEvent, Product, ShortVideo, VideoCartItem
from shops.sales import SalesSource

Why = ChannelOrder.Unattributed
FEED_LOCK = 1410  # the order feed's advisory lock key


@dataclass
class Event:
    """One order event as the feed sends it (already validated for types by the caller)."""

    order_id: str
    kind: str  # created | paid | refunded
    occurred_at: datetime
    channel: str  # live | video
    creator: str  # the creator's platform ID
    product: int
    quantity: int
    amount: Decimal
    session: int | None = None
    video: int | None = None
    event_id: str = ""  # defaults to the kind: one created, one paid, one refund per order unless ids differ
    refund_quantity: int = 0
    refund_amount: Decimal = Decimal("0")


@dataclass
class IntakeResult:
    accepted: int = 0
    duplicates: int = 0
    orders_created: int = 0
    unattributed: dict[str, int] = field(default_factory=dict)


def _attribution(e: Event, creators, products, sessions, videos, live_items, video_items) -> tuple[bool, str]:
    creator = creators.get(e.creator)
    if creator is None:
        return False, Why.UNKNOWN_CREATOR
    if e.product not in products:
        return False, Why.UNKNOWN_PRODUCT
    source = sessions.get(e.session) if e.channel == ChannelOrder.Channel.LIVE else videos.get(e.video)
    if source is None:
        return False, Why.UNKNOWN_SOURCE
    if source.creator_id != creator.pk:
        return False, Why.NOT_CREATORS
    stretches = live_items.get((e.session, e.product)) if e.channel == ChannelOrder.Channel.LIVE else video_items.get((e.video, e.product))
    if not any(added <= e.occurred_at and (removed is None or removed > e.occurred_at) for added, removed in stretches or ()):
        return False, Why.NOT_IN_CART
    return True, Why.NONE


def _new_orders(events: list[Event]) -> list[ChannelOrder]:
    """The orders first seen in this batch, attributed or not (six queries whatever the size)."""
    creators = {c.platform_id: c for c in Creator.objects.filter(platform_id__in={e.creator for e in events}).only("pk", "platform_id")}
    products = set(Product.objects.filter(pk__in={e.product for e in events}).values_list("pk", flat=True))
    session_ids = {e.session for e in events if e.session}
    video_ids = {e.video for e in events if e.video}
    sessions = {s.pk: s for s in LiveSession.objects.filter(pk__in=session_ids).only("pk", "creator_id")}
    videos = {v.pk: v for v in ShortVideo.objects.filter(pk__in=video_ids).only("pk", "creator_id")}
    live_items: dict = defaultdict(list)
    for row in LiveCartItem.objects.filter(session_id__in=session_ids, product_id__in=products).values_list(
        "session_id", "product_id", "added_at", "removed_at"
    ):
        live_items[row[:2]].append(row[2:])
    video_items: dict = defaultdict(list)
    for row in VideoCartItem.objects.filter(video_id__in=video_ids, product_id__in=products).values_list(
        "video_id", "product_id", "added_at", "removed_at"
    ):
        video_items[row[:2]].append(row[2:])
    orders = []
    for e in events:
        attributed, why = _attribution(e, creators, products, sessions, videos, live_items, video_items)
        creator = creators.get(e.creator)
        orders.append(ChannelOrder(
            order_id=e.order_id, channel=e.channel, quantity=e.quantity, amount=e.amount, ordered_at=e.occurred_at,
            creator=creator, product_id=e.product if e.product in products else None,
            session_id=e.session if e.session in sessions else None, video_id=e.video if e.video in videos else None,
            attributed=attributed, unattributed_reason=why,
            reported={"creator": e.creator, "product": e.product, "session": e.session, "video": e.video},
        ))
    return orders


@transaction.atomic
def order_events_ingest(*, events: list[Event]) -> IntakeResult:
    """Take a batch of order events; an event already taken (same order and event id) is skipped."""
    result = IntakeResult()
    # One batch at a time: two batches carrying the same event (a retry racing the first
    # try) must not both count it; the unique (order, event) constraint backs this up.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
    for e in events:
        e.event_id = e.event_id or e.kind
    # Duplicates inside the batch, then against what was taken before (one query).
    unique: dict[tuple[str, str], Event] = {}
    for e in events:
        unique.setdefault((e.order_id, e.event_id), e)
    seen = set(
        OrderEvent.objects.filter(order_id__in={e.order_id for e in unique.values()}).values_list("order_id", "event_id")
    )
    fresh = [e for key, e in unique.items() if key not in seen]
    OrderEvent.objects.bulk_create(
        [OrderEvent(order_id=e.order_id, event_id=e.event_id, kind=e.kind, occurred_at=e.occurred_at) for e in fresh],
        batch_size=2000,
    )
    result.accepted = len(fresh)
    result.duplicates = len(events) - len(fresh)
    if not fresh:
        return result
    # Every event carries the order: the first event of an unknown order creates it.
    known = set(ChannelOrder.objects.filter(order_id__in={e.order_id for e in fresh}).values_list("order_id", flat=True))
    first_of_new: dict[str, Event] = {}
    for e in sorted(fresh, key=lambda e: e.occurred_at):
        if e.order_id not in known:
            first_of_new.setdefault(e.order_id, e)
    new_orders = _new_orders(list(first_of_new.values()))
    ChannelOrder.objects.bulk_create(new_orders, batch_size=2000)
    result.orders_created = len(new_orders)
    for order in new_orders:
        if not order.attributed:
            result.unattributed[order.unattributed_reason] = result.unattributed.get(order.unattributed_reason, 0) + 1
    _apply_payments_and_refunds(fresh)
    return result


def _apply_payments_and_refunds(events: list[Event]) -> None:
    paid = {e.order_id: e.occurred_at for e in events if e.kind == OrderEvent.Kind.PAID}
    refunds: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.kind == OrderEvent.Kind.REFUNDED:
            refunds[e.order_id].append(e)
    if not paid and not refunds:
        return
    orders = list(ChannelOrder.objects.select_for_update().filter(Q(order_id__in=paid) | Q(order_id__in=refunds)))
    for order in orders:
        if order.order_id in paid and order.paid_at is None:
            order.paid_at = paid[order.order_id]
        for e in refunds.get(order.order_id, ()):
            # A refund never takes back more than the order was worth.
            order.refunded_quantity = min(order.quantity, order.refunded_quantity + (e.refund_quantity or 0))
            order.refunded_amount = min(order.amount, order.refunded_amount + (e.refund_amount or Decimal("0")))
    ChannelOrder.objects.bulk_update(orders, ["paid_at", "refunded_quantity", "refunded_amount"], batch_size=2000)


def paid_orders_of_merchant(channel: str, merchant_id: int):
    """V10: the attributed, paid orders of a channel for a merchant's products, not wholly refunded."""
    return ChannelOrder.objects.filter(
        channel=channel, attributed=True, paid_at__isnull=False, product__shop__merchant_id=merchant_id,
        refunded_quantity__lt=F("quantity"),
    )


def channel_sales_source(channel: str) -> SalesSource:
    return SalesSource(
        channel=channel, orders_of_merchant=partial(paid_orders_of_merchant, channel), creator="creator_id",
        product="product_id", time="ordered_at", amount=F("amount") - F("refunded_amount"),
        units=F("quantity") - F("refunded_quantity"),
        # the marketplace's sort by sales counts every paid channel order, whoever brought it
        all_orders=lambda: ChannelOrder.objects.filter(channel=channel, paid_at__isnull=False, refunded_quantity__lt=F("quantity")),
    )
