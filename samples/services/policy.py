"""The sample policy's writes: the merchant's sample settings — quota (V2), triage rules
(V4), blocklist (V5) — and a reviewer's correction of a fulfilment score (V1). The rules
that read them are samples.policy.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import MAX_QUANTITY
from core.fsm import apply_transition
from samples import messages as msg
from samples.models import CreatorBlock, SampleQuota, ScoreAdjustment, TriageRule
from samples.policy import score as scoring
from samples.policy.blocklist import is_blocked
from shops import teams
from shops.models import Creator, Merchant, Product, Shop

Period = SampleQuota.Period


# ---------------------------------------------------------------------------------------
# V2: the product's sample quota


@transaction.atomic
def sample_quota_set(*, product: Product, by, limit: int | None, period: str = Period.TOTAL) -> SampleQuota | None:
    """V2: the merchant sets (or, with limit None, removes) a product's sample quota."""
    product = Product.objects.select_related("shop__merchant").get(pk=product.pk)
    if by is None:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    teams.check_can(by, product.shop.merchant, teams.SAMPLES)
    if limit is None:
        SampleQuota.objects.filter(product=product).delete()
        return None
    if period not in Period.values:
        raise ValidationError({"period": _("Choose in total, per day or per week.")})
    if limit < 0:
        raise ValidationError({"limit": _("Enter zero or more samples.")})
    if limit > MAX_QUANTITY:  # checked before anything is written (a huge number overflows the column)
        raise ValidationError({"limit": _("Enter at most %(n)s samples.") % {"n": MAX_QUANTITY}})
    quota, _created = SampleQuota.objects.select_for_update().get_or_create(
        product=product, defaults={"limit": limit, "period": period, "updated_by": by}
    )
    quota.limit, quota.period, quota.updated_by = limit, period, by
    quota.full_clean()
    quota.save()
    return quota


# ---------------------------------------------------------------------------------------
# V4: the merchant's triage rules


@transaction.atomic
def triage_rule_create(
    *, merchant: Merchant, by, name: str, action: str, shop: Shop | None = None, product: Product | None = None,
    min_followers: int | None = None, min_score: int | None = None, min_past_sales: int | None = None,
) -> TriageRule:
    """V4: a rule for one product or for one shop of the merchant."""
    if by is None:
        raise PermissionDenied(_("Only the merchant can manage their triage rules."))
    teams.check_can(by, merchant, teams.SAMPLES)
    if (shop is None) == (product is None):
        raise ValidationError(_("Choose either one product or one shop."))
    if product is not None and product.shop.merchant_id != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    if shop is not None and shop.merchant_id != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the shop can do this."))
    if min_followers is None and min_score is None and min_past_sales is None:
        raise ValidationError(msg.TRIAGE_THRESHOLD_REQUIRED)
    if min_score is not None and min_score > scoring.Params.current().max:
        raise ValidationError({"min_score": _("Enter a score from 0 to %(max)s.") % {"max": scoring.Params.current().max}})
    rule = TriageRule(
        merchant=merchant, shop=shop, product=product, name=name.strip(), action=action, min_followers=min_followers,
        min_score=min_score, min_past_sales=min_past_sales, created_by=by,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def triage_rule_switch(*, rule: TriageRule, by, on: bool) -> TriageRule:
    """V4: switch a rule on or off (kept, not deleted: decisions name it)."""
    rule = TriageRule.objects.select_for_update().select_related("merchant").get(pk=rule.pk)
    if by is None:
        raise PermissionDenied(_("Only the merchant can manage their triage rules."))
    teams.check_can(by, rule.merchant, teams.SAMPLES)
    rule.is_active = on
    rule.save(update_fields=["is_active"])
    return rule


# ---------------------------------------------------------------------------------------
# V5: the merchant's blocklist


@transaction.atomic
def creator_block(*, merchant: Merchant, creator: Creator, reason: str, by) -> CreatorBlock:
    """V5: the merchant blocks a creator from their samples, with a reason the creator does not see."""
    if by is None:
        raise PermissionDenied(_("Only the merchant can manage their blocklist."))
    teams.check_can(by, merchant, teams.SAMPLES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for blocking; it is recorded (the creator does not see it).")})
    if is_blocked(merchant_id=merchant.pk, creator_id=creator.pk):
        raise ValidationError(msg.ALREADY_BLOCKED)
    block = CreatorBlock(merchant=merchant, creator=creator, reason=reason[:300], blocked_by=by, blocked_at=timezone.now())
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError as exc:  # one active block per merchant and creator: a double click
        raise ValidationError(msg.ALREADY_BLOCKED) from exc
    return block


@transaction.atomic
def creator_block_lift(*, block: CreatorBlock, reason: str, by) -> CreatorBlock:
    """V5: the merchant lifts a block, with a reason (recorded on the row and in the history)."""
    block = CreatorBlock.objects.select_for_update().select_related("merchant").get(pk=block.pk)
    if by is None:
        raise PermissionDenied(_("Only the merchant can manage their blocklist."))
    teams.check_can(by, block.merchant, teams.SAMPLES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": [str(msg.LIFT_REASON_REQUIRED)]})
    block.lifted_at = timezone.now()
    block.lifted_by = by
    block.lift_reason = reason[:300]
    return apply_transition(block, "lift", by=by, description=block.lift_reason)


# ---------------------------------------------------------------------------------------
# V1: a reviewer corrects a fulfilment score


@transaction.atomic
def score_adjust(*, creator: Creator, new_score: int, reason: str, by) -> ScoreAdjustment:
    """V1: a reviewer sets a creator's score to `new_score`, with a recorded reason.

    Stored as the difference from the current score, so it ages out with the window like
    the outcomes it corrects. The creator row lock keeps two reviewers from both reading the
    same "before"."""
    if by is None or not (by.is_staff and by.has_perm("samples.add_scoreadjustment")):
        raise PermissionDenied(_("Only platform reviewers can correct a fulfilment score."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [str(msg.SCORE_REASON_REQUIRED)]})
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    now = timezone.now()
    current = scoring.creator_score(creator, now=now)
    if not 0 <= new_score <= current.max:
        raise ValidationError({"new_score": _("Enter a score from 0 to %(max)s.") % {"max": current.max}})
    if new_score == current.value:
        raise ValidationError({"new_score": _("The score is already %(score)s.") % {"score": current.value}})
    adjustment = ScoreAdjustment(
        creator=creator, delta=new_score - current.raw, score_before=current.value, score_after=new_score, reason=reason[:300], by=by, created_at=now,
    )
    adjustment.full_clean()
    adjustment.save()
    return adjustment
