"""The samples domain's queues on the reviewers' admin index (core.queues): samples reported
not arrived, on hold for a reviewer (V9), and extension requests awaiting the merchant (V7)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.queues import Queue
from samples.models import ExtensionRequest, SampleAppeal, SampleRequest


def review_queues() -> list[Queue]:
    held = SampleRequest.objects.filter(state=SampleRequest.State.NOT_ARRIVED)
    oldest = held.select_related("product", "creator").order_by("not_arrived_at", "id").first()
    asked = ExtensionRequest.objects.filter(state=ExtensionRequest.State.REQUESTED)
    oldest_ask = asked.select_related("sample__product", "sample__creator").order_by("requested_at", "id").first()
    return [
        Queue(
            label=_("Samples reported not arrived, on hold"), count=held.count(),
            url=reverse("admin:samples_samplerequest_changelist") + "?deadline=held",
            oldest_title=f"{oldest.product.title} · {oldest.creator.display_name}" if oldest else "",
            oldest_since=oldest.not_arrived_at if oldest else None, order=30,
        ),
        Queue(
            label=_("Extension requests awaiting the merchant"), count=asked.count(),
            url=reverse("admin:samples_extensionrequest_changelist") + "?state__exact=requested",
            oldest_title=f"{oldest_ask.sample.product.title} · {oldest_ask.sample.creator.display_name}" if oldest_ask else "",
            oldest_since=oldest_ask.requested_at if oldest_ask else None, order=40,
        ),
        appeal_queue(),
    ]


def appeal_queue() -> Queue:
    """AP2: open appeals against breaches, the one due first named."""
    waiting = SampleAppeal.objects.filter(state=SampleAppeal.State.OPEN)
    first = waiting.select_related("sample__product", "sample__creator").order_by("decide_by", "id").first()
    return Queue(
        label=_("Appeals against breaches (申诉)"), count=waiting.count(),
        url=reverse("admin:samples_sampleappeal_changelist") + "?state__exact=open",
        oldest_title=f"{first.sample.product.title} · {first.sample.creator.display_name}" if first else "",
        oldest_since=first.filed_at if first else None, order=25, permission="samples.decide_sampleappeal",
    )
