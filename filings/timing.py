"""F9 applied to filings and live sessions: which session a filing is for and its latest
submission date (whether an approved filing counts for a session: guards.refusal_for)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from core.rules import rules
from filings.calendar import LatestDate, WorkdayCalendar
from shops.models import LiveSession


def lead_working_days() -> int:
    # F9: "at least 2 working days" is the rules object's number, never a literal.
    return rules.count("filing_lead_working_days")


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def latest_date_for_session(session: LiveSession, *, lead: int | None = None, calendar: WorkdayCalendar | None = None) -> LatestDate:
    return (calendar or WorkdayCalendar()).latest_submit_date(
        local_date(session.scheduled_start), lead_working_days=lead if lead is not None else lead_working_days()
    )


@dataclass(frozen=True)
class SessionDeadline:
    session: LiveSession
    latest: LatestDate
    late: bool  # the latest date has passed (today is after it)

    @property
    def days_left(self) -> int:
        """Whole days from today to the latest date: 0 on the day itself, negative once passed."""
        return (self.latest.date - local_date(timezone.now())).days

    @property
    def soon(self) -> bool:
        # Today or tomorrow: the merchant has at most one more working evening.
        return 0 <= self.days_left <= 1


def next_sessions_by_creator(creator_ids: set[int]) -> dict[int, LiveSession]:
    """Each creator's next session not yet ended (live first, then the earliest scheduled),
    as one query for a whole page of filings."""
    result: dict[int, LiveSession] = {}
    qs = (
        LiveSession.objects.filter(creator_id__in=creator_ids)
        .exclude(status=LiveSession.Status.ENDED)
        .filter(Q(status=LiveSession.Status.LIVE) | Q(scheduled_start__gte=timezone.now()))
        .select_related("creator")
    )
    # one row per creator (PostgreSQL's DISTINCT ON), not every upcoming session of each
    qs = qs.order_by("creator_id", "scheduled_start", "id").distinct("creator_id")
    for session in qs:
        result.setdefault(session.creator_id, session)
    return result


def deadline_for(session: LiveSession | None, *, lead: int, calendar: WorkdayCalendar | None = None) -> SessionDeadline | None:
    if session is None:
        return None
    latest = latest_date_for_session(session, lead=lead, calendar=calendar)
    return SessionDeadline(session=session, latest=latest, late=local_date(timezone.now()) > latest.date)


def deadline_session(filing, upcoming: dict[int, LiveSession], now: datetime) -> LiveSession | None:
    """The session a filing's promised date is for: the PK session it was declared for while
    that is still ahead, else the linked creator's next session."""
    session = filing.session
    if session is None or session.status == LiveSession.Status.ENDED or (
        session.status == LiveSession.Status.SCHEDULED and session.scheduled_start < now
    ):
        session = upcoming.get(filing.creator_id)
    return session


def attach_deadlines(filings: list, *, calendar: WorkdayCalendar | None = None, lead: int | None = None) -> list:
    """Set `filing.deadline` (SessionDeadline or None) on each filing of a page (F9: "the
    linked creator's next session and its latest date"). One calendar for the page, so the
    entered years are read once."""
    lead = lead_working_days() if lead is None else lead
    upcoming = next_sessions_by_creator({f.creator_id for f in filings})
    now = timezone.now()
    sessions = {f.pk: deadline_session(f, upcoming, now) for f in filings}
    calendar = calendar or WorkdayCalendar()
    years = {local_date(s.scheduled_start).year for s in sessions.values() if s is not None}
    calendar.preload(years | {y - 1 for y in years})
    for filing in filings:
        filing.deadline = deadline_for(sessions[filing.pk], lead=lead, calendar=calendar)
    return filings
