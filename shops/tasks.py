"""Thin Celery tasks of the marketplace."""

from celery import shared_task


@shared_task
def alliance_removals_sweep() -> int:
    """D2/D4: carry out the scheduled alliance removals that are due (beat: every minute)."""
    from shops.alliance_removal.services import alliance_removals_sweep as sweep

    return sweep()


@shared_task(ignore_result=True)
def demo_activity() -> int:
    """Demo mode only (config/celery.py schedules it when DAIHUO_DEMO is on): schedules again
    the alliance removals the README's walk-throughs show; the number scheduled."""
    from shops.demo_activity import demo_activity as top_up

    return len(top_up())
