"""Filings (F2, F7), flash sales and their orders (FS), alliance removals (D1–D4) and the
creators' marketplace through the API; each write calls the service the pages call."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.models import Scope
from api.serializers.appeals import AppealFileSerializer
from api.serializers.domains import (
    AllianceRemovalCreateSerializer,
    AllianceRemovalSerializer,
    CarryLimitsSerializer,
    DocumentTypeStatusSerializer,
    FilingSerializer,
    FilingSubmitSerializer,
    FlashSaleOrderSerializer,
    FlashSaleSerializer,
    LiveSessionSerializer,
    MarketplaceListingSerializer,
)
from api.views.base import ApiViewSet
from filings import selectors as filing_selectors
from filings.appeals.services import filing_appeal_file
from filings.models import Filing
from filings.services import filing_submit, filing_withdraw, required_document_types
from flashsales import selectors as fs_selectors
from flashsales.models import FlashSale, FlashSaleOrder
from shops import selectors as shop_selectors
from shops.alliance_removal.services import alliance_removal_cancel, alliance_removal_create
from shops.models import AllianceListing, AllianceRemoval, LiveSession
from shops.official_accounts.selectors import carry_status_for_session
from shops.teams import in_scope


class MerchantFilings(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """报备: the merchant's filings (F2) and their withdrawal (F7)."""

    role = "merchant"
    write_scope = Scope.FILINGS
    serializer_class = FilingSerializer
    queryset = Filing.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: filing_selectors.filings_for_merchant(merchant=self.request.merchant).prefetch_related("appeals__evidence"))

    @extend_schema(request=None, responses={200: FilingSerializer}, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request, pk=None):
        filing = self.get_object()
        self.run(filing_withdraw, filing=filing, merchant=request.merchant)
        return Response(FilingSerializer(self.get_queryset().get(pk=filing.pk)).data)


    @extend_schema(responses={200: DocumentTypeStatusSerializer(many=True)}, summary="The documents the product's category asks for (F4)")
    @action(detail=True, methods=["get"], pagination_class=None)
    def documents(self, request, pk=None):
        filing = self.get_object()
        on_file = set(filing.documents.values_list("doc_type_id", flat=True))
        rows = [{"id": t.pk, "name": t.name, "field": f"doc_{t.pk}", "on_file": t.pk in on_file} for t in required_document_types(filing)]
        return Response(DocumentTypeStatusSerializer(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": {
            "type": "object", "required": ["acknowledge"],
            "properties": {"acknowledge": {"type": "boolean", "description": "The formal-check notice (F12) is read."}},
            "patternProperties": {"^doc_[0-9]+$": {"type": "string", "format": "binary"}},
            "additionalProperties": False,
        }},
        responses={200: FilingSerializer}, parameters=[IDEMPOTENCY_HEADER],
        summary="Upload the qualification documents (doc_<type id>: PDF, JPEG or PNG) and submit for review (F4)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    @idempotent
    def submit(self, request, pk=None):
        data = self._input(FilingSubmitSerializer)
        if not data["acknowledge"]:
            raise exceptions.ValidationError({"acknowledge": [_("Acknowledge the formal-check notice (F12) first.")]})
        filing = self.get_object()
        uploads = {}
        for name, upload in request.FILES.items():
            match = re.fullmatch(r"doc_(\d{1,9})", name)
            if match is None:
                raise exceptions.ValidationError({name: [_("Unknown field: send each document as doc_<document type id>.")]})
            uploads[int(match.group(1))] = upload
        self.run(filing_submit, filing=filing, merchant=request.merchant, uploads=uploads)
        return Response(FilingSerializer(self.get_queryset().get(pk=filing.pk)).data)

    @extend_schema(
        request={"multipart/form-data": {
            "type": "object", "required": ["reason"],
            "properties": {"reason": {"type": "string", "maxLength": 1000},
                           "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 3}},
        }},
        responses={200: FilingSerializer}, parameters=[IDEMPOTENCY_HEADER],
        summary="Appeal a rejection once, within the window, with a reason and up to 3 evidence files (AP1)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    @idempotent
    def appeal(self, request, pk=None):
        data = self._input(AppealFileSerializer)
        filing = self.get_object()
        self.run(filing_appeal_file, filing=filing, merchant=request.merchant, reason=data["reason"], files=request.FILES.getlist("evidence"))
        return Response(FilingSerializer(self.get_queryset().get(pk=filing.pk)).data)


class CreatorLiveSessions(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The creator's live sessions and, per session, the official-account carry limits (C1–C3)."""

    role = "creator"
    serializer_class = LiveSessionSerializer
    queryset = LiveSession.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: shop_selectors.sessions_for_creator(creator=self.request.creator))

    @extend_schema(responses={200: CarryLimitsSerializer}, summary="Carry-limit usage of the session (C2: non-own slots used and left)")
    @action(detail=True, methods=["get"], url_path="carry-limits", pagination_class=None)
    def carry_limits(self, request, pk=None):
        session = self.get_object()
        return Response(CarryLimitsSerializer(carry_status_for_session(session=session)).data)


class MerchantFlashSales(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """闪购: the flash sales of the merchant's products and their orders."""

    role = "merchant"
    write_scope = Scope.FLASH_SALES
    serializer_class = FlashSaleSerializer
    queryset = FlashSale.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: fs_selectors.flash_sales_for_merchant(merchant=self.request.merchant).select_related("product"))

    @extend_schema(responses={200: FlashSaleOrderSerializer(many=True)})
    @action(detail=True, methods=["get"], queryset=FlashSaleOrder.objects.none(), serializer_class=FlashSaleOrderSerializer)
    def orders(self, request, pk=None):
        flash_sale = self.get_object()  # the id read by core.ids: "abc" is a 404, not a ValueError
        page = self.paginate_queryset(flash_sale.orders.order_by("-id"))
        return self.get_paginated_response(FlashSaleOrderSerializer(page, many=True).data)


class MerchantAllianceRemovals(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """下架精选联盟: schedule (D1, D2) and cancel a removal of one of the merchant's products."""

    role = "merchant"
    write_scope = Scope.ALLIANCE
    serializer_class = AllianceRemovalSerializer
    queryset = AllianceRemoval.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: in_scope(AllianceRemoval.objects.all(), self.request.merchant, "listing__product__shop")
                           .select_related("listing"))

    @extend_schema(request=AllianceRemovalCreateSerializer, responses={201: AllianceRemovalSerializer}, parameters=[IDEMPOTENCY_HEADER])
    @idempotent
    def create(self, request):
        data = self._input(AllianceRemovalCreateSerializer)
        product = shop_selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=data["product"])
        removal = self.run(alliance_removal_create, product=product, at=data.get("at"),
                           compensation_note=data["compensation_note"], announcement=data["announcement"])
        return Response(AllianceRemovalSerializer(self.get_queryset().get(pk=removal.pk)).data, status=201)

    @extend_schema(request=None, responses={200: AllianceRemovalSerializer}, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        removal = self.get_object()
        self.run(alliance_removal_cancel, removal=removal)
        return Response(AllianceRemovalSerializer(self.get_queryset().get(pk=removal.pk)).data)


class CreatorMarketplace(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """选品广场: the alliance products a creator may carry or ask a sample of."""

    role = "creator"
    serializer_class = MarketplaceListingSerializer
    queryset = AllianceListing.objects.none()

    def get_queryset(self):
        return self.scoped(shop_selectors.marketplace_listings)
