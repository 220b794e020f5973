"""Thin Celery tasks of the kernel: the outbox relay and notification e-mails."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import Notification

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Every second (beat): hand the outbox's waiting rows to the broker (core.outbox)."""
    try:
        return outbox.relay()
    except outbox.BrokerUnavailable as stopped:
        logger.warning("outbox relay stopped: %s; the rest waits for the next run", stopped, exc_info=stopped.__cause__)
        return stopped.sent


@shared_task(ignore_result=True)
def prune_outbox() -> int:
    """Hourly (beat): forget outbox rows handed over long ago."""
    return outbox.prune()


@shared_task
def send_pending_notification_emails(batch: int = 200) -> int:
    """Send the e-mails whose hand-off to the worker failed (broker down at commit time)."""
    cutoff = timezone.now() - timedelta(minutes=2)
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .exclude(user__email="")
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    return sum(1 for pk in ids if send_notification_email(pk))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """E-mail the text of an in-app notification once (the emailed_at mark guards retries)."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if note is None or not note.user.email:
            return False
        send_mail(note.title, note.body or note.title, None, [note.user.email])
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications (a sweep hands over one task per batch). A mail
    server error leaves that e-mail pending for send_pending_notification_emails."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += bool(send_notification_email(pk))
        except OSError:
            logger.warning("notification %s e-mail left pending", pk, exc_info=True)
    return sent
