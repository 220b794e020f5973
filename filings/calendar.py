"""F9: the mainland China working-day calendar (weekends and statutory holidays off,
make-up working days 调休 on), asked in this order:

1. the years platform staff entered in the admin (`filings.workdays`): the State Council
   publishes each year's schedule in the autumn before, and the platform cannot wait for
   a package release;
2. the `chinese-calendar` package (a newer release with more years needs no code change);
3. Monday–Friday, marked as an estimate with the dates it had to guess (RULES.md F9, ours).

`WorkdayCalendar` reads the entered years once per year it is asked about, so a page of
filings costs one query however many dates it counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

STAFF = "staff"
PACKAGE = "package"
ESTIMATE = "estimate"


def package_covers(year: int) -> bool:
    """Does the installed chinese-calendar release hold the State Council's data for `year`?"""
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class LatestDate:
    """The latest submission date for a session, and the dates the calendar had to guess."""

    date: date
    estimated_from: date | None = None
    estimated_to: date | None = None

    @property
    def estimated(self) -> bool:
        return self.estimated_from is not None

    @property
    def estimate_note(self) -> str:
        """F9 (ours): says plainly which dates were counted Monday–Friday."""
        if not self.estimated:
            return ""
        if self.estimated_from == self.estimated_to:
            return _("Estimate: the working-day calendar has no data for %(date)s yet, so it was counted as Monday–Friday.") % {
                "date": self.estimated_from.isoformat()
            }
        return _(
            "Estimate: the working-day calendar has no data for %(start)s to %(end)s yet, so those days were counted as Monday–Friday."
        ) % {"start": self.estimated_from.isoformat(), "end": self.estimated_to.isoformat()}


class WorkdayCalendar:
    """The calendar as F9 reads it. `entered` overrides the database for some years
    ({year: {date: "off" | "work"}}, or None for "not entered"): the admin's preview counts
    with the year being entered before it is saved."""

    def __init__(self, *, entered: dict[int, dict[date, str] | None] | None = None) -> None:
        self._entered: dict[int, dict[date, str] | None] = dict(entered or {})

    def preload(self, years: Iterable[int]) -> WorkdayCalendar:
        """Read the entered years among `years` in one query."""
        from filings.workdays.models import CalendarYear

        missing = {y for y in years if y not in self._entered}
        if not missing:
            return self
        for year in missing:
            self._entered[year] = None
        for year, day, kind in CalendarYear.objects.filter(year__in=missing).values_list("year", "days__date", "days__kind"):
            days = self._entered[year]
            if days is None:
                days = self._entered[year] = {}
            if day is not None:
                days[day] = kind
        return self

    def entered_days(self, year: int) -> dict[date, str] | None:
        self.preload([year])
        return self._entered[year]

    def source_for_year(self, year: int) -> str:
        if self.entered_days(year) is not None:
            return STAFF
        return PACKAGE if package_covers(year) else ESTIMATE

    def day(self, day: date) -> tuple[bool, str]:
        """(is it a working day, which source said so)."""
        entered = self.entered_days(day.year)
        if entered is not None:
            kind = entered.get(day)
            return (day.weekday() < 5 if kind is None else kind == "work"), STAFF
        try:
            return chinese_calendar.is_workday(day), PACKAGE
        except NotImplementedError:
            # F9 (ours): no data for this year yet → Monday–Friday, marked as an estimate.
            return day.weekday() < 5, ESTIMATE

    def latest_submit_date(self, session_date: date, *, lead_working_days: int) -> LatestDate:
        """F9: the `lead_working_days`-th working day strictly before `session_date`.

        A submission at any time on that date is in time."""
        self.preload([session_date.year, session_date.year - 1])
        day = session_date
        found = 0
        guessed: list[date] = []
        while found < max(lead_working_days, 1):
            day -= timedelta(days=1)
            working, source = self.day(day)
            if source == ESTIMATE:
                guessed.append(day)
            if working:
                found += 1
        if not guessed:
            return LatestDate(date=day)
        return LatestDate(date=day, estimated_from=min(guessed), estimated_to=max(guessed))


def is_working_day(day: date, *, calendar: WorkdayCalendar | None = None) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate)."""
    working, source = (calendar or WorkdayCalendar()).day(day)
    return working, source == ESTIMATE


def latest_submit_date(session_date: date, *, lead_working_days: int, calendar: WorkdayCalendar | None = None) -> LatestDate:
    return (calendar or WorkdayCalendar()).latest_submit_date(session_date, lead_working_days=lead_working_days)


def working_day_test():
    """F9's calendar as one question, "is this date a working day?", for core.workdays (AP2's
    due date on every domain). A fresh calendar per computation reads each year once."""
    calendar = WorkdayCalendar()
    return lambda day: calendar.day(day)[0]
