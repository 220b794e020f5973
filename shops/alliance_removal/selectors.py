"""Reads for taking products out of the alliance (D1–D4), scoped to the person asking; and the
marketplace's own impact counters and creator audience (registered in ShopsConfig.ready())."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.ids import parse_id
from shops.models import AllianceListing, AllianceRemoval, Creator, LiveCartItem, LiveSession, Merchant, Product, ShowcaseItem
from shops.teams import in_scope


def _not_own(prefix: str, product: Product) -> Q:
    """Carriers for whom the product is non-own: its own shop's official account keeps it (own products
    need no alliance listing)."""
    return ~Q(**{f"{prefix}bound_shop_id": product.shop_id}) | Q(**{f"{prefix}bound_shop__isnull": True})


def showcase_items_affected(product: Product) -> QuerySet[ShowcaseItem]:
    return ShowcaseItem.objects.filter(product=product, removed_at__isnull=True).filter(_not_own("creator__", product))


def cart_items_affected(product: Product) -> QuerySet[LiveCartItem]:
    """D4: carts of sessions not yet live lose the product."""
    return LiveCartItem.objects.filter(
        product=product, removed_at__isnull=True, session__status=LiveSession.Status.SCHEDULED
    ).filter(_not_own("session__creator__", product))


def live_cart_items_kept(product: Product) -> QuerySet[LiveCartItem]:
    """D4: a session already live keeps the product until it ends."""
    return LiveCartItem.objects.filter(
        product=product, removed_at__isnull=True, session__status=LiveSession.Status.LIVE
    ).filter(_not_own("session__creator__", product))


def creators_carrying(product: Product) -> QuerySet[Creator]:
    """D3 (ours): creators with the product in their showcase or in the cart of a scheduled session."""
    showcase = showcase_items_affected(product).values("creator_id")
    carts = cart_items_affected(product).values("session__creator_id")
    return Creator.objects.filter(Q(pk__in=showcase) | Q(pk__in=carts)).select_related("user")


# D2: the marketplace's counters on the confirmation page.


def count_showcases_affected(product: Product) -> int:
    return showcase_items_affected(product).count()


def count_scheduled_carts_affected(product: Product) -> int:
    return cart_items_affected(product).count()


def count_live_carts_keeping(product: Product) -> int:
    return live_cart_items_kept(product).count()


def alliance_products_for_merchant(*, merchant: Merchant) -> QuerySet[AllianceListing]:
    """D1: the merchant's alliance page — listings with what carries them."""
    scheduled = AllianceRemoval.objects.filter(status=AllianceRemoval.Status.SCHEDULED)
    return (
        in_scope(AllianceListing.objects.all(), merchant, "product__shop")
        .select_related("product", "product__shop")
        .prefetch_related(Prefetch("removals", queryset=scheduled, to_attr="scheduled_removals"))
        .annotate(
            showcase_count=Count("product__showcase_items", filter=Q(product__showcase_items__removed_at__isnull=True), distinct=True),
            cart_count=Count(
                "product__live_cart_items",
                filter=Q(product__live_cart_items__removed_at__isnull=True)
                & ~Q(product__live_cart_items__session__status=LiveSession.Status.ENDED),
                distinct=True,
            ),
        )
        .order_by("status", "-listed_at", "-id")
    )


def listings_for_removal(*, merchant: Merchant, product_ids: list) -> list[AllianceListing]:
    """D1: the listed products (of this merchant only) a confirmation page is about."""
    ids = [i for i in (parse_id(str(p)) for p in product_ids) if i]
    return list(
        in_scope(AllianceListing.objects.filter(product_id__in=ids, status=AllianceListing.Status.LISTED), merchant, "product__shop")
        .select_related("product", "product__shop", "product__category")
        .order_by("product__title", "id")
    )


def removals_for_merchant(*, merchant: Merchant) -> QuerySet[AllianceRemoval]:
    return (
        in_scope(AllianceRemoval.objects.all(), merchant, "listing__product__shop")
        .select_related("listing", "listing__product", "listing__product__shop", "created_by")
        .annotate(announcement_count=Count("announcements"))
        .order_by("-created_at", "-id")
    )


def get_removal_for_merchant_or_404(*, merchant: Merchant, pk: int) -> AllianceRemoval:
    return get_object_or_404(removals_for_merchant(merchant=merchant), pk=pk)


def removal_panel_for_product(*, product: Product) -> dict:
    """The product page's alliance-removal box: a scheduled removal, or D4's off-sale prompt."""
    listing = getattr(product, "alliance_listing", None)
    if listing is None:
        return {}
    removals = list(listing.removals.order_by("-created_at", "-id")[:5])
    scheduled = next((r for r in removals if r.status == AllianceRemoval.Status.SCHEDULED), None)
    last_done = next((r for r in removals if r.status == AllianceRemoval.Status.DONE), None)
    prompt_off_sale = (
        listing.status == AllianceListing.Status.OUT and last_done is not None and product.sale_status == Product.SaleStatus.ON_SALE
    )
    return {"listing": listing, "scheduled": scheduled, "last_done": last_done, "prompt_off_sale": prompt_off_sale}
