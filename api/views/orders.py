"""The order feed in (V10): the platform's order system posts order events in batches with a
platform key (scope `orders`). Each event counts once (order id + event id)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.fields import IdField
from api.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.models import Scope
from api.views.base import ApiViewSet
from core.rules import rules
from shops.models import ChannelOrder, OrderEvent
from shops.orders import Event, order_events_ingest


class OrderEventSerializer(serializers.Serializer):
    order_id = serializers.CharField(max_length=64)
    event_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrderEvent.Kind.choices)
    occurred_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=ChannelOrder.Channel.choices)
    creator = serializers.CharField(max_length=32, help_text="The creator's platform ID.")
    product = IdField(max_value=2**62)
    session = IdField(max_value=2**62, required=False, allow_null=True, default=None)
    video = IdField(max_value=2**62, required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    refund_quantity = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, default=0)
    refund_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, default=0)

    def validate(self, data):
        if data["channel"] == ChannelOrder.Channel.LIVE and not data.get("session"):
            raise serializers.ValidationError({"session": _("A live-cart order names its live session.")})
        if data["channel"] == ChannelOrder.Channel.VIDEO and not data.get("video"):
            raise serializers.ValidationError({"video": _("A video order names its video.")})
        return data


class OrderBatchSerializer(serializers.Serializer):
    events = serializers.ListField(child=OrderEventSerializer(), min_length=1)

    def validate_events(self, events):
        limit = rules.count("api_order_batch_max")  # API3
        if len(events) > limit:
            raise serializers.ValidationError(_("At most %(n)s events per batch.") % {"n": limit})
        return events


class OrderIntakeResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    orders_created = serializers.IntegerField()
    unattributed = serializers.DictField(child=serializers.IntegerField())


class OrderEvents(ApiViewSet):
    role = "platform"
    write_scope = Scope.ORDERS
    serializer_class = OrderBatchSerializer

    @extend_schema(request=OrderBatchSerializer, responses={200: OrderIntakeResultSerializer}, parameters=[IDEMPOTENCY_HEADER],
                   summary="Take a batch of order events (V10)")
    @idempotent
    def create(self, request):
        result = order_events_ingest(events=[Event(**e) for e in self._input(OrderBatchSerializer)["events"]])
        return Response(OrderIntakeResultSerializer(result).data)
