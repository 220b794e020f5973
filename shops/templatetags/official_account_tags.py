"""The session page's box of non-own slots (C2/C3), for official accounts whose limits apply."""

from django import template

from shops.official_accounts import selectors

register = template.Library()


@register.inclusion_tag("shops/official_accounts/_session_slots.html")
def non_own_slots(session):
    return {"session": session, "status": selectors.carry_status_for_session(session=session)}
