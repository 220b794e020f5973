"""Loading rows at COPY speed: a million rows in tens of seconds, not hours of save()."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import connection, models
from django.utils import timezone


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.fetchone()[0]


def _default(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if isinstance(field, models.JSONField) else value
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField, models.FileField)):
        return ""
    return REQUIRED


REQUIRED = object()


def copy_rows(model: type[models.Model], rows: Iterable[Mapping]) -> int:
    """COPY `rows` (dicts keyed by field attname, with "id") into the model's table; fields
    left out get their default. Resets the id sequence. Returns the number of rows."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields]
    defaults = {f.attname: (None if f.primary_key else _default(f, now)) for f in fields}
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = tuple(row.get(name, defaults[name]) for name in names)
                if count == 0 and REQUIRED in values:
                    raise ValueError(f"{model.__name__}: {names[values.index(REQUIRED)]} needs a value")
                copy.write_row(values)
                count += 1
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce((SELECT max(id) FROM {table}), 1))",
            [model._meta.db_table],
        )
    return count
