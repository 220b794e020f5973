"""The one place every "add a product to a live cart, a showcase or a short video" passes.

Each domain registers a guard (F1 filings, C1–C4 carry limits, D4 out of the alliance).
A guard raises django.core.exceptions.ValidationError with the message the person sees;
the first refusal wins and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shops.models import Creator, LiveSession, Product, ShortVideo


@dataclass(frozen=True)
class CarryAttempt:
    creator: Creator
    product: Product
    place: str  # "live" | "showcase" | "video"
    session: LiveSession | None = None
    video: ShortVideo | None = None


Guard = Callable[[CarryAttempt], None]
_guards: list[tuple[int, Guard]] = []


def register_guard(guard: Guard, *, order: int = 100) -> Guard:
    if all(g is not guard for _, g in _guards):
        _guards.append((order, guard))
        _guards.sort(key=lambda pair: pair[0])
    return guard


def check_carry(attempt: CarryAttempt) -> None:
    for _, guard in _guards:
        guard(attempt)
