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
