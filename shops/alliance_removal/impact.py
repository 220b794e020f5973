"""Who and what taking a product out of the alliance touches (D2, D3), gathered from every app.

The marketplace knows showcases and live carts; other apps know the rest (samples: open
sample requests; flash sales: buyers). Each app registers, in its AppConfig.ready() (the
marketplace's own in ShopsConfig.ready()):

- a counter for the confirmation page (D2): `register_counter("open_samples", label, func)`
  where `func(product) -> int`;
- the creators to tell when a removal is scheduled and when it happens (D3, ours):
  `register_creator_audience("samples", func)` where `func(product) -> iterable of Creator`;
- the buyers an announcement reaches (D3): `register_buyer_audience("flash_sales", func, deliver=...)`
  where `func(product) -> iterable of recipients` (people who follow or bought the product)
  and `deliver(*, recipient, title, body, dedupe_key) -> bool` hands the announcement to one
  of them (True when it was delivered now, False when that dedupe key was already used).
  Without `deliver` the recipients are Users and get an in-app notification + e-mail
  (core.notifications.notify). Recipients need not be Users: flash-sale viewers, for one, are
  not, and their app delivers into its own inbox.

A provider that fails is logged and skipped: a broken app never blocks a removal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from core.registry import registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counter:
    key: str
    label: Any  # a lazy translatable string
    count: Callable[[Any], int]
    order: int = 100


_counters = registry("alliance_removal.impact_counters", replace=True)
_creator_audiences = registry("alliance_removal.creator_audiences", replace=True)


@dataclass(frozen=True)
class BuyerAudience:
    key: str
    recipients: Callable[[Any], Iterable]
    deliver: Callable[..., Any]


_buyer_audiences = registry("alliance_removal.buyer_audiences", replace=True)


def register_counter(key: str, label: Any, func: Callable[[Any], int], *, order: int = 100) -> None:
    _counters.add(Counter(key=key, label=label, count=func, order=order), key=key, order=order)


def register_creator_audience(key: str, func: Callable[[Any], Iterable]) -> None:
    _creator_audiences.add(func, key=key)


def unregister_creator_audience(key: str) -> None:
    _creator_audiences.pop(key, None)


def _notify_user(*, recipient, title: str, body: str, dedupe_key: str) -> bool:
    from core.notifications import notify

    return notify(user=recipient, title=title, body=body, dedupe_key=dedupe_key) is not None


def register_buyer_audience(key: str, func: Callable[[Any], Iterable], *, deliver: Callable[..., Any] | None = None) -> None:
    """D3: `func(product)` names the recipients; `deliver` reaches one (default: notify a User)."""
    _buyer_audiences.add(BuyerAudience(key=key, recipients=func, deliver=deliver or _notify_user), key=key)


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


def _gather(providers, product) -> list:
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


@dataclass(frozen=True)
class BuyerRecipient:
    """One person an announcement reaches, with how to reach them (see register_buyer_audience)."""

    obj: Any
    deliver: Callable[..., Any]

    @property
    def identity(self) -> str:
        """Unique across kinds of recipient: `auth.user:7`, `flashsales.viewer:7`."""
        return f"{self.obj._meta.label_lower}:{self.obj.pk}"


def buyer_audience(product) -> list[BuyerRecipient]:
    """D3: the buyers who follow or bought the product, as the apps that know buyers report them;
    each person once, however many providers name them."""
    seen: dict[str, BuyerRecipient] = {}
    for key, audience in sorted(_buyer_audiences.items()):
        try:
            for obj in audience.recipients(product):
                recipient = BuyerRecipient(obj=obj, deliver=audience.deliver)
                seen.setdefault(recipient.identity, recipient)
        except Exception:
            logger.exception("buyer audience provider %s failed for product %s", key, product.pk)
    return list(seen.values())
