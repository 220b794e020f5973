"""What the sample endpoints read and write (S3–S8, V7, V9)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import IdField
from api.serializers.appeals import AppealSerializer
from samples.models import Carrier, ExtensionRequest, SampleAppeal, SampleRequest


class ProductRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class CreatorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nickname = serializers.CharField()
    platform_id = serializers.CharField()


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["state", "reason", "requested_at", "refuse_by", "decided_at", "refuse_reason", "fulfil_by_before", "fulfil_by_after"]


class ShipToAddressSerializer(serializers.Serializer):
    """Where the sample goes (收货地址), as the merchant's pages show it: whole from the approval
    until the request closes; before and after, the region only, name and phone partly hidden."""

    name = serializers.CharField()
    phone = serializers.CharField()
    region = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    masked = serializers.BooleanField()


class SampleRequestSerializer(serializers.ModelSerializer):
    product = ProductRefSerializer()
    creator = CreatorRefSerializer()
    extension = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()  # AP5
    # Blank until shipped / promoted: the schema's enum must allow "" (found by the schema fuzz)
    carrier = serializers.ChoiceField(choices=Carrier.choices, allow_blank=True, read_only=True)
    promotion = serializers.ChoiceField(choices=SampleRequest.Promotion.choices, allow_blank=True, read_only=True)
    # S5: the merchant ships to it, so an API-only merchant needs it; masked by the pages' rule.
    ship_to = serializers.SerializerMethodField()

    class Meta:
        model = SampleRequest
        fields = [
            "id", "state", "product", "creator", "note", "triage_score",
            "requested_at", "decide_by", "approved_at", "ship_by", "ship_cancel_at",
            "shipped_at", "carrier", "tracking_number", "auto_receive_at", "received_at", "fulfil_by",
            "not_arrived_at", "not_arrived_note", "reshipped_at", "units_sent",
            "promotion", "promotion_started_at", "fulfilled_at", "closed_at", "close_reason", "extension", "ship_to",
            "appeal",
        ]
        read_only_fields = fields

    @extend_schema_field(ShipToAddressSerializer(allow_null=True))
    def get_ship_to(self, sample: SampleRequest):
        """The creator reads their own address whole; anyone else (the merchant) as
        SampleRequest.address_for_merchant shows it. One component for both roles: the
        schema's enums stay named by component."""
        if self.context.get("reader") == "creator":
            return sample.address_for_creator()
        return sample.address_for_merchant()

    @extend_schema_field(ExtensionSerializer(allow_null=True))
    def get_extension(self, sample: SampleRequest):
        try:
            extension = sample.extension
        except ExtensionRequest.DoesNotExist:
            return None
        return ExtensionSerializer(extension).data


    @extend_schema_field(AppealSerializer(allow_null=True))
    def get_appeal(self, sample: SampleRequest):
        try:
            appeal = sample.appeal
        except SampleAppeal.DoesNotExist:
            return None
        return AppealSerializer(appeal).data


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ShipSerializer(serializers.Serializer):
    """S5: the service checks the tracking number's format for the carrier (422, rule S5)."""

    carrier = serializers.ChoiceField(choices=Carrier.choices)
    tracking_number = serializers.CharField(max_length=40)
    shipping_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SampleAskSerializer(serializers.Serializer):
    product = IdField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PromotionSerializer(serializers.Serializer):
    """S7: exactly one of an existing video, a live session's cart item, or a new video (title, url)."""

    video = IdField(required=False)
    live_item = IdField(required=False)
    title = serializers.CharField(max_length=100, required=False)
    url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, data):
        given = [k for k in ("video", "live_item", "title") if k in data]
        if len(given) != 1:
            raise serializers.ValidationError(_("Send exactly one of: video, live_item, or title (a new video)."))
        return data
