"""Hooks for shops' pages: the filings of the products on a page (F2), in one query."""

from django import template

register = template.Library()


@register.filter
def filing_state_label(code):
    """A state code of the history (django-fsm-log stores codes) as the person reads it."""
    from filings.models import Filing

    return dict(Filing.State.choices).get(code, code or "—")
