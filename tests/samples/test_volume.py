"""V1–V5 (samples at volume): fulfilment score, quota, one open request and the retry wait,
triage rules, blocklist — the services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django_fsm_log.models import StateLog

from core.models import Notification, RuleSetting
from samples import blocks, quota, scoring, services, triage
from samples import messages as msg
from samples.models import CreatorBlock, SampleQuota, SampleRequest, ScoreAdjustment
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    approved_at,
    eligible_product,
    outcome,
    reload,
    request_at,
    travel,
    triage_rule,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State
D = timedelta(days=1)


def ask(creator, product, moment):
    with travel(moment):
        return services.sample_request_create(creator=creator, product=product, by=creator.user)


def refused(creator, product, moment) -> str:
    with pytest.raises(ValidationError) as exc, travel(moment):
        services.sample_request_create(creator=creator, product=product, by=creator.user)
    return " ".join(exc.value.messages)


# ---------------------------------------------------------------------------------------
# V1 Fulfilment score


def test_v1_score_starts_full_loses_points_per_breach_and_restores_them_at_the_window_edge(creator):
    assert scoring.creator_score(creator, now=T0).value == 12
    outcome(S.BREACHED, T0, creator=creator)
    assert scoring.creator_score(creator, now=T0).value == 9
    # The breach counts for 90 days from when it happened: at 89d23h59m it still counts, at 90d it is gone.
    assert scoring.creator_score(creator, now=T0 + 90 * D - M).value == 9
    assert scoring.creator_score(creator, now=T0 + 90 * D).value == 12


def test_v1_fulfilled_samples_win_points_back_and_the_score_stays_within_the_scale(creator):
    outcome(S.BREACHED, T0, creator=creator)
    outcome(S.FULFILLED, T0 + H, creator=creator)
    score = scoring.creator_score(creator, now=T0 + 2 * H)
    assert (score.value, score.breaches, score.fulfilments) == (10, 1, 1)
    for i in range(3):
        outcome(S.FULFILLED, T0 + (2 + i) * H, creator=creator)
    assert scoring.creator_score(creator, now=T0 + 6 * H).value == 12  # never above the full score
    for i in range(5):
        outcome(S.BREACHED, T0 + (6 + i) * H, creator=creator)
    assert scoring.creator_score(creator, now=T0 + 12 * H).value == 0  # never below zero


def test_v1_counts_samples_of_every_merchant_and_withdrawal_before_a_decision_costs_nothing(creator):
    sample = request_at(T0 - D, creator=creator)
    with travel(T0 - D + H):
        services.sample_request_withdraw(sample=sample, by=creator.user)
    outcome(S.BREACHED, T0, creator=creator)  # merchant A
    outcome(S.BREACHED, T0 + H, creator=creator)  # merchant B
    assert scoring.creator_score(creator, now=T0 + 3 * H).value == 6


def test_v1_at_the_floor_the_creator_is_refused_told_why_and_until_when(creator):
    product = eligible_product()
    outcome(S.BREACHED, T0, creator=creator)
    outcome(S.BREACHED, T0 + D, creator=creator)  # 12 − 3 − 3 = 6 ≤ 8
    text = refused(creator, product, T0 + 2 * D)
    # The first breach leaves the window at T0 + 90 d; the score is then 9 > 8.
    assert "履约分" in text and "6" in text and "2027-03-01 10:00" in text
    assert scoring.creator_score(creator, now=T0 + 2 * D).blocked_until == T0 + 90 * D
    assert refused(creator, product, T0 + 90 * D - M)
    assert ask(creator, product, T0 + 90 * D).state == S.REQUESTED


def test_v1_boundary_score_8_is_refused_score_9_may_ask(creator, staff):
    product = eligible_product()
    with travel(T0):
        adj = scoring.score_adjust(creator=creator, new_score=8, reason="人工核查：两次未按约推广", by=staff)
    assert (adj.score_before, adj.score_after, adj.delta, adj.by) == (12, 8, -4, staff)
    assert "履约分" in refused(creator, product, T0 + H)
    with travel(T0 + 2 * H):
        scoring.score_adjust(creator=creator, new_score=9, reason="申诉通过", by=staff)
    assert ask(creator, product, T0 + 3 * H).state == S.REQUESTED


def test_v1_reviewer_correction_needs_a_reason_and_a_reviewer_and_lands_exactly(creator, staff):
    for i in range(4):
        outcome(S.FULFILLED, T0 + i * H, creator=creator)  # raw 16, shown 12
    with pytest.raises(ValidationError), travel(T0 + D):
        scoring.score_adjust(creator=creator, new_score=10, reason="  ", by=staff)
    with pytest.raises(PermissionDenied), travel(T0 + D):
        scoring.score_adjust(creator=creator, new_score=10, reason="x", by=factories.UserFactory())
    with travel(T0 + D):
        scoring.score_adjust(creator=creator, new_score=10, reason="刷单核实", by=staff)
    assert scoring.creator_score(creator, now=T0 + D).value == 10
    assert ScoreAdjustment.objects.get().delta == -6


def test_v1_scores_for_many_creators_take_two_queries(django_assert_num_queries):
    creators = [factories.CreatorFactory() for _ in range(5)]
    for c in creators:
        outcome(S.BREACHED, T0, creator=c)
    with django_assert_num_queries(1 + 2):  # the five rule values in one read, then outcomes and corrections
        scores = scoring.scores_for([c.pk for c in creators], now=T0 + H)
    assert {s.value for s in scores.values()} == {9}


# ---------------------------------------------------------------------------------------
# V2 Quota


def test_v2_each_approval_uses_one_and_at_zero_new_requests_are_refused(merchant):
    product = eligible_product(shop__merchant=merchant)
    with travel(T0):
        quota.sample_quota_set(product=product, by=merchant.user, limit=2, period="total")
    first = approved_at(T0, product=product)
    waiting = request_at(T0 + H, product=product)
    assert quota.status_for_product(product, now=T0 + H).remaining == 1
    with travel(T0 + 2 * H):
        services.sample_request_approve(sample=waiting, by=merchant.user)
    assert quota.status_for_product(product, now=T0 + 2 * H).exhausted
    assert refused(factories.CreatorFactory(), product, T0 + 3 * H) == str(msg.QUOTA_USED_UP)
    # A cancelled approval still used its sample (it was given out).
    assert reload(first).approved_at is not None


def test_v2_merchant_cannot_approve_beyond_the_quota(merchant):
    product = eligible_product(shop__merchant=merchant)
    a, b = request_at(T0, product=product), request_at(T0, product=product)
    with travel(T0):
        quota.sample_quota_set(product=product, by=merchant.user, limit=1, period="total")
        services.sample_request_approve(sample=a, by=merchant.user)
        with pytest.raises(ValidationError) as exc:
            services.sample_request_approve(sample=b, by=merchant.user)
    assert "名额" in " ".join(exc.value.messages)
    assert reload(b).state == S.REQUESTED


def test_v2_per_day_quota_starts_again_at_midnight_platform_time(merchant):
    product = eligible_product(shop__merchant=merchant)
    noon = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with travel(noon):
        quota.sample_quota_set(product=product, by=merchant.user, limit=1, period="day")
    approved_at(noon, product=product)
    creator = factories.CreatorFactory()
    text = refused(creator, product, noon.replace(hour=23, minute=59))
    assert "2026-12-02 00:00" in text
    assert ask(creator, product, noon.replace(day=2, hour=0, minute=0)).state == S.REQUESTED


def test_v2_only_the_owner_sets_the_quota_and_none_removes_it(merchant):
    product = eligible_product(shop__merchant=merchant)
    with pytest.raises(PermissionDenied):
        quota.sample_quota_set(product=product, by=factories.MerchantFactory().user, limit=3)
    quota.sample_quota_set(product=product, by=merchant.user, limit=3, period="week")
    assert SampleQuota.objects.get(product=product).limit == 3
    quota.sample_quota_set(product=product, by=merchant.user, limit=None)
    assert not SampleQuota.objects.filter(product=product).exists()


# ---------------------------------------------------------------------------------------
# V3 One open request; the 30-day wait


def test_v3_one_open_request_per_creator_and_product(creator):
    product = eligible_product()
    ask(creator, product, T0)
    assert refused(creator, product, T0 + H) == str(msg.ALREADY_OPEN)
    # The database holds it too (the partial unique constraint), whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleRequest.objects.create(
            creator=creator, product=product, merchant=product.shop.merchant, decide_by=T0 + 48 * H,
        )


def test_v3_after_a_rejection_the_creator_waits_30_days_boundary(creator):
    product = eligible_product()
    sample = ask(creator, product, T0)
    with travel(T0 + H):
        services.sample_request_reject(sample=sample, by=product.shop.merchant.user, reason="本月已满")
    text = refused(creator, product, T0 + H + 30 * D - M)  # 29 d 23 h 59 m
    assert "2026-12-31 11:00" in text
    assert ask(creator, product, T0 + H + 30 * D).state == S.REQUESTED  # 30 d 00 m


@pytest.mark.parametrize("state", [S.EXPIRED, S.BREACHED])
def test_v3_after_expiry_or_breach_the_wait_applies_too(creator, state):
    product = eligible_product()
    outcome(state, T0, creator=creator, product=product)
    assert refused(creator, product, T0 + 30 * D - M)
    assert ask(creator, product, T0 + 30 * D).state == S.REQUESTED


def test_v3_no_wait_after_a_withdrawal_or_for_another_product(creator):
    product = eligible_product()
    sample = ask(creator, product, T0)
    with travel(T0 + H):
        services.sample_request_withdraw(sample=sample, by=creator.user)
    assert ask(creator, product, T0 + 2 * H).state == S.REQUESTED
    other = eligible_product()
    outcome(S.EXPIRED, T0, creator=creator, product=other)
    assert ask(creator, eligible_product(), T0 + H).state == S.REQUESTED


# ---------------------------------------------------------------------------------------
# V4 Triage


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
    assert refused(creator, product, T0 + H)  # V3: an automatic rejection is a rejection


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
    triage.triage_rule_switch(rule=rule, by=product.shop.merchant.user, on=False)
    assert ask(creator, product, T0).state == S.REQUESTED
    other = eligible_product()
    foreign = triage_rule(product=other, min_score=0)
    with pytest.raises(PermissionDenied), travel(T0):
        services.sample_request_approve(sample=request_at(T0, product=product), by=None, rule=foreign)
    with pytest.raises(PermissionDenied):
        triage.triage_rule_switch(rule=foreign, by=product.shop.merchant.user, on=False)


def test_v4_auto_approval_the_quota_does_not_allow_leaves_the_request_for_a_person(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    triage_rule(product=product, min_score=0)
    quota.sample_quota_set(product=product, by=merchant.user, limit=1)
    first = request_at(T0)  # another creator, approved by the rule: the quota is now used up
    assert first.state == S.REQUESTED  # (other product) sanity
    mine = ask(creator, product, T0)
    assert mine.state == S.APPROVED
    # Quota used up after a race: the rule cannot approve, the request waits for a person.
    SampleQuota.objects.filter(product=product).update(limit=1)
    late = SampleRequest.objects.create(
        creator=factories.CreatorFactory(), product=product, merchant=merchant, decide_by=T0 + 48 * H, requested_at=T0,
    )
    with travel(T0 + H):
        triage.triage_new_request(late, metrics=triage.Metrics(followers=0, score=12, past_sales=0))
    assert reload(late).state == S.REQUESTED


def test_v4_triage_score_parts():
    assert scoring.triage_score(score=12, score_max=12, followers=1_000_000, past_sales=10) == 100
    assert scoring.triage_score(score=0, score_max=12, followers=0, past_sales=0) == 0
    assert scoring.triage_score(score=6, score_max=12, followers=0, past_sales=5) == 35


def test_v4_rule_needs_a_threshold_and_the_merchants_own_scope(merchant):
    product = eligible_product(shop__merchant=merchant)
    with pytest.raises(ValidationError):
        triage.triage_rule_create(merchant=merchant, by=merchant.user, name="空", action="approve", product=product)
    with pytest.raises(PermissionDenied):
        triage.triage_rule_create(
            merchant=merchant, by=merchant.user, name="别家", action="approve", product=eligible_product(), min_score=1,
        )


# ---------------------------------------------------------------------------------------
# V5 Blocklist


def test_v5_blocked_creator_is_refused_without_the_reason_and_open_requests_go_on(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    open_one = ask(creator, product, T0)
    block = blocks.creator_block(merchant=merchant, creator=creator, reason="多次索样不推广", by=merchant.user)
    text = refused(creator, eligible_product(shop__merchant=merchant), T0 + H)
    assert text == str(msg.BLOCKED) and "多次索样" not in text
    assert reload(open_one).state == S.REQUESTED  # goes on
    with travel(T0 + H):
        services.sample_request_approve(sample=open_one, by=merchant.user)
    assert ask(creator, eligible_product(), T0 + 2 * H).state == S.REQUESTED  # other merchants are not affected
    assert (block.blocked_by, block.reason) == (merchant.user, "多次索样不推广")


def test_v5_lifting_records_who_when_why_and_the_creator_may_ask_again(merchant, creator):
    product = eligible_product(shop__merchant=merchant)
    block = blocks.creator_block(merchant=merchant, creator=creator, reason="x", by=merchant.user)
    with pytest.raises(ValidationError):
        blocks.creator_block(merchant=merchant, creator=creator, reason="again", by=merchant.user)
    with pytest.raises(ValidationError):
        blocks.creator_block_lift(block=block, reason="", by=merchant.user)
    with travel(T0):
        block = blocks.creator_block_lift(block=block, reason="沟通后解除", by=merchant.user)
    assert (block.status, block.lifted_by, block.lifted_at, block.lift_reason) == (
        CreatorBlock.Status.LIFTED, merchant.user, T0, "沟通后解除")
    log = StateLog.objects.for_(block).get()
    assert log.by == merchant.user and log.description == "沟通后解除"
    assert ask(creator, product, T0 + H).state == S.REQUESTED
    blocks.creator_block(merchant=merchant, creator=creator, reason="再次拉黑", by=merchant.user)  # the record stays; a new block


def test_v5_only_the_merchant_blocks_and_lifts(merchant, creator):
    with pytest.raises(PermissionDenied):
        blocks.creator_block(merchant=merchant, creator=creator, reason="x", by=factories.MerchantFactory().user)
    block = blocks.creator_block(merchant=merchant, creator=creator, reason="x", by=merchant.user)
    with pytest.raises(PermissionDenied):
        blocks.creator_block_lift(block=block, reason="y", by=factories.MerchantFactory().user)


def test_v1_to_v5_rule_values_come_from_the_rules_object(creator):
    RuleSetting.objects.filter(key="sample_score_breach_penalty").update(value=4)
    outcome(S.BREACHED, T0, creator=creator)
    assert scoring.creator_score(creator, now=T0 + H).value == 8  # at the floor
    RuleSetting.objects.filter(key="sample_retry_wait").update(value=1)
    product = eligible_product()
    other = factories.CreatorFactory()
    outcome(S.EXPIRED, T0, creator=other, product=product)
    assert ask(other, product, T0 + D).state == S.REQUESTED
