"""Template helpers of samples at volume (V7, V9, V10)."""

from __future__ import annotations

from django import template

from core.rules import rules
from samples import selectors_volume
from samples.forms_volume import ExtensionForm, NotArrivedForm, RefuseExtensionForm, ReshipForm

register = template.Library()


@register.simple_tag
def sample_extension(sample):
    """V7: the sample's extension request, or None."""
    return selectors_volume.extension_of(sample)


@register.simple_tag
def volume_forms() -> dict:
    """Blank forms of V7/V9; a view that re-shows one with its errors passes it by name."""
    return {
        "extension": ExtensionForm(),
        "not_arrived": NotArrivedForm(),
        "reship": ReshipForm(prefix="reship"),
        "refuse": RefuseExtensionForm(),
    }


@register.simple_tag
def extension_days() -> int:
    return rules.duration("sample_extension").days


@register.simple_tag
def min_live_viewers() -> int:
    return rules.count("sample_min_live_viewers")


@register.inclusion_tag("samples/includes/returns_card.html", takes_context=True)
def sample_returns_card(context) -> dict:
    """V10 on the merchant dashboard: totals and a link to the report."""
    request = context.get("request")
    merchant = getattr(request, "merchant", None)
    return {"totals": selectors_volume.sample_returns_totals(merchant=merchant) if merchant else None}
