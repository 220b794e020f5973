from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_rules(sender, **kwargs):
    from core.rules import ensure_rule_rows

    ensure_rule_rows()


class CoreConfig(AppConfig):
    """The kernel: knows no domain. Domains register their rules, guards and hooks with it."""

    name = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import rules as registry

        # #22: how long opening a queue item holds it for the reviewer (领取).
        registry.register(
            registry.Rule("review_claim", 15, "minutes", "#22", _("A reviewer who opens a queue item holds it for"), maximum=120)
        )
        # Runs after every app's ready(), so every domain's rules are registered by then.
        post_migrate.connect(_ensure_rules, sender=self)
        from core import historical_models

        historical_models.install()
