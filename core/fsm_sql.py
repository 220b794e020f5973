"""A sweep's batch in one statement: claim, transition, records and notifications in one
round trip (the set-based path at its cheapest; core.fsm_batch is the general one).

    WITH claimed AS (SELECT … FOR UPDATE SKIP LOCKED LIMIT n),   -- the due queryset, compiled
         moved   AS (UPDATE … FROM claimed WHERE state = ANY(sources) RETURNING …),
         logs    AS (INSERT INTO django_fsm_log_statelog … SELECT … FROM moved),
         notes   AS (INSERT INTO shops_notification … SELECT … FROM moved … RETURNING id)
    SELECT what was claimed, moved and notified

The same promises as the per-row path and core.fsm_batch:
- source and target come from the django-fsm declaration (`core.fsm.transition_edges`); each
  of the transition's conditions must carry its SQL twin, `condition.as_q(now)` (a Q over the
  row given the sweep's clock), which the claim applies: a transition with a condition that
  has none cannot use this path (`supports` says so; the caller takes the general one);
- a claimed row the UPDATE does not move is returned as *left* for the per-row path;
- the texts are the platform language's templates, rendered once per batch and filled per
  row by PostgreSQL's format() (`sql_text`): the same strings the per-row path writes;
- nothing of a row is held in Python beyond its id: memory does not grow with the batch.
The caller runs it inside a savepoint: a statement that fails rolls back whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.fsm import transition_edges
from core.models import Notification


@dataclass(frozen=True)
class SQL:
    """A piece of SQL with its positional parameters."""

    text: str
    params: tuple = ()


def lit(value) -> SQL:
    return SQL("%s", (value,))


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%|%")


def sql_text(template: str, **args: SQL | str) -> SQL:
    """`template % args` (Python's named %-format, as gettext'd texts are written) computed by
    PostgreSQL's format(): each argument an SQL expression (a column) or a Python string."""
    order: list[str] = []

    def convert(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%%"
        name = match.group(1)
        if name is None:
            raise ValueError(f"unsupported % in {template!r}")
        if name not in order:
            order.append(name)
        return f"%{order.index(name) + 1}$s"

    fmt = _PLACEHOLDER.sub(convert, str(template))
    parts = [lit(fmt)] + [args[name] if isinstance(args[name], SQL) else lit(args[name]) for name in order]
    return SQL(f"format({', '.join(p.text for p in parts)})", tuple(p for part in parts for p in part.params))


def local_time(column: str) -> SQL:
    """samples.messages.local_time in SQL: the instant in the platform's time zone, minutes."""
    return SQL(f"to_char({column} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", (timezone.get_current_timezone_name(),))


@dataclass
class Notice:
    """One notification per moved row: SQL over `m` (the moved row) and the caller's joins."""

    user_id: str
    title: SQL
    url: SQL
    body: str = ""
    kind: str = Notification.Kind.GENERAL


@dataclass
class Moves:
    """What one batch did: the claimed and moved ids, the rows left, the notifications made."""

    transition: str = ""
    target: str = ""
    claimed: int = 0
    moved: list = field(default_factory=list)
    sources: list = field(default_factory=list)  # the source state of each moved row
    left: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    last_key: object = None


def supports(model: type[models.Model], name: str) -> bool:
    """Whether transition `name` can run in one statement: every condition has its SQL twin."""
    return all(hasattr(c, "as_q") for c in transition_edges(model, name).conditions)


def claim_and_move(
    due: QuerySet, name: str, *, now: datetime, size: int, key: str, sets: dict[str, SQL], description: SQL,
    notices: list[Notice] = (), joins: str = "",
) -> Moves:
    """Claim up to `size` rows of `due` (ordered by `key`) with SKIP LOCKED and move them by
    transition `name` in one statement; `sets`: the other columns (SQL over `r`, the row);
    `description`: the StateLog description (SQL over `m`, the moved row: its new values);
    `notices`: the notifications of each moved row (SQL over `m` and `joins`)."""
    model = due.model
    edge = transition_edges(model, name)
    for condition in edge.conditions:
        due = due.filter(condition.as_q(now))
    opts = model._meta
    qn = connection.ops.quote_name
    table, pk = qn(opts.db_table), qn(opts.pk.column)
    state = qn(opts.get_field(edge.field).column)
    claim, claim_params = (
        due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", edge.field, key)[:size].query.sql_with_params()
    )
    written = timezone.now()  # the records' and notifications' timestamps, as the per-row path stamps them
    assignments = [SQL(f"{state} = %s", (str(edge.target),))] + [
        SQL(f"{qn(opts.get_field(name).column)} = {expr.text}", expr.params) for name, expr in sets.items()]
    log_columns = "timestamp, by_id, source_state, state, transition, content_type_id, object_id, description"
    log_values = SQL(f"%s, NULL, m._source, %s, %s, %s, m.{pk}, {description.text}",
                     (written, str(edge.target), name, ContentType.objects.get_for_model(model).pk, *description.params))
    pieces: list[SQL] = [
        SQL(f"WITH claimed(_pk, _source, _key) AS ({claim}), moved AS (UPDATE {table} AS r SET ", tuple(claim_params)),
        *_joined(assignments, ", "),
        SQL(f" FROM claimed c WHERE r.{pk} = c._pk AND r.{state} = ANY(%s) RETURNING r.*, c._source), "
            f"logs AS (INSERT INTO {qn(StateLog._meta.db_table)} ({log_columns}) SELECT ", ([str(s) for s in edge.sources],)),
        log_values,
        SQL(" FROM moved m)"),
    ]
    if notices:
        rows = _joined([SQL(f"({n.user_id}, {n.title.text}, {n.url.text}, %s, %s)",
                            (*n.title.params, *n.url.params, n.body, n.kind)) for n in notices], ", ")
        pieces += [
            SQL(f", notes AS (INSERT INTO {qn(Notification._meta.db_table)} (user_id, title, body, url, created_at, dedupe_key, kind) "
                "SELECT n.user_id, n.title, n.body, n.url, %s, NULL, n.kind FROM moved m " + joins + " CROSS JOIN LATERAL (VALUES ",
                (written,)),
            *rows,
            SQL(") AS n(user_id, title, url, body, kind) RETURNING id)"),
        ]
    notes = "(SELECT array_agg(id) FROM notes)" if notices else "NULL::int[]"
    pieces.append(SQL(
        f" SELECT (SELECT array_agg(_pk) FROM claimed), (SELECT max(_key) FROM claimed), "
        f"(SELECT array_agg({pk} ORDER BY {pk}) FROM moved), (SELECT array_agg(_source ORDER BY {pk}) FROM moved), {notes}"))
    with connection.cursor() as cursor:
        cursor.execute("".join(p.text for p in pieces), [v for p in pieces for v in p.params])
        claimed, last_key, moved, sources, notifications = cursor.fetchone()
    claimed, moved = claimed or [], moved or []
    done = set(moved)
    return Moves(transition=name, target=str(edge.target), claimed=len(claimed), moved=moved, sources=sources or [], left=[i for i in claimed if i not in done],
                 notifications=notifications or [], last_key=last_key)


def _joined(parts: list[SQL], sep: str) -> list[SQL]:
    out: list[SQL] = []
    for i, part in enumerate(parts):
        out.append(SQL(sep + part.text, part.params) if i else part)
    return out
