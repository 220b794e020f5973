"""Reads for official accounts (C1–C6), scoped to the person asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.rules import rules
from shops.models import PROFESSIONAL_SHOP_TYPES, Creator, LiveCartItem, LiveSession, Merchant, Product, Shop, ShowcaseItem
from shops.official_accounts.limits import C1_LIMIT_MESSAGE, C4_SHOP_TYPE_MESSAGE, carry_limits_apply, counted_non_own_product_ids, shop_type_for_session
from shops.selectors import carriable_products_for_creator


def carry_status_for_session(*, session: LiveSession) -> dict:
    """What the creator's session page shows about C1–C3: the non-own slots used and left."""
    creator = session.creator
    if not carry_limits_apply(creator):
        return {"limited": False}
    shop = creator.bound_shop
    if shop_type_for_session(shop, session) in PROFESSIONAL_SHOP_TYPES:
        return {"limited": True, "professional": True}
    if not rules.flag("official_limits_non_professional"):
        return {"limited": False}
    cap = rules.count("official_non_own_per_session")
    used = len(counted_non_own_product_ids(session, shop.pk))
    return {
        "limited": True, "professional": False, "cap": cap, "used": used, "left": max(cap - used, 0),
        "locked_in": session.went_live_at is not None,
    }


def showcase_addable_products_for_creator(*, creator: Creator) -> QuerySet[Product]:
    """C4: what the showcase manager offers — non-own products (even ones carried live)
    are left out for an official account whose limits are on."""
    qs = carriable_products_for_creator(creator=creator)
    if carry_limits_apply(creator):
        qs = qs.filter(shop_id=creator.bound_shop_id)
    on_showcase = ShowcaseItem.objects.filter(creator=creator, removed_at__isnull=True).values("product_id")
    return qs.exclude(pk__in=on_showcase)


def get_creator_with_shop(*, creator: Creator) -> Creator:
    return Creator.objects.select_related("bound_shop").get(pk=creator.pk)


def get_shop_for_merchant_or_404(*, merchant: Merchant, pk: int) -> Shop:
    return get_object_or_404(Shop.objects.filter(merchant=merchant).select_related("official_account"), pk=pk)


def live_cart_choices(*, session: LiveSession, limit: int = 50) -> dict:
    """C1–C3 before the click: what the session's "add a product" list offers, split into the
    account's own products and alliance products, leaving out what is already in the cart and
    what the carry gate would refuse (a professional shop's account: no alliance products;
    all non-own slots used: only the non-own products already counted, which may come back)."""
    creator = session.creator
    status = carry_status_for_session(session=session)
    in_cart = LiveCartItem.objects.filter(session=session, removed_at__isnull=True).values("product_id")
    qs = carriable_products_for_creator(creator=creator, place="live").exclude(pk__in=in_cart)
    own_shop = creator.bound_shop_id
    if status.get("limited") and not status.get("professional") and status["left"] == 0:
        counted = counted_non_own_product_ids(session, own_shop)
        qs = qs.filter(Q(shop_id=own_shop) | Q(pk__in=counted))
    products = list(qs[:limit])
    return {
        "own": [p for p in products if own_shop and p.shop_id == own_shop],
        "other": [p for p in products if not own_shop or p.shop_id != own_shop],
        "status": status,
        "own_shop_id": own_shop,
    }


def carry_outlook(*, creator: Creator, product: Product) -> dict:
    """C1, C2, C4 on a marketplace product, before any click: where this official account may
    carry a non-own product. `never` is true when it may carry it nowhere (a professional
    shop's account: not live by C1, not in the showcase or videos by C4)."""
    if not creator.bound_shop_id or product.shop_id == creator.bound_shop_id or not carry_limits_apply(creator):
        return {"limited": False, "never": False}
    professional = creator.bound_shop.shop_type in PROFESSIONAL_SHOP_TYPES
    live_capped = not professional and rules.flag("official_limits_non_professional")
    return {
        "limited": True,
        "never": professional,
        "showcase_message": str(C4_SHOP_TYPE_MESSAGE),
        "live_message": str(C1_LIMIT_MESSAGE) if professional else "",
        "cap": rules.count("official_non_own_per_session") if live_capped else None,
    }
