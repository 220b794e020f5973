"""The merchant's webhook endpoints (list, add, delete) and deliveries (list, replay)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from api.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.models import Scope
from api.serializers.webhooks import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSerializer,
)
from api.views.base import ApiViewSet
from api.webhooks import selectors
from api.webhooks.delivery import webhook_delivery_replay, webhook_endpoint_create, webhook_endpoint_delete
from api.webhooks.models import WebhookDelivery, WebhookEndpoint
from shops import teams


class MerchantWebhookEndpoints(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    role = "merchant"
    write_scope = Scope.WEBHOOKS
    can_read = teams.TEAM  # T1: webhooks are the owner's
    serializer_class = WebhookEndpointSerializer
    queryset = WebhookEndpoint.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: selectors.endpoints_of(merchant=self.request.merchant).order_by("-id"))

    @extend_schema(request=WebhookEndpointCreateSerializer, responses={201: WebhookEndpointCreatedSerializer}, parameters=[IDEMPOTENCY_HEADER],
                   summary="Add an endpoint (https://); the answer carries its signing secret, once")
    @idempotent
    def create(self, request):
        endpoint = webhook_endpoint_create(merchant=request.merchant, **self._input(WebhookEndpointCreateSerializer))
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=201)

    @extend_schema(request=None, responses={204: None}, parameters=[IDEMPOTENCY_HEADER], summary="Delete an endpoint")
    @idempotent
    def destroy(self, request, pk=None):
        webhook_endpoint_delete(endpoint=self.get_object())
        return Response(status=204)


class MerchantWebhookDeliveries(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    role = "merchant"
    write_scope = Scope.WEBHOOKS
    can_read = teams.TEAM  # T1: webhooks are the owner's
    serializer_class = WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: selectors.deliveries_of(merchant=self.request.merchant).order_by("-id"))

    @extend_schema(request=None, responses={200: WebhookDeliverySerializer}, parameters=[IDEMPOTENCY_HEADER],
                   summary="Replay a parked or delivered delivery (same webhook-id)")
    @action(detail=True, methods=["post"])
    @idempotent
    def replay(self, request, pk=None):
        delivery = self.run(webhook_delivery_replay, delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data)
