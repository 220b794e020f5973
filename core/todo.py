"""To-do boards: what waits for a person, gathered from the domains without importing them.

Each domain registers a provider per role in its AppConfig.ready() (`register_todo("merchant",
fn)`); a workspace's dashboard asks `board_for(role, actor)` and shows the counts, each a link
to the filtered list, and the nearest deadlines with countdowns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from core.registry import registry

# How near a deadline is drawn in the warning colour on the boards.
SOON = timedelta(hours=24)


@dataclass(frozen=True)
class TodoCount:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in the warning colour when non-zero
    order: int = 100


@dataclass(frozen=True)
class TodoDeadline:
    label: str  # what runs out ("Ship by")
    title: str  # what it is about (the product, the creator)
    at: datetime
    url: str
    marks: tuple[str, ...] = ()  # deadlines already passed on the way to this one (S5: "late")

    @property
    def passed(self) -> bool:
        return self.at <= timezone.now()

    @property
    def urgency(self) -> str:
        """"late" once it (or a mark before it) has passed, "soon" within a day (the boards'
        colour), else ""."""
        now = timezone.now()
        if self.at <= now or self.marks:
            return "late"
        return "soon" if self.at <= now + SOON else ""


@dataclass
class TodoBoard:
    counts: list[TodoCount] = field(default_factory=list)
    deadlines: list[TodoDeadline] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


Provider = Callable[[Any], TodoBoard]

def register_todo(role: str, provider: Provider) -> Provider:
    """`provider(actor)` returns the part of `role`'s board one domain knows (a TodoBoard)."""
    return registry(f"todo:{role}").add(provider)


def board_for(role: str, actor, *, deadlines: int = 5) -> TodoBoard:
    """Every registered domain's part, the counts in their order and the `deadlines` nearest."""
    board = TodoBoard()
    for provider in registry(f"todo:{role}"):
        part = provider(actor)
        board.counts.extend(part.counts)
        board.deadlines.extend(part.deadlines)
    board.counts.sort(key=lambda c: c.order)
    board.deadlines = sorted(board.deadlines, key=lambda d: d.at)[:deadlines]
    return board
