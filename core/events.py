"""Events the kernel carries for whoever listens (the open API's webhooks): a platform rule
changed, and transitions applied in bulk.

A transition made through `core.fsm.apply_transition` sends django-fsm's `post_transition`
per row. A set-based path (a sweep that moves many rows with one UPDATE and bulk-inserts
their StateLog rows) sends no per-row signal: it calls `publish_transitions(...)` once,
inside its transaction, with the primary keys it moved. Listeners treat both the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# kwargs: key, rule_id, value, unit, by — sent by core.rules.rule_update inside its transaction
rule_changed = Signal()
# sender: the model class; kwargs: pks (list), name (the transition), source, target
transitions_applied = Signal()


def publish_transitions(model, pks: Iterable, *, name: str, source: str, target: str) -> None:
    """Announce that the rows `pks` of `model` went through transition `name` (source → target)
    without per-row signals (a bulk UPDATE). Call it inside the transaction that moved them."""
    pks = list(pks)
    if pks:
        transitions_applied.send(sender=model, pks=pks, name=name, source=source, target=target)
