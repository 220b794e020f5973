"""Where sales come from: a registry of order sources other apps read without knowing
each other (V10's return on samples reads flash-sale orders this way).

A domain that records orders registers a `SalesSource` in its `AppConfig.ready()`; a
reader asks `sales_sources()` and gets querysets plus the paths to the creator, the
product, the time and the goods amount of each order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, QuerySet

from core.registry import registry


@dataclass(frozen=True)
class SalesSource:
    channel: str  # "live" | "video" | "flash"
    orders_of_merchant: Callable[[int], QuerySet]  # merchant id → that merchant's orders
    creator: str  # lookup path to the creator id of an order
    product: str  # lookup path to the product id
    time: str  # lookup path to when it was sold
    amount: Expression  # the goods value of one order (no shipping fee)
    units: Expression | str = "quantity"  # the units an order counts for (net of refunds where there are any)
    all_orders: Callable[[], QuerySet] | None = None  # every order (the marketplace sorts by sales)


_sources = registry("shops.sales_sources", replace=True)


def register_sales_source(source: SalesSource) -> None:
    _sources.add(source, key=source.channel)


def sales_sources() -> list[SalesSource]:
    return _sources.values()


def sales_count_of_product(product_ref: str = "product_id"):
    """Orders of a product over every registered source, as an expression to annotate
    (`product_ref` names the product id in the outer query). 0 when no source counts."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    total = Value(0, output_field=IntegerField())
    for source in _sources.values():
        if source.all_orders is None:
            continue
        orders = (source.all_orders().filter(**{source.product: OuterRef(product_ref)}).order_by()
                  .values(source.product).annotate(n=Count("pk")).values("n")[:1])
        total = total + Coalesce(Subquery(orders, output_field=IntegerField()), 0)
    return total
