"""Thin Celery tasks: each runs one sweep of samples.services (beat: config/celery.py).

Every sweep is idempotent and safe to run twice at once: due rows are locked with
SKIP LOCKED and each moves once, so a retried task or a second beat does no harm.
"""

from celery import shared_task

from samples.services import reminders, sweeps


@shared_task(ignore_result=True)
def sweep_expire_undecided() -> int:
    """S4: no decision within 48 h → expired."""
    return sweeps.sweep_expire_undecided()


@shared_task(ignore_result=True)
def sweep_cancel_unshipped() -> int:
    """S5: not shipped 120 h after approval → cancelled."""
    return sweeps.sweep_cancel_unshipped()


@shared_task(ignore_result=True)
def sweep_auto_receive() -> int:
    """S6: 168 h after shipping → received."""
    return sweeps.sweep_auto_receive()


@shared_task(ignore_result=True)
def sweep_check_promotions() -> int:
    """S7: video held 7 days / live held 3 minutes with an explanation → fulfilled."""
    return sweeps.sweep_check_promotions()


@shared_task(ignore_result=True)
def sweep_breach_unpromoted() -> int:
    """S7 (ours): no promotion started within 360 h of receipt → breached."""
    return sweeps.sweep_breach_unpromoted()


@shared_task(ignore_result=True)
def sweep_reminders() -> int:
    """V6: reminders before the 48 h, 120 h and 360 h deadlines, each sent once."""
    return reminders.sweep_reminders()


@shared_task(ignore_result=True)
def sweep_grant_extensions() -> int:
    """V7: an extension not refused within 48 h is granted (the 360 h deadline moves by 7 days)."""
    return sweeps.sweep_grant_extensions()


@shared_task(ignore_result=True)
def demo_activity() -> int:
    """Demo mode only (config/celery.py schedules it when DAIHUO_DEMO is on): tops up the
    samples the README's walk-throughs need; the number of requests added."""
    from samples.demo_activity import demo_activity as top_up

    return len(top_up())
