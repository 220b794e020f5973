"""Reads for official accounts (C1–C6), scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.rules import rules
from shops.models import PROFESSIONAL_SHOP_TYPES, Creator, LiveSession, Merchant, Product, Shop, ShowcaseItem
from shops.official_accounts.limits import carry_limits_apply, counted_non_own_product_ids, shop_type_for_session
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
