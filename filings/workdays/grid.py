"""A year as twelve month grids (Monday first), for the staff's preview and the year page."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Cell:
    date: date
    state: str  # "off", "work" (make-up working day), "weekend", "weekday"
    name: str = ""
    changed: bool = False

    @property
    def css(self) -> str:
        return f"wd-{self.state}" + (" wd-changed" if self.changed else "")


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell | None]]


def year_grid(year: int, days: dict[date, tuple[str, str]], *, changed: set[date] = frozenset()) -> list[Month]:
    months = []
    for number in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, number):
            row: list[Cell | None] = []
            for day in week:
                if day.month != number:
                    row.append(None)
                    continue
                kind, name = days.get(day, ("", ""))
                state = kind or ("weekend" if day.weekday() >= 5 else "weekday")
                row.append(Cell(date=day, state=state, name=name, changed=day in changed))
            weeks.append(row)
        months.append(Month(number=number, weeks=weeks))
    return months
