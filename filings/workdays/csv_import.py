"""A year's days as a small CSV (F9): one day a line, `date,kind[,name]`.

    date,kind,name
    2027-01-01,off,元旦
    2027-01-31,work,春节

`kind` is `off` / `work`, or in Chinese 休 / 放假 and 班 / 上班. A header line and lines
starting with # are skipped. UTF-8 (with or without a BOM) or GB18030, as spreadsheet
programs on Chinese systems save it. The same format carries the parsed days from the
preview page to the confirmation, where they are checked again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.csv_cells import csv_writer, read_cell
from filings.workdays.notice_parser import OFF, WORK, ParsedDay

MAX_BYTES = 64 * 1024
MAX_ROWS = 400

KINDS = {
    "off": OFF, "holiday": OFF, "休": OFF, "放假": OFF, "休息": OFF,
    "work": WORK, "workday": WORK, "班": WORK, "上班": WORK,
}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large: a year's calendar is a few dozen lines (at most 64 KB)."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not text in UTF-8 or GB18030: save it as CSV (UTF-8)."))


def parse_csv(text: str) -> list[ParsedDay]:
    """The days of the CSV in date order; ValidationError lists every bad line."""
    errors: list[str] = []
    days: dict[date, ParsedDay] = {}
    rows = 0
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line_no == 1 and cells[0].lower() in ("date", "日期"):
            continue
        rows += 1
        if rows > MAX_ROWS:
            errors.append(_("More than %(n)d days: a year's calendar is much shorter.") % {"n": MAX_ROWS})
            break
        if len(cells) not in (2, 3):
            errors.append(_("Line %(line)d: expected “date,kind” or “date,kind,name”.") % {"line": line_no})
            continue
        found = _DATE.match(cells[0])
        try:
            day = date(*(int(g) for g in found.groups())) if found else None
        except ValueError:
            day = None
        if day is None:
            errors.append(_("Line %(line)d: “%(text)s” is not a date like 2027-01-01.") % {"line": line_no, "text": cells[0]})
            continue
        kind = KINDS.get(cells[1].lower())
        if kind is None:
            errors.append(_("Line %(line)d: the kind must be off (休) or work (班), not “%(text)s”.") % {"line": line_no, "text": cells[1]})
            continue
        if day in days and days[day].kind != kind:
            errors.append(_("Line %(line)d: %(date)s is given both as a day off and as a working day.") % {"line": line_no, "date": day.isoformat()})
            continue
        days.setdefault(day, ParsedDay(date=day, kind=kind, name=read_cell(cells[2] if len(cells) == 3 else "")[:50], line=line_no))
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError(_("No days found in the file: one line per day, “date,kind[,name]”."))
    return sorted(days.values(), key=lambda d: d.date)


def to_csv(days: Iterable[ParsedDay]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")  # a name like "=..." is not a formula (#23)
    for day in days:
        writer.writerow([day.date.isoformat(), day.kind, day.name])
    return out.getvalue()
