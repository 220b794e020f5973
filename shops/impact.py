"""Who and what taking a product out of the alliance touches (D2, D3), gathered from every app.

The marketplace core knows showcases and live carts; other apps know the rest (samples:
open sample requests; flash sales: buyers). Each app registers, in its AppConfig.ready():

- a counter for the confirmation page (D2): `register_counter("open_samples", label, func)`
  where `func(product) -> int`;
- the creators to tell when a removal is scheduled and when it happens (D3, ours):
  `register_creator_audience("samples", func)` where `func(product) -> iterable of Creator`;
- the buyers an announcement reaches (D3): `register_buyer_audience("flash_sales", func)`
  where `func(product) -> iterable of User` (people who follow or bought the product).

A provider that fails is logged and skipped: a broken app never blocks a removal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counter:
    key: str
    label: Any  # a lazy translatable string
    count: Callable[[Any], int]
    order: int = 100


_counters: dict[str, Counter] = {}
_creator_audiences: dict[str, Callable[[Any], Iterable]] = {}
_buyer_audiences: dict[str, Callable[[Any], Iterable]] = {}


def register_counter(key: str, label: Any, func: Callable[[Any], int], *, order: int = 100) -> None:
    _counters[key] = Counter(key=key, label=label, count=func, order=order)


def unregister_counter(key: str) -> None:
    _counters.pop(key, None)


def register_creator_audience(key: str, func: Callable[[Any], Iterable]) -> None:
    _creator_audiences[key] = func


def unregister_creator_audience(key: str) -> None:
    _creator_audiences.pop(key, None)


def register_buyer_audience(key: str, func: Callable[[Any], Iterable]) -> None:
    _buyer_audiences[key] = func


def unregister_buyer_audience(key: str) -> None:
    _buyer_audiences.pop(key, None)


@dataclass(frozen=True)
class ImpactLine:
    key: str
    label: Any
    count: int


def impact_for(product) -> list[ImpactLine]:
    """D2: the counts the confirmation page shows for one product."""
    lines = []
    for counter in sorted(_counters.values(), key=lambda c: (c.order, c.key)):
        try:
            lines.append(ImpactLine(counter.key, counter.label, int(counter.count(product))))
        except Exception:
            logger.exception("impact counter %s failed for product %s", counter.key, product.pk)
    return lines


def _gather(providers: dict[str, Callable[[Any], Iterable]], product) -> list:
    seen: dict[int, Any] = {}
    for key, func in sorted(providers.items()):
        try:
            for obj in func(product):
                seen.setdefault(obj.pk, obj)
        except Exception:
            logger.exception("audience provider %s failed for product %s", key, product.pk)
    return list(seen.values())


def affected_creators(product) -> list:
    """D3 (ours): the creators who carry the product or have open business with it."""
    return _gather(_creator_audiences, product)


def buyer_audience(product) -> list:
    """D3: the users who follow or bought the product, as the apps that know buyers report them."""
    return _gather(_buyer_audiences, product)


# ---------------------------------------------------------------------------------------
# The marketplace core's own providers.


def _showcases(product) -> int:
    from shops.selectors_carry import showcase_items_affected

    return showcase_items_affected(product).count()


def _scheduled_carts(product) -> int:
    from shops.selectors_carry import cart_items_affected

    return cart_items_affected(product).count()


def _live_carts(product) -> int:
    from shops.selectors_carry import live_cart_items_kept

    return live_cart_items_kept(product).count()


def _core_creators(product):
    from shops.selectors_carry import creators_carrying

    return creators_carrying(product)


register_counter("showcases", _("Showcases carrying it (it will be removed)"), _showcases, order=10)
register_counter("scheduled_carts", _("Carts of scheduled live sessions (it will be removed)"), _scheduled_carts, order=20)
register_counter("live_carts", _("Carts of sessions live now (they keep it until they end)"), _live_carts, order=30)
register_creator_audience("shops", _core_creators)
