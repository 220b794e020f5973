from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Filings (报备)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Everything filings plug into, in one place (the callbacks: filings/receivers.py
        and filings/guards.py)."""
        from core import rules as registry
        from filings import guards, receivers
        from filings.rules import RULES
        from shops import signals
        from shops.guards import register_guard

        registry.register(*RULES)  # F9: the lead in working days
        from core import appeals, workdays
        from filings.calendar import working_day_test

        registry.register(*appeals.RULES)  # AP1, AP2: the appeal window, evidence files, decision due
        # F9's calendar, for every domain's working days (AP2's due date on samples too).
        workdays.register_calendar(working_day_test)
        signals.product_created.connect(receivers.on_product_created, dispatch_uid="filings.f4_created")  # F4
        signals.creator_became_specific.connect(receivers.on_creator_became_specific, dispatch_uid="filings.f4_specific")  # F4 (ours)
        signals.product_taken_up.connect(receivers.on_product_taken_up, dispatch_uid="filings.f6_taken_up")  # F6
        signals.product_edited.connect(receivers.on_product_edited, dispatch_uid="filings.f8_edited")  # F8
        register_guard(guards.lottery_guard, order=5)  # F11: before "off sale", to say why
        register_guard(guards.filing_guard, order=50)  # F1
        from core.todo import register_todo
        from filings import todo

        register_todo("merchant", todo.merchant_board)  # 待报备 and F9's latest dates on /merchant/
        from core.queues import register_queue
        from filings import queues

        register_queue(queues.review_queues)  # what waits for reviewers, on the admin index
        from core.queues import register_queue_charts
        from filings import charts

        register_queue_charts(charts.review_charts, permission="filings.review_filing")  # decisions per week, queue age
        from django.utils.translation import gettext_lazy as _label

        from core.slots import Column, register_column
        from filings import slots

        # F2: each product's filings on the merchant's product list (core.slots), one query a page.
        register_column("merchant.products", Column(_label("Filings (报备)"), slots.product_filings_cells, order=10))
