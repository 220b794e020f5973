"""Every read of the samples workspaces, scoped to the person asking (S8)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django_fsm_log.models import StateLog

from samples.models import SampleRequest
from shops.models import Creator, LiveCartItem, Merchant, ShortVideo

State = SampleRequest.State


def _count_for_creator(state: str) -> Coalesce:
    counted = (
        SampleRequest.objects.filter(creator=OuterRef("creator"), state=state)
        .order_by().values("creator").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_creator_record(qs: QuerySet[SampleRequest]) -> QuerySet[SampleRequest]:
    """The creator's past fulfilment across all merchants: fulfilled and breached samples."""
    return qs.annotate(creator_fulfilled=_count_for_creator(State.FULFILLED), creator_breached=_count_for_creator(State.BREACHED))


def fulfilment_rate(fulfilled: int, breached: int) -> int | None:
    """Percent of finished promotions that were fulfilled, or None with no history."""
    total = fulfilled + breached
    return None if total == 0 else round(100 * fulfilled / total)


def sample_requests_for_merchant(*, merchant: Merchant) -> QuerySet[SampleRequest]:
    return with_creator_record(
        SampleRequest.objects.filter(merchant=merchant).select_related("creator", "product", "product__shop")
    ).order_by("-requested_at", "-id")


def get_sample_request_for_merchant_or_404(*, merchant: Merchant, pk: int) -> SampleRequest:
    return get_object_or_404(sample_requests_for_merchant(merchant=merchant), pk=pk)


def sample_requests_for_creator(*, creator: Creator) -> QuerySet[SampleRequest]:
    return (
        SampleRequest.objects.filter(creator=creator)
        .select_related("product", "product__shop", "merchant")
        .order_by("-requested_at", "-id")
    )


def get_sample_request_for_creator_or_404(*, creator: Creator, pk: int) -> SampleRequest:
    return get_object_or_404(
        sample_requests_for_creator(creator=creator).select_related(
            "promotion_video", "promotion_live_item__session"
        ),
        pk=pk,
    )


def open_request_product_ids(*, creator: Creator) -> set[int]:
    return set(
        SampleRequest.objects.filter(creator=creator, state__in=SampleRequest.OPEN_STATES).values_list("product_id", flat=True)
    )


def timeline(*, sample: SampleRequest) -> QuerySet[StateLog]:
    """What happened when: every transition, by whom (or which sweep) and why."""
    return StateLog.objects.for_(sample).select_related("by").order_by("timestamp", "id")


def videos_for_promotion(*, sample: SampleRequest) -> QuerySet[ShortVideo]:
    """The creator's published videos carrying the sample's product."""
    return (
        ShortVideo.objects.filter(
            creator_id=sample.creator_id, taken_down_at__isnull=True,
            cart_items__product_id=sample.product_id, cart_items__removed_at__isnull=True,
        )
        .distinct()
        .order_by("-published_at")
    )


def live_items_for_promotion(*, sample: SampleRequest) -> QuerySet[LiveCartItem]:
    """Cart items of the creator's sessions that went live with the sample's product."""
    return (
        LiveCartItem.objects.filter(
            session__creator_id=sample.creator_id, product_id=sample.product_id, session__went_live_at__isnull=False
        )
        .select_related("session")
        .order_by("-added_at")
    )


def merchant_sample_counts(*, merchant: Merchant) -> dict[str, int]:
    rows = SampleRequest.objects.filter(merchant=merchant, state__in=SampleRequest.OPEN_STATES).values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def creator_sample_counts(*, creator: Creator) -> dict[str, int]:
    rows = SampleRequest.objects.filter(creator=creator).values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}



# D2 / D3: what taking a product out of the alliance touches in samples (registered with
# shops.impact in SamplesConfig.ready()).


def open_requests_of_product(product) -> QuerySet[SampleRequest]:
    return SampleRequest.objects.filter(product_id=product.pk, state__in=SampleRequest.OPEN_STATES)


def count_open_requests_of_product(product) -> int:
    """D2: the confirmation page's count of open sample requests of the product."""
    return open_requests_of_product(product).count()


def creators_with_open_requests(product) -> QuerySet[Creator]:
    """D3 (ours): the creators with an open sample request for the product are told."""
    return Creator.objects.filter(
        pk__in=open_requests_of_product(product).values("creator_id")
    ).select_related("user").order_by("pk")
