"""T2 in templates: who of a merchant's team acted, 「花漾官方旗舰店 · 小李」."""

from django import template

from shops import teams

register = template.Library()


@register.simple_tag
def actor_label(user, shop_name=None) -> str:
    return teams.actor_label(user, shop_name) or ""
