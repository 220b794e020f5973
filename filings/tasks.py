"""Thin Celery tasks of the filings domain."""

from celery import shared_task


@shared_task
def calendar_reminder() -> int:
    """F9 (ours): October–December, remind platform staff weekly to enter next year's holidays."""
    from filings.workdays.services import calendar_reminder_check

    return calendar_reminder_check()
