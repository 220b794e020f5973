"""What flash sales plug into the marketplace: the callbacks shops' registries and signals
call. Registered in one place, FlashsalesConfig.ready(); nothing here registers itself.

- D3: the buyers an alliance-removal announcement reaches are the viewers who bought the
  product in a flash sale (buyers only: flash sales have no notion of "following" a
  product). Viewers are not users, so the announcement is delivered into their inbox
  (ViewerMessage, shown in their live room), and the confirmation page counts them.
- V10: flash-sale orders are an order source for the return on samples.
- FS3/FS6: when a live session ends (`shops.signals.live_session_ended`), its open flash
  sales end with it.
"""

from __future__ import annotations

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet

from flashsales import selectors, services
from flashsales.models import FlashSaleOrder, Viewer
from shops.sales import SalesSource


def buyers(product) -> QuerySet[Viewer]:
    """D3: who an announcement about `product` reaches."""
    return selectors.viewers_who_bought_product(product=product)


def buyer_count(product) -> int:
    """D3: how many buyers the confirmation page says an announcement reaches."""
    return selectors.viewers_who_bought_product(product=product).count()


def deliver_to_viewer(*, recipient: Viewer, title: str, body: str, dedupe_key: str) -> bool:
    """D3: put the announcement in the viewer's inbox; False when it was already there."""
    return services.viewer_message_deliver(viewer=recipient, title=title, body=body, dedupe_key=dedupe_key) is not None


def end_flash_sales_with_session(sender, session, by=None, **kwargs) -> None:
    """FS3/FS6: receiver of `live_session_ended`, inside live_session_end's transaction."""
    services.flash_sales_end_with_session(session=session, by=by)


def _orders_of_merchant(merchant_id: int) -> QuerySet[FlashSaleOrder]:
    return FlashSaleOrder.objects.filter(flash_sale__product__shop__merchant_id=merchant_id)


def sales_source() -> SalesSource:
    """V10: flash-sale orders, as an order source for the return on samples."""
    return SalesSource(
        channel="flash", orders_of_merchant=_orders_of_merchant, all_orders=FlashSaleOrder.objects.all,
        creator="flash_sale__session__creator_id", product="flash_sale__product_id", time="created_at",
        amount=ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=16, decimal_places=2)),
    )
