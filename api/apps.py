from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open API (/api/v1/), its keys, the order feed in and the webhooks out.

    The top layer: it calls every domain's services and the domains never import it.
    """

    name = "api"
    verbose_name = _("Open API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api.rules import RULES
        from core import rules as registry

        registry.register(*RULES)
        from api import schema  # noqa: F401  (registers the OpenAPI description of the key scheme)

        self._connect_webhooks()

    @staticmethod
    def _connect_webhooks() -> None:
        """Webhooks out: every source of an event, connected here and only here."""
        from django.db.models.signals import post_save
        from django_fsm.signals import post_transition

        from api.webhooks import events
        from core.events import rule_changed, transitions_applied
        from filings.models import FilingAppeal
        from samples.models import ExtensionRequest, SampleAppeal
        from shops.signals import alliance_removed

        post_transition.connect(events.on_post_transition, dispatch_uid="api.webhooks.transition")
        transitions_applied.connect(events.on_transitions_applied, dispatch_uid="api.webhooks.bulk")
        post_save.connect(events.on_extension_saved, sender=ExtensionRequest, dispatch_uid="api.webhooks.extension")
        post_save.connect(events.on_appeal_saved, sender=SampleAppeal, dispatch_uid="api.webhooks.sample_appeal")  # AP5
        post_save.connect(events.on_appeal_saved, sender=FilingAppeal, dispatch_uid="api.webhooks.filing_appeal")  # AP5
        alliance_removed.connect(events.on_alliance_removed, dispatch_uid="api.webhooks.alliance")
        rule_changed.connect(events.on_rule_changed, dispatch_uid="api.webhooks.rule")
