"""Every read of the samples workspaces, scoped to the person asking (S8); the V10 report
is samples.returns."""

from __future__ import annotations

from django.db.models import Case, Count, DateTimeField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django_fsm_log.models import StateLog

from samples.models import CreatorBlock, ExtensionRequest, SampleQuota, SampleRequest, ShipSheetUpload, TriageRule
from samples.policy.quota import with_used
from shops.models import Creator, LiveCartItem, Merchant, Product, Shop, ShortVideo
from shops.teams import in_scope

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
        in_scope(SampleRequest.objects.all(), merchant, "product__shop", merchant_path="merchant").select_related("creator", "product", "product__shop", "triage_rule")
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


def open_request_product_ids(*, creator: Creator, product_ids=None) -> set[int]:
    """V3: the products the creator has an open request for (among `product_ids` if given)."""
    qs = SampleRequest.objects.filter(creator=creator, state__in=SampleRequest.OPEN_STATES)
    if product_ids is not None:
        qs = qs.filter(product_id__in=[pk for pk in product_ids if pk is not None])
    return set(qs.values_list("product_id", flat=True))


def timeline(*, sample: SampleRequest) -> QuerySet[StateLog]:
    """What happened when: every transition, by whom (or which sweep) and why."""
    return StateLog.objects.for_(sample).select_related("by", "by__merchant", "by__membership").order_by("timestamp", "id")  # T2: who in the team


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
    rows = in_scope(SampleRequest.objects.filter(state__in=SampleRequest.OPEN_STATES), merchant, "product__shop", merchant_path="merchant").values("state").annotate(n=Count("pk"))
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
    """V4: requests waiting for a person first, highest triage score first; then the rest, newest first.

    One query with computed sort keys: fine for a handful of rows (the API); the inbox pages
    through `InboxRows`, which reads the same order from two indexes."""
    return qs.annotate(
        waiting=Case(When(state=State.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()),
        rank=Case(When(state=State.REQUESTED, then=F("triage_score")), default=Value(-1), output_field=IntegerField()),
        rest_key=Case(When(state=State.REQUESTED, then=F("decide_by")), default=Value(None), output_field=DateTimeField()),
    ).order_by("waiting", "-rank", "rest_key", "-requested_at", "-id")


WAITING_ORDER = ("-triage_score", "decide_by", "-requested_at", "-id")  # index sample_inbox_waiting
NEWEST_ORDER = ("-requested_at", "-id")  # index sample_inbox_newest


def inbox_requests(*, merchant: Merchant) -> QuerySet[SampleRequest]:
    """The merchant's requests, bare (no join, no annotation): what the inbox filters, counts
    and pages; the page's rows are then read by `inbox_page_rows`."""
    return in_scope(SampleRequest.objects.all(), merchant, "product__shop", merchant_path="merchant")


def inbox_page_rows(ids: list[int]) -> list[SampleRequest]:
    """The rows of one page, in the order of `ids`, with their related objects and the
    creator's record (computed for these rows only)."""
    if not ids:
        return []
    rows = SampleRequest.objects.filter(pk__in=ids).select_related("creator", "product", "product__shop", "triage_rule").order_by()
    by_id = {row.pk: row for row in rows}
    page = [by_id[pk] for pk in ids if pk in by_id]
    record = creator_records({row.creator_id for row in page})
    for row in page:
        row.creator_fulfilled, row.creator_breached = record.get(row.creator_id, (0, 0))
    return page


def creator_records(creator_ids) -> dict[int, tuple[int, int]]:
    """`with_creator_record` for a page's creators in one grouped query (each creator's
    history counted once, not once per request of the page): {creator: (fulfilled, breached)}."""
    out: dict[int, list[int]] = {}
    rows = (
        SampleRequest.objects.filter(creator_id__in=list(creator_ids), state__in=(State.FULFILLED, State.BREACHED))
        .order_by().values("creator_id", "state").annotate(n=Count("*"))
    )
    for row in rows:
        out.setdefault(row["creator_id"], [0, 0])[0 if row["state"] == State.FULFILLED else 1] = row["n"]
    return {pk: (f, b) for pk, (f, b) in out.items()}


class InboxRows:
    """The inbox in V4 order (or newest first) as a sequence the paginator slices: a page's
    ids come from an index (the waiting requests by the partial index on (merchant,
    -triage_score, decide_by, -requested_at, -id), then the others by (merchant,
    -requested_at, -id)), and only that page's rows are read whole. The count is one
    index-only aggregate of the bare filtered requests (no join)."""

    def __init__(self, qs: QuerySet[SampleRequest], *, triage: bool = True):
        self.qs = qs.order_by()
        self.triage = triage

    @cached_property
    def _counts(self) -> tuple[int, int]:
        if not self.triage:
            return self.qs.count(), 0
        counted = self.qs.aggregate(total=Count("pk"), waiting=Count("pk", filter=Q(state=State.REQUESTED)))
        return counted["total"], counted["waiting"]

    def count(self) -> int:
        return self._counts[0]

    def __len__(self) -> int:
        return self.count()

    def _ids(self, qs: QuerySet[SampleRequest], order, start: int, stop: int) -> list[int]:
        # An empty range still asks (one row, dropped): a page costs the same queries
        # wherever it falls against the waiting/rest boundary.
        got = list(qs.order_by(*order).values_list("pk", flat=True)[start:max(stop, start + 1)])
        return got[:max(0, stop - start)]

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("InboxRows is sliced by the paginator only")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        if not self.triage:
            return inbox_page_rows(self._ids(self.qs, NEWEST_ORDER, start, stop))
        waiting = self._counts[1]
        ids = self._ids(self.qs.filter(state=State.REQUESTED), WAITING_ORDER, start, min(stop, waiting))
        ids += self._ids(self.qs.exclude(state=State.REQUESTED), NEWEST_ORDER, max(0, start - waiting), max(0, stop - waiting))
        return inbox_page_rows(ids)


def alliance_products_for_merchant(*, merchant: Merchant) -> QuerySet[Product]:
    """V2: the merchant's products listed in the alliance (where a quota applies), with their quota."""
    return (
        in_scope(Product.objects.filter(alliance_listing__isnull=False), merchant)
        .select_related("shop", "alliance_listing", "sample_quota")
        .order_by("shop__name", "title", "pk")
    )


def get_product_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Product:
    return get_object_or_404(alliance_products_for_merchant(merchant=merchant), pk=pk)


def quota_usage(*, product_ids) -> dict[int, int]:
    """V2: approvals used in each quota's current period, for a page of products (one query)."""
    return dict(with_used(SampleQuota.objects.filter(product_id__in=list(product_ids))).values_list("product_id", "used"))


def _rules_of(merchant: Merchant) -> QuerySet[TriageRule]:
    """V4: the merchant's rules; for a member limited to some shops (T1), the rules of those
    shops and of their products."""
    qs = TriageRule.objects.filter(merchant=merchant)
    shop_ids = getattr(merchant, "scope_shop_ids", None)
    if shop_ids is not None:
        qs = qs.filter(Q(shop__in=shop_ids) | Q(product__shop__in=shop_ids))
    return qs


def triage_rules_for_merchant(*, merchant: Merchant) -> QuerySet[TriageRule]:
    return _rules_of(merchant).select_related("shop", "product").annotate(
        decided=Count("decided_requests")
    ).order_by("-is_active", "-created_at", "-id")


def get_triage_rule_for_merchant_or_404(*, merchant: Merchant, pk: int) -> TriageRule:
    return get_object_or_404(_rules_of(merchant), pk=pk)


def shops_of_merchant(*, merchant: Merchant) -> QuerySet[Shop]:
    return in_scope(Shop.objects.all(), merchant, "pk").order_by("name", "pk")


def blocks_for_merchant(*, merchant: Merchant) -> QuerySet[CreatorBlock]:
    """V5: active blocks first, then the lifted ones (the record stays)."""
    return (
        CreatorBlock.objects.filter(merchant=merchant)
        .select_related("creator", "blocked_by", "lifted_by")
        .order_by("status", "-blocked_at", "-id")
    )


def get_block_for_merchant_or_404(*, merchant: Merchant, pk: int) -> CreatorBlock:
    return get_object_or_404(CreatorBlock.objects.filter(merchant=merchant), pk=pk)


def excused_in_window(*, creator: Creator, since) -> list[SampleRequest]:
    """AP3: the creator's breaches excused on appeal that would otherwise count in V1's window."""
    return list(
        SampleRequest.objects.filter(creator=creator, state=SampleRequest.State.EXCUSED, closed_at__gt=since)
        .select_related("product", "appeal").order_by("-closed_at")
    )


# ---------------------------------------------------------------------------------------
# 批量发货 (issue 24): shipping by spreadsheet or one API call, in the merchant's own scope


def requests_to_ship(*, merchant: Merchant, limit: int) -> QuerySet[SampleRequest]:
    """The approved requests (待发货) the shipping template lists: the S5 deadline nearest first."""
    return (
        inbox_requests(merchant=merchant).filter(state=State.APPROVED)
        .select_related("product", "creator").order_by("ship_cancel_at", "id")[:limit]
    )


def requests_by_id_for_merchant(*, merchant: Merchant, ids) -> dict[int, SampleRequest]:
    """The merchant's requests among `ids` (anyone else's id is simply not found)."""
    qs = inbox_requests(merchant=merchant).filter(pk__in=list(ids)).select_related("product", "creator")
    return {sample.pk: sample for sample in qs}


def ship_sheets_for_merchant(*, merchant: Merchant) -> QuerySet[ShipSheetUpload]:
    return ShipSheetUpload.objects.filter(merchant=merchant)


def get_ship_sheet_for_merchant_or_404(*, merchant: Merchant, pk: int) -> ShipSheetUpload:
    return get_object_or_404(ship_sheets_for_merchant(merchant=merchant).select_related("uploaded_by"), pk=pk)
