"""#22.3: each reviewers' queue shows every item's time left and sorts by it, the one due
soonest first, and "next" after a decision follows the same order: the filing queue by F9
(the start of the session the filing's latest date is for), V9's not-arrived holds by the
reviewer's decision due (rule sample_not_arrived_decide_working_days on F9's calendar), the
appeals by AP2's 3 working days. The boundary: one second before the deadline the item is
in time (1 minute left, never 0), at the deadline it is overdue."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.admin_base import time_left
from filings.models import Filing
from samples.models import SampleRequest
from samples.services import shipping
from tests import factories
from tests.filings.factories import FilingFactory, set_state
from tests.samples.factories import T0, H, reload, shipped_at, travel

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SECOND = timedelta(seconds=1)
FILINGS = "/admin/filings/filing/"
SAMPLES = "/admin/samples/samplerequest/"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def rows(html: str, base: str) -> list[int]:
    """The ids of the changelist's rows, top to bottom."""
    return [int(pk) for pk in re.findall(rf'<a href="{re.escape(base)}(\d+)/change/', html)]


def left_of(html: str, pk: int, base: str) -> str:
    """The time-left cell's text on the row of `pk`."""
    row = re.search(rf'{re.escape(base)}{pk}/change/.*?</tr>', html, re.S).group(0)
    cell = re.search(r'data-time-left="[^"]*"[^>]*>([^<]*)<', row)
    return cell.group(1) if cell else ""


# --- the text ------------------------------------------------------------------------------


def test_22_time_left_reads_days_hours_minutes_and_overdue_at_the_deadline():
    due = T0 + 27 * H
    assert ">剩余 1 天 3 小时<" in time_left(due, T0)
    assert ">剩余 2 小时 5 分钟<" in time_left(due, due - 2 * H - timedelta(minutes=5))
    assert ">剩余 1 分钟<" in time_left(due, due - SECOND)  # in time: never "0 minutes"
    assert ">已超期<" in time_left(due, due) and 'class="errornote"' in time_left(due, due)
    assert time_left(None, T0) == "—"


# --- F9: the filing queue --------------------------------------------------------------------


def waiting_filing(title: str, submitted_at, session_start=None) -> Filing:
    filing = set_state(FilingFactory(product__title=title), Filing.State.UNDER_REVIEW, submitted_at=submitted_at)
    if session_start is not None:
        factories.LiveSessionFactory(creator=filing.creator, scheduled_start=session_start)
    return filing


def test_22_f9_the_filing_queue_sorts_by_the_session_deadline_and_shows_the_time_left(staff_client):
    with travel(T0):
        later = waiting_filing("和田玉吊坠", T0 - 30 * H, session_start=T0 + 3 * 24 * H)
        soon = waiting_filing("翡翠手镯", T0 - 2 * H, session_start=T0 + 24 * H)
        no_session = waiting_filing("南红手串", T0 - 50 * H)  # waited longest, but nothing is due
        html = staff_client.get(FILINGS).content.decode()
    assert rows(html, FILINGS) == [soon.pk, later.pk, no_session.pk]
    assert left_of(html, soon.pk, FILINGS) == "剩余 1 天 0 小时"
    assert left_of(html, later.pk, FILINGS) == "剩余 3 天 0 小时"
    assert left_of(html, no_session.pk, FILINGS) == ""  # "—": no session ahead
    with travel(T0 + 24 * H - SECOND):
        html = staff_client.get(FILINGS).content.decode()
    assert left_of(html, soon.pk, FILINGS) == "剩余 1 分钟"
    with travel(T0 + 24 * H):
        html = staff_client.get(FILINGS).content.decode()
    assert left_of(html, soon.pk, FILINGS) == "已超期" and rows(html, FILINGS)[0] == soon.pk


def test_22_f9_next_after_a_decision_is_the_filing_due_soonest_not_the_oldest(staff_client):
    with travel(T0):
        oldest = waiting_filing("南红手串", T0 - 50 * H)
        soon = waiting_filing("翡翠手镯", T0 - 2 * H, session_start=T0 + 24 * H)
        later = waiting_filing("和田玉吊坠", T0 - H, session_start=T0 + 48 * H)
        resp = staff_client.post(f"{FILINGS}{soon.pk}/decision/approve/", {"reason": ""})
        assert resp["Location"] == f"{FILINGS}{later.pk}/change/"
        resp = staff_client.post(f"{FILINGS}{later.pk}/decision/approve/", {"reason": ""})
        assert resp["Location"] == f"{FILINGS}{oldest.pk}/change/"


# --- V9: samples reported not arrived --------------------------------------------------------


def reported(shipped, reported_at) -> SampleRequest:
    sample = shipped_at(shipped)
    with travel(reported_at):
        return shipping.sample_request_report_not_arrived(sample=sample, by=sample.creator.user)


def test_22_v9_the_reviewers_decision_is_due_two_working_days_after_the_report():
    sample = reported(T0 - 24 * H, T0)  # Tuesday 1 December 2026, 10:00
    assert sample.not_arrived_decide_by == datetime(2026, 12, 4, 0, 0, tzinfo=SH)  # the end of Thursday
    with travel(T0 + H):
        shipping.sample_request_reship(sample=sample, by=sample.merchant.user, carrier="sf", tracking_number="SF999999999999")
    assert reload(sample).not_arrived_decide_by is None  # the hold ended: nothing due from the reviewer


def test_22_v9_the_held_queue_sorts_by_the_decision_due_and_shows_the_time_left(staff_client):
    first_due = reported(T0 - 6 * 24 * H, T0 - 24 * H)  # asked earlier, reported Monday: due Thursday 00:00
    second_due = reported(T0 - 3 * 24 * H, T0)  # asked later, reported Tuesday: due Friday 00:00
    due = first_due.not_arrived_decide_by
    assert due == datetime(2026, 12, 3, 0, 0, tzinfo=SH) and second_due.not_arrived_decide_by == due + 24 * H
    with travel(T0):
        everything = staff_client.get(SAMPLES).content.decode()
        held = staff_client.get(SAMPLES + "?deadline=held").content.decode()
    assert rows(everything, SAMPLES) == [second_due.pk, first_due.pk]  # the full list: newest request first
    assert rows(held, SAMPLES) == [first_due.pk, second_due.pk]  # the V9 queue: due first
    # and the headers' sort arrows say so: not "by request time" where the rows are by due
    assert "column-requested_short sorted" in everything and "column-requested_short sorted" not in held
    with travel(due - SECOND):
        html = staff_client.get(SAMPLES + "?deadline=held").content.decode()
    assert left_of(html, first_due.pk, SAMPLES) == "剩余 1 分钟"
    with travel(due):
        html = staff_client.get(SAMPLES + "?deadline=held").content.decode()
        assert left_of(html, first_due.pk, SAMPLES) == "已超期"
        assert left_of(html, second_due.pk, SAMPLES) == "剩余 1 天 0 小时"
        # "next" after a decision follows the queue's order
        resp = staff_client.post(f"{SAMPLES}{first_due.pk}/decision/not_arrived_received/", {"reason": "物流签收记录完整"})
    assert resp["Location"] == f"{SAMPLES}{second_due.pk}/change/"


# --- the lists' cost: a fixed number of queries, whatever the queue's length -----------------


def test_22_the_queues_with_their_time_left_cost_the_same_queries_with_few_and_many_items(admin_client):
    from tests.test_list_queries import grows_flat

    counter = iter(range(1000))

    def held():
        n = next(counter)
        reported(T0 - 6 * 24 * H + n * H, T0 - 24 * H + n * H)

    def due_filing():
        n = next(counter)
        waiting_filing(f"商品{n}", T0 - n * H, session_start=T0 + (24 + n) * H)

    with travel(T0):
        at_few, at_more = grows_flat(admin_client, SAMPLES + "?deadline=held", held)
        assert at_few == at_more
        at_few, at_more = grows_flat(admin_client, FILINGS, due_filing)
        assert at_few == at_more
