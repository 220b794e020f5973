"""Template slots: where a lower layer's page shows what a domain adds, without naming it.

A shops page (the marketplace, the merchant's dashboard and product list) and the base
layout's menus have places that the domains fill: a sample offer on a product, a flash-sale
link in a live room, the filings of each product. The page says `{% slot "name" %}` (or
`{% slot_columns "name" rows as columns %}` for table columns); each domain registers its
own template for the slot in its AppConfig.ready(). So `shops` and `templates/` load no
domain's template tags and include no domain's templates (tests/core/test_template_layers.py
holds them to it), as import-linter holds the Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import registry


@dataclass(frozen=True)
class SlotEntry:
    template: str
    # Extra context for the template, from the page's context (e.g. a dashboard card's totals).
    prepare: Callable[[Any], dict] | None = None
    order: int = 100


@dataclass(frozen=True)
class Column:
    """A table column a domain adds to a lower layer's list: its header and, per row key,
    the cell's HTML (`cells(context, rows)`, one query for the page)."""

    header: Any
    cells: Callable[[Any, list], dict]
    order: int = 100


def register_slot(name: str, template: str, *, prepare: Callable[[Any], dict] | None = None, order: int = 100) -> None:
    registry(f"slot:{name}").add(SlotEntry(template, prepare, order), order=order)


def register_column(name: str, column: Column) -> None:
    registry(f"column:{name}").add(column, order=column.order)


def slot_entries(name: str) -> list[SlotEntry]:
    return registry(f"slot:{name}").values()


def columns(name: str) -> list[Column]:
    return registry(f"column:{name}").values()
