"""Writes of samples at volume (RULES.md V7–V10), on the lifecycle side: the extension a
creator asks for (V7), the viewers that make a live promotion count (V8), a parcel
reported not arrived (V9) and the sales a creator's promotions brought (V10).

Same conventions as samples/services.py: keyword-only, atomic, the sample row locked
before the extension row (one lock order for people and sweeps), every state change a
recorded transition, notifications in the platform language after commit.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition, full_clean
from core.rules import rules
from samples import messages_volume as vmsg
from samples.models import Carrier, ExtensionRequest, PromotionSale, SampleRequest
from samples.services import (
    _check_creator,
    _check_merchant,
    _creator_url,
    _describe,
    _expect,
    _local,
    _locked,
    _merchant_url,
    _run_sweep,
    _start_fulfil_clock,
    _sweep_note,
    _tell,
    clean_tracking,
)
from samples.volume_rules import clean_shipping_cost, count_shipment
from shops.models import Creator, LiveSession, Product, ShortVideo

State = SampleRequest.State
Ext = ExtensionRequest.State


# ---------------------------------------------------------------------------------------
# V7: the creator asks once for 7 more days; the merchant may refuse within 48 h


@transaction.atomic
def sample_extension_request(*, sample: SampleRequest, by, reason: str) -> ExtensionRequest:
    """V7: once per sample, with a reason, while the 360 h clock still runs."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(vmsg.EXTENSION_REASON_REQUIRED)
    sample = _locked(sample)
    _check_creator(sample, by)
    if ExtensionRequest.objects.filter(sample_id=sample.pk).exists():
        raise ValidationError(vmsg.EXTENSION_ONCE)
    if sample.state != State.RECEIVED:
        raise ValidationError(vmsg.EXTENSION_NOT_RECEIVED)
    now = timezone.now()
    if now >= sample.fulfil_by:
        raise ValidationError(vmsg.EXTENSION_TOO_LATE)
    extension = ExtensionRequest(
        sample=sample, reason=reason[:300], extra=rules.duration("sample_extension"), requested_at=now,
        refuse_by=now + rules.duration("sample_extension_refuse"),  # V7: the merchant's 48 h
        fulfil_by_before=sample.fulfil_by,
    )
    full_clean(extension)
    try:
        with transaction.atomic():
            extension.save()
    except IntegrityError as exc:  # the one-to-one: asked once
        raise ValidationError(vmsg.EXTENSION_ONCE) from exc
    _tell(
        user=sample.merchant.user, url=_merchant_url(sample),
        text=lambda: _("%(creator)s asks for %(days)s more days to promote the sample of “%(product)s”: %(reason)s. "
                       "Refuse by %(deadline)s or it is granted.")
        % {"creator": sample.creator.display_name, "days": extension.extra.days, "product": sample.product.title,
           "reason": extension.reason, "deadline": _local(extension.refuse_by)},
    )
    return extension


def _locked_extension(sample: SampleRequest) -> ExtensionRequest:
    return ExtensionRequest.objects.select_for_update().get(sample_id=sample.pk)


def _grant(sample: SampleRequest, extension: ExtensionRequest, *, by, description: str, at: datetime) -> ExtensionRequest:
    """Move the 360 h deadline by the extension (V7), or lapse it when the request has closed."""
    extension.decided_at = at
    if sample.state != State.RECEIVED:
        apply_transition(extension, "lapse", by=by, description=description)
        return extension
    sample.fulfil_by = extension.fulfil_by_before + extension.extra
    sample.save(update_fields=["fulfil_by"])
    extension.fulfil_by_after = sample.fulfil_by
    apply_transition(extension, "grant", by=by, description=description)
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
        text=lambda: _("Your extension for “%(product)s” is granted: start promoting it by %(deadline)s.")
        % {"product": sample.product.title, "deadline": _local(sample.fulfil_by)},
    )
    return extension


@transaction.atomic
def sample_extension_refuse(*, sample: SampleRequest, by, reason: str = "") -> ExtensionRequest:
    """V7: the merchant refuses before refuse_by; the original deadline stands."""
    sample = _locked(sample)
    _check_merchant(sample, by)
    extension = _locked_extension(sample)
    _expect(extension, Ext.REQUESTED)
    now = timezone.now()
    if now >= extension.refuse_by:
        raise ValidationError(vmsg.EXTENSION_REFUSE_TOO_LATE)
    extension.decided_at = now
    extension.refuse_reason = reason.strip()[:300]
    apply_transition(
        extension, "refuse", by=by,
        description=extension.refuse_reason or _describe(lambda: _("Refused by the merchant.")),
    )
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
        text=lambda: _("The merchant refused more time for “%(product)s”%(reason)s. Start promoting it by %(deadline)s.")
        % {"product": sample.product.title, "deadline": _local(sample.fulfil_by),
           "reason": f": {extension.refuse_reason}" if extension.refuse_reason else ""},
    )
    return extension


@transaction.atomic
def sample_extension_grant(*, sample: SampleRequest, by) -> ExtensionRequest:
    """V7 (ours): the merchant may agree before the 48 h run out instead of staying silent."""
    sample = _locked(sample)
    _check_merchant(sample, by)
    extension = _locked_extension(sample)
    _expect(extension, Ext.REQUESTED)
    return _grant(sample, extension, by=by, at=timezone.now(), description=_describe(lambda: _("Granted by the merchant.")))


def sweep_grant_extensions(*, now: datetime | None = None) -> int:
    """V7: silence grants it. At refuse_by the extension is granted (or lapses when the
    request has closed meanwhile). Rows are selected by the extension's partial index and
    locked sample first, as people lock them."""
    name = "samples.sweep_grant_extensions"

    def due(at):
        return SampleRequest.objects.filter(
            extension__state=Ext.REQUESTED, extension__refuse_by__lte=at
        ).order_by("extension__refuse_by")

    def move(sample, at):
        extension = _locked_extension(sample)
        if extension.state != Ext.REQUESTED:
            return False
        _grant(sample, extension, by=None, at=extension.refuse_by, description=_sweep_note(
            name, lambda: _("Not refused by %(deadline)s: granted.") % {"deadline": _local(extension.refuse_by)}))
        return True

    return _run_sweep(name, due, move, now)


# ---------------------------------------------------------------------------------------
# V9: not arrived


@transaction.atomic
def sample_request_report_not_arrived(*, sample: SampleRequest, by, note: str = "") -> SampleRequest:
    """V9: before the 168 h auto-receipt the creator reports the parcel as not arrived; the
    request is held (no auto-receipt, no 360 h clock) until re-shipped or decided."""
    sample = _locked(sample)
    _check_creator(sample, by)
    _expect(sample, State.SHIPPED)
    now = timezone.now()
    if now >= sample.auto_receive_at:
        raise ValidationError(vmsg.NOT_ARRIVED_TOO_LATE)
    sample.not_arrived_at = now
    sample.not_arrived_note = note.strip()[:300]
    apply_transition(
        sample, "report_not_arrived", by=by,
        description=_describe(lambda: _("Reported not arrived by the creator (%(carrier)s %(number)s)%(note)s")
                              % {"carrier": sample.get_carrier_display(), "number": sample.tracking_number,
                                 "note": f": {sample.not_arrived_note}" if sample.not_arrived_note else "."}),
    )
    _tell(
        user=sample.merchant.user, url=_merchant_url(sample),
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
    sample = _locked(sample)
    _check_merchant(sample, by)
    _expect(sample, State.NOT_ARRIVED)
    if tracking_number == sample.tracking_number:
        raise ValidationError({"tracking_number": [str(vmsg.RESHIP_SAME_TRACKING)]})
    now = timezone.now()
    old = f"{sample.get_carrier_display()} {sample.tracking_number}"
    sample.reshipped_at = now
    sample.carrier = carrier
    sample.tracking_number = tracking_number
    sample.auto_receive_at = now + rules.duration("sample_auto_receive")  # V9: a new S6 clock
    sample.not_arrived_at = None
    sample.not_arrived_note = ""
    count_shipment(sample, shipping_cost=shipping_cost)
    apply_transition(
        sample, "reship", by=by,
        description=_describe(lambda: _("Re-shipped by %(carrier)s, tracking number %(number)s (instead of %(old)s).")
                              % {"carrier": Carrier(carrier).label, "number": tracking_number, "old": old}),
    )
    _tell(
        user=sample.creator.user, url=_creator_url(sample),
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
        raise ValidationError(vmsg.DECISION_REASON_REQUIRED)
    if decision not in ("received", "cancel"):
        raise ValidationError(_("Unknown decision."))
    sample = _locked(sample)
    _expect(sample, State.NOT_ARRIVED)
    now = timezone.now()
    description = _describe(lambda: _("Reviewer's decision on the not-arrived report: %(reason)s") % {"reason": reason})
    sample.not_arrived_at = None
    if decision == "received":
        _start_fulfil_clock(sample, now)
        apply_transition(sample, "resolve_received", by=by, description=description)
    else:
        sample.closed_at = now
        sample.close_reason = description[:300]
        apply_transition(sample, "override_cancel", by=by, description=description)
    for user, url in ((sample.creator.user, _creator_url(sample)), (sample.merchant.user, _merchant_url(sample))):
        _tell(
            user=user, url=url,
            text=lambda: _("The platform decided the not-arrived report for “%(product)s”: “%(state)s”. %(reason)s")
            % {"product": sample.product.title, "state": sample.get_state_display(), "reason": reason},
        )
    return sample


# ---------------------------------------------------------------------------------------
# V10: sales a creator's live cart or video brought


@transaction.atomic
def promotion_sale_record(
    *, creator: Creator, product: Product, quantity: int, amount, session: LiveSession | None = None,
    video: ShortVideo | None = None, sold_at: datetime | None = None,
) -> PromotionSale:
    """Record one live-cart or video order (the platform's order feed; here the demo and tests).
    The product must have been in that session's or video's cart, of that creator."""
    if (session is None) == (video is None):
        raise ValidationError(_("Give either the live session or the video the order came from."))
    if session is not None:
        if session.creator_id != creator.pk:
            raise ValidationError(vmsg.SALE_NOT_CREATORS)
        if not session.cart_items.filter(product_id=product.pk).exists():
            raise ValidationError(vmsg.SALE_NOT_IN_CART)
        channel = PromotionSale.Channel.LIVE
    else:
        if video.creator_id != creator.pk:
            raise ValidationError(vmsg.SALE_NOT_CREATORS)
        if not video.cart_items.filter(product_id=product.pk).exists():
            raise ValidationError(vmsg.SALE_NOT_IN_CART)
        channel = PromotionSale.Channel.VIDEO
    sale = PromotionSale(
        creator=creator, product=product, channel=channel, session=session, video=video, quantity=quantity,
        amount=Decimal(str(amount)), sold_at=sold_at or timezone.now(),
    )
    full_clean(sale)
    sale.save()
    return sale
