"""F9: the latest submission date on the mainland China working-day calendar."""

from datetime import date

import pytest

from filings.calendar import is_working_day, latest_submit_date

# The calendar reads the years platform staff entered first (none here: the package, then the estimate).
pytestmark = pytest.mark.django_db


def test_f9_session_on_monday_after_makeup_sunday():
    # Sun 2025-09-28 is a make-up working day (调休), Sat 09-27 is off.
    result = latest_submit_date(date(2025, 9, 29), lead_working_days=2)
    assert result.date == date(2025, 9, 26)
    assert result.estimated is False


def test_f9_session_after_national_day_holiday():
    # 10-01 … 10-08 are holidays: the two working days before Thu 10-09 are 09-30 and 09-29.
    result = latest_submit_date(date(2025, 10, 9), lead_working_days=2)
    assert result.date == date(2025, 9, 29)
    assert result.estimated is False


def test_f9_makeup_working_day_counts_as_working():
    assert is_working_day(date(2025, 9, 28)) == (True, False)
    assert is_working_day(date(2025, 10, 3)) == (False, False)


def test_f9_plain_weekday_session():
    # Wed 2025-06-11: Tue 06-10 is the 1st working day, Mon 06-09 the 2nd.
    assert latest_submit_date(date(2025, 6, 11), lead_working_days=2).date == date(2025, 6, 9)


def test_f9_lead_days_come_from_the_rule_value():
    assert latest_submit_date(date(2025, 6, 11), lead_working_days=3).date == date(2025, 6, 6)


def test_f9_year_without_calendar_data_falls_back_to_weekdays_as_estimate():
    # 2027 is not in chinese-calendar 1.11: Mon–Fri, marked as an estimate.
    result = latest_submit_date(date(2027, 3, 10), lead_working_days=2)  # a Wednesday
    assert result.date == date(2027, 3, 8)
    assert result.estimated is True
    assert is_working_day(date(2027, 3, 6)) == (False, True)  # Saturday


def test_f9_estimate_when_the_count_crosses_into_a_known_year():
    # Mon 2027-01-04: counting back reaches Thu 2026-12-31 (known) via Fri 2027-01-01 (unknown).
    result = latest_submit_date(date(2027, 1, 4), lead_working_days=2)
    assert result.estimated is True


# --- a year entered by platform staff: read before the package, never an estimate ----------

from datetime import timedelta  # noqa: E402

from filings.calendar import WorkdayCalendar  # noqa: E402
from tests.filings.factories import enter_year  # noqa: E402


def test_f9_entered_year_session_on_monday_after_week_long_holiday():
    enter_year()
    # Spring Festival 2027-02-05 … 02-12 off, Sat 02-13 and Sun 02-14 plain weekend:
    # the two working days before Mon 02-15 are Thu 02-04 and Wed 02-03.
    result = latest_submit_date(date(2027, 2, 15), lead_working_days=2)
    assert result.date == date(2027, 2, 3)
    assert result.estimated is False and result.estimate_note == ""


def test_f9_entered_year_makeup_saturday_after_national_day_counts():
    enter_year()
    # 10-01 … 10-07 off, Fri 10-08 works, Sat 10-09 is a make-up working day.
    assert latest_submit_date(date(2027, 10, 11), lead_working_days=2).date == date(2027, 10, 8)
    assert latest_submit_date(date(2027, 10, 11), lead_working_days=1).date == date(2027, 10, 9)


def test_f9_entered_year_makeup_sunday_counts_as_working_day():
    enter_year()
    assert is_working_day(date(2027, 9, 26)) == (True, False)  # Sunday, 调休上班
    # Tue 09-28: Mon 09-27 is the 1st working day, the make-up Sunday 09-26 the 2nd.
    assert latest_submit_date(date(2027, 9, 28), lead_working_days=2).date == date(2027, 9, 26)


def test_f9_entered_year_session_on_4_january_with_1_to_3_january_off():
    enter_year()
    result = latest_submit_date(date(2027, 1, 4), lead_working_days=2)
    # 01-03, 01-02, 01-01 off; Thu 2026-12-31 and Wed 2026-12-30 (the package's 2026) work.
    assert result.date == date(2026, 12, 30)
    assert result.estimated is False


def test_f9_without_the_entered_year_4_january_is_an_estimate_naming_the_dates():
    result = latest_submit_date(date(2027, 1, 4), lead_working_days=2)
    # Mon–Fri makes Fri 2027-01-01 a working day: 2026-12-31 is the 2nd.
    assert result.date == date(2026, 12, 31)
    assert (result.estimated_from, result.estimated_to) == (date(2027, 1, 1), date(2027, 1, 3))
    assert "2027-01-01" in result.estimate_note and "2027-01-03" in result.estimate_note and "估算" in result.estimate_note


def test_f9_entered_year_plain_days_follow_monday_to_friday():
    enter_year()
    assert is_working_day(date(2027, 3, 10)) == (True, False)  # a Wednesday not in the notice
    assert is_working_day(date(2027, 3, 13)) == (False, False)  # a Saturday not in the notice


def test_f9_staff_calendar_is_read_before_the_package():
    # 2026 is in the package; staff enter it with one more day off (a made-up correction).
    from filings.workdays.notice_parser import parse_notice
    from filings.workdays.services import calendar_year_enter
    from tests.factories import StaffFactory

    assert is_working_day(date(2026, 6, 22)) == (True, False)
    notice = open(__file__.replace("test_calendar.py", "data/notice_2026.txt"), encoding="utf-8").read()
    days = parse_notice(notice + "八、补充：6月22日（周一）放假1天。\n", year=2026)
    calendar_year_enter(year=2026, days=days, source_title="补充通知", source_date=date(2026, 6, 1), by=StaffFactory())
    assert is_working_day(date(2026, 6, 22)) == (False, False)
    # Tue 06-23: Mon 06-22 now off, 06-19 … 06-21 the Dragon Boat holiday: Thu 06-18.
    assert latest_submit_date(date(2026, 6, 23), lead_working_days=1).date == date(2026, 6, 18)


def test_f9_one_calendar_reads_the_entered_years_once(django_assert_num_queries):
    enter_year()
    calendar = WorkdayCalendar()
    with django_assert_num_queries(1):
        for offset in range(60):
            calendar.latest_submit_date(date(2027, 1, 4) + timedelta(days=offset), lead_working_days=2)
