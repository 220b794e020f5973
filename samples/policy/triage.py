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
that the quota (V2) does not allow leaves the request for a person. This module says which
rule decides; samples.services.requests makes the decision, and samples.services.policy
keeps the merchant's rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from samples.models import TriageRule
from samples.policy import score as scoring
from shops.models import Creator, Product


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
