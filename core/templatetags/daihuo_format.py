"""Numbers as people read them on the platform: follower counts as 86万 (in Chinese) or
860K (in English), never 860000."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django import template
from django.utils import translation

register = template.Library()


def _short(value: Decimal) -> str:
    # One decimal at most, rounded down: 86.99万 reads 86.9万, never more than the truth.
    text = str(value.quantize(Decimal("0.1"), rounding=ROUND_DOWN))
    return text[:-2] if text.endswith(".0") else text


@register.filter
def people_count(value) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    chinese = (translation.get_language() or "").startswith("zh")
    if chinese:
        if n >= 100_000_000:
            return f"{_short(Decimal(n) / 100_000_000)}亿"
        if n >= 10_000:
            return f"{_short(Decimal(n) / 10_000)}万"
        return str(n)
    if n >= 1_000_000:
        return f"{_short(Decimal(n) / 1_000_000)}M"
    if n >= 1_000:
        return f"{_short(Decimal(n) / 1_000)}K"
    return str(n)
