"""Thin Celery tasks of the marketplace."""

from celery import shared_task


@shared_task
def alliance_removals_sweep() -> int:
    """D2/D4: carry out the scheduled alliance removals that are due (beat: every minute)."""
    from shops.alliance_removal.services import alliance_removals_sweep as sweep

    return sweep()
