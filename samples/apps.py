from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _rule_text(text, key) -> str:
    from core.actors import rule_amount

    return str(text) % {"amount": rule_amount(key)} if key else str(text)


class SamplesConfig(AppConfig):
    name = "samples"
    verbose_name = _("Samples (样品服务)")

    def ready(self) -> None:
        from core import rules as registry
        from samples.rules import RULES

        registry.register(*RULES)  # S, V
        from core import appeals

        registry.register(*appeals.RULES)  # AP1, AP2 (filings registers the same ones)
        from core.clocks import register_clock
        from samples.clocks import CLOCKS

        for clock in CLOCKS:  # S4–S7, V7: the sweeps, lag metrics, next deadlines and boards read them
            register_clock(clock)
        from core.todo import register_todo
        from samples import messages as msg
        from samples import selectors, todo
        from samples.policy import eligibility
        from samples.services import alliance
        from shops import sample_switch, signals
        from shops.alliance_removal import impact

        # D2: the removal confirmation page counts the product's open sample requests.
        impact.register_counter("open_samples", msg.IMPACT_OPEN_SAMPLES, selectors.count_open_requests_of_product, order=40)
        # D3 (ours): creators with open sample requests are told when a removal is scheduled and done.
        impact.register_creator_audience("samples", selectors.creators_with_open_requests)
        # D4 (ours): requests awaiting a decision are closed when the product leaves the alliance.
        # S2: the merchant's sample switch refuses cross-border and virtual products while the platform does.
        sample_switch.register_sample_check(eligibility.product_kind_refusal)
        # The to-do boards: 待审核 / 待发货 / 即将超时 for merchants, 待确认收货 / 待推广 for creators.
        register_todo("merchant", todo.merchant_board)
        register_todo("creator", todo.creator_board)
        from core.queues import register_queue
        from samples import queues

        register_queue(queues.review_queues)  # what waits for reviewers, on the admin index
        from core.slots import register_slot
        from samples import slots

        # Lower layers' pages that show samples (core.slots): S2's offer on the marketplace, V10 on the dashboard.
        register_slot("marketplace.offer_badge", "samples/includes/offer_badge.html")
        register_slot("marketplace.offer_detail", "samples/includes/offer_detail.html")
        register_slot("merchant.dashboard.cards", "samples/includes/returns_card.html", prepare=slots.returns_card)

        from core.actors import register_system_task

        # #22: histories name a sweep by its rule (「系统（S5 未在 120 小时内发货，自动取消）」).
        for task, (text, key) in msg.SYSTEM_TASKS.items():
            register_system_task(task, partial(_rule_text, text, key))
        signals.alliance_removed.connect(alliance.on_alliance_removed, dispatch_uid="samples.on_alliance_removed")
