"""What filings adds to lower layers' pages (core.slots): the filings of each product on the
merchant's product list (F2), read in one query for the page."""

from __future__ import annotations

from django.template.loader import render_to_string

from core.context_processors import workspace_value
from filings import selectors

CELL = "filings/includes/product_filings_cell.html"


def product_filings_cells(context, products) -> dict[int, str]:
    merchant = workspace_value(context.get("ws_merchant"))
    found = selectors.filings_by_product_for_merchant(merchant=merchant, product_ids=[p.pk for p in products]) if merchant else {}
    request = context.get("request")
    return {p.pk: render_to_string(CELL, {"filings": found.get(p.pk, [])}, request=request) for p in products}
