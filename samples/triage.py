"""V4 Triage (自动审核): a merchant's rules decide sample requests as they arrive; the rest
wait for a person, sorted in the inbox by the triage score shown on each row.

Which rule decides: the merchant's rules that are on, for the request's product or for
its shop, in this order — product rules before shop rules (the specific one wins), within
a scope decline rules before approve rules, then the oldest first. The first rule that
matches decides:
- an approve rule matches when the creator meets every threshold it sets
  (followers ≥, fulfilment score ≥, past sales ≥);
- a decline rule matches when the creator misses any threshold it sets (value <).
No rule matches → the request waits for the merchant (S4's 48 h still run).

Automatic decisions go through the same services and transitions as a person's
(`by=None`), and the transition's description names the rule; the rule is also kept on the
request (`triage_rule`) and shown to the merchant and the creator. An automatic approval
that the quota (V2) does not allow leaves the request for a person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samples import scoring
from samples.models import SampleRequest, TriageRule
from shops.models import Creator, Merchant, Product, Shop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metrics:
    followers: int
    score: int
    past_sales: int


def metrics_for(creator: Creator) -> tuple[Metrics, scoring.Score]:
    score = scoring.creator_score(creator)
    sales = scoring.past_sales_for([creator.pk])[creator.pk]
    return Metrics(followers=creator.followers, score=score.value, past_sales=sales), score


def _thresholds(rule: TriageRule, m: Metrics) -> list[tuple[int, int]]:
    pairs = [(rule.min_followers, m.followers), (rule.min_score, m.score), (rule.min_past_sales, m.past_sales)]
    return [(threshold, value) for threshold, value in pairs if threshold is not None]


def rule_matches(rule: TriageRule, m: Metrics) -> bool:
    pairs = _thresholds(rule, m)
    if not pairs:
        return False
    if rule.action == TriageRule.Action.APPROVE:
        return all(value >= threshold for threshold, value in pairs)
    return any(value < threshold for threshold, value in pairs)


def rules_for(product: Product) -> list[TriageRule]:
    """The rules that apply to a product, in the order they are tried."""
    found = list(
        TriageRule.objects.filter(merchant_id=product.shop.merchant_id, is_active=True)
        .filter(Q(product_id=product.pk) | Q(shop_id=product.shop_id))
    )
    return sorted(found, key=lambda r: (r.product_id is None, r.action != TriageRule.Action.REJECT, r.created_at, r.pk))


def first_match(product: Product, m: Metrics) -> TriageRule | None:
    return next((rule for rule in rules_for(product) if rule_matches(rule, m)), None)


def auto_description(rule: TriageRule) -> str:
    """Stored in the history and shown to both sides: which rule decided (V4)."""
    if rule.action == TriageRule.Action.APPROVE:
        return _("Approved automatically by the triage rule “%(rule)s” (#%(id)s).") % {"rule": rule.name, "id": rule.pk}
    return _("Declined automatically by the triage rule “%(rule)s” (#%(id)s).") % {"rule": rule.name, "id": rule.pk}


def triage_new_request(sample: SampleRequest, *, metrics: Metrics) -> SampleRequest:
    """Run the merchant's rules on a request just made (inside sample_request_create's
    transaction). A failure of the automatic decision leaves the request for a person."""
    from samples import services  # services calls into this module

    rule = first_match(sample.product, metrics)
    if rule is None:
        return sample
    try:
        with transaction.atomic():
            if rule.action == TriageRule.Action.APPROVE:
                return services.sample_request_approve(sample=sample, by=None, rule=rule)
            return services.sample_request_reject(sample=sample, by=None, rule=rule)
    except ValidationError as exc:  # e.g. V2: the quota ran out between the request and now
        logger.info("samples triage: rule #%s did not decide request #%s: %s", rule.pk, sample.pk, exc.messages)
        return sample


# ---------------------------------------------------------------------------------------
# The merchant manages the rules (writes)


THRESHOLD_FIELDS = ("min_followers", "min_score", "min_past_sales")


@transaction.atomic
def triage_rule_create(
    *, merchant: Merchant, by, name: str, action: str, shop: Shop | None = None, product: Product | None = None,
    min_followers: int | None = None, min_score: int | None = None, min_past_sales: int | None = None,
) -> TriageRule:
    """V4: a rule for one product or for one shop of the merchant."""
    if by is None or merchant.user_id != by.pk:
        raise PermissionDenied(_("Only the merchant can manage their triage rules."))
    if (shop is None) == (product is None):
        raise ValidationError(_("Choose either one product or one shop."))
    if product is not None and product.shop.merchant_id != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    if shop is not None and shop.merchant_id != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the shop can do this."))
    if min_followers is None and min_score is None and min_past_sales is None:
        raise ValidationError(_("Set at least one threshold."))
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
    if by is None or rule.merchant.user_id != by.pk:
        raise PermissionDenied(_("Only the merchant can manage their triage rules."))
    rule.is_active = on
    rule.save(update_fields=["is_active"])
    return rule
