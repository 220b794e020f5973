from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Filings (报备)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import rules as registry
        from filings.rules import RULES

        registry.register(*RULES)  # F9
        from filings import guards, receivers
        from shops import signals
        from shops.guards import register_guard

        signals.product_created.connect(receivers.on_product_created, dispatch_uid="filings.f4_created")
        signals.creator_became_specific.connect(receivers.on_creator_became_specific, dispatch_uid="filings.f4_specific")
        signals.product_taken_up.connect(receivers.on_product_taken_up, dispatch_uid="filings.f6_taken_up")
        signals.product_edited.connect(receivers.on_product_edited, dispatch_uid="filings.f8_edited")
        register_guard(guards.lottery_guard, order=5)  # F11: before "off sale", to say why
        register_guard(guards.filing_guard, order=50)  # F1
