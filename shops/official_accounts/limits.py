"""C1–C4: what official accounts may carry, as a guard of the carry gate (shops.guards).

The platform's messages (RULES.md 「」) are a contract: shown word for word, with the
full-width "，" and "～". Each lives in one constant holding that exact Chinese and an
English rendering; which one a person sees follows the active language. Keeping the
exact wording out of the .po catalogue means no translator or fuzzy match can alter it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.functional import lazy

from core.rules import rules
from shops.guards import CarryAttempt, is_own_product
from shops.models import PROFESSIONAL_SHOP_TYPES, Creator, LiveCartItem, LiveSession, ShopTypeChange


class PlatformMessage:
    """A message the platform words exactly: `zh` verbatim, `en` for English users."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        self.lazy = lazy(self._pick, str)()

    def _pick(self) -> str:
        lang = (translation.get_language() or settings.LANGUAGE_CODE).lower()
        return self.zh if lang.startswith("zh") else self.en

    def __str__(self) -> str:
        return self._pick()


# C1 / C3
C1_LIMIT_MESSAGE = PlatformMessage(
    "累计添加联盟商品数已达上限，请添加您店铺的商品喔～",
    "You have reached the limit of alliance products you can add. Please add your own shop's products.",
)
# C4
C4_SHOP_TYPE_MESSAGE = PlatformMessage(
    "您的店铺类型暂不支持添加联盟商品，请添加自己店铺商品",
    "Your shop type does not support adding alliance products. Please add your own shop's products.",
)


def carry_limits_apply(creator: Creator) -> bool:
    """C1–C4 bind this account: official (C5), switched on for it (C6), shop not cross-border (C1, ours)."""
    if not creator.is_official_account or not creator.carry_limits_on:
        return False
    return not creator.bound_shop.is_cross_border


def shop_type_for_session(shop, session: LiveSession | None) -> str:
    """The shop type that governs a session (C5: a change gives C2 to sessions that go live after it).

    A session already live keeps the type that was in force when it went live; any other
    session follows the shop's current type.
    """
    if session is None or session.went_live_at is None:
        return shop.shop_type
    first_change_after = (
        ShopTypeChange.objects.filter(shop=shop, changed_at__gt=session.went_live_at).order_by("changed_at", "id").first()
    )
    return first_change_after.old_type if first_change_after else shop.shop_type


def counted_non_own_product_ids(session: LiveSession, bound_shop_id: int) -> set[int]:
    """C3: the distinct non-own products that count against the session's limit.

    Before going live only the cart as it is now counts (replacements are free). Once
    live, every non-own product that was in the cart at go-live or was added after counts,
    removed or not: items removed before went_live_at are the only ones that drop out.
    """
    items = LiveCartItem.objects.filter(session=session).exclude(product__shop_id=bound_shop_id)
    if session.went_live_at is None:
        items = items.filter(removed_at__isnull=True)
    else:
        items = items.filter(Q(removed_at__isnull=True) | Q(removed_at__gte=session.went_live_at))
    return set(items.values_list("product_id", flat=True).distinct())


def official_account_limits(attempt: CarryAttempt) -> None:
    """C1–C4, for official accounts whose limits are on (C6) and whose shop is not cross-border."""
    creator = attempt.creator
    if not carry_limits_apply(creator) or is_own_product(attempt):
        return
    if attempt.place in ("showcase", "video"):
        # C4: showcases and short videos of any official account carry own products only.
        raise ValidationError(C4_SHOP_TYPE_MESSAGE.lazy, code="c4")
    shop = creator.bound_shop
    if shop_type_for_session(shop, attempt.session) in PROFESSIONAL_SHOP_TYPES:
        # C1: professional shops' official accounts sell only their own products live.
        raise ValidationError(C1_LIMIT_MESSAGE.lazy, code="c1")
    if not rules.flag("official_limits_non_professional"):
        return
    # C2/C3: at most N distinct non-own products per session; re-adding a counted one is fine.
    # The caller (shops.services.cart_add) holds the session's row lock, so concurrent
    # adds to one cart are counted one after the other.
    counted = counted_non_own_product_ids(attempt.session, shop.pk)
    if attempt.product.pk in counted:
        return
    if len(counted) >= rules.count("official_non_own_per_session"):
        raise ValidationError(C1_LIMIT_MESSAGE.lazy, code="c3")
