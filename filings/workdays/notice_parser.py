"""Read the State Council's holiday notice (国务院办公厅关于××××年部分节假日安排的通知) as
published, into days off and make-up working days (F9).

Staff paste the notice, whole or just its lines. The lines that matter look like

    一、元旦：1月1日（周三）放假1天，不调休。
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
    三、清明节：4月4日（周五）至6日（周日）放假，共3天。

A clause with 放假 gives days off: the range "A至B" (B may leave out its month: "4月4日至6日")
or the dates it lists; a clause with 上班 lists make-up working days. Every other line
(title, preamble, closing, signature) is ignored. Full-width and half-width punctuation
and digits are read alike (NFKC). The weekday in brackets, when given, is checked against
the date, so a notice pasted under the wrong year is refused instead of saved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OFF = "off"
WORK = "work"

_ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.]\s*")
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\s*\((?P<note>[^)]*)\))?")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RANGE = re.compile(r"至|到|~|-|–|—")
_TITLE_YEAR = re.compile(r"(\d{4})年")
_SIGNATURE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


@dataclass(frozen=True)
class ParsedDay:
    date: date
    kind: str  # "off" or "work"
    name: str = ""
    line: int = 0


@dataclass(frozen=True)
class NoticeHeader:
    """What the pasted text says about itself: its title, the year it is for, its date."""

    title: str = ""
    year: int | None = None
    notice_date: date | None = None


def normalize(text: str) -> str:
    """Full-width brackets, colons, commas and digits → their ASCII forms (NFKC); 。and 、stay."""
    return unicodedata.normalize("NFKC", text or "").replace("\u3000", " ")


def read_header(text: str) -> NoticeHeader:
    title, year, notice_date = "", None, None
    for raw in normalize(text).splitlines():
        line = raw.strip()
        if not title and "通知" in line and "节假日" in line:
            title = line
            found = _TITLE_YEAR.search(line)
            year = int(found.group(1)) if found else None
        signature = _SIGNATURE_DATE.match(line)
        if signature:
            try:
                notice_date = date(*(int(g) for g in signature.groups()))
            except ValueError:
                pass
    return NoticeHeader(title=title, year=year, notice_date=notice_date)


def _clauses(sentence: str) -> list[str]:
    """Comma-separated clauses (commas inside brackets stay): each says 放假 or 上班 of its
    own dates, so "…放假，共8天，9月28日上班" is read right and a stray date is refused."""
    return [c for c in re.split(r",(?![^(]*\))", sentence) if c.strip()]


def _dates_in(clause: str, *, year: int, line_no: int, errors: list[str]) -> list[tuple[int, date]]:
    """Each date of the clause with its position; a date without a month takes the month of
    the date before it ("4月4日至6日")."""
    found: list[tuple[int, date]] = []
    month = None
    for match in _DATE.finditer(clause):
        y = int(match.group("y")) if match.group("y") else year
        month = int(match.group("m")) if match.group("m") else month
        text = match.group(0)
        if month is None:
            errors.append(_("Line %(line)d: “%(text)s” has no month.") % {"line": line_no, "text": text})
            continue
        try:
            day = date(y, month, int(match.group("d")))
        except ValueError:
            errors.append(_("Line %(line)d: “%(text)s” is not a date.") % {"line": line_no, "text": text})
            continue
        note = match.group("note") or ""
        weekday = _WEEKDAY.search(note)
        if weekday and _WEEKDAYS[weekday.group(1)] != day.weekday():
            errors.append(
                _("Line %(line)d: the notice says “%(text)s”, but %(date)s is not that day of the week. Is the year right?")
                % {"line": line_no, "text": text, "date": day.isoformat()}
            )
            continue
        found.append((match.start(), day))
    return found


def _days_off(clause: str, dates: list[tuple[int, date]], *, line_no: int, errors: list[str]) -> list[date]:
    joint = _RANGE.search(clause, dates[0][0]) if len(dates) >= 2 else None
    if joint is None:
        return [day for _, day in dates]
    before = [day for pos, day in dates if pos < joint.start()]
    after = [day for pos, day in dates if pos >= joint.end()]
    if not before or not after:
        return [day for _, day in dates]
    start, end = before[0], after[0]
    listed = before[1:] + after[1:]  # "2月5日至12日、2月14日放假"
    if end < start:
        errors.append(_("Line %(line)d: the range ends before it starts.") % {"line": line_no})
        return []
    if (end - start).days > 31:
        errors.append(_("Line %(line)d: a holiday of more than a month? Check the dates.") % {"line": line_no})
        return []
    return [start + timedelta(days=i) for i in range((end - start).days + 1)] + listed


def parse_notice(text: str, *, year: int) -> list[ParsedDay]:
    """The days the notice gives, in date order. Raises ValidationError listing every line
    it could not read (nothing is half-read)."""
    errors: list[str] = []
    days: dict[date, ParsedDay] = {}
    for line_no, raw in enumerate(normalize(text).splitlines(), start=1):
        line = _ENUMERATOR.sub("", raw.strip())
        if not line or ("放假" not in line and "上班" not in line) or not _DATE.search(line):
            continue  # title, preamble, closing, signature
        name, sep, rest = line.partition(":")
        if not sep or _DATE.search(name):
            name, rest = "", line
        name = name.strip()
        for sentence in re.split(r"[。;]", rest):
            for clause in _clauses(sentence):
                dates = _dates_in(clause, year=year, line_no=line_no, errors=errors)
                if not dates:
                    continue
                if "上班" in clause:
                    kind, listed = WORK, [day for _, day in dates]
                elif "放假" in clause:
                    kind, listed = OFF, _days_off(clause, dates, line_no=line_no, errors=errors)
                else:
                    errors.append(
                        _("Line %(line)d: “%(text)s” names dates but neither 放假 (off) nor 上班 (working).")
                        % {"line": line_no, "text": clause.strip()}
                    )
                    continue
                for day in listed:
                    known = days.get(day)
                    if known is not None and known.kind != kind:
                        errors.append(
                            _("Line %(line)d: %(date)s is given both as a day off and as a working day.")
                            % {"line": line_no, "date": day.isoformat()}
                        )
                    elif known is None:
                        days[day] = ParsedDay(date=day, kind=kind, name=name, line=line_no)
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError(
            _("No days found. Paste the notice's lines, e.g. “春节：1月28日（周二）至2月4日（周二）放假调休，共8天。1月26日（周日）上班。”")
        )
    return sorted(days.values(), key=lambda d: d.date)
