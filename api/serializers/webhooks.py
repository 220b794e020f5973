"""Webhook endpoints and deliveries through the API."""

from __future__ import annotations

from rest_framework import serializers

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "description", "created_at"]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The answer to a create: the only time the signing secret is returned."""

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices), min_length=1, max_length=len(Event.choices))
    description = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "endpoint", "event_type", "message_id", "payload", "state", "attempts", "next_attempt_at",
                  "last_status", "last_response", "last_attempt_at", "created_at"]
        read_only_fields = fields
