"""Webhook deliveries on Celery: one attempt per task (queued after the event's commit),
and the sweep that sends the retries when they fall due (API6) and anything the broker missed."""

from celery import shared_task

from api.webhooks.delivery import due_deliveries, webhook_delivery_attempt
from core import outbox


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep_webhook_retries() -> int:
    """Every minute: each pending delivery whose time has come gets one attempt."""
    due = due_deliveries()
    outbox.enqueue_many("api.tasks.deliver_webhook", [[pk] for pk in due])  # the relay hands them over
    return len(due)
