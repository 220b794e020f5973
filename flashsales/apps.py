from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashsalesConfig(AppConfig):
    name = "flashsales"
    verbose_name = _("Flash sales (闪购)")

    def ready(self) -> None:
        """Everything flash sales plug into, in one place (the callbacks: flashsales/receivers.py)."""
        from core import rules as registry
        from flashsales import receivers
        from flashsales.rules import RULES
        from shops import sales, signals
        from shops.alliance_removal import impact

        registry.register(*RULES)  # FS5: the caps per product
        from core.queues import register_queue
        from flashsales import queues

        register_queue(queues.review_queues)  # what waits for reviewers, on the admin index
        sales.register_sales_source(receivers.sales_source())  # V10: flash-sale orders in the return on samples
        impact.register_buyer_audience("flash_sales", receivers.buyers, deliver=receivers.deliver_to_viewer)  # D3
        impact.register_counter(
            "flash_sale_buyers", _("Flash-sale buyers (an announcement to buyers reaches them)"), receivers.buyer_count, order=60
        )  # D3: counted on the confirmation page
        signals.live_session_ended.connect(
            receivers.end_flash_sales_with_session, dispatch_uid="flashsales.end_with_session"
        )  # FS3/FS6: open flash sales end with their session
        from core.slots import register_slot

        # Pages of lower layers that show flash sales (core.slots): the menus and the live room.
        register_slot("nav.creator", "flashsales/_nav_creator.html")
        register_slot("nav.merchant", "flashsales/_nav_merchant.html")
        register_slot("live_session.creator", "flashsales/_session_link.html")  # FS1: the console of a live room
