"""Who moved a record, as reviewers read it: a person by name, the system by the rule it
applied (「系统（S5 未在 120 小时内发货，自动取消）」), never by a task's module path.

A sweep stores its transition note as "<template naming the task>: <why>" (samples'
`sweep_note`: 「系统任务“samples.sweep_cancel_unshipped”：…」). Each app registers, in its
AppConfig.ready(), what each of its tasks does in the words of the rule; the history pages
split the stored note here when they show it, so notes already written read right too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.registry import registry
from core.rules import rules

_TASKS = registry("actors.system_tasks", replace=True)
# The task's name between quotes, then a colon (“name”: or “name”：), as sweep_note writes it
# in either language.
_NOTE = re.compile(r"^[^“]*“(?P<task>[\w.]+)”\s*[:：]\s*(?P<what>.*)$", re.S)


def register_system_task(task: str, rule: Callable[[], str]) -> None:
    """`rule()` says what `task` does, by its rule id and in the reader's language."""
    _TASKS.add(rule, key=task)


def rule_amount(key: str) -> str:
    """A rule's current value as people say it: 120 小时, 7 天."""
    from core.models import RuleSetting

    value, unit = rules.amount(key)
    return f"{value} {RuleSetting.Unit(unit).label}"


@dataclass(frozen=True)
class Note:
    actor: str | None  # the system actor, when the note came from a registered task
    text: str


def split_note(description: str | None) -> Note:
    """The stored note of a transition, split into the system actor and what it says."""
    if not description:
        return Note(None, "")
    match = _NOTE.match(description)
    if match is None or match["task"] not in _TASKS:
        return Note(None, description)
    return Note(system_actor(match["task"]), match["what"])


def system_actor(task: str) -> str:
    rule = _TASKS.get(task)
    return _("system (%(rule)s)") % {"rule": rule()} if rule else _("system")


# ---------------------------------------------------------------------------------------
# T2: a person of a merchant's team is named with its merchant (「花漾 · 小李」) in the admin's
# histories and on the notifications its actions cause. The marketplace registers how.

_person_labels = registry("actors.person_labels")
_acting: ContextVar = ContextVar("daihuo_acting_user", default=None)


def register_person_label(label: Callable[[object], str | None]) -> None:
    _person_labels.add(label)


def person_label(user) -> str | None:
    """How a registered label names `user` (None when none knows it)."""
    for label in _person_labels:
        text = label(user)
        if text:
            return text
    return None


def set_acting(user):
    """The person the current request acts as (the session's user, or an API key's holder)."""
    return _acting.set(user)


def reset_acting(token) -> None:
    _acting.reset(token)


def acting_label() -> str:
    """The acting person's label, for a notification its action causes ("" for the system)."""
    user = _acting.get()
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return person_label(user) or ""
