"""The flash-sales domain's queue on the reviewers' admin index (core.queues): problem
reports awaiting a reply (FS8)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.queues import Queue
from flashsales.models import ProblemReport


def review_queues() -> list[Queue]:
    waiting = ProblemReport.objects.filter(status=ProblemReport.Status.OPEN)
    oldest = waiting.select_related("shop").order_by("created_at", "id").first()
    return [
        Queue(
            label=_("Flash-sale problem reports awaiting a reply"), count=waiting.count(),
            url=reverse("admin:flashsales_problemreport_changelist") + "?status__exact=open",
            oldest_title=oldest.shop.name if oldest else "", oldest_since=oldest.created_at if oldest else None, order=50,
        ),
    ]
