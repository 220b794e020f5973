"""Sample requests through the API (S3–S8, V7, V9): the merchant's inbox with its filters and
decisions, the creator's own requests. Each write calls the service the pages call."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.idempotency import IDEMPOTENCY_HEADER, idempotent
from api.models import Scope
from api.serializers.appeals import AppealFileSerializer
from api.serializers.samples import (
    NoteSerializer,
    OptionalReasonSerializer,
    PromotionSerializer,
    ReasonSerializer,
    RejectSerializer,
    SampleAskSerializer,
    SampleRequestSerializer,
    ShipSerializer,
)
from api.views.base import ApiViewSet
from api.views.ship_bulk import ShipBulkMixin
from samples import selectors
from samples.filters import MerchantSampleFilter
from samples.models import ExtensionRequest, SampleRequest
from samples.services.appeals import sample_appeal_file
from samples.services.extensions import sample_extension_grant, sample_extension_refuse, sample_extension_request
from samples.services.promotion import sample_request_publish_video, sample_request_record_live, sample_request_record_video
from samples.services.requests import sample_request_approve, sample_request_create, sample_request_reject, sample_request_withdraw
from samples.services.shipping import (
    sample_request_confirm_receipt,
    sample_request_report_not_arrived,
    sample_request_reship,
    sample_request_ship,
)
from shops import selectors as shop_selectors
from shops import teams

NO_EXTENSION = gettext_lazy("The creator has not asked for more time on this sample request.")


class InboxFilter(MerchantSampleFilter):
    """The inbox's own filters (state, product, creator, deadline), scoped to the key's merchant."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, merchant=getattr(request, "merchant", None), **kwargs)


def _write(request_serializer=None, summary: str = ""):
    return extend_schema(request=request_serializer, responses={200: SampleRequestSerializer}, parameters=[IDEMPOTENCY_HEADER], summary=summary)


class _SampleRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A sample request after an action: read again through the role's own queryset and serializer."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reader": self.role}  # whose view of the address

    def _answer(self, sample):
        return Response(self.get_serializer(self.get_queryset().get(pk=sample.pk)).data)


class MerchantSampleRequests(ShipBulkMixin, _SampleRequestViewSet):
    """The merchant's sample inbox (S8) and its decisions (S4, S5, V7, V9)."""

    role = "merchant"
    write_scope = Scope.SAMPLES
    can_read = teams.VIEW_SAMPLES  # T1: the shipping role reads the requests it ships
    action_can = {"ship": teams.SHIP, "reship": teams.SHIP, "ship_bulk": teams.SHIP}
    serializer_class = SampleRequestSerializer
    queryset = SampleRequest.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = InboxFilter

    def get_queryset(self):
        return self.scoped(lambda: selectors.sample_requests_for_merchant(merchant=self.request.merchant).select_related("extension", "appeal").prefetch_related("appeal__evidence"))

    def _with_extension(self):
        """The sample, when its creator asked for more time (found by the schema fuzz: a 500 before)."""
        sample = self.get_object()
        if not ExtensionRequest.objects.filter(sample_id=sample.pk).exists():
            raise exceptions.NotFound(NO_EXTENSION)
        return sample

    @_write(None, "Approve (S4 → S5: the ship clocks start)")
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        sample = self.get_object()
        self.run(sample_request_approve, sample=sample)
        return self._answer(sample)

    @_write(RejectSerializer, "Decline, with a reason shown to the creator")
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        data = self._input(RejectSerializer)
        sample = self.get_object()
        self.run(sample_request_reject, sample=sample, reason=data["reason"])
        return self._answer(sample)

    @_write(ShipSerializer, "Ship with carrier and tracking number (S5)")
    @action(detail=True, methods=["post"])
    @idempotent
    def ship(self, request, pk=None):
        data = self._input(ShipSerializer)
        sample = self.get_object()
        self.run(sample_request_ship, sample=sample, carrier=data["carrier"], tracking_number=data["tracking_number"],
                 shipping_cost=data.get("shipping_cost"))
        return self._answer(sample)

    @_write(ShipSerializer, "Re-ship a parcel reported not arrived (V9)")
    @action(detail=True, methods=["post"])
    @idempotent
    def reship(self, request, pk=None):
        data = self._input(ShipSerializer)
        sample = self.get_object()
        self.run(sample_request_reship, sample=sample, carrier=data["carrier"], tracking_number=data["tracking_number"],
                 shipping_cost=data.get("shipping_cost"))
        return self._answer(sample)

    @_write(None, "Grant the creator's extension now (V7)")
    @action(detail=True, methods=["post"], url_path="extension/grant")
    @idempotent
    def extension_grant(self, request, pk=None):
        sample = self._with_extension()
        self.run(sample_extension_grant, sample=sample)
        return self._answer(sample)

    @_write(OptionalReasonSerializer, "Refuse the creator's extension within the time allowed (V7)")
    @action(detail=True, methods=["post"], url_path="extension/refuse")
    @idempotent
    def extension_refuse(self, request, pk=None):
        data = self._input(OptionalReasonSerializer)
        sample = self._with_extension()
        self.run(sample_extension_refuse, sample=sample, reason=data["reason"])
        return self._answer(sample)


class CreatorSampleRequests(_SampleRequestViewSet):
    """The creator's own sample requests (S8): ask, withdraw, confirm receipt, report not
    arrived (V9), ask for more time (V7)."""

    role = "creator"
    write_scope = Scope.SAMPLES
    serializer_class = SampleRequestSerializer
    queryset = SampleRequest.objects.none()

    def get_queryset(self):
        return self.scoped(lambda: selectors.sample_requests_for_creator(creator=self.request.creator).select_related("creator", "extension", "appeal").prefetch_related("appeal__evidence"))

    @extend_schema(request=SampleAskSerializer, responses={201: SampleRequestSerializer}, parameters=[IDEMPOTENCY_HEADER],
                   summary="Ask for a free sample (S1, S2, V1–V5)")
    @idempotent
    def create(self, request):
        data = self._input(SampleAskSerializer)
        listing = get_object_or_404(shop_selectors.marketplace_listings(), product_id=data["product"])
        sample = self.run(sample_request_create, creator=request.creator, product=listing.product, note=data["note"])
        return Response(self.get_serializer(sample).data, status=201)

    @_write(None, "Withdraw before the merchant decides")
    @action(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request, pk=None):
        sample = self.get_object()
        self.run(sample_request_withdraw, sample=sample)
        return self._answer(sample)

    @_write(None, "Confirm receipt (S6: the promotion clock starts)")
    @action(detail=True, methods=["post"], url_path="confirm-receipt")
    @idempotent
    def confirm_receipt(self, request, pk=None):
        sample = self.get_object()
        self.run(sample_request_confirm_receipt, sample=sample)
        return self._answer(sample)

    @_write(NoteSerializer, "Report the parcel as not arrived (V9)")
    @action(detail=True, methods=["post"], url_path="not-arrived")
    @idempotent
    def not_arrived(self, request, pk=None):
        data = self._input(NoteSerializer)
        sample = self.get_object()
        self.run(sample_request_report_not_arrived, sample=sample, note=data["note"])
        return self._answer(sample)

    @_write(PromotionSerializer, "Record the promotion (S7): an existing video, a live cart item, or a new video")
    @action(detail=True, methods=["post"])
    @idempotent
    def promotion(self, request, pk=None):
        data = self._input(PromotionSerializer)
        sample = self.get_object()
        if "video" in data:
            video = get_object_or_404(selectors.videos_for_promotion(sample=sample), pk=data["video"])
            self.run(sample_request_record_video, sample=sample, video=video)
        elif "live_item" in data:
            item = get_object_or_404(selectors.live_items_for_promotion(sample=sample), pk=data["live_item"])
            self.run(sample_request_record_live, sample=sample, item=item)
        else:
            self.run(sample_request_publish_video, sample=sample, title=data["title"], url=data["url"])
        return self._answer(sample)

    @_write(ReasonSerializer, "Ask once for more time to promote (V7)")
    @action(detail=True, methods=["post"])
    @idempotent
    def extension(self, request, pk=None):
        data = self._input(ReasonSerializer)
        sample = self.get_object()
        self.run(sample_extension_request, sample=sample, reason=data["reason"])
        return self._answer(sample)

    @extend_schema(
        request={"multipart/form-data": {
            "type": "object", "required": ["reason"],
            "properties": {"reason": {"type": "string", "maxLength": 1000},
                           "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 3}},
        }},
        responses={200: SampleRequestSerializer}, parameters=[IDEMPOTENCY_HEADER],
        summary="Appeal the breach once, within the window, with a reason and up to 3 evidence files (AP1)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    @idempotent
    def appeal(self, request, pk=None):
        data = self._input(AppealFileSerializer)
        sample = self.get_object()
        self.run(sample_appeal_file, sample=sample, reason=data["reason"], files=request.FILES.getlist("evidence"))
        return self._answer(sample)
