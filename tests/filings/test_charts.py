"""The reviewers' charts (filings.charts) on the admin index: decisions per week from the
transition history, and how long filings under review have waited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from filings import charts, services
from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SUNDAY_LAST_MINUTE = datetime(2026, 11, 29, 23, 59, 59, tzinfo=SH)  # 15:59:59 UTC, Sunday
MONDAY_MIDNIGHT = datetime(2026, 11, 30, 0, 0, tzinfo=SH)  # 16:00 UTC, still Sunday in UTC
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SH)


@pytest.fixture
def reviewer():
    user = factories.UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Platform reviewers")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["filings", "shops", "django_fsm_log"]))
    user.groups.add(group)
    return user


def decide(action, moment, reviewer):
    filing = set_state(FilingFactory(), Filing.State.UNDER_REVIEW, submitted_at=moment - timedelta(hours=1))
    with time_machine.travel(moment, tick=False):
        if action == "approve":
            services.filing_approve(filing=filing, by=reviewer)
        else:
            services.filing_reject(filing=filing, by=reviewer, reason="资质不全")


def test_f2_decisions_per_week_end_on_sunday_midnight_in_shanghai_time(reviewer, django_assert_max_num_queries):
    decide("approve", SUNDAY_LAST_MINUTE, reviewer)
    decide("reject", MONDAY_MIDNIGHT, reviewer)
    decide("approve", MONDAY_MIDNIGHT + timedelta(hours=1), reviewer)
    with translation.override("en"), django_assert_max_num_queries(2):  # the content type (cached after), the counts
        chart = charts.outcomes_by_week(now=NOW)
    approved, rejected = (list(s.values) for s in chart.series[:2])
    assert chart.labels[-2:] == ["11-23", "11-30"]
    assert (approved[-2], rejected[-2]) == (1, 0)  # Sunday 23:59:59 is last week
    assert (approved[-1], rejected[-1]) == (1, 1)  # Monday 00:00 is this week
    assert "2 filings approved, 1 not approved" in chart.summary


def test_f2_queue_age_buckets_filings_under_review_at_whole_days(django_assert_num_queries):
    for hours in (0, 23.99, 24, 71.99, 72, 168):
        set_state(FilingFactory(), Filing.State.UNDER_REVIEW, submitted_at=NOW - timedelta(hours=hours))
    set_state(FilingFactory(), Filing.State.APPROVED, submitted_at=NOW - timedelta(days=30))  # decided: not waiting
    with django_assert_num_queries(1):
        chart = charts.queue_age(now=NOW)
    assert list(chart.series[0].values) == [2, 1, 1, 1, 1]  # <1 d, 1–2 d, 2–3 d, 3–7 d, 7 d+


def test_admin_index_shows_the_charts_to_reviewers_only(client, reviewer):
    set_state(FilingFactory(), Filing.State.UNDER_REVIEW)
    client.force_login(reviewer)
    page = client.get("/admin/").content.decode()
    assert 'data-testid="chart-filing-outcomes"' in page and 'data-testid="chart-filing-queue-age"' in page
    assert page.count('data-testid="chart-table"') == 2
    client.force_login(factories.UserFactory(is_staff=True))  # staff without the review permission
    assert 'data-testid="review-charts"' not in client.get("/admin/").content.decode()
