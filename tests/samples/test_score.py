"""V1 fulfilment score (samples.policy.score) and a reviewer's correction
(samples.services.policy.score_adjust)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samples import messages as msg
from samples.models import SampleRequest, ScoreAdjustment
from samples.policy import score as scoring
from samples.services import policy as policy_services
from samples.services import requests
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    M,
    ask,
    eligible_product,
    outcome,
    refused,
    request_at,
    travel,
)

pytestmark = pytest.mark.django_db
D = timedelta(days=1)
S = SampleRequest.State


# ---------------------------------------------------------------------------------------
# V1: fulfilment score


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
        requests.sample_request_withdraw(sample=sample, by=creator.user)
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
    assert refused(creator, product, T0 + 90 * D - M) == str(
        msg.SCORE_TOO_LOW % {"score": 6, "floor": 8, "until": msg.local_time(T0 + 90 * D), "days": 90}
    )
    assert ask(creator, product, T0 + 90 * D).state == S.REQUESTED


def test_v1_boundary_score_8_is_refused_score_9_may_ask(creator, staff):
    product = eligible_product()
    with travel(T0):
        adj = policy_services.score_adjust(creator=creator, new_score=8, reason="人工核查：两次未按约推广", by=staff)
    assert (adj.score_before, adj.score_after, adj.delta, adj.by) == (12, 8, -4, staff)
    assert "履约分" in refused(creator, product, T0 + H)
    with travel(T0 + 2 * H):
        policy_services.score_adjust(creator=creator, new_score=9, reason="申诉通过", by=staff)
    assert ask(creator, product, T0 + 3 * H).state == S.REQUESTED


def test_v1_reviewer_correction_needs_a_reason_and_a_reviewer_and_lands_exactly(creator, staff):
    for i in range(4):
        outcome(S.FULFILLED, T0 + i * H, creator=creator)  # raw 16, shown 12
    with pytest.raises(ValidationError) as exc, travel(T0 + D):
        policy_services.score_adjust(creator=creator, new_score=10, reason="  ", by=staff)
    assert exc.value.message_dict == {"reason": [str(msg.SCORE_REASON_REQUIRED)]}
    with pytest.raises(PermissionDenied), travel(T0 + D):
        policy_services.score_adjust(creator=creator, new_score=10, reason="x", by=factories.UserFactory())
    with travel(T0 + D):
        policy_services.score_adjust(creator=creator, new_score=10, reason="刷单核实", by=staff)
    assert scoring.creator_score(creator, now=T0 + D).value == 10
    assert ScoreAdjustment.objects.get().delta == -6


def test_v1_scores_for_many_creators_take_two_queries(django_assert_num_queries):
    creators = [factories.CreatorFactory() for _ in range(5)]
    for c in creators:
        outcome(S.BREACHED, T0, creator=c)
    with django_assert_num_queries(1 + 2):  # the five rule values in one read, then outcomes and corrections
        scores = scoring.scores_for([c.pk for c in creators], now=T0 + H)
    assert {s.value for s in scores.values()} == {9}


def test_v1_list_pages_score_values_counted_in_sql_match_the_full_score(staff, django_assert_num_queries):
    """The inbox shows score_values_for (counts in SQL, not every outcome loaded): the same
    value and the same block as scores_for, at the window's edge too."""
    mixed, blocked, fresh = (factories.CreatorFactory() for _ in range(3))
    for i in range(3):
        outcome(S.FULFILLED, T0 + i * H, creator=mixed)
    outcome(S.BREACHED, T0 + 4 * H, creator=mixed)
    outcome(S.BREACHED, T0, creator=blocked)
    with travel(T0 + H):
        policy_services.score_adjust(creator=blocked, new_score=8, reason="人工核查", by=staff)
    ids = [mixed.pk, blocked.pk, fresh.pk]
    window = scoring.Params.current().window
    for now in (T0 + D, T0 + window, T0 + window + 2 * H):  # before, at and past the first ageing out
        full = scoring.scores_for(ids, now=now)
        with django_assert_num_queries(1 + 2):
            values = scoring.score_values_for(ids, now=now)
        assert {pk: (v.value, v.max, v.blocked) for pk, v in values.items()} == {
            pk: (s.value, s.max, s.blocked) for pk, s in full.items()}, now
    assert scoring.score_values_for([blocked.pk], now=T0 + D)[blocked.pk].blocked
    assert scoring.score_values_for([], now=T0) == {}
