from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashsalesConfig(AppConfig):
    name = "flashsales"
    verbose_name = _("Flash sales (闪购)")

    def ready(self) -> None:
        from core import rules as registry
        from flashsales.rules import RULES

        registry.register(*RULES)  # FS5
        from flashsales import hooks

        hooks.connect()  # D3 buyers of flash sales; FS3/FS6 flash sales end with their session
