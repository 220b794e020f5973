"""Every read a workspace does, scoped to the person asking."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from shops.models import (
    AllianceListing,
    Creator,
    LiveCartItem,
    LiveSession,
    Merchant,
    Product,
    Shop,
    ShortVideo,
    ShowcaseItem,
)
from shops.official_accounts.limits import carry_limits_apply
from shops.teams import in_scope


def shops_for_merchant(*, merchant: Merchant) -> QuerySet[Shop]:
    return in_scope(Shop.objects.all(), merchant, "pk").annotate(product_count=Count("products"))


def get_shop_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Shop:
    return get_object_or_404(in_scope(Shop.objects.all(), merchant, "pk"), pk=pk)


def products_for_merchant(*, merchant: Merchant) -> QuerySet[Product]:
    return (
        in_scope(Product.objects.all(), merchant)
        .select_related("shop", "category", "alliance_listing")
        .order_by("-created_at", "-id")
    )


def get_product_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Product:
    return get_object_or_404(products_for_merchant(merchant=merchant), pk=pk)


def marketplace_listings() -> QuerySet[AllianceListing]:
    """选品广场: listed alliance products of open shops, on sale."""
    return (
        AllianceListing.objects.filter(
            status=AllianceListing.Status.LISTED,
            product__sale_status=Product.SaleStatus.ON_SALE,
            product__shop__status=Shop.Status.OPEN,
        )
        .select_related("product", "product__shop", "product__category", "product__shop__merchant")
        .order_by("-listed_at", "-id")
    )


def get_marketplace_listing_or_404(*, pk: int) -> AllianceListing:
    return get_object_or_404(marketplace_listings(), pk=pk)


def sessions_for_creator(*, creator: Creator) -> QuerySet[LiveSession]:
    return LiveSession.objects.filter(creator=creator).select_related("pk_partner", "pk_partner__creator").annotate(
        active_items=Count("cart_items", filter=Q(cart_items__removed_at__isnull=True))
    ).order_by("-scheduled_start", "-id")  # a GROUP BY drops Meta.ordering: the pages would be unordered


def get_session_for_creator_or_404(*, creator: Creator, pk: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.filter(creator=creator).select_related("creator"), pk=pk)


def cart_items_for_session(*, session: LiveSession) -> QuerySet[LiveCartItem]:
    return session.cart_items.select_related("product", "product__shop", "product__category").order_by("added_at", "id")


def showcase_for_creator(*, creator: Creator) -> QuerySet[ShowcaseItem]:
    return ShowcaseItem.objects.filter(creator=creator, removed_at__isnull=True).select_related(
        "product", "product__shop", "product__category"
    )


def videos_for_creator(*, creator: Creator) -> QuerySet[ShortVideo]:
    return ShortVideo.objects.filter(creator=creator).prefetch_related("cart_items__product")


def carriable_products_for_creator(*, creator: Creator, place: str | None = None) -> QuerySet[Product]:
    """What a creator may pick from: their bound shop's products and listed alliance products.

    With `place` ("showcase", "video", "live") the list also leaves out what the carry
    limits would refuse there: C4 — no non-own products for an official account's
    showcase or videos; C1 — none in a professional shop's account's live sessions.
    """
    own = Q(shop_id=creator.bound_shop_id) if creator.bound_shop_id else Q(pk__in=[])
    alliance = Q(alliance_listing__status=AllianceListing.Status.LISTED)
    if place is not None and carry_limits_apply(creator):
        if place in ("showcase", "video") or (place == "live" and creator.bound_shop.is_professional):
            alliance = Q(pk__in=[])
    return (
        Product.objects.filter(own | alliance, sale_status=Product.SaleStatus.ON_SALE, shop__status=Shop.Status.OPEN)
        .select_related("shop", "category")
        .order_by("title", "id")
    )
