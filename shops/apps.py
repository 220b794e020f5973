from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_rules(sender, **kwargs):
    from shops.rules import ensure_rule_rows

    ensure_rule_rows()


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("Marketplace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shops import carry  # noqa: F401  (registers the marketplace's carry guards)
        from shops import impact  # noqa: F401  (registers the core's alliance-removal impact counters, D2/D3)

        post_migrate.connect(_ensure_rules, sender=self)
