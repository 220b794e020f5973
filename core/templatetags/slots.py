"""{% slot "name" %} and {% slot_columns "name" rows as columns %}: see core.slots."""

from django import template
from django.utils.safestring import mark_safe

from core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, **extra) -> str:
    """Render every template registered for slot `name` with the page's context (plus `extra`
    and what the entry prepares), in their order."""
    parts = []
    for entry in slots.slot_entries(name):
        values = {**extra, **(entry.prepare(context) if entry.prepare else {})}
        with context.push(**values):
            parts.append(context.template.engine.get_template(entry.template).render(context))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def slot_columns(context, name: str, rows) -> list[dict]:
    """The columns registered for `name`, each {"header", "cells": {row pk: html}}."""
    rows = list(rows)
    return [{"header": c.header, "cells": c.cells(context, rows)} for c in slots.columns(name)]


@register.filter
def cell(cells: dict, key):
    """A column's cell for one row (empty when the column has none for it)."""
    return mark_safe(cells.get(key, "")) if cells else ""
