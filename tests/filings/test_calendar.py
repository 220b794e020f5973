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
