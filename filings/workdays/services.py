"""Every write of the working-day calendar (F9): entering or changing a year (with its
history, the promised dates it moves and the merchants told), and the yearly reminder.
Keyword-only and atomic, like every service."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import notify, platform_text
from filings.calendar import LatestDate, WorkdayCalendar, package_covers
from filings.models import Filing
from filings.timing import attach_deadlines, lead_working_days, local_date
from filings.workdays.models import FIRST_YEAR, LAST_YEAR, CalendarChange, CalendarDay, CalendarYear, DayKind, DeadlineShift
from filings.workdays.notice_parser import WORK, ParsedDay
from shops.models import LiveSession

KEEP_PERMISSION = "filings.change_calendaryear"
BATCH = 500


class CalendarChangedMeanwhile(ValidationError):
    """The year changed between the staff member's preview and their confirmation."""


def can_keep_calendar(user) -> bool:
    """Platform staff who keep the calendar; reviewers only read it."""
    return bool(user and user.is_active and user.is_staff and user.has_perm(KEEP_PERMISSION))


def calendar_keepers():
    User = get_user_model()
    return User.objects.with_perm(KEEP_PERMISSION, backend="django.contrib.auth.backends.ModelBackend").filter(
        is_staff=True, is_active=True
    ).order_by("pk")


# ---------------------------------------------------------------------------------------
# Reading a year and what a change would do


def check_days(*, year: int, days: list[ParsedDay]) -> None:
    """The checks every year passes, from the notice, the CSV or the preview's round trip."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_("Enter a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    errors = []
    seen: set[date] = set()
    for day in days:
        if day.date.year != year:
            errors.append(_("%(date)s is not in %(year)d: enter it with that year.") % {"date": day.date.isoformat(), "year": year})
        elif day.kind == WORK and day.date.weekday() < 5:
            errors.append(
                _("%(date)s is a weekday: a make-up working day (调休上班) falls on a Saturday or Sunday.") % {"date": day.date.isoformat()}
            )
        elif day.date in seen:
            errors.append(_("%(date)s is given twice.") % {"date": day.date.isoformat()})
        seen.add(day.date)
    if errors:
        raise ValidationError(errors)


def _rows(calendar_year: CalendarYear | None) -> dict[date, tuple[str, str]]:
    if calendar_year is None:
        return {}
    return {d: (k, n) for d, k, n in calendar_year.days.values_list("date", "kind", "name")}


def year_fingerprint(calendar_year: CalendarYear | None) -> str:
    """What the preview was computed against; confirming refuses if the year changed since."""
    if calendar_year is None:
        return "new"
    text = "|".join(
        [calendar_year.source_title, calendar_year.source_date.isoformat(), str(calendar_year.is_demo)]
        + [f"{d.isoformat()},{k},{n}" for d, (k, n) in sorted(_rows(calendar_year).items())]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _final_days(existing: dict[date, tuple[str, str]], days: list[ParsedDay], *, replace: bool) -> dict[date, tuple[str, str]]:
    final = {} if replace else dict(existing)
    final.update({d.date: (d.kind, d.name) for d in days})
    return final


@dataclass(frozen=True)
class MovedDate:
    """A filing whose promised F9 date moves with the change."""

    filing: Filing
    session: LiveSession
    old: LatestDate
    new: LatestDate


def moved_dates(*, year: int, new_days: dict[date, str]) -> list[MovedDate]:
    """Filings whose latest date (for the session the task list shows them) moves if `year`
    held `new_days`. Only sessions in that year or early the next can count back into it."""
    lead = lead_working_days()
    before = WorkdayCalendar()
    after = WorkdayCalendar(entered={year: new_days})
    moved: list[MovedDate] = []
    qs = Filing.objects.select_related("product__shop__merchant__user", "creator", "session").order_by("pk")
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return moved
        last_pk = batch[-1].pk
        attach_deadlines(batch, calendar=before, lead=lead)
        for filing in batch:
            deadline = filing.deadline
            if deadline is None or local_date(deadline.session.scheduled_start).year not in (year, year + 1):
                continue
            new = after.latest_submit_date(local_date(deadline.session.scheduled_start), lead_working_days=lead)
            if new.date != deadline.latest.date:
                moved.append(MovedDate(filing=filing, session=deadline.session, old=deadline.latest, new=new))


@dataclass
class YearPreview:
    """What confirming would do: the days, the difference from what is entered, the moved dates."""

    year: int
    existing: CalendarYear | None
    days: dict[date, tuple[str, str]]
    added: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    moved: list[MovedDate] = field(default_factory=list)
    fingerprint: str = ""


def calendar_year_preview(*, year: int, days: list[ParsedDay], replace: bool = True) -> YearPreview:
    check_days(year=year, days=days)
    existing = CalendarYear.objects.filter(year=year).first()
    old = _rows(existing)
    final = _final_days(old, days, replace=replace)
    return YearPreview(
        year=year, existing=existing, days=final,
        added=sorted(set(final) - set(old)), removed=sorted(set(old) - set(final)),
        changed=sorted(d for d in set(final) & set(old) if final[d] != old[d]),
        moved=moved_dates(year=year, new_days={d: k for d, (k, _n) in final.items()}),
        fingerprint=year_fingerprint(existing),
    )


# ---------------------------------------------------------------------------------------
# Entering or changing a year


def describe_day(value: tuple[str, str] | None) -> str:
    if value is None:
        return "—"
    kind, name = value
    label = str(DayKind(kind).label)
    return f"{label}：{name}" if name else label


def _describe_source(title: str, on: date, is_demo: bool) -> str:
    text = f"{title}（{on.isoformat()}）"
    return text + _("(demo data, not the official schedule)") if is_demo else text


@dataclass
class YearEntryResult:
    calendar_year: CalendarYear
    created: bool
    changes: int
    shifts: list[DeadlineShift]


def calendar_year_enter(
    *, year: int, days: list[ParsedDay], source_title: str, source_date: date, by, reason: str = "",
    replace: bool = True, is_demo: bool = False, expected_fingerprint: str | None = None,
) -> YearEntryResult:
    """Enter a year of the working-day calendar, or change an entered one (F9).

    `replace` makes the year exactly `days`; otherwise `days` are added or changed and the
    rest kept (a supplementary notice). Each day that changes is recorded (who, when, old,
    new, why); filings whose promised latest date moves are recorded for the reviewers and
    their merchants told the new date."""
    if not can_keep_calendar(by):
        raise PermissionDenied(_("Only platform staff may keep the working-day calendar."))
    source_title, reason = (source_title or "").strip(), (reason or "").strip()
    if not source_title or source_date is None:
        raise ValidationError(_("Give the source: the notice's title and date."))
    check_days(year=year, days=days)
    now = timezone.now()
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if expected_fingerprint is not None and expected_fingerprint != year_fingerprint(calendar_year):
            raise CalendarChangedMeanwhile(_("The %(year)d calendar was changed by someone else since your preview. Preview again.") % {"year": year})
        if calendar_year is not None and not reason:
            raise ValidationError({"reason": _("Say why the %(year)d calendar changes: the history keeps it.") % {"year": year}})
        old = _rows(calendar_year)
        final = _final_days(old, days, replace=replace)
        moved = moved_dates(year=year, new_days={d: k for d, (k, _n) in final.items()})
        created = calendar_year is None
        if created:
            try:
                with transaction.atomic():
                    calendar_year = CalendarYear.objects.create(
                        year=year, source_title=source_title, source_date=source_date, is_demo=is_demo,
                        entered_by=by, entered_at=now, updated_by=by, updated_at=now,
                    )
            except IntegrityError:  # another person entered the year a moment ago
                raise CalendarChangedMeanwhile(_("The %(year)d calendar was changed by someone else since your preview. Preview again.") % {"year": year}) from None
        reason = reason or platform_text(lambda: _("Entered from %(source)s") % {"source": source_title})
        changes = [
            CalendarChange(
                calendar_year=calendar_year, date=d, old_value=platform_text(describe_day, old.get(d)),
                new_value=platform_text(describe_day, final.get(d)), reason=reason, changed_by=by, changed_at=now,
            )
            for d in sorted(set(old) | set(final)) if old.get(d) != final.get(d)
        ]
        old_source = (calendar_year.source_title, calendar_year.source_date, calendar_year.is_demo)
        if not created and old_source != (source_title, source_date, is_demo):
            changes.append(CalendarChange(
                calendar_year=calendar_year, date=None, old_value=platform_text(_describe_source, *old_source),
                new_value=platform_text(_describe_source, source_title, source_date, is_demo), reason=reason, changed_by=by, changed_at=now,
            ))
        CalendarChange.objects.bulk_create(changes)
        _write_days(calendar_year, old, final, listed={d.date for d in days}, source_title=source_title, source_date=source_date, by=by, now=now)
        CalendarYear.objects.filter(pk=calendar_year.pk).update(
            source_title=source_title, source_date=source_date, is_demo=is_demo, updated_by=by, updated_at=now
        )
        calendar_year.refresh_from_db()
        shifts = _record_moved_dates(calendar_year, moved, by=by, now=now)
    return YearEntryResult(calendar_year=calendar_year, created=created, changes=len(changes), shifts=shifts)


def _write_days(calendar_year, old, final, *, listed: set[date], source_title: str, source_date: date, by, now) -> None:
    CalendarDay.objects.filter(calendar_year=calendar_year, date__in=set(old) - set(final)).delete()
    # Every day the source lists now carries it (and who entered it), changed or confirmed.
    CalendarDay.objects.filter(calendar_year=calendar_year, date__in=listed & set(old)).delete()
    CalendarDay.objects.bulk_create([
        CalendarDay(
            calendar_year=calendar_year, date=d, kind=final[d][0], name=final[d][1], source_title=source_title,
            source_date=source_date, entered_by=by, entered_at=now,
        )
        for d in sorted(listed)
    ])


def _record_moved_dates(calendar_year: CalendarYear, moved: list[MovedDate], *, by, now) -> list[DeadlineShift]:
    shifts = DeadlineShift.objects.bulk_create([
        DeadlineShift(
            calendar_year=calendar_year, filing=m.filing, session=m.session, session_start=m.session.scheduled_start,
            old_date=m.old.date, old_estimated=m.old.estimated, new_date=m.new.date, changed_by=by, changed_at=now,
            notified_at=now,
        )
        for m in moved
    ])
    by_merchant: dict[int, list[MovedDate]] = defaultdict(list)
    for m in moved:
        by_merchant[m.filing.product.shop.merchant_id].append(m)
    for items in by_merchant.values():
        merchant = items[0].filing.product.shop.merchant
        notify(
            kind="general", user=merchant.user,
            title=platform_text(lambda: _("Latest submit dates changed: %(n)d filing(s)") % {"n": len(items)}),
            body=platform_text(_moved_body, calendar_year, items),
            url=reverse("filings:merchant_list"),
        )
    return shifts


def _moved_body(calendar_year: CalendarYear, items: list[MovedDate]) -> str:
    lines = [
        _("The platform entered the %(year)d holiday schedule (%(source)s). The latest submit date (F9) of these filings moved:")
        % {"year": calendar_year.year, "source": calendar_year.source_title}
    ]
    for m in items:
        line = _("%(product)s · %(creator)s · “%(session)s” on %(start)s: %(old)s → %(new)s") % {
            "product": m.filing.product.title, "creator": m.filing.creator.display_name, "session": m.session.title,
            "start": timezone.localtime(m.session.scheduled_start).strftime("%Y-%m-%d %H:%M"),
            "old": m.old.date.isoformat(), "new": m.new.date.isoformat(),
        }
        if m.filing.submitted_at and local_date(m.filing.submitted_at) > m.new.date:
            line += " " + _("(submitted on %(date)s: now after the latest date for this session)") % {
                "date": local_date(m.filing.submitted_at).isoformat()
            }
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The yearly reminder


def calendar_reminder_check(*, today: date | None = None) -> int:
    """F9 (ours): from October to December, while next year has neither an entered year
    (demo data does not count) nor the package's data, every platform staff member who keeps
    the calendar is reminded once per ISO week. Returns how many reminders went out."""
    today = today or timezone.localdate()
    if today.month < 10:
        return 0
    year = today.year + 1
    entered = CalendarYear.objects.filter(year=year).first()
    if (entered is not None and not entered.is_demo) or package_covers(year):
        return 0
    iso = today.isocalendar()
    url = reverse("admin:filings_calendaryear_enter") + f"?year={year}"
    sent = 0
    for user in calendar_keepers():
        note = notify(
            kind="general", user=user,
            title=platform_text(lambda: _("Enter the %(year)d holiday schedule") % {"year": year}),
            body=platform_text(_reminder_body, year, entered is not None),
            url=url,
            dedupe_key=f"filings-f9-calendar-{year}-{iso.year}w{iso.week:02d}-u{user.pk}",
        )
        sent += note is not None
    return sent


def _reminder_body(year: int, demo_only: bool) -> str:
    text = _(
        "F9 counts working days on the mainland calendar, and %(year)d has no data yet: filing deadlines near its "
        "holidays are Monday–Friday estimates. Once the State Council publishes the %(year)d schedule, paste the "
        "notice under Admin → Working-day calendar. This reminder repeats weekly until the year is entered."
    ) % {"year": year}
    if demo_only:
        text += " " + _("(The %(year)d calendar holds demo data only.)") % {"year": year}
    return text
