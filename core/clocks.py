"""Clocks as data: each timed rule declared once, everything else derived from it.

A clock is a deadline column of a model, started by a service (the column is set when the
clock starts) and, for most clocks, a transition the sweep takes once the deadline has
passed. One `Clock` entry says: the model, the transition, the deadline column, the rule
id, the texts. From it and the django-fsm graph come:

- the states it runs in: the transition's sources (`core.fsm.transition_edges`), never a
  second list, so a due query cannot select a state the transition refuses;
- the due query (`due`), the rows still waiting (`waiting`, the partial index's condition)
  and the partial index itself (`index`, a test holds the model's Meta equal to it);
- the transition's clock condition and its SQL form, as one object (`Deadline`);
- the ops lag metric (ops.clocks), the next deadline and its label on every page
  (`next_deadline`), and the beat entry's task (`task`; a test holds the schedule to it).

Adding a timed transition is: a column, a transition with `conditions=[Deadline(column)]`,
and one `Clock` entry registered in the app's AppConfig.ready(). The kernel knows no
domain: models are named by label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.registry import registry


class Deadline:
    """A transition's clock condition and its SQL form in one object: the row's `column` has
    passed at the clock's now. The per-row path calls it with the row (its `as_of`, the
    sweep's now, or the real clock for a person); the set-based path filters by `as_q(now)`."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.__name__ = f"{column}_passed"  # django-fsm and the logs name conditions by it

    def __call__(self, instance: models.Model) -> bool:
        value = getattr(instance, self.column)
        return value is not None and (getattr(instance, "as_of", None) or timezone.now()) >= value

    def __get__(self, instance, owner=None):
        """On a row, the question for a person's action: `sample.decide_passed()`."""
        return self if instance is None else partial(self, instance)

    def as_q(self, now: datetime) -> Q:
        return Q(**{f"{self.column}__lte": now})

    def __repr__(self) -> str:
        return f"Deadline({self.column!r})"


def _matches(instance: models.Model, lookups: dict[str, Any]) -> bool:
    """`lookups` (exact values and `__isnull`) read off an instance, as the database reads them."""
    for key, wanted in lookups.items():
        if key.endswith("__isnull"):
            if (getattr(instance, key[: -len("__isnull")]) is None) != wanted:
                return False
        elif getattr(instance, key) != wanted:
            return False
    return True


@dataclass(frozen=True)
class Clock:
    key: str  # the metric label and test id: "s4_decide"
    rule: str  # RULES.md id: "S4"
    model_label: str  # "samples.SampleRequest"
    deadline: str  # the column set when the clock starts
    label: Any  # what a person reads before the deadline: "Merchant decides by"
    transition: str = ""  # taken by the sweep at the deadline; "" for a mark only (S5 late)
    states: tuple = ()  # a mark only: the states it runs in (a transition's come from its sources)
    where: dict = field(default_factory=dict)  # further lookups (exact, __isnull) the rows meet
    passed_label: Any = ""  # a mark only: what the row shows once it has passed ("late")
    task: str = ""  # the beat task that sweeps it
    index_name: str = ""  # the model's partial index on `deadline` for the waiting rows

    # -- the model and the django-fsm graph

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def edge(self):
        from core.fsm import transition_edges

        return transition_edges(self.model, self.transition) if self.transition else None

    @cached_property
    def state_field(self) -> str:
        edge = self.edge()
        if edge is not None:
            return edge.field
        return next(f.name for f in self.model._meta.fields if f.__class__.__name__ == "FSMField")

    @cached_property
    def sources(self) -> tuple[str, ...]:
        edge = self.edge()
        return tuple(str(s) for s in (edge.sources if edge is not None else self.states))

    def condition(self) -> Deadline | None:
        """The transition's Deadline condition on this clock's column, if it has one."""
        edge = self.edge()
        found = [c for c in (edge.conditions if edge else ()) if isinstance(c, Deadline) and c.column == self.deadline]
        return found[0] if found else None

    # -- queries

    def waiting(self) -> Q:
        """The rows whose clock runs: the partial index's condition."""
        return Q(**{f"{self.state_field}__in": list(self.sources)}, **self.where)

    def due(self, now: datetime):
        """The rows whose deadline has passed at `now`, oldest deadline first (the index's order)."""
        return self.model._default_manager.filter(self.passed_at(now)).order_by(self.deadline)

    def passed_at(self, now: datetime) -> Q:
        """The due rows as a condition (for a filter or a count): `due(now)` without the order."""
        return self.waiting() & Q(**{f"{self.deadline}__lte": now})

    def runs_out_between(self, start: datetime, end: datetime) -> Q:
        """Rows whose deadline is after `start` and at or before `end` (the 即将超时 window)."""
        return self.waiting() & Q(**{f"{self.deadline}__gt": start, f"{self.deadline}__lte": end})

    def index(self) -> models.Index:
        return models.Index(fields=[self.deadline], condition=self.waiting(), name=self.index_name)

    # -- a row

    def runs_for(self, instance: models.Model) -> bool:
        return (str(getattr(instance, self.state_field)) in self.sources and _matches(instance, self.where)
                and getattr(instance, self.deadline) is not None)

    def at(self, instance: models.Model) -> datetime | None:
        return getattr(instance, self.deadline)


@dataclass(frozen=True)
class NextDeadline:
    """What a page shows of a row's clocks: the deadline that matters now, its label, and the
    marks already passed (S5: shipped late between 48 h and 120 h)."""

    clock: Clock
    at: datetime
    passed: tuple[Clock, ...] = ()

    @property
    def label(self) -> str:
        return str(self.clock.label)

    @property
    def late(self) -> bool:
        return bool(self.passed)

    @property
    def passed_labels(self) -> list[str]:
        return [str(c.passed_label) for c in self.passed if c.passed_label]


_clocks = registry("clocks", strict=True)


def register_clock(clock: Clock) -> Clock:
    """Declare a clock (from the owning app's AppConfig.ready()). The same key twice must be
    the same declaration."""
    return _clocks.add(clock, key=clock.key)


def all_clocks() -> list[Clock]:
    return _clocks.values()


def clock(key: str) -> Clock:
    found = _clocks.get(key)
    if found is None:
        raise KeyError(key)
    return found


def clocks_of(model: type[models.Model] | str) -> list[Clock]:
    label = model if isinstance(model, str) else model._meta.label
    return [c for c in _clocks.values() if c.model_label == label]


def next_deadline(instance: models.Model, now: datetime | None = None) -> NextDeadline | None:
    """The clock of `instance` that matters now: the earliest deadline still ahead among the
    clocks running for its state; marks already passed ride along. When every running clock
    has passed (the sweep has not come yet), the last one to act is shown, overdue."""
    now = now or timezone.now()
    running = sorted((c for c in clocks_of(instance._meta.label) if c.runs_for(instance)), key=lambda c: c.at(instance))
    if not running:
        return None
    ahead = [c for c in running if c.at(instance) > now]
    passed = tuple(c for c in running if c.at(instance) <= now and not c.transition)
    chosen = ahead[0] if ahead else running[-1]
    return NextDeadline(clock=chosen, at=chosen.at(instance), passed=tuple(c for c in passed if c is not chosen))
