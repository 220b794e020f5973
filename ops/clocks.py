"""The clocks the beat sweeps serve, and how far behind each one is.

A clock is a deadline column of rows in one state; a row whose deadline has passed waits
for its sweep. The lag of a clock is the age of its oldest due row (0 when none waits):
it grows while no sweep runs and drops when one has. Each clock is one query on the partial
index its model declares for its sweep.

Models are looked up by label (django.apps), not imported, so ops/ depends on no domain
app; a label not installed (an app renamed or moved, e.g. shops → core) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db.models import Min, Q
from django.utils import timezone


@dataclass(frozen=True)
class Clock:
    key: str  # metric label
    rule: str
    label: str  # the model, by app label (ops imports no domain module for a scrape)
    deadline: str
    where: dict = field(default_factory=dict)
    task: str = ""  # the beat task that moves its rows

    def model(self):
        try:
            return apps.get_model(self.label)
        except LookupError:
            return None

    def due(self, now: datetime):
        model = self.model()
        if model is None:
            return None
        return model._default_manager.filter(Q(**self.where), **{f"{self.deadline}__lte": now})


CLOCKS: tuple[Clock, ...] = (
    Clock("s4_decide", "S4", "samples.SampleRequest", "decide_by", {"state": "requested"},
          "samples.tasks.sweep_expire_undecided"),
    Clock("s5_ship", "S5", "samples.SampleRequest", "ship_cancel_at", {"state": "approved"},
          "samples.tasks.sweep_cancel_unshipped"),
    Clock("s6_receive", "S6", "samples.SampleRequest", "auto_receive_at", {"state": "shipped"},
          "samples.tasks.sweep_auto_receive"),
    Clock("s7_check", "S7", "samples.SampleRequest", "fulfil_check_at", {"state": "received"},
          "samples.tasks.sweep_check_promotions"),
    # The breach sweep also waits for an extension still open (V7); the lag counts those too.
    Clock("s7_fulfil", "S7", "samples.SampleRequest", "fulfil_by", {"state": "received", "promotion": ""},
          "samples.tasks.sweep_breach_unpromoted"),
    Clock("v7_extension", "V7", "samples.ExtensionRequest", "refuse_by", {"state": "requested"},
          "samples.tasks.sweep_grant_extensions"),
    Clock("d2_removal", "D2", "shops.AllianceRemoval", "scheduled_at", {"status": "scheduled"},
          "shops.tasks.alliance_removals_sweep"),
)


@dataclass
class Reading:
    clock: Clock
    lag_seconds: float
    due_rows: int


def read(clock: Clock, now: datetime | None = None, *, count: bool = False) -> Reading | None:
    """The clock's lag (and, with count=True, how many rows are due) at `now`."""
    now = now or timezone.now()
    due = clock.due(now)
    if due is None:
        return None
    oldest = due.aggregate(oldest=Min(clock.deadline))["oldest"]
    lag = max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
    return Reading(clock, lag, due.count() if count else (1 if oldest else 0))


def read_all(now: datetime | None = None, *, count: bool = False) -> list[Reading]:
    now = now or timezone.now()
    return [r for c in CLOCKS if (r := read(c, now, count=count)) is not None]


def emails_pending() -> int:
    """Notifications whose e-mail has not gone out (their user has an address)."""
    model = apps.get_model("core.Notification")
    return model._default_manager.filter(emailed_at__isnull=True).exclude(user__email="").count()
    return 0
