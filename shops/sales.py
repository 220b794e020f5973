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


@dataclass(frozen=True)
class SalesSource:
    channel: str  # "live" | "video" | "flash"
    orders_of_merchant: Callable[[int], QuerySet]  # merchant id → that merchant's orders
    creator: str  # lookup path to the creator id of an order
    product: str  # lookup path to the product id
    time: str  # lookup path to when it was sold
    amount: Expression  # the goods value of one order (no shipping fee)
    units: Expression | str = "quantity"  # the units an order counts for (net of refunds where there are any)


_sources: dict[str, SalesSource] = {}


def register_sales_source(source: SalesSource) -> None:
    _sources[source.channel] = source


def sales_sources() -> list[SalesSource]:
    return list(_sources.values())
