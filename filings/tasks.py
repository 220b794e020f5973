"""Thin Celery tasks of the filings domain."""

from celery import shared_task


@shared_task
def calendar_reminder() -> int:
    """F9 (ours): October–December, remind platform staff weekly to enter next year's holidays."""
    from filings.workdays.services import calendar_reminder_check

    return calendar_reminder_check()


@shared_task(ignore_result=True)
def demo_activity() -> int:
    """Demo mode only (config/celery.py schedules it when DAIHUO_DEMO is on): tops up the
    filings the README's walk-throughs need; the number of filings moved."""
    from filings.demo_activity import demo_activity as top_up

    return len(top_up())
