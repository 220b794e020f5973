"""Working days for every domain (RULES.md F9's calendar), through a registry.

The calendar itself (staff-entered years, the chinese-calendar package, the Monday–Friday
estimate) belongs to filings (filings.calendar), which registers it here from its
AppConfig.ready(). Other domains (AP2: the appeal decision is due in 3 working days, on
samples as on filings) ask this module and never import filings: one calendar, one truth,
domains independent. Without a registered calendar (a domain-less test) Monday–Friday is
counted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.registry import registry

# A factory returning "is this date a working day?"; one factory call per computation, so
# a calendar that reads the database can read each year once.
CalendarFactory = Callable[[], Callable[[date], bool]]

_calendar = registry("workdays.calendar", replace=True)


def register_calendar(factory: CalendarFactory) -> None:
    _calendar.add(factory, key="calendar")


def _weekdays() -> Callable[[date], bool]:
    return lambda day: day.weekday() < 5


def working_day_test() -> Callable[[date], bool]:
    return _calendar.get("calendar", _weekdays)()


def end_of_working_days_after(moment: datetime, n: int) -> datetime:
    """The end of the `n`-th working day after the (platform-time) day of `moment`: the
    instant the next day starts. Due "within 3 working days" of a Monday means by the end
    of Thursday (with no holiday): in time while now < Friday 00:00."""
    is_working = working_day_test()
    day = timezone.localtime(moment).date()
    found = 0
    for _ in range(366):
        day += timedelta(days=1)
        if is_working(day):
            found += 1
            if found >= max(n, 1):
                break
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
