"""Reads of the webhook pages and endpoints, scoped to the merchant."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from api.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_of(*, merchant) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(merchant=merchant, deleted_at__isnull=True)


def deliveries_of(*, merchant) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint__merchant=merchant).select_related("endpoint")


def get_endpoint_or_404(*, merchant, pk: int) -> WebhookEndpoint:
    return get_object_or_404(endpoints_of(merchant=merchant), pk=pk)


def get_delivery_or_404(*, merchant, pk: int) -> WebhookDelivery:
    return get_object_or_404(deliveries_of(merchant=merchant), pk=pk)
