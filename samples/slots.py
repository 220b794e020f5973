"""What samples adds to lower layers' pages (core.slots) that needs more than the page's context."""

from __future__ import annotations

from samples import returns


def returns_card(context) -> dict:
    """V10 on the merchant dashboard: totals and a link to the report."""
    merchant = getattr(context.get("request"), "merchant", None)
    return {"totals": returns.sample_returns_totals(merchant=merchant) if merchant else None}
