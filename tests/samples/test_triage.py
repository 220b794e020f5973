"""V4 triage (samples.policy.triage and score.triage_score; the decision in
samples.services.requests; the rules kept by samples.services.policy)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from core.models import Notification
from samples import messages as msg
from samples.models import SampleRequest
from samples.policy import score as scoring
from samples.policy import triage
from samples.services import policy as policy_services
from samples.services import requests
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    ask,
    eligible_product,
    outcome,
    refused,
    reload,
    request_at,
    travel,
    triage_rule,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# V4: triage


def test_v4_auto_approve_above_thresholds_names_the_rule(creator):
    creator.followers = 50_000
    creator.save()
    product = eligible_product()
    rule = triage_rule(product=product, name="万粉以上自动通过", min_followers=10_000, min_score=10)
    sample = ask(creator, product, T0)
    assert sample.state == S.APPROVED and sample.triage_rule == rule and sample.ship_by == T0 + 48 * H
    log = StateLog.objects.for_(sample).get(transition="approve")
    assert log.by is None and "万粉以上自动通过" in log.description
    note = Notification.objects.filter(user=creator.user).order_by("-id").first()
    assert "万粉以上自动通过" in note.title


def test_v4_auto_reject_below_a_threshold_names_the_rule_and_counts_for_the_wait(creator):
    product = eligible_product()
    outcome(S.BREACHED, T0 - D, creator=creator)  # score 9
    triage_rule(product=product, action="reject", name="履约分低于10拒绝", min_score=10)
    sample = ask(creator, product, T0)
    assert sample.state == S.REJECTED and "履约分低于10拒绝" in sample.close_reason
    assert StateLog.objects.for_(sample).get(transition="reject").by is None
    # V3: an automatic rejection is a rejection: the same creator waits 30 days
    assert refused(creator, product, T0 + H) == str(
        msg.RETRY_WAIT % {"outcome": S.REJECTED.label, "when": msg.local_time(T0 + 30 * D)}
    )


def test_v4_no_rule_matches_the_request_waits_with_its_triage_score(creator):
    product = eligible_product()
    triage_rule(product=product, min_followers=1_000_000)
    sample = ask(creator, product, T0)
    assert sample.state == S.REQUESTED and sample.triage_rule is None
    assert sample.triage_score == scoring.triage_score(score=12, score_max=12, followers=creator.followers, past_sales=0)


def test_v4_product_rules_before_shop_rules_and_decline_before_approve(creator):
    product = eligible_product()
    shop = product.shop
    triage_rule(shop=shop, action="reject", name="店铺：粉丝不足拒绝", min_followers=10**9)
    triage_rule(product=product, action="approve", name="商品：履约好通过", min_score=12)
    assert ask(creator, product, T0).state == S.APPROVED  # the product rule wins over the shop rule
    other = eligible_product(shop=shop)
    triage_rule(product=other, action="approve", name="商品：通过", min_score=0)
    triage_rule(product=other, action="reject", name="商品：拒绝", min_followers=10**9)
    assert reload(ask(creator, other, T0)).triage_rule.name == "商品：拒绝"


def test_v4_an_off_rule_or_another_merchants_rule_does_not_decide(creator):
    product = eligible_product()
    rule = triage_rule(product=product, min_score=0)
    policy_services.triage_rule_switch(rule=rule, by=product.shop.merchant.user, on=False)
    assert ask(creator, product, T0).state == S.REQUESTED
    other = eligible_product()
    foreign = triage_rule(product=other, min_score=0)
    with pytest.raises(PermissionDenied), travel(T0):
        requests.sample_request_approve(sample=request_at(T0, product=product), by=None, rule=foreign)
    with pytest.raises(PermissionDenied):
        policy_services.triage_rule_switch(rule=foreign, by=product.shop.merchant.user, on=False)


def test_v4_auto_approval_the_quota_does_not_allow_leaves_the_request_for_a_person(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    triage_rule(product=product, min_score=0)
    policy_services.sample_quota_set(product=product, by=merchant.user, limit=1)
    other = request_at(T0)  # another product: the rule does not apply to it
    assert other.state == S.REQUESTED
    mine = ask(creator, product, T0)
    assert mine.state == S.APPROVED  # by the rule: the quota of one is now used up
    # A request that reaches triage after the quota ran out (a race): the rule cannot
    # approve it, and the request waits for a person.
    late = SampleRequest.objects.create(
        creator=factories.CreatorFactory(), product=product, merchant=merchant, decide_by=T0 + 48 * H, requested_at=T0,
    )
    with travel(T0 + H):
        requests.triage_new_request(late, metrics=triage.Metrics(followers=0, score=12, past_sales=0))
    late = reload(late)
    assert late.state == S.REQUESTED and late.triage_rule is None


def test_v4_triage_score_parts():
    assert scoring.triage_score(score=12, score_max=12, followers=1_000_000, past_sales=10) == 100
    assert scoring.triage_score(score=0, score_max=12, followers=0, past_sales=0) == 0
    assert scoring.triage_score(score=6, score_max=12, followers=0, past_sales=5) == 35


def test_v4_rule_needs_a_threshold_and_the_merchants_own_scope(merchant):
    product = eligible_product(shop__merchant=merchant)
    with pytest.raises(ValidationError) as exc:
        policy_services.triage_rule_create(merchant=merchant, by=merchant.user, name="空", action="approve", product=product)
    assert exc.value.messages == [str(msg.TRIAGE_THRESHOLD_REQUIRED)]
    with pytest.raises(PermissionDenied):
        policy_services.triage_rule_create(
            merchant=merchant, by=merchant.user, name="别家", action="approve", product=eligible_product(), min_score=1,
        )
