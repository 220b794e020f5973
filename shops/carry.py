"""The marketplace's own carry guards: what any creator may put in a cart, showcase or video."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shops.guards import CarryAttempt, register_guard
from shops.models import AllianceListing, Product, Shop


def is_own_product(attempt: CarryAttempt) -> bool:
    """Own product = owned by the creator's bound shop (RULES.md section 0)."""
    return attempt.creator.bound_shop_id is not None and attempt.product.shop_id == attempt.creator.bound_shop_id


def product_available(attempt: CarryAttempt) -> None:
    product = attempt.product
    if product.shop.status != Shop.Status.OPEN:
        raise ValidationError(_("This product's shop is closed."))
    if product.sale_status != Product.SaleStatus.ON_SALE:
        raise ValidationError(_("This product is off sale (下架) and cannot be carried."))
    if not is_own_product(attempt):
        listing = AllianceListing.objects.filter(product=product).first()
        if listing is None or listing.status != AllianceListing.Status.LISTED:
            raise ValidationError(_("This product is not listed in the alliance (精选联盟)."))


register_guard(product_available, order=10)
