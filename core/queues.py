"""The reviewers' queues: what waits for the platform, gathered from the domains without
importing them (like core.todo for the workspaces).

Each domain registers a provider in its AppConfig.ready() (`register_queue(fn)`); the admin
index asks `queues_for(user)` and shows each queue's size and its oldest waiting item, each a
link to the admin list filtered on what waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince

from core.registry import registry


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str  # the admin list filtered on what waits
    oldest_title: str = ""  # what has waited longest (its name, never an id)
    oldest_since: datetime | None = None
    order: int = 100
    permission: str = ""  # shown to those who hold it ("" = every staff member)

    @property
    def waiting(self) -> str:
        return timesince(self.oldest_since, timezone.now()) if self.oldest_since else ""


Provider = Callable[[], list[Queue]]

_providers = registry("queues")


def register_queue(provider: Provider) -> Provider:
    """`provider()` returns the queues one domain keeps (a list of Queue)."""
    return _providers.add(provider)


def queues_for(user) -> list[Queue]:
    """Every registered queue the user may see, in their order."""
    found = [queue for provider in _providers for queue in provider()]
    return sorted((q for q in found if not q.permission or user.has_perm(q.permission)), key=lambda q: q.order)


# ---------------------------------------------------------------------------------------
# Charts under the queues (core.charts.Chart): how the queues have been answered and how
# long items wait. A domain registers `register_queue_charts(fn, permission=…)` in its
# AppConfig.ready(); `fn()` returns its charts (a fixed, small number of queries).

_chart_providers = registry("queue_charts")


def register_queue_charts(provider: Callable[[], list], *, permission: str = "") -> None:
    _chart_providers.add((provider, permission), key=provider)


def queue_charts_for(user) -> list:
    """The charts of every provider whose permission the user holds."""
    return [chart for provider, perm in _chart_providers if not perm or user.has_perm(perm) for chart in provider()]
