"""Pure helpers of samples at volume, importable by samples.services and
samples.services_volume alike: the viewers that make a live promotion count (V8) and
what a shipment costs (V10)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from core.rules import rules
from samples import messages_volume as vmsg
from shops.models import LiveSession

# ---------------------------------------------------------------------------------------
# V8: a live promotion counts only with enough viewers


def live_session_viewers(session: LiveSession) -> int:
    """V8: the session's viewer count: the platform's figure (LiveSession.peak_viewers, set in
    the admin and by the demo), raised by one for every viewer who joins its live room while it
    is live (flashsales.services.viewer_join)."""
    return session.peak_viewers


def live_viewers_enough(session: LiveSession) -> bool:
    return live_session_viewers(session) >= rules.count("sample_min_live_viewers")


def live_viewers_message(session: LiveSession) -> str:
    return str(vmsg.LIVE_TOO_FEW_VIEWERS % {"count": rules.count("sample_min_live_viewers"),
                                            "viewers": live_session_viewers(session)})


# ---------------------------------------------------------------------------------------
# V10: what a sample cost


def clean_shipping_cost(value) -> Decimal:
    """V10: the optional shipping cost entered when shipping, in yuan."""
    if value in (None, ""):
        return Decimal("0")
    try:
        cost = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise ValidationError({"shipping_cost": [str(vmsg.SHIPPING_COST_INVALID)]}) from exc
    if cost < 0 or cost >= Decimal("100000000"):
        raise ValidationError({"shipping_cost": [str(vmsg.SHIPPING_COST_INVALID)]})
    return cost


def count_shipment(sample, *, shipping_cost) -> None:
    """V10: one more unit sent at the product's current price, plus its shipping cost."""
    sample.units_sent += 1
    sample.sample_cost += sample.product.price
    sample.shipping_cost += clean_shipping_cost(shipping_cost)
