"""Set-based transitions: a sweep moves a whole batch of rows at once, with the same
promises as `core.fsm.apply_transition` moving them one by one.

- Source and target come from the model's django-fsm declaration (`core.fsm.transition_edges`):
  the graph stays the one truth.
- The transition's conditions are evaluated per row in Python (cheap: the rows are already in
  memory); a row whose state or condition does not allow the move is returned as *left*, with
  the reason, for the caller's per-row path (which then refuses it, logged, exactly as before).
- One conditional UPDATE (`… WHERE state = ANY(sources) … RETURNING id`) moves the rows and
  writes the columns the caller set on them; only the ids it returns are recorded.
- django-fsm-log's StateLog rows are written in one bulk insert with the fields a single
  transition writes (transition, source_state, state, by, description, content object).

The caller holds the rows (FOR UPDATE SKIP LOCKED) in its transaction and wraps the call in
a savepoint: a batch that fails rolls back whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.events import publish_transitions
from core.fsm import transition_edges


@dataclass
class BatchResult:
    moved: list[models.Model]
    left: list[tuple[models.Model, str]]  # (row, why the set path did not move it)


def update_rows(
    model: type[models.Model], rows: Sequence[models.Model], fields: Iterable[str], *,
    state_field: str | None = None, sources: Sequence[str] = (), target: str | None = None,
) -> set:
    """Write `fields` of each row (its in-memory values) in one UPDATE; with `state_field`,
    only rows still in one of `sources` are written, and their state becomes `target`.
    Returns the primary keys written."""
    if not rows:
        return set()
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("update_rows must run inside transaction.atomic()")
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    table = qn(opts.db_table)
    pk = opts.pk
    arrays = [[pk.get_db_prep_value(row.pk, connection) for row in rows]]
    types = [pk.rel_db_type(connection)]
    for f in columns:
        arrays.append([f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows])
        types.append(f.rel_db_type(connection) if f.is_relation else f.db_type(connection))
    names = ["_pk"] + [f"_c{i}" for i in range(len(columns))]
    sets = [f"{qn(f.column)} = v.{names[i + 1]}" for i, f in enumerate(columns)]
    params: list = []
    where = f"{table}.{qn(pk.column)} = v._pk"
    if state_field:
        state_col = qn(opts.get_field(state_field).column)
        sets.insert(0, f"{state_col} = %s")
        params.append(target)
    unnest = ", ".join(f"%s::{t}[]" for t in types)
    params.extend(arrays)
    if state_field:
        where += f" AND {table}.{state_col} = ANY(%s)"
        params.append(list(sources))
    sql = (
        f"UPDATE {table} SET {', '.join(sets)} FROM unnest({unnest}) AS v({', '.join(names)}) "
        f"WHERE {where} RETURNING {table}.{qn(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {r[0] for r in cursor.fetchall()}


def transition_batch(
    rows: Sequence[models.Model], name: str, *, description: Callable[[models.Model], str],
    fields: Iterable[str] = (), by=None,
) -> BatchResult:
    """Run transition `name` on every row at once (rows of one model, locked by the caller).

    `fields`: the other columns the caller set on the rows (deadlines, reasons), written by
    the same UPDATE. `description(row)`: the StateLog description of that row's move.
    """
    if not rows:
        return BatchResult([], [])
    model = type(rows[0])
    edge = transition_edges(model, name)
    movable, left = [], []
    for row in rows:
        state = getattr(row, edge.field)
        if state not in edge.sources:
            left.append((row, f"state {state!r} is not a source of {name}"))
            continue
        failed = next((c for c in edge.conditions if not c(row)), None)
        if failed is not None:
            left.append((row, f"condition {getattr(failed, '__name__', failed)} not met"))
            continue
        movable.append(row)
    sources = {row.pk: getattr(row, edge.field) for row in movable}
    written = update_rows(model, movable, fields, state_field=edge.field, sources=edge.sources, target=edge.target)
    moved = []
    for row in movable:
        if row.pk in written:
            row.__dict__[edge.field] = edge.target  # protected FSMField: bypass its setter, as refresh does
            moved.append(row)
        else:
            left.append((row, f"changed by someone else before {name}"))
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    if moved:
        n = len(moved)
        insert_columns(StateLog, {
            "timestamp": [now] * n, "by_id": [getattr(by, "pk", None)] * n,
            "source_state": [sources[row.pk] for row in moved], "state": [edge.target] * n, "transition": [name] * n,
            "content_type_id": [content_type.pk] * n, "object_id": [row.pk for row in moved],
            "description": [description(row) or None for row in moved],
        })
        # Listeners of transitions (webhooks) hear a bulk move as they hear a per-row one.
        by_source: dict[str, list] = {}
        for row in moved:
            by_source.setdefault(sources[row.pk], []).append(row.pk)
        for source, pks in by_source.items():
            publish_transitions(model, pks, name=name, source=source, target=edge.target)
    return BatchResult(moved, left)


def insert_columns(model: type[models.Model], columns: dict[str, list]) -> None:
    """Insert rows given column by column (attname -> values), in one statement whose text
    does not grow with the rows on PostgreSQL (INSERT … SELECT FROM unnest of one array per
    column). Values are as the database takes them (no conversion)."""
    names = list(columns)
    count = len(columns[names[0]])
    if not count:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    qn = connection.ops.quote_name
    types = [f.rel_db_type(connection) if f.is_relation else f.db_type(connection) for f in fields]
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"SELECT * FROM unnest({', '.join(f'%s::{t}[]' for t in types)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [columns[name] for name in names])
