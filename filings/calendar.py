"""F9: the mainland China working-day calendar (weekends and statutory holidays off,
make-up working days 调休 on). The `chinese_calendar` package holds the State
Council's data; for a year it has no data for yet, we count Monday–Friday and say the
result is an estimate. A newer package release with more years needs no code change:
we ask it first and only fall back when it says it does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate)."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        # F9 (ours): no official data for this year yet → Monday–Friday, marked as an estimate.
        return day.weekday() < 5, True


@dataclass(frozen=True)
class LatestDate:
    """The latest submission date for a session, and whether the calendar had to guess."""

    date: date
    estimated: bool


def latest_submit_date(session_date: date, *, lead_working_days: int) -> LatestDate:
    """F9: the `lead_working_days`-th working day strictly before `session_date`.

    A submission at any time on that date is in time.
    """
    day = session_date
    found = 0
    estimated = False
    while found < max(lead_working_days, 1):
        day -= timedelta(days=1)
        working, guessed = is_working_day(day)
        estimated = estimated or guessed
        if working:
            found += 1
    return LatestDate(date=day, estimated=estimated)
