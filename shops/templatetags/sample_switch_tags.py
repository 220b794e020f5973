"""S2 on the merchant's product page: why free samples cannot be switched on."""

from django import template

from shops.sample_switch import sample_switch_refusal as refusal_of

register = template.Library()


@register.simple_tag
def sample_switch_refusal(product) -> str | None:
    return refusal_of(product)
