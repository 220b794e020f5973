"""F9: entering and changing a year of the working-day calendar (history, permission, a
stale preview), the promised dates it moves, and the weekly reminder."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Notification
from filings.calendar import latest_submit_date
from filings.models import CalendarChange, CalendarDay, CalendarYear, DeadlineShift, Filing
from filings.tasks import calendar_reminder
from filings.workdays.notice_parser import OFF, WORK, ParsedDay, parse_notice
from filings.workdays.services import calendar_year_enter, calendar_year_preview, year_fingerprint
from tests import factories
from tests.filings.factories import SAMPLE_2027, FilingFactory, enter_year, set_state

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def keeper():
    return factories.StaffFactory(username="platform")


def test_f9_entering_a_year_keeps_each_day_with_its_source_and_who(keeper):
    result = enter_year(by=keeper)
    year = result.calendar_year
    assert result.created and year.year == 2027 and year.entered_by == keeper and not year.is_demo
    day = CalendarDay.objects.get(date=date(2027, 1, 31))
    assert (day.kind, day.name, day.entered_by) == (WORK, "春节", keeper)
    assert (day.source_title, day.source_date) == ("国务院办公厅关于2027年部分节假日安排的通知", date(2026, 11, 1))
    assert CalendarDay.objects.filter(kind=OFF).count() == 3 + 8 + 3 + 5 + 1 + 1 + 7
    # Every day entered is a history row (old “—”, new the day), like the rules registry's.
    assert CalendarChange.objects.count() == CalendarDay.objects.count() == result.changes
    row = CalendarChange.objects.get(date=date(2027, 1, 1))
    assert (row.old_value, row.new_value, row.changed_by) == ("—", "放假（休）：元旦", keeper)


def test_f9_changing_a_year_records_who_when_old_new_and_why(keeper):
    enter_year(by=keeper)
    corrected = SAMPLE_2027.replace("9月26日（周日）、10月9日（周六）上班", "9月25日（周六）、10月9日（周六）上班")
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=SH), tick=False):
        result = enter_year(corrected, by=keeper, source_title="更正通知", source_date=date(2026, 12, 1), reason="国务院更正")
    assert not result.created
    changes = {c.date: (c.old_value, c.new_value, c.reason) for c in CalendarChange.objects.filter(reason="国务院更正")}
    assert changes[date(2027, 9, 26)] == ("调休上班（班）：国庆节", "—", "国务院更正")
    assert changes[date(2027, 9, 25)] == ("—", "调休上班（班）：国庆节", "国务院更正")
    assert "更正通知（2026-12-01）" in changes[None][1]  # the source changed too
    assert CalendarChange.objects.get(date=date(2027, 9, 25)).changed_at == datetime(2026, 12, 2, 10, 0, tzinfo=SH)
    assert not CalendarDay.objects.filter(date=date(2027, 9, 26)).exists()
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).source_title == "更正通知"  # confirmed by the new source


def test_f9_changing_a_year_needs_a_reason(keeper):
    enter_year(by=keeper)
    with pytest.raises(ValidationError, match="请说明修改 2027 年工作日历的原因"):
        enter_year(by=keeper)


def test_f9_supplementary_notice_adds_days_and_keeps_the_rest(keeper):
    enter_year(by=keeper)
    extra = [ParsedDay(date=date(2027, 9, 3), kind=OFF, name="纪念日")]
    calendar_year_enter(year=2027, days=extra, source_title="补充通知", source_date=date(2027, 8, 1), by=keeper, reason="补充", replace=False)
    assert CalendarDay.objects.filter(date=date(2027, 1, 1)).exists()
    assert CalendarDay.objects.get(date=date(2027, 9, 3)).source_title == "补充通知"
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).source_title != "补充通知"


def test_f9_only_platform_staff_keep_the_calendar():
    reviewer = factories.UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied, match="只有平台人员可以维护工作日历"):
        enter_year(by=reviewer)
    assert not CalendarYear.objects.exists()


def test_f9_a_makeup_working_day_on_a_weekday_is_refused(keeper):
    days = [ParsedDay(date=date(2027, 3, 10), kind=WORK)]
    with pytest.raises(ValidationError, match="2027-03-10 是工作日：调休上班日只会是周六或周日"):
        calendar_year_enter(year=2027, days=days, source_title="t", source_date=date(2026, 11, 1), by=keeper)


def test_f9_a_day_of_another_year_is_refused(keeper):
    days = [ParsedDay(date=date(2026, 12, 31), kind=OFF)]
    with pytest.raises(ValidationError, match="2026-12-31 不在 2027 年"):
        calendar_year_enter(year=2027, days=days, source_title="t", source_date=date(2026, 11, 1), by=keeper)


def test_f9_confirming_a_stale_preview_is_refused(keeper):
    days = parse_notice(SAMPLE_2027, year=2027)
    preview = calendar_year_preview(year=2027, days=days)
    enter_year(by=keeper)  # someone else, meanwhile
    with pytest.raises(ValidationError, match="已被他人修改。请重新预览"):
        calendar_year_enter(
            year=2027, days=days, source_title="t", source_date=date(2026, 11, 1), by=keeper, reason="r",
            expected_fingerprint=preview.fingerprint,
        )
    assert preview.fingerprint == "new" and year_fingerprint(CalendarYear.objects.get()) != "new"


# --- dates already promised ----------------------------------------------------------------


def pk_filing(start: datetime, **kwargs) -> Filing:
    creator = factories.CreatorFactory(is_specific=True)
    session = factories.LiveSessionFactory(creator=creator, title="新年专场", scheduled_start=start)
    return FilingFactory(creator=creator, session=session, **kwargs)


def test_f9_entering_a_year_lists_moved_dates_and_tells_each_merchant_the_new_date(keeper):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        moved = pk_filing(datetime(2027, 1, 4, 20, 0, tzinfo=SH), product__title="维生素C")
        unmoved = pk_filing(datetime(2027, 3, 10, 20, 0, tzinfo=SH))  # Wed: Mon–Fri was right
        preview = calendar_year_preview(year=2027, days=parse_notice(SAMPLE_2027, year=2027))
        assert [m.filing.pk for m in preview.moved] == [moved.pk]
        assert Notification.objects.filter(user=moved.product.shop.merchant.user).count() == 0  # a preview tells no one
        result = enter_year(by=keeper)
    shift = DeadlineShift.objects.get()
    assert result.shifts == [shift]
    assert (shift.filing, shift.old_date, shift.old_estimated, shift.new_date) == (moved, date(2026, 12, 31), True, date(2026, 12, 30))
    assert shift.changed_by == keeper and shift.notified_at is not None
    note = Notification.objects.get(user=moved.product.shop.merchant.user)
    assert "最晚提交日已变更" in note.title and "维生素C" in note.body and "2026-12-31 → 2026-12-30" in note.body
    assert not Notification.objects.filter(user=unmoved.product.shop.merchant.user).exists()


def test_f9_merchant_is_told_when_a_submission_is_now_after_the_latest_date(keeper):
    with time_machine.travel(datetime(2026, 12, 31, 10, 0, tzinfo=SH), tick=False):
        filing = set_state(pk_filing(datetime(2027, 1, 4, 20, 0, tzinfo=SH)), Filing.State.UNDER_REVIEW)
        enter_year(by=keeper)
    note = Notification.objects.get(user=filing.product.shop.merchant.user)
    assert "已于 2026-12-31 提交：现已晚于该场直播的最晚提交日" in note.body


def test_f9_one_notification_per_merchant_for_several_moved_filings(keeper):
    merchant = factories.MerchantFactory()
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        for _ in range(3):
            pk_filing(datetime(2027, 1, 4, 20, 0, tzinfo=SH), product__shop__merchant=merchant)
        enter_year(by=keeper)
    assert DeadlineShift.objects.count() == 3
    note = Notification.objects.get(user=merchant.user)
    assert "3 个报备" in note.title


# --- the weekly reminder (beat, October–December) -----------------------------------------


def reminders(user) -> int:
    return Notification.objects.filter(user=user, dedupe_key__startswith="filings-f9-calendar-2027").count()


def run_on(day: date) -> int:
    with time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=SH), tick=False):
        return calendar_reminder()


def test_f9_reminder_goes_to_platform_staff_once_per_iso_week(keeper):
    reviewer = factories.UserFactory(is_staff=True)
    assert run_on(date(2026, 10, 5)) == 1  # Monday
    assert run_on(date(2026, 10, 7)) == 0
    assert run_on(date(2026, 10, 11)) == 0  # Sunday, the same ISO week
    assert reminders(keeper) == 1
    assert run_on(date(2026, 10, 12)) == 1  # the next week
    assert reminders(keeper) == 2 and reminders(reviewer) == 0
    note = Notification.objects.filter(user=keeper).first()
    assert "请录入 2027 年放假安排" == note.title and "/admin/filings/calendaryear/enter/?year=2027" == note.url


def test_f9_reminder_stops_once_the_year_is_entered(keeper):
    assert run_on(date(2026, 11, 2)) == 1
    enter_year(by=keeper)
    assert run_on(date(2026, 11, 9)) == 0


def test_f9_demo_data_does_not_silence_the_reminder(keeper):
    enter_year(by=keeper, is_demo=True)
    assert run_on(date(2026, 12, 7)) == 1
    assert "只有演示数据" in Notification.objects.get(user=keeper, dedupe_key__isnull=False).body


def test_f9_no_reminder_before_october_or_when_the_package_has_next_year(keeper):
    assert run_on(date(2026, 9, 28)) == 0  # September
    assert run_on(date(2025, 10, 6)) == 0  # 2026 is in chinese-calendar 1.11


def test_f9_estimate_disappears_once_the_year_is_entered(keeper):
    assert latest_submit_date(date(2027, 1, 4), lead_working_days=2).estimated
    enter_year(by=keeper)
    assert not latest_submit_date(date(2027, 1, 4), lead_working_days=2).estimated
