"""What the filing, flash-sale, alliance and marketplace endpoints read and write."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import IdField
from api.serializers.appeals import AppealSerializer
from api.serializers.samples import CreatorRefSerializer, ProductRefSerializer
from filings.models import Filing
from flashsales.models import FlashSale, FlashSaleOrder
from shops.models import AllianceListing, AllianceRemoval, LiveSession


class FilingSerializer(serializers.ModelSerializer):
    product = ProductRefSerializer()
    creator = CreatorRefSerializer()

    appeals = AppealSerializer(many=True, read_only=True, source="appeals.all")  # AP5

    class Meta:
        model = Filing
        fields = ["id", "state", "product", "creator", "session", "submitted_at", "decided_at", "review_reason", "created_at", "appeals"]
        read_only_fields = fields


class FlashSaleSerializer(serializers.ModelSerializer):
    product = ProductRefSerializer()

    class Meta:
        model = FlashSale
        fields = ["id", "status", "mode", "title", "product", "session", "price", "quantity", "sold_count", "created_at"]
        read_only_fields = fields


class FlashSaleOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = FlashSaleOrder
        fields = ["id", "flash_sale", "quantity", "unit_price", "shipping_fee", "amount", "created_at"]
        read_only_fields = fields


class AllianceRemovalSerializer(serializers.ModelSerializer):
    product = serializers.SerializerMethodField()

    class Meta:
        model = AllianceRemoval
        fields = ["id", "status", "product", "scheduled_at", "compensation_note", "impact", "created_at", "done_at", "cancelled_at"]
        read_only_fields = fields

    def get_product(self, removal) -> int:
        return removal.listing.product_id


class AllianceRemovalCreateSerializer(serializers.Serializer):
    """D1/D2: now (no `at`) or at a later moment; an optional announcement to buyers (D3)."""

    product = IdField()
    at = serializers.DateTimeField(required=False, allow_null=True)
    compensation_note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    announcement = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MarketplaceListingSerializer(serializers.ModelSerializer):
    product = ProductRefSerializer()
    price = serializers.DecimalField(source="product.price", max_digits=12, decimal_places=2)
    shop = serializers.CharField(source="product.shop.name")
    category = serializers.CharField(source="product.category.name")

    class Meta:
        model = AllianceListing
        fields = ["id", "product", "price", "shop", "category", "commission_rate", "sample_support"]
        read_only_fields = fields


class LiveSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LiveSession
        fields = ["id", "title", "status", "scheduled_start", "went_live_at", "ended_at"]
        read_only_fields = fields


class CarryLimitsSerializer(serializers.Serializer):
    """C1–C3: whether the official-account carry limits apply to this session and, for a
    non-professional bound shop, the non-own product slots used and left (C2)."""

    limited = serializers.BooleanField()
    professional = serializers.BooleanField(required=False)
    cap = serializers.IntegerField(required=False)
    used = serializers.IntegerField(required=False)
    left = serializers.IntegerField(required=False)
    locked_in = serializers.BooleanField(required=False)


class FilingSubmitSerializer(serializers.Serializer):
    """F4/F12: the notice acknowledged; files as doc_<document type id> (see documents/)."""

    acknowledge = serializers.BooleanField()


class DocumentTypeStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    field = serializers.CharField(help_text="The multipart field name of this document in submit/.")
    on_file = serializers.BooleanField()
