"""A product's alliance-removal box (D2/D4) on the merchant's product and alliance pages."""

from django import template

from shops.alliance_removal import selectors

register = template.Library()


@register.inclusion_tag("shops/alliance_removal/_removal_panel.html", takes_context=True)
def alliance_removal_panel(context, product):
    return {"product": product, "request": context.get("request"), "csrf_token": context.get("csrf_token"),
            **selectors.removal_panel_for_product(product=product)}
