"""Every read of the samples workspaces, scoped to the person asking (S8); the V10 report
is samples.returns."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django_fsm_log.models import StateLog

from samples.models import CreatorBlock, ExtensionRequest, SampleQuota, SampleRequest, TriageRule
from samples.policy.quota import with_used
from shops.models import Creator, LiveCartItem, Merchant, Product, Shop, ShortVideo

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
        SampleRequest.objects.filter(merchant=merchant).select_related("creator", "product", "product__shop", "triage_rule")
    ).order_by("-requested_at", "-id")


def get_sample_request_for_merchant_or_404(*, merchant: Merchant, pk: int) -> SampleRequest:
    return get_object_or_404(sample_requests_for_merchant(merchant=merchant), pk=pk)


def sample_requests_for_creator(*, creator: Creator) -> QuerySet[SampleRequest]:
    return (
        SampleRequest.objects.filter(creator=creator)
        .select_related("product", "product__shop", "merchant", "triage_rule")
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


def extension_of(*, sample: SampleRequest) -> ExtensionRequest | None:
    """V7: the sample's extension request, if the creator asked for one."""
    return ExtensionRequest.objects.filter(sample_id=sample.pk).first()


# ---------------------------------------------------------------------------------------
# D2 / D3: what taking a product out of the alliance touches in samples (registered with
# shops.alliance_removal.impact in SamplesConfig.ready()).


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


# ---------------------------------------------------------------------------------------
# The merchant's sample settings (V2 quotas, V4 triage rules, V5 blocklist) and the
# inbox's triage order, scoped to the merchant


def inbox_by_triage(qs: QuerySet[SampleRequest]) -> QuerySet[SampleRequest]:
    """V4: requests waiting for a person first, highest triage score first; then the rest, newest first."""
    return qs.annotate(
        waiting=Case(When(state=State.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()),
        rank=Case(When(state=State.REQUESTED, then=F("triage_score")), default=Value(-1), output_field=IntegerField()),
    ).order_by("waiting", "-rank", "decide_by", "-requested_at", "-id")


def alliance_products_for_merchant(*, merchant: Merchant) -> QuerySet[Product]:
    """V2: the merchant's products listed in the alliance (where a quota applies), with their quota."""
    return (
        Product.objects.filter(shop__merchant=merchant, alliance_listing__isnull=False)
        .select_related("shop", "alliance_listing", "sample_quota")
        .order_by("shop__name", "title", "pk")
    )


def get_product_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Product:
    return get_object_or_404(alliance_products_for_merchant(merchant=merchant), pk=pk)


def quota_usage(*, product_ids) -> dict[int, int]:
    """V2: approvals used in each quota's current period, for a page of products (one query)."""
    return dict(with_used(SampleQuota.objects.filter(product_id__in=list(product_ids))).values_list("product_id", "used"))


def triage_rules_for_merchant(*, merchant: Merchant) -> QuerySet[TriageRule]:
    return TriageRule.objects.filter(merchant=merchant).select_related("shop", "product").annotate(
        decided=Count("decided_requests")
    ).order_by("-is_active", "-created_at", "-id")


def get_triage_rule_for_merchant_or_404(*, merchant: Merchant, pk: int) -> TriageRule:
    return get_object_or_404(TriageRule.objects.filter(merchant=merchant), pk=pk)


def shops_of_merchant(*, merchant: Merchant) -> QuerySet[Shop]:
    return Shop.objects.filter(merchant=merchant).order_by("name", "pk")


def blocks_for_merchant(*, merchant: Merchant) -> QuerySet[CreatorBlock]:
    """V5: active blocks first, then the lifted ones (the record stays)."""
    return (
        CreatorBlock.objects.filter(merchant=merchant)
        .select_related("creator", "blocked_by", "lifted_by")
        .order_by("status", "-blocked_at", "-id")
    )


def get_block_for_merchant_or_404(*, merchant: Merchant, pk: int) -> CreatorBlock:
    return get_object_or_404(CreatorBlock.objects.filter(merchant=merchant), pk=pk)
