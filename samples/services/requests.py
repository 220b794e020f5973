"""A sample request from the ask to the decision (S1–S4, V1–V5): the creator asks or
withdraws, the merchant (or the merchant's triage rule, V4) approves or declines, and a
platform reviewer may override with a reason.

Every write of samples is keyword-only, atomic and the only caller of the transitions
(through core.fsm.apply_transition), so django-fsm-log records who (or which sweep), when,
from, to and why for every move.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import apply_transition, full_clean
from core.rules import rules
from samples import messages as msg
from samples.models import SampleRequest, ShippingAddress, TriageRule
from samples.policy import quota, triage
from samples.policy import score as scoring
from samples.policy.eligibility import creator_refusal, product_refusal, request_refusal
from samples.services.addresses import address_for_request
from samples.services.common import check_creator, check_merchant, creator_url, describe, expect, locked, merchant_url, tell, tell_both
from shops.models import AllianceListing, Creator, Product

logger = logging.getLogger(__name__)

State = SampleRequest.State


# ---------------------------------------------------------------------------------------
# The creator asks, or withdraws before a decision


@transaction.atomic
def sample_request_create(
    *, creator: Creator, product: Product, by, note: str = "", address: ShippingAddress | None = None,
) -> SampleRequest:
    """A creator asks for a free sample (S1, S2); the merchant's 48 h clock starts (S4). The
    request keeps a snapshot of `address` (the creator's default when None): the merchant
    ships there whatever happens to the address book later."""
    # The creator row lock serialises one creator's concurrent clicks.
    creator = Creator.objects.select_for_update().select_related("user").get(pk=creator.pk)
    if by is None or creator.user_id != by.pk:
        raise PermissionDenied(_("Only the creator can ask for a sample for themself."))
    refusal = creator_refusal(creator)
    if refusal:
        raise ValidationError(refusal)
    # D4: the listing row lock orders this request after a removal of the product that is
    # being carried out, so the request then reads the listing as out and is refused (S2).
    AllianceListing.objects.select_for_update().filter(product_id=product.pk).first()
    product = Product.objects.select_related("shop__merchant__user", "alliance_listing").get(pk=product.pk)
    refusal = product_refusal(product)
    if refusal:
        raise ValidationError(refusal)
    if SampleRequest.objects.filter(creator=creator, product=product, state__in=SampleRequest.OPEN_STATES).exists():
        raise ValidationError(msg.ALREADY_OPEN)  # V3: one open request per creator and product
    now = timezone.now()
    metrics, score = triage.metrics_for(creator)
    refusal = request_refusal(creator=creator, product=product, now=now, score=score)  # V1, V2, V3, V5
    if refusal:
        raise ValidationError(refusal)
    ship_to = address_for_request(creator=creator, address=address)
    sample = SampleRequest(
        **ship_to.snapshot(),
        creator=creator, product=product, merchant=product.shop.merchant, note=note.strip(),
        requested_at=now, decide_by=now + rules.duration("sample_decide"),  # S4
        triage_score=scoring.triage_score(  # V4: shown in the inbox, which sorts by it
            score=metrics.score, score_max=score.max, followers=metrics.followers, past_sales=metrics.past_sales,
        ),
    )
    full_clean(sample)
    try:
        with transaction.atomic():
            sample.save()
    except IntegrityError as exc:  # the partial unique constraint: one open request per creator and product
        raise ValidationError(msg.ALREADY_OPEN) from exc
    tell(
        user=product.shop.merchant.user, url=merchant_url(sample),
        text=lambda: _("%(creator)s asked for a free sample of “%(product)s”. Decide by %(deadline)s.")
        % {"creator": creator.display_name, "product": product.title, "deadline": msg.local_time(sample.decide_by)},
    )
    return triage_new_request(sample, metrics=metrics)  # V4: the merchant's rules may decide now


def triage_new_request(sample: SampleRequest, *, metrics: triage.Metrics) -> SampleRequest:
    """V4: run the merchant's rules on a request just made (inside sample_request_create's
    transaction). A failure of the automatic decision leaves the request for a person."""
    rule = triage.first_match(sample.product, metrics)
    if rule is None:
        return sample
    try:
        with transaction.atomic():
            if rule.action == TriageRule.Action.APPROVE:
                return sample_request_approve(sample=sample, by=None, rule=rule)
            return sample_request_reject(sample=sample, by=None, rule=rule)
    except ValidationError as exc:  # e.g. V2: the quota ran out between the request and now
        logger.info("samples triage: rule #%s did not decide request #%s: %s", rule.pk, sample.pk, exc.messages)
        return sample


@transaction.atomic
def sample_request_withdraw(*, sample: SampleRequest, by) -> SampleRequest:
    """(ours) The creator cancels a request before the merchant decides."""
    sample = locked(sample)
    check_creator(sample, by)
    expect(sample, State.REQUESTED)
    now = timezone.now()
    if sample.decide_passed():  # S4's clock, as the sweep reads it
        raise ValidationError(msg.WITHDRAW_TOO_LATE)
    sample.closed_at = now
    sample.close_reason = describe(lambda: _("Withdrawn by the creator."))
    return apply_transition(sample, "withdraw", by=by, description=sample.close_reason)


# ---------------------------------------------------------------------------------------
# The merchant decides (or the merchant's triage rule, V4)


def _check_decider(sample: SampleRequest, by, rule: TriageRule | None) -> None:
    """A person decides as the merchant; an automatic decision (V4) has no person (by=None)
    and a rule of the goods owner."""
    if rule is None:
        check_merchant(sample, by)
    elif by is not None or rule.merchant_id != sample.merchant_id or not rule.is_active:
        raise PermissionDenied(_("Only the merchant's own triage rules decide automatically."))


@transaction.atomic
def sample_request_approve(*, sample: SampleRequest, by, rule: TriageRule | None = None) -> SampleRequest:
    """S4 → S5: approving starts the 48 h ship clock and the 120 h cancel clock. With `rule`
    (V4) it is the merchant's triage rule approving, by=None, and the history names it."""
    sample = locked(sample)
    _check_decider(sample, by, rule)
    expect(sample, State.REQUESTED)
    now = timezone.now()
    if sample.decide_passed():  # S4's clock, as the sweep reads it
        raise ValidationError(msg.DECIDE_TOO_LATE)
    quota.lock_and_check(product_id=sample.product_id, now=now)  # V2: each approval uses one
    sample.approved_at = now
    sample.ship_by = now + rules.duration("sample_ship")  # S5: late after this
    sample.ship_cancel_at = now + rules.duration("sample_ship_cancel")  # S5: cancelled at this
    if rule is not None:
        sample.triage_rule = rule
        description = describe(lambda: triage.auto_description(rule))
    else:
        description = describe(lambda: _("Approved by the merchant."))
    apply_transition(sample, "approve", by=by, description=description)
    if rule is not None:
        tell(
            user=sample.creator.user, url=creator_url(sample),
            text=lambda: _("Your sample request for “%(product)s” was approved automatically by the merchant's rule “%(rule)s”. "
                           "The merchant ships it by %(deadline)s.")
            % {"product": sample.product.title, "rule": rule.name, "deadline": msg.local_time(sample.ship_by)},
        )
    else:
        tell(
            user=sample.creator.user, url=creator_url(sample),
            text=lambda: _("Your sample request for “%(product)s” was approved. The merchant ships it by %(deadline)s.")
            % {"product": sample.product.title, "deadline": msg.local_time(sample.ship_by)},
        )
    return sample


@transaction.atomic
def sample_request_reject(*, sample: SampleRequest, by, reason: str = "", rule: TriageRule | None = None) -> SampleRequest:
    """The merchant declines; with `rule` (V4) the merchant's triage rule declines, by=None,
    and the reason shown to the creator names the rule."""
    sample = locked(sample)
    _check_decider(sample, by, rule)
    expect(sample, State.REQUESTED)
    now = timezone.now()
    if sample.decide_passed():  # S4's clock, as the sweep reads it
        raise ValidationError(msg.DECIDE_TOO_LATE)
    sample.closed_at = now
    if rule is not None:
        sample.triage_rule = rule
        sample.close_reason = describe(lambda: triage.auto_description(rule))[:300]
    else:
        sample.close_reason = reason.strip()[:300] or describe(lambda: _("Declined by the merchant."))
    apply_transition(sample, "reject", by=by, description=sample.close_reason)
    tell(
        user=sample.creator.user, url=creator_url(sample),
        text=lambda: _("Your sample request for “%(product)s” was declined: %(reason)s")
        % {"product": sample.product.title, "reason": sample.close_reason},
    )
    return sample


# ---------------------------------------------------------------------------------------
# A platform reviewer overrides, with a recorded reason


@transaction.atomic
def sample_request_override(*, sample: SampleRequest, by, action: str, reason: str) -> SampleRequest:
    """A platform reviewer cancels an open request or counts one as fulfilled; the reason is recorded."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(msg.OVERRIDE_REASON_REQUIRED)
    if action not in ("override_cancel", "override_fulfil"):
        raise ValidationError(_("Unknown override."))
    sample = locked(sample)
    now = timezone.now()
    description = describe(lambda: _("Staff override: %(reason)s") % {"reason": reason})
    if action == "override_cancel":
        sample.closed_at = now
        sample.close_reason = description[:300]
    else:
        sample.fulfilled_at = now
        sample.closed_at = now
    apply_transition(sample, action, by=by, description=description)
    tell_both(
        sample,
        lambda: _("The platform changed the sample request for “%(product)s” to “%(state)s”: %(reason)s")
        % {"product": sample.product.title, "state": sample.get_state_display(), "reason": reason},
    )
    return sample
