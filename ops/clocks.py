"""How far behind each clock the beat sweeps serve is.

The clocks are declared once, in the kernel's registry (core.clocks), by the apps that own
them; this module only reads them. The lag of a clock is the age of its oldest due row (0
when none waits): it grows while no sweep runs and drops when one has. Each is one query
on the partial index its model declares for the clock (`Clock.due`). Marks without a
transition (S5's 48 h "late") have no sweep and no lag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Min
from django.utils import timezone

from core.clocks import Clock, all_clocks


def swept() -> list[Clock]:
    """The clocks a beat sweep moves (those with a transition)."""
    return [c for c in all_clocks() if c.transition]


@dataclass
class Reading:
    clock: Clock
    lag_seconds: float
    due_rows: int


def read(clock: Clock, now: datetime | None = None, *, count: bool = False) -> Reading | None:
    """The clock's lag (and, with count=True, how many rows are due) at `now`."""
    now = now or timezone.now()
    due = clock.due(now)
    oldest = due.aggregate(oldest=Min(clock.deadline))["oldest"]
    lag = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
    return Reading(clock, lag, due.count() if count else (1 if oldest else 0))


def read_all(now: datetime | None = None, *, count: bool = False) -> list[Reading]:
    now = now or timezone.now()
    return [r for c in swept() if (r := read(c, now, count=count)) is not None]


def emails_pending() -> int:
    """Notifications whose e-mail has not gone out (their user has an address)."""
    model = apps.get_model("core.Notification")
    return model._default_manager.filter(emailed_at__isnull=True).exclude(user__email="").count()
    return 0
