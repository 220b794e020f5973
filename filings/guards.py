"""F1: the filing gate on live carts, registered with shops.guards (the one carry gate).

A filing is needed in (a) a specific creator's live cart, for self-built and distribution
products alike, and (b) the cart of any live session that is a PK with a specific
creator's session, on either side. There the product needs an approved filing with that
specific creator, submitted by the session's latest date (F9). Elsewhere products sell as
usual (F10).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from filings.models import Filing
from filings.timing import latest_date_for_session, lead_working_days, local_date
from shops.guards import CarryAttempt
from shops.models import Creator
from shops.services import LOTTERY_NEEDS_APPROVAL_MESSAGE

# The refusals of the gate, each kept in one place (tests compare against them).
NO_FILING = gettext_lazy(
    "“%(product)s” needs an approved filing (报备) with the specific creator %(creator)s for this live "
    "session, and it has none yet. Add it to the specific creator's showcase, or ask the goods owner "
    "to declare it, so that the goods owner can submit the qualifications."
)
FILING_NOT_APPROVED = gettext_lazy(
    "“%(product)s” needs an approved filing (报备) with the specific creator %(creator)s for this live "
    "session; its filing is “%(state)s”."
)
SUBMITTED_TOO_LATE = gettext_lazy(
    "“%(product)s” has an approved filing with %(creator)s, but it was submitted after %(date)s, the "
    "latest date for this live session (at least %(days)s working days before it): it counts only for "
    "later sessions."
)


def specific_creators_for(session) -> list[Creator]:
    """The specific creators whose filing a product needs to enter `session`'s cart."""
    needed = []
    if session.creator.is_specific:
        needed.append(session.creator)
    for other in session.pk_sessions():
        if other.creator.is_specific and all(c.pk != other.creator_id for c in needed):
            needed.append(other.creator)
    return needed


def refusal_for(product, creator: Creator, session, filing: Filing | None, *, lead: int) -> str | None:
    """The message saying why `product` cannot enter `session`'s cart, or None if it may."""
    names = {"product": product.title, "creator": creator.display_name}
    if filing is None:
        return NO_FILING % names
    if filing.state != Filing.State.APPROVED:
        return FILING_NOT_APPROVED % {**names, "state": filing.get_state_display()}
    latest = latest_date_for_session(session, lead=lead)
    if filing.submitted_at is None or local_date(filing.submitted_at) > latest.date:
        message = SUBMITTED_TOO_LATE % {**names, "date": latest.date.isoformat(), "days": lead}
        return f"{message} {latest.estimate_note}" if latest.estimated else message
    return None


def filing_guard(attempt: CarryAttempt) -> None:
    if attempt.place != "live" or attempt.session is None:
        return  # F1 gates live carts only; showcases and videos open tasks instead (F6)
    needed = specific_creators_for(attempt.session)
    if not needed:
        return  # F10: outside these scenarios products sell as usual
    filings = {f.creator_id: f for f in Filing.objects.filter(product=attempt.product, creator__in=needed)}
    lead = lead_working_days()
    for creator in needed:
        message = refusal_for(attempt.product, creator, attempt.session, filings.get(creator.pk), lead=lead)
        if message:
            raise ValidationError(message)


def lottery_guard(attempt: CarryAttempt) -> None:
    """F11: a 0元购 product waits for the platform's offline approval; say so, and steer to 好运来."""
    if not attempt.product.lottery_cleared():
        raise ValidationError(LOTTERY_NEEDS_APPROVAL_MESSAGE, code="f11")
