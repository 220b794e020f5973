"""Hooks for shops' pages: the filings of the products on a page (F2), in one query."""

from django import template

from core.context_processors import workspace_value
from filings import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def filings_for_page(context, products):
    """{% filings_for_page page as filings_map %} → {product id: [filings]} of the merchant."""
    merchant = workspace_value(context.get("ws_merchant"))
    if merchant is None:
        return {}
    return selectors.filings_by_product_for_merchant(merchant=merchant, product_ids=[p.pk for p in products])


@register.filter
def get_item(mapping, key):
    return mapping.get(key, []) if mapping else []


@register.filter
def filing_state_label(code):
    """A state code of the history (django-fsm-log stores codes) as the person reads it."""
    from filings.models import Filing

    return dict(Filing.State.choices).get(code, code or "—")
