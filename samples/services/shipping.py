"""From the parcel to the receipt (S5, S6, V9, V10's cost): the merchant ships with a
carrier and tracking number, the creator confirms receipt (or the S6 sweep does), and a
parcel reported not arrived is held until re-shipped or a reviewer decides.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from core.rules import rules
from core.workdays import end_of_working_days_after
from samples import messages as msg
from samples.models import TRACKING_EXAMPLES, TRACKING_FORMATS, Carrier, SampleRequest
from samples.services.common import check_creator, check_merchant, creator_url, describe, expect, locked, merchant_url, tell, tell_both
from shops import teams

State = SampleRequest.State


# ---------------------------------------------------------------------------------------
# What a shipment carries: the tracking number (S5) and its cost (V10)


def clean_tracking(*, carrier: str, tracking_number: str) -> tuple[str, str]:
    """S5 (ours): a carrier from the list and a tracking number in that carrier's format."""
    tracking_number = "".join(tracking_number.split()).upper()
    errors: dict[str, list[str]] = {}
    if carrier not in Carrier.values:
        errors["carrier"] = [str(msg.CARRIER_REQUIRED)]
    if not tracking_number:
        errors["tracking_number"] = [str(msg.TRACKING_REQUIRED)]
    elif carrier in Carrier.values and not TRACKING_FORMATS[carrier].match(tracking_number):
        errors["tracking_number"] = [
            str(msg.TRACKING_FORMAT % {"carrier": Carrier(carrier).label, "example": TRACKING_EXAMPLES[carrier]})
        ]
    if errors:
        raise ValidationError(errors)
    return carrier, tracking_number


def clean_shipping_cost(value) -> Decimal:
    """V10: the optional shipping cost entered when shipping, in yuan."""
    if value in (None, ""):
        return Decimal("0")
    try:
        cost = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise ValidationError({"shipping_cost": [str(msg.SHIPPING_COST_INVALID)]}) from exc
    if cost < 0 or cost >= Decimal("100000000"):
        raise ValidationError({"shipping_cost": [str(msg.SHIPPING_COST_INVALID)]})
    return cost


def _count_shipment(sample: SampleRequest, *, shipping_cost: Decimal) -> None:
    """V10: one more unit sent at the product's current price, plus its shipping cost."""
    sample.units_sent += 1
    sample.sample_cost += sample.product.price
    sample.shipping_cost += shipping_cost


# ---------------------------------------------------------------------------------------
# The merchant ships (S5)


@transaction.atomic
def sample_request_ship(
    *, sample: SampleRequest, by, carrier: str, tracking_number: str, shipping_cost=None
) -> SampleRequest:
    """S5: shipped with the carrier and tracking number; S6's 168 h clock starts. V10: the
    sample's cost is counted (the product's price now, plus the shipping cost if entered)."""
    carrier, tracking_number = clean_tracking(carrier=carrier, tracking_number=tracking_number)
    shipping_cost = clean_shipping_cost(shipping_cost)
    sample = locked(sample)
    check_merchant(sample, by, teams.SHIP)
    expect(sample, State.APPROVED)
    now = timezone.now()
    if sample.ship_cancel_passed():  # S5's clock, as the sweep reads it
        raise ValidationError(msg.SHIP_TOO_LATE)
    sample.shipped_at = now
    sample.carrier = carrier
    sample.tracking_number = tracking_number
    sample.auto_receive_at = now + rules.duration("sample_auto_receive")  # S6
    _count_shipment(sample, shipping_cost=shipping_cost)  # V10
    apply_transition(
        sample, "ship", by=by,
        description=describe(lambda: _("Shipped by %(carrier)s, tracking number %(number)s.")
                             % {"carrier": Carrier(carrier).label, "number": tracking_number}),
    )
    tell(
        user=sample.creator.user, url=creator_url(sample),
        text=lambda: _("The sample of “%(product)s” is on its way: %(carrier)s %(number)s.")
        % {"product": sample.product.title, "carrier": Carrier(carrier).label, "number": tracking_number},
    )
    return sample


# ---------------------------------------------------------------------------------------
# Receipt (S6): the creator confirms, or the S6 sweep at 168 h (samples.services.sweeps)


def start_fulfil_clock(sample: SampleRequest, received_at: datetime) -> None:
    sample.received_at = received_at
    sample.fulfil_by = received_at + rules.duration("sample_fulfil")  # S7: 360 h from receipt


@transaction.atomic
def sample_request_confirm_receipt(*, sample: SampleRequest, by) -> SampleRequest:
    """S6: the creator confirms receipt; the 360 h clock of S7 starts."""
    sample = locked(sample)
    check_creator(sample, by)
    expect(sample, State.SHIPPED, State.NOT_ARRIVED)
    now = timezone.now()
    if sample.state == State.NOT_ARRIVED:
        # V9 (ours): a parcel reported not arrived turned up; no clock ran while held.
        sample.not_arrived_at = sample.not_arrived_decide_by = None
        start_fulfil_clock(sample, now)
    else:
        # Past the 168 h mark the sweep would have confirmed at that mark: the clock starts there.
        start_fulfil_clock(sample, min(now, sample.auto_receive_at) if sample.auto_receive_at else now)
    apply_transition(sample, "receive", by=by, description=describe(lambda: _("Receipt confirmed by the creator.")))
    tell(
        user=sample.merchant.user, url=merchant_url(sample),
        text=lambda: _("%(creator)s received the sample of “%(product)s”.")
        % {"creator": sample.creator.display_name, "product": sample.product.title},
    )
    return sample


# ---------------------------------------------------------------------------------------
# V9: not arrived — held until re-shipped or a reviewer decides


def not_arrived_decision_due(reported_at):
    """V9 (ours, #22): a reviewer decides a hold by the end of the N-th working day after the
    report (F9's calendar, as AP2's appeals): the queue's time left."""
    return end_of_working_days_after(reported_at, rules.count("sample_not_arrived_decide_working_days"))


@transaction.atomic
def sample_request_report_not_arrived(*, sample: SampleRequest, by, note: str = "") -> SampleRequest:
    """V9: before the 168 h auto-receipt the creator reports the parcel as not arrived; the
    request is held (no auto-receipt, no 360 h clock) until re-shipped or decided."""
    sample = locked(sample)
    check_creator(sample, by)
    expect(sample, State.SHIPPED)
    now = timezone.now()
    if sample.auto_receive_passed():  # S6's clock, as the sweep reads it
        raise ValidationError(msg.NOT_ARRIVED_TOO_LATE)
    sample.not_arrived_at = now
    sample.not_arrived_note = note.strip()[:300]
    sample.not_arrived_decide_by = not_arrived_decision_due(now)
    apply_transition(
        sample, "report_not_arrived", by=by,
        description=describe(lambda: _("Reported not arrived by the creator (%(carrier)s %(number)s)%(note)s")
                             % {"carrier": sample.get_carrier_display(), "number": sample.tracking_number,
                                "note": f": {sample.not_arrived_note}" if sample.not_arrived_note else "."}),
    )
    tell(
        user=sample.merchant.user, url=merchant_url(sample),
        text=lambda: _("%(creator)s reports the sample of “%(product)s” (%(number)s) as not arrived. "
                       "Re-ship it with a new tracking number, or a platform reviewer decides.")
        % {"creator": sample.creator.display_name, "product": sample.product.title, "number": sample.tracking_number},
    )
    return sample


@transaction.atomic
def sample_request_reship(
    *, sample: SampleRequest, by, carrier: str, tracking_number: str, shipping_cost=None
) -> SampleRequest:
    """V9: the merchant sends the sample again with a new tracking number; a new 168 h clock starts."""
    carrier, tracking_number = clean_tracking(carrier=carrier, tracking_number=tracking_number)
    shipping_cost = clean_shipping_cost(shipping_cost)
    sample = locked(sample)
    check_merchant(sample, by, teams.SHIP)
    expect(sample, State.NOT_ARRIVED)
    if tracking_number == sample.tracking_number:
        raise ValidationError({"tracking_number": [str(msg.RESHIP_SAME_TRACKING)]})
    now = timezone.now()
    old = f"{sample.get_carrier_display()} {sample.tracking_number}"
    sample.reshipped_at = now
    sample.carrier = carrier
    sample.tracking_number = tracking_number
    sample.auto_receive_at = now + rules.duration("sample_auto_receive")  # V9: a new S6 clock
    sample.not_arrived_at = sample.not_arrived_decide_by = None
    sample.not_arrived_note = ""
    _count_shipment(sample, shipping_cost=shipping_cost)  # V10: another unit sent
    apply_transition(
        sample, "reship", by=by,
        description=describe(lambda: _("Re-shipped by %(carrier)s, tracking number %(number)s (instead of %(old)s).")
                             % {"carrier": Carrier(carrier).label, "number": tracking_number, "old": old}),
    )
    tell(
        user=sample.creator.user, url=creator_url(sample),
        text=lambda: _("The sample of “%(product)s” was sent again: %(carrier)s %(number)s.")
        % {"product": sample.product.title, "carrier": Carrier(carrier).label, "number": tracking_number},
    )
    return sample


@transaction.atomic
def sample_request_resolve_not_arrived(*, sample: SampleRequest, by, decision: str, reason: str) -> SampleRequest:
    """V9: a platform reviewer decides a held request: treat it as received (the 360 h clock
    starts now) or cancel it; the reason is recorded and both sides are told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(msg.DECISION_REASON_REQUIRED)
    if decision not in ("received", "cancel"):
        raise ValidationError(_("Unknown decision."))
    sample = locked(sample)
    expect(sample, State.NOT_ARRIVED)
    now = timezone.now()
    description = describe(lambda: _("Reviewer's decision on the not-arrived report: %(reason)s") % {"reason": reason})
    sample.not_arrived_at = sample.not_arrived_decide_by = None
    if decision == "received":
        start_fulfil_clock(sample, now)
        apply_transition(sample, "resolve_received", by=by, description=description)
    else:
        sample.closed_at = now
        sample.close_reason = description[:300]
        apply_transition(sample, "override_cancel", by=by, description=description)
    tell_both(
        sample,
        lambda: _("The platform decided the not-arrived report for “%(product)s”: “%(state)s”. %(reason)s")
        % {"product": sample.product.title, "state": sample.get_state_display(), "reason": reason},
    )
    return sample
