"""What flash sales plug into the marketplace core (connected in FlashsalesConfig.ready()).

- D3: the buyers an alliance-removal announcement reaches are the viewers who bought the
  product in a flash sale (buyers only: flash sales have no notion of "following" a
  product). Viewers are not users, so the announcement is delivered into their inbox
  (ViewerMessage, shown in their live room), and the confirmation page counts them.
- FS3/FS6: when a live session ends (`shops.signals.live_session_ended`), its open flash
  sales end with it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _buyers(product):
    from flashsales import selectors

    return selectors.viewers_who_bought_product(product=product)


def _deliver(*, recipient, title: str, body: str, dedupe_key: str) -> bool:
    from flashsales import services

    return services.viewer_message_deliver(viewer=recipient, title=title, body=body, dedupe_key=dedupe_key) is not None


def _buyer_count(product) -> int:
    from flashsales import selectors

    return selectors.viewers_who_bought_product(product=product).count()


def _end_flash_sales(sender, session, by=None, **kwargs) -> None:
    from flashsales import services

    services.flash_sales_end_with_session(session=session, by=by)


def _orders_of_merchant(merchant_id: int):
    from flashsales.models import FlashSaleOrder

    return FlashSaleOrder.objects.filter(flash_sale__product__shop__merchant_id=merchant_id)


def sales_source():
    """V10: flash-sale orders, as an order source for the return on samples."""
    from django.db.models import DecimalField, ExpressionWrapper, F

    from shops.sales import SalesSource

    return SalesSource(
        channel="flash", orders_of_merchant=_orders_of_merchant,
        creator="flash_sale__session__creator_id", product="flash_sale__product_id", time="created_at",
        amount=ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField(max_digits=16, decimal_places=2)),
    )


def connect() -> None:
    from shops import sales, signals
    from shops.alliance_removal import impact

    sales.register_sales_source(sales_source())

    impact.register_buyer_audience("flash_sales", _buyers, deliver=_deliver)
    impact.register_counter(
        "flash_sale_buyers", _("Flash-sale buyers (an announcement to buyers reaches them)"), _buyer_count, order=60
    )
    signals.live_session_ended.connect(_end_flash_sales, dispatch_uid="flashsales.end_with_session")
