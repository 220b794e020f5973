"""F9 in the workspaces: staff enter a year in the admin (paste or CSV → month-grid preview →
confirm), bad input is a 4xx with a Chinese message, reviewers see the moved dates, and
wherever Monday–Friday was counted the task list, the filing page and the queue say so."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.models import CalendarDay, CalendarYear, DeadlineShift
from tests import factories
from tests.filings.factories import SAMPLE_2027, FilingFactory, enter_year

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
ENTER = "/admin/filings/calendaryear/enter/"
NOTICE_2025 = (Path(__file__).parent / "data" / "notice_2025.txt").read_text(encoding="utf-8")


@pytest.fixture
def keeper_client(client):
    client.force_login(factories.StaffFactory(username="platform"))
    return client


@pytest.fixture
def reviewer_client(client):
    """A reviewer as the demo sets one up: every filings permission but keeping the calendar."""
    user = factories.UserFactory(username="reviewer", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Platform reviewers")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["filings", "shops"]).exclude(
            codename__in=["add_calendaryear", "change_calendaryear", "delete_calendaryear"]
        )
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def preview(client, **data):
    return client.post(ENTER, {"mode": "replace", **data})


def test_f9_pasting_the_notice_shows_a_month_grid_and_saves_nothing_yet(keeper_client):
    resp = preview(keeper_client, text=NOTICE_2025)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'data-date="2025-01-28" data-state="off"' in page and 'data-date="2025-01-26" data-state="work"' in page
    assert 'data-date="2025-03-03" data-state="weekday"' in page
    assert "国务院办公厅关于2025年部分节假日安排的通知" in page and "2024-11-12" in page  # read from the notice
    assert "放假 28 天，调休上班 5 天" in page
    assert not CalendarYear.objects.exists()


def test_f9_confirming_the_preview_enters_the_year(keeper_client):
    confirm = preview(keeper_client, text=SAMPLE_2027, year="2027", source_title="演示", source_date="2026-11-01").context["confirm_form"]
    data = {name: field.value() for name, field in ((f.name, f) for f in confirm)}
    resp = keeper_client.post(ENTER, {**{k: v for k, v in data.items() if v is not None}, "confirm": "1"})
    year = CalendarYear.objects.get(year=2027)
    assert resp.status_code == 302 and resp.url == f"/admin/filings/calendaryear/{year.pk}/change/"
    assert CalendarDay.objects.filter(calendar_year=year).count() == 34
    page = keeper_client.get(resp.url).content.decode()
    assert 'data-date="2027-09-26" data-state="work"' in page and "已保存" in page


def test_f9_csv_upload_previews_and_confirms(keeper_client):
    upload = SimpleUploadedFile("2027.csv", "date,kind,name\n2027-01-01,off,元旦\n2027-01-31,work,春节\n".encode("gb18030"), "text/csv")
    resp = preview(keeper_client, csv_file=upload, year="2027", source_title="t", source_date="2026-11-01")
    assert resp.status_code == 200 and 'data-date="2027-01-31" data-state="work"' in resp.content.decode()


def test_f9_changing_a_year_shows_the_differences_and_needs_a_reason(keeper_client):
    enter_year()
    text = SAMPLE_2027.replace("9月26日（周日）、", "")
    resp = preview(keeper_client, text=text, year="2027", source_title="更正", source_date="2026-12-01")
    assert resp.status_code == 400 and "请说明修改 2027 年工作日历的原因" in resp.content.decode()
    resp = preview(keeper_client, text=text, year="2027", source_title="更正", source_date="2026-12-01", reason="更正")
    page = resp.content.decode()
    assert resp.status_code == 200 and "2027-09-26" in page and "调休上班（班）：国庆节" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请粘贴通知（或 CSV 行），或上传 CSV 文件。"),
        ({"text": "国务院办公厅关于2027年部分节假日安排的通知\n各地区要安排好值班。", "source_date": "2026-11-01"}, "没有找到日期"),
        ({"text": "春节：1月28日（农历除夕、周二）至2月4日放假。", "year": "2026", "source_title": "t", "source_date": "2025-11-01"}, "并不是该星期几"),
        ({"text": "2027-02-30,off", "year": "2027", "source_title": "t", "source_date": "2026-11-01"}, "不是 2027-01-01 这样的日期"),
        ({"text": "元旦：1月1日放假。", "source_title": "t", "source_date": "2026-11-01"}, "请填写年份"),
        ({"text": "2027-03-10,work", "year": "2027", "source_title": "t", "source_date": "2026-11-01"}, "调休上班日只会是周六或周日"),
        ({"text": "元旦：1月1日放假。", "year": "1900", "source_title": "t", "source_date": "2026-11-01"}, "2000"),
    ],
)
def test_f9_bad_input_is_refused_with_a_clear_message_and_a_400(keeper_client, data, message):
    resp = preview(keeper_client, **data)
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not CalendarYear.objects.exists()


def test_f9_a_tampered_or_stale_confirmation_is_refused_with_4xx(keeper_client):
    base = {"year": "2027", "source_title": "t", "source_date": "2026-11-01", "mode": "replace", "confirm": "1"}
    resp = keeper_client.post(ENTER, {**base, "days": "2027-03-10,work\n", "fingerprint": "new"})
    assert resp.status_code == 400 and "调休上班日只会是周六或周日" in resp.content.decode()
    enter_year()
    resp = keeper_client.post(ENTER, {**base, "days": "2027-01-01,off,元旦\n", "fingerprint": "new", "reason": "r"})
    assert resp.status_code == 409 and "请重新预览" in resp.content.decode()


def test_f9_reviewers_read_the_calendar_but_cannot_enter_it(reviewer_client):
    enter_year()
    assert reviewer_client.get(ENTER).status_code == 403
    assert reviewer_client.post(ENTER, {"text": SAMPLE_2027}).status_code == 403
    listing = reviewer_client.get("/admin/filings/calendaryear/")
    assert listing.status_code == 200 and "录入年份" not in listing.content.decode()
    year = CalendarYear.objects.get()
    page = reviewer_client.get(f"/admin/filings/calendaryear/{year.pk}/change/").content.decode()
    assert "变更记录" in page and 'data-state="off"' in page and "修改该年份" not in page


def test_f9_year_list_says_what_f9_reads_for_each_year(keeper_client):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=SH), tick=False):
        page = keeper_client.get("/admin/filings/calendaryear/").content.decode()
    assert "<td>2026</td><td>chinese-calendar 软件包</td>" in page
    assert "<td>2027</td><td>无数据：按周一至周五估算</td>" in page


def test_f9_demo_year_is_labelled(keeper_client):
    year = enter_year(is_demo=True).calendar_year
    assert "演示数据，非正式安排" in keeper_client.get("/admin/filings/calendaryear/").content.decode()
    assert 'data-testid="demo-label"' in keeper_client.get(f"/admin/filings/calendaryear/{year.pk}/change/").content.decode()


def test_f9_reviewers_see_the_moved_dates(reviewer_client):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        creator = factories.CreatorFactory(is_specific=True)
        session = factories.LiveSessionFactory(creator=creator, scheduled_start=datetime(2027, 1, 4, 20, 0, tzinfo=SH))
        filing = FilingFactory(creator=creator, session=session, product__title="维生素C")
        enter_year()
        page = reviewer_client.get("/admin/filings/deadlineshift/").content.decode()
    assert DeadlineShift.objects.filter(filing=filing).exists()
    assert "维生素C" in page and "2026-12-31" in page and "2026-12-30" in page and "估算" in page


# --- the estimate, marked where a merchant or a reviewer reads a date ---------------------------


@pytest.fixture
def new_year_filing():
    merchant = factories.MerchantFactory()
    creator = factories.CreatorFactory(is_specific=True)
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        factories.LiveSessionFactory(creator=creator, title="新年专场", scheduled_start=datetime(2027, 1, 4, 20, 0, tzinfo=SH))
    return FilingFactory(creator=creator, product__shop__merchant=merchant)


def test_f9_estimate_with_its_dates_on_the_task_list_and_filing_page(client, new_year_filing):
    client.force_login(new_year_filing.product.shop.merchant.user)
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        for url in ("/merchant/filings/", f"/merchant/filings/{new_year_filing.pk}/"):
            page = client.get(url).content.decode()
            assert "新年专场" in page and "2026-12-31" in page
            assert "估算：工作日历尚无 2027-01-01 至 2027-01-03 的放假安排" in page, url
        enter_year()
        page = client.get("/merchant/filings/").content.decode()
    assert "2026-12-30" in page and "估算" not in page


def test_f9_estimate_with_its_dates_in_the_reviewers_queue(reviewer_client, new_year_filing):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        queue = reviewer_client.get("/admin/filings/filing/?state=all").content.decode()
        change = reviewer_client.get(f"/admin/filings/filing/{new_year_filing.pk}/change/").content.decode()
    for page in (queue, change):
        assert "新年专场" in page and "2026-12-31" in page
        assert "估算：工作日历尚无 2027-01-01 至 2027-01-03 的放假安排" in page


def test_f9_queue_with_dates_has_no_n_plus_one(reviewer_client, django_assert_max_num_queries):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        for _ in range(15):
            creator = factories.CreatorFactory(is_specific=True)
            factories.LiveSessionFactory(creator=creator, scheduled_start=datetime(2027, 1, 4, 20, 0, tzinfo=SH))
            FilingFactory(creator=creator)
        enter_year()
        with django_assert_max_num_queries(20):
            assert reviewer_client.get("/admin/filings/filing/").status_code == 200


def test_f9_entering_a_year_notifies_merchants_of_moved_dates_end_to_end(keeper_client, new_year_filing):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        confirm = preview(keeper_client, text=SAMPLE_2027, year="2027", source_title="t", source_date="2026-11-01").context
        assert [m.filing.pk for m in confirm["preview"].moved] == [new_year_filing.pk]
        data = {f.name: f.value() for f in confirm["confirm_form"]}
        resp = keeper_client.post(ENTER, {**{k: v for k, v in data.items() if v is not None}, "confirm": "1"})
    assert resp.status_code == 302 and resp.url.startswith("/admin/filings/deadlineshift/")
    assert new_year_filing.product.shop.merchant.user.notifications.filter(body__contains="2026-12-30").exists()
    assert date(2026, 12, 30) == DeadlineShift.objects.get().new_date
