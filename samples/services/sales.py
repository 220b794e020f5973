"""V10: the orders a creator's live cart or video brought (the platform's order feed; here
the demo and tests), which the return-on-samples report (samples.returns) reads."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fsm import full_clean
from samples import messages as msg
from samples.models import PromotionSale
from shops.models import Creator, LiveSession, Product, ShortVideo


@transaction.atomic
def promotion_sale_record(
    *, creator: Creator, product: Product, quantity: int, amount, session: LiveSession | None = None,
    video: ShortVideo | None = None, sold_at: datetime | None = None,
) -> PromotionSale:
    """Record one live-cart or video order (the platform's order feed; here the demo and tests).
    The product must have been in that session's or video's cart, of that creator."""
    if (session is None) == (video is None):
        raise ValidationError(_("Give either the live session or the video the order came from."))
    if session is not None:
        if session.creator_id != creator.pk:
            raise ValidationError(msg.SALE_NOT_CREATORS)
        if not session.cart_items.filter(product_id=product.pk).exists():
            raise ValidationError(msg.SALE_NOT_IN_CART)
        channel = PromotionSale.Channel.LIVE
    else:
        if video.creator_id != creator.pk:
            raise ValidationError(msg.SALE_NOT_CREATORS)
        if not video.cart_items.filter(product_id=product.pk).exists():
            raise ValidationError(msg.SALE_NOT_IN_CART)
        channel = PromotionSale.Channel.VIDEO
    sale = PromotionSale(
        creator=creator, product=product, channel=channel, session=session, video=video, quantity=quantity,
        amount=Decimal(str(amount)), sold_at=sold_at or timezone.now(),
    )
    full_clean(sale)
    sale.save()
    return sale
