from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("Marketplace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The one place the marketplace wires itself: its rules, its guards of the carry gate and
        its alliance-removal providers. Other apps add theirs in their own ready()."""
        from core import rules as registry
        from shops.alliance_removal import impact
        from shops.alliance_removal import selectors as removal
        from shops.guards import product_available, register_guard
        from shops.official_accounts.limits import official_account_limits
        from shops.rules import RULES
        from shops.sales import register_sales_source

        registry.register(*RULES)  # C2
        from shops import teams

        teams.connect()  # T1: who holds a seat in a merchant's team, and what it may do
        from core.clocks import Clock, register_clock

        # D2: a scheduled removal from the alliance is carried out at its time.
        register_clock(Clock("d2_removal", "D2", "shops.AllianceRemoval", "scheduled_at", _("takes effect at"),
                             transition="carry_out", task="shops.tasks.alliance_removals_sweep", index_name="alliance_removal_due"))

        # The carry gate (shops.guards): open shop, on sale, listed unless own (D4); then C1–C4.
        register_guard(product_available, order=10)
        register_guard(official_account_limits, order=20)

        # D2/D3: what taking a product out of the alliance touches on the marketplace's side.
        impact.register_counter("showcases", _("Showcases carrying it (it will be removed)"), removal.count_showcases_affected, order=10)
        impact.register_counter(
            "scheduled_carts", _("Carts of scheduled live sessions (it will be removed)"), removal.count_scheduled_carts_affected, order=20
        )
        impact.register_counter("live_carts", _("Carts of sessions live now (they keep it until they end)"), removal.count_live_carts_keeping, order=30)
        impact.register_creator_audience("shops", removal.creators_carrying)

        # V10: live-cart and video orders from the order feed (shops.orders), net of refunds.
        from shops.orders import channel_sales_source

        register_sales_source(channel_sales_source("live"))
        register_sales_source(channel_sales_source("video"))
