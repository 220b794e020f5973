from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("Marketplace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import rules as registry
        from shops import (
            carry,  # noqa: F401  (registers the marketplace's carry guards)
            impact,  # noqa: F401  (registers the core's alliance-removal impact counters, D2/D3)
        )
        from shops.rules import RULES

        registry.register(*RULES)  # C2
