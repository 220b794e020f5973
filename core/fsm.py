"""The transition gate: one path for every state change: check permission and conditions, run the django-fsm
transition (django-fsm-log records who, when, from, to and why), save, all inside the
caller's transaction.

Domain services call `apply_transition`; nothing else calls a transition method.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed, has_transition_perm
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

# Through which door a person acted when it was not the web pages (e.g. "API key “erp”"):
# every transition recorded meanwhile names it in its description.
_channel: ContextVar[str] = ContextVar("transition_channel", default="")


@contextmanager
def acting_through(channel: str) -> Iterator[None]:
    """Name `channel` in the audit record of every transition made inside the block."""
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def logged(func):
    """Decorate a django-fsm transition so that `by=` and `description=` are recorded."""
    return fsm_log_by(fsm_log_description(func))


def apply_transition(obj: models.Model, name: str, *, by=None, description: str = "", **kwargs: Any) -> models.Model:
    """Run transition `name` on `obj` as user `by` (None = the system, e.g. a sweep).

    Raises PermissionDenied when `by` lacks the transition's permission and
    ValidationError (a message for the person) when the object is no longer in a
    state that allows it, including when another request changed it first.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_transition must run inside transaction.atomic()")
    method = getattr(obj, name)
    # State first: django-fsm's has_transition_perm is also False when the state no longer
    # allows the transition, and that person deserves "it changed", not "not allowed".
    if not can_proceed(method):
        raise ValidationError(stale_message(obj))
    if by is not None and not has_transition_perm(method, by):
        raise PermissionDenied(_("You are not allowed to do this."))
    if _channel.get():
        description = f"{description} [{_channel.get()}]" if description else f"[{_channel.get()}]"
    try:
        method(by=by, description=description or None, **kwargs)
        obj.save()
    except (TransitionNotAllowed, ConcurrentTransition) as exc:
        raise ValidationError(stale_message(obj)) from exc
    return obj


def stale_message(obj: models.Model) -> str:
    state_field = next(f for f in obj._meta.fields if f.__class__.__name__ == "FSMField")
    state = getattr(obj, f"get_{state_field.name}_display")()
    return _("This action is no longer possible: the %(object)s is now “%(state)s”. Reload the page to see why.") % {
        "object": obj._meta.verbose_name,
        "state": state,
    }


def full_clean(obj: models.Model) -> None:
    """Model.full_clean() minus the protected FSM fields (django-fsm refuses to set them)."""
    fsm_fields = [f.name for f in obj._meta.fields if f.__class__.__name__ == "FSMField"]
    obj.full_clean(exclude=fsm_fields)


class Edge:
    __slots__ = ("field", "sources", "target", "conditions", "permission")

    def __init__(self, *, field: str, sources: tuple, target, conditions: tuple, permission) -> None:
        self.field, self.sources, self.target = field, sources, target
        self.conditions, self.permission = conditions, permission

    def __repr__(self) -> str:
        return f"Edge({self.field}: {self.sources} -> {self.target})"


def transition_edges(model: type[models.Model], name: str):
    """The declaration of transition `name` on `model`, as django-fsm holds it: the state
    field, the source states, the one target, the conditions and the permission.

    The set-based path (core.fsm_batch) reads its source and target from here, so the
    django-fsm graph stays the one truth for both paths.
    """
    meta = getattr(getattr(model, name), "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{model.__name__}.{name} is not a django-fsm transition")
    transitions = list(meta.transitions.values())
    targets = {t.target for t in transitions}
    if len(targets) != 1:
        raise ValueError(f"{model.__name__}.{name} has several targets: {sorted(map(str, targets))}")
    if any(t.source in ("*", "+") for t in transitions):
        raise ValueError(f"{model.__name__}.{name}: wildcard sources are not supported by the set-based path")
    first = transitions[0]
    return Edge(
        field=meta.field if isinstance(meta.field, str) else meta.field.name,
        sources=tuple(t.source for t in transitions),
        target=first.target,
        conditions=tuple(first.conditions),
        permission=first.permission,
    )

