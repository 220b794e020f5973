"""Charts of the samples domain (samples.charts): the merchant's funnel and fulfilment rate,
return on samples per week (V10) and the creator's score history (V1) — aggregated by the
database in a fixed number of queries, weeks in platform time, scoped to whoever asks — and
the pages that draw them."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from samples import charts
from samples.models import SampleRequest, ScoreAdjustment
from tests import factories
from tests.samples.factories import (
    T0,
    H,
    eligible_product,
    feed_sale,
    outcome,
    request_at,
    shipped_at,
    travel,
    video_with_product,
)

pytestmark = pytest.mark.django_db
S = SampleRequest.State
SH = ZoneInfo("Asia/Shanghai")
# T0 is Tuesday 2026-12-01 10:00 in Shanghai. The week before ends on Sunday 2026-11-29 at
# 24:00 Shanghai time, which is 16:00 UTC on the same Sunday: a UTC week would misplace both.
SUNDAY_LAST_MINUTE = datetime(2026, 11, 29, 23, 59, 59, tzinfo=SH)
MONDAY_MIDNIGHT = datetime(2026, 11, 30, 0, 0, tzinfo=SH)
NOW = T0 + 2 * H


@pytest.fixture(autouse=True)
def _english():
    """The charts' labels are looked up by their English names below."""
    with translation.override("en"):
        yield


def series(chart, name=None) -> list:
    found = [s for s in chart.series if name is None or s.name == name]
    return list(found[0].values)


def value_at(chart, label, name=None):
    return series(chart, name)[list(chart.labels).index(label)]


def merchant_product(merchant):
    return eligible_product(shop__merchant=merchant)


# ---------------------------------------------------------------------------------------
# The merchant: fulfilment rate per week and the sample funnel


def test_fulfilment_rate_weeks_end_on_sunday_midnight_in_shanghai_time(django_assert_num_queries):
    merchant = factories.MerchantFactory()
    outcome(S.FULFILLED, SUNDAY_LAST_MINUTE, product=merchant_product(merchant))
    outcome(S.BREACHED, MONDAY_MIDNIGHT, product=merchant_product(merchant))
    with django_assert_num_queries(2):  # the merchant's weeks, then the leading creators' weeks
        chart = charts.fulfilment_rate_by_week(merchant=merchant, now=NOW)
    assert len(chart.labels) == 12 and chart.labels[-2:] == ["11-23", "11-30"]
    assert value_at(chart, "11-23") == 100.0  # fulfilled at Sunday 23:59:59: last week
    assert value_at(chart, "11-30") == 0.0  # breached at Monday 00:00: this week
    assert value_at(chart, "11-16") is None  # no outcome that week: no rate, a gap in the line
    assert chart.rows[-1][0] == "11-30" and chart.rows[-1][1][0] == "0%" and chart.rows[0][1][0] == "—"


def test_fulfilment_rate_counts_only_the_merchants_own_samples_and_names_its_leading_creators():
    merchant, other = factories.MerchantFactory(), factories.MerchantFactory()
    busy = factories.CreatorFactory(nickname="大鹏")
    for hours in (1, 2, 3):
        outcome(S.FULFILLED, MONDAY_MIDNIGHT + hours * H, creator=busy, product=merchant_product(merchant))
    outcome(S.BREACHED, MONDAY_MIDNIGHT + H, product=merchant_product(merchant))
    outcome(S.BREACHED, MONDAY_MIDNIGHT + H, creator=busy, product=merchant_product(other))  # another merchant's
    chart = charts.fulfilment_rate_by_week(merchant=merchant, now=NOW)
    assert value_at(chart, "11-30", "All creators") == 75.0
    assert value_at(chart, "11-30", "大鹏") == 100.0  # busy's breach for the other merchant is not counted
    assert "3 of 4 samples" in chart.summary


def test_funnel_counts_each_step_and_exit_of_the_merchants_requests_in_one_query(django_assert_num_queries):
    merchant, other = factories.MerchantFactory(), factories.MerchantFactory()
    request_at(T0, product=merchant_product(merchant))  # waiting for a decision
    shipped_at(T0, product=merchant_product(merchant))
    outcome(S.FULFILLED, T0, product=merchant_product(merchant))  # approved 10 days before
    outcome(S.BREACHED, T0, product=merchant_product(merchant))
    outcome(S.REJECTED, T0, product=merchant_product(merchant))
    shipped_at(T0, product=merchant_product(other))  # another merchant's: never counted
    with django_assert_num_queries(1):
        chart = charts.sample_funnel(merchant=merchant, now=NOW)
    reached = dict(zip(chart.labels, series(chart, "Reached this step"), strict=True))
    ended = dict(zip(chart.labels, series(chart, "Ended here"), strict=True))
    assert (reached["Requested"], reached["Approved"], reached["Shipped"], reached["Fulfilled"]) == (5, 4, 1, 1)
    assert (ended["Declined"], ended["Breached"], ended["Not decided in time"]) == (1, 1, 0)
    assert reached["Declined"] is None and ended["Requested"] is None  # each bar is one of the two


def test_funnel_leaves_out_requests_made_before_the_window():
    merchant = factories.MerchantFactory()
    request_at(datetime(2026, 9, 13, 23, 59, tzinfo=SH), product=merchant_product(merchant))  # Sunday before the 12 weeks
    request_at(datetime(2026, 9, 14, 0, 0, tzinfo=SH), product=merchant_product(merchant))  # their first Monday
    chart = charts.sample_funnel(merchant=merchant, now=NOW)
    assert chart.labels and series(chart)[0] == 1


# ---------------------------------------------------------------------------------------
# V10 per week


def test_v10_returns_per_week_put_cost_in_the_shipping_week_and_sales_in_the_selling_week(django_assert_max_num_queries):
    sample = shipped_at(SUNDAY_LAST_MINUTE)
    other = shipped_at(MONDAY_MIDNIGHT)  # another merchant's sample and sale
    for s, at in ((sample, MONDAY_MIDNIGHT), (other, MONDAY_MIDNIGHT + H)):
        video = video_with_product(s, at)
        feed_sale(creator=s.creator, product=s.product, video=video, quantity=1, amount=Decimal("99.00"), sold_at=at + H)
    with travel(NOW), django_assert_max_num_queries(4):  # the costs, then one query per sales source
        chart = charts.returns_by_week(merchant=sample.merchant, now=NOW)
    cost = float(sample.sample_cost + sample.shipping_cost)
    assert value_at(chart, "11-23", "Sample cost") == cost and value_at(chart, "11-30", "Sample cost") == 0
    assert value_at(chart, "11-23", "Sales afterwards") == 0 and value_at(chart, "11-30", "Sales afterwards") == 99.0


# ---------------------------------------------------------------------------------------
# V1: the creator's score history


def test_v1_score_history_reads_each_weeks_end_with_the_scores_own_window(creator, django_assert_max_num_queries):
    outcome(S.BREACHED, SUNDAY_LAST_MINUTE, creator=creator)  # counts at the end of the week of 11-23
    outcome(S.BREACHED, MONDAY_MIDNIGHT, creator=creator)  # counts from this week on
    outcome(S.BREACHED, MONDAY_MIDNIGHT, creator=factories.CreatorFactory())  # someone else's
    ScoreAdjustment.objects.create(creator=creator, delta=1, score_before=6, score_after=7, reason="申诉成立",
                                   by=factories.StaffFactory(), created_at=MONDAY_MIDNIGHT + H)
    with django_assert_max_num_queries(3):  # the rules' numbers, the outcomes, the corrections
        chart = charts.score_history(creator=creator, now=NOW)
    assert series(chart)[-3:] == [12, 9, 7]
    from samples.policy.score import creator_score

    assert series(chart)[-1] == creator_score(creator, now=NOW).value  # this week's point is the score now


def test_v1_score_history_lets_a_breach_age_out_after_the_window(creator):
    outcome(S.BREACHED, datetime(2026, 9, 1, 12, tzinfo=SH), creator=creator)  # 90 days on: 2026-11-30 12:00
    chart = charts.score_history(creator=creator, now=NOW)
    assert value_at(chart, "11-23") == 9 and value_at(chart, "11-30") == 12


# ---------------------------------------------------------------------------------------
# The pages


def test_stats_page_draws_both_charts_with_their_tables_for_the_merchant_only(client, creator):
    merchant = factories.MerchantFactory()
    outcome(S.FULFILLED, T0, product=merchant_product(merchant))
    client.force_login(merchant.user)
    with travel(NOW):
        page = client.get("/merchant/samples/stats/").content.decode()
    for slug in ("sample-funnel", "fulfilment-rate"):
        assert f'data-testid="chart-{slug}"' in page and '<svg class="chart" role="img"' in page
    assert page.count('data-testid="chart-table"') == 2 and page.count("<svg") == 2
    assert 'href="/merchant/samples/stats/"' in client.get("/merchant/samples/").content.decode()  # the tab
    client.force_login(creator.user)
    assert client.get("/merchant/samples/stats/").status_code in (302, 403, 404)


def test_returns_and_score_pages_draw_their_charts(client, creator):
    sample = shipped_at(T0 - 24 * H)
    client.force_login(sample.merchant.user)
    assert 'data-testid="chart-returns-by-week"' in client.get("/merchant/samples/returns/").content.decode()
    client.force_login(creator.user)
    page = client.get("/creator/samples/score/").content.decode()
    assert 'data-testid="chart-score-history"' in page and "<polyline" in page


def test_stats_page_is_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    merchant = factories.MerchantFactory()
    for _ in range(3):
        outcome(S.FULFILLED, T0, product=merchant_product(merchant))
    client.force_login(merchant.user)
    client.get("/merchant/samples/stats/")
    with django_assert_max_num_queries(8):  # session, user, merchant, nav counts, funnel, two rate queries
        client.get("/merchant/samples/stats/")
