"""Hooks the core pages include: the session's non-own slots (C2/C3) and a product's alliance-removal box (D2/D4)."""

from django import template

from shops import selectors_carry

register = template.Library()


@register.inclusion_tag("shops/carry/_session_slots.html")
def carry_slots(session):
    return {"session": session, "status": selectors_carry.carry_status_for_session(session=session)}


@register.inclusion_tag("shops/carry/_removal_panel.html", takes_context=True)
def alliance_removal_panel(context, product):
    return {"product": product, "request": context.get("request"), "csrf_token": context.get("csrf_token"),
            **selectors_carry.removal_panel_for_product(product=product)}
