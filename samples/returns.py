"""V10 Return on samples, scoped to the merchant asking: per creator and product, the samples the merchant sent (units,
their cost) and the orders and sales that creator's promotions of that product brought
afterwards, i.e. at or after a sample of that pair was shipped:
- every order source registered with `shops.sales`: live carts and videos from the
  platform's order feed (shops.orders: attributed, paid, net of refunds); flash sales register their
  orders (flash sale → live session → creator, and the flash sale's product), read where
  they are, never copied; its sales are the goods value (unit price × quantity), without
  the buyer's shipping fee.
Cost = one unit at the product's price at each shipment (a re-shipment sends another unit)
plus the shipping costs the merchant entered when shipping.

Every page is a fixed number of queries: the pairs (one grouped query, paginated), then
one query per sales source for the pairs of that page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from samples.models import SampleRequest
from shops.models import Creator, Merchant, Product
from shops.sales import SalesSource, sales_sources

CHANNELS = ("live", "video", "flash")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


MONEY = DecimalField(max_digits=16, decimal_places=2)


def money(value) -> Decimal:
    """Yuan to the cent (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class ChannelFigures:
    orders: int = 0
    units: int = 0
    amount: Decimal = ZERO

    def add(self, orders: int, units: int, amount: Decimal | None) -> None:
        self.orders += orders or 0
        self.units += units or 0
        self.amount += money(amount)


@dataclass
class ReturnRow:
    creator_id: int
    product_id: int
    creator_name: str
    creator_platform_id: str
    product_title: str
    sent: int
    sample_cost: Decimal
    shipping_cost: Decimal
    first_shipped: object
    channels: dict[str, ChannelFigures] = field(default_factory=lambda: {c: ChannelFigures() for c in CHANNELS})

    @property
    def cost(self) -> Decimal:
        return self.sample_cost + self.shipping_cost

    @property
    def orders(self) -> int:
        return sum(c.orders for c in self.channels.values())

    @property
    def units(self) -> int:
        return sum(c.units for c in self.channels.values())

    @property
    def sales(self) -> Decimal:
        return sum((c.amount for c in self.channels.values()), ZERO)

    @property
    def ratio(self) -> Decimal | None:
        """Sales per yuan of sample cost (None when the samples cost nothing)."""
        return (self.sales / self.cost).quantize(CENT) if self.cost else None


def sample_return_pairs(*, merchant: Merchant, q: str = "") -> QuerySet:
    """One row per (creator, product) the merchant shipped samples to, newest first."""
    qs = SampleRequest.objects.filter(merchant=merchant, units_sent__gt=0)
    q = q.strip()
    if q:
        qs = qs.filter(Q(creator__nickname__icontains=q) | Q(creator__platform_id__icontains=q) | Q(product__title__icontains=q))
    # grouped by the two ids alone (the sent-pairs index): the names are read for a page's
    # rows only (_rows), not joined to every pair before the LIMIT
    return (
        qs.values("creator_id", "product_id")
        .annotate(
            sent=Sum("units_sent"), sample_cost_sum=Sum("sample_cost"), shipping_cost_sum=Sum("shipping_cost"),
            first_shipped=Min("shipped_at"),
        )
        .order_by("-first_shipped", "creator_id", "product_id")
    )


def _shipped_before(merchant_id: int, creator_ref: str, product_ref: str, time_ref: str) -> Exists:
    """“Afterwards”: a sample of that creator and product was shipped at or before the sale."""
    return Exists(
        SampleRequest.objects.filter(
            merchant_id=merchant_id, creator_id=OuterRef(creator_ref), product_id=OuterRef(product_ref),
            units_sent__gt=0, shipped_at__lte=OuterRef(time_ref),
        )
    )


def _source_orders(source: SalesSource, merchant_id: int) -> QuerySet:
    return source.orders_of_merchant(merchant_id).filter(_shipped_before(merchant_id, source.creator, source.product, source.time))


def _rows(pairs: Iterable[dict]) -> list[ReturnRow]:
    """The report's rows for these pairs, with the creators' and products' names (two queries)."""
    pairs = list(pairs)
    if not pairs:
        return []
    creators = {pk: (nick, pid) for pk, nick, pid in Creator.objects.filter(
        pk__in={p["creator_id"] for p in pairs}).values_list("pk", "nickname", "platform_id")}
    titles = dict(Product.objects.filter(pk__in={p["product_id"] for p in pairs}).values_list("pk", "title"))
    return [
        ReturnRow(
            creator_id=p["creator_id"], product_id=p["product_id"], creator_name=creators[p["creator_id"]][0],
            creator_platform_id=creators[p["creator_id"]][1], product_title=titles[p["product_id"]], sent=p["sent"],
            sample_cost=money(p["sample_cost_sum"]), shipping_cost=money(p["shipping_cost_sum"]),
            first_shipped=p["first_shipped"],
        )
        for p in pairs
    ]


def with_sales(*, merchant: Merchant, pairs: Iterable[dict]) -> list[ReturnRow]:
    """The rows of these pairs with the orders and sales each brought (one query per sales source)."""
    rows = _rows(pairs)
    if not rows:
        return rows
    by_pair = {(r.creator_id, r.product_id): r for r in rows}
    creators = {r.creator_id for r in rows}
    products = {r.product_id for r in rows}
    for source in sales_sources():  # one query per registered source
        grouped = (
            _source_orders(source, merchant.pk)
            .filter(**{f"{source.creator}__in": creators, f"{source.product}__in": products})
            .values(c=F(source.creator), p=F(source.product))
            .annotate(n=Count("pk"), units=Sum(source.units), amount=Sum(source.amount))
            .order_by()
        )
        for g in grouped:
            row = by_pair.get((g["c"], g["p"]))
            if row is not None:
                row.channels[source.channel].add(g["n"], g["units"], g["amount"])
    return rows


def sample_returns_all(*, merchant: Merchant, q: str = "", chunk: int = 500) -> Iterator[ReturnRow]:
    """Every row, for the CSV download: pairs in chunks, each chunk with its sales."""
    pairs = sample_return_pairs(merchant=merchant, q=q)
    offset = 0
    while True:
        batch = list(pairs[offset: offset + chunk])
        yield from with_sales(merchant=merchant, pairs=batch)
        if len(batch) < chunk:
            return
        offset += chunk


def sample_returns_totals(*, merchant: Merchant) -> dict:
    """The merchant's totals over every pair (one query, plus one per sales source)."""
    sent = SampleRequest.objects.filter(merchant=merchant, units_sent__gt=0).aggregate(
        sent=Coalesce(Sum("units_sent"), 0), creators=Count("creator_id", distinct=True),
        cost=Coalesce(Sum(F("sample_cost") + F("shipping_cost"), output_field=MONEY), ZERO, output_field=MONEY),
    )
    orders, sales = 0, ZERO
    for source in sales_sources():
        got = _source_orders(source, merchant.pk).aggregate(
            n=Count("pk"), amount=Coalesce(Sum(source.amount), ZERO, output_field=MONEY)
        )
        orders, sales = orders + got["n"], sales + money(got["amount"])
    cost = money(sent["cost"])
    return {
        "sent": sent["sent"], "creators": sent["creators"], "cost": cost,
        "orders": orders, "sales": sales,
        "ratio": (sales / cost).quantize(CENT) if cost else None,
    }
