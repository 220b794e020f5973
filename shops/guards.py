"""The carry gate: the one place every "add a product to a live cart, a showcase or a short
video" passes, and the marketplace's own base guard.

Guards are registered in the AppConfig.ready() of the app that owns them (shops: the base
guard and C1–C4; filings: F1 and F11). A guard raises
django.core.exceptions.ValidationError with the message the person sees; the first refusal
wins and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.registry import registry
from shops.models import AllianceListing, Creator, LiveSession, Product, Shop, ShortVideo


@dataclass(frozen=True)
class CarryAttempt:
    creator: Creator
    product: Product
    place: str  # "live" | "showcase" | "video"
    session: LiveSession | None = None
    video: ShortVideo | None = None


Guard = Callable[[CarryAttempt], None]
_guards = registry("shops.carry_guards")


def register_guard(guard: Guard, *, order: int = 100) -> Guard:
    return _guards.add(guard, order=order)


def check_carry(attempt: CarryAttempt) -> None:
    for guard in _guards:
        guard(attempt)


# ---------------------------------------------------------------------------------------
# The marketplace's base guard: what any creator may put in a cart, showcase or video.


def is_own_product(attempt: CarryAttempt) -> bool:
    """Own product = owned by the creator's bound shop (RULES.md section 0)."""
    return attempt.creator.bound_shop_id is not None and attempt.product.shop_id == attempt.creator.bound_shop_id


def product_available(attempt: CarryAttempt) -> None:
    """The shop is open, the product on sale, and a non-own product listed in the alliance (D4)."""
    product = attempt.product
    if product.shop.status != Shop.Status.OPEN:
        raise ValidationError(_("This product's shop is closed."))
    if product.sale_status != Product.SaleStatus.ON_SALE:
        raise ValidationError(_("This product is off sale (下架) and cannot be carried."))
    if not is_own_product(attempt):
        listing = AllianceListing.objects.filter(product=product).first()
        if listing is None or listing.status != AllianceListing.Status.LISTED:
            raise ValidationError(_("This product is not listed in the alliance (精选联盟)."))
