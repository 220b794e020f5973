"""Menus and buttons follow what the views declare (`merchant_required(can=…, read=…)`), so a
member sees exactly the links and buttons its role may use (RULES.md T1) and the rule is
stated once, on the view.

    {% load seats %}
    {% nav_item "merchant:products" _("Products") %}           a menu link, if the seat may open it
    {% may "samples:merchant_ship" sample.pk as can_ship %}      True if the seat may POST to it
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.html import format_html

from core.roles import needed, seat_of

register = template.Library()


def _allowed(context, name: str, args, *, method: str) -> tuple[bool, str]:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return False, ""
    declared = getattr(resolve(url).func, "merchant_can", None)
    if declared is None:
        return True, url
    seat = seat_of(getattr(context.get("request"), "user", None))
    return seat is not None and seat.allows(needed(*declared, method)), url


@register.simple_tag(takes_context=True)
def may(context, name: str, *args, method: str = "POST") -> bool:
    return _allowed(context, name, args, method=method)[0]


@register.simple_tag(takes_context=True)
def nav_item(context, name: str, label, *args, dropdown: bool = False) -> str:
    ok, url = _allowed(context, name, args, method="GET")
    if not ok:
        return ""
    if dropdown:
        return format_html('<li><a class="dropdown-item" href="{}">{}</a></li>', url, label)
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)
