"""The marketplace: the numbers and policies of RULES.md section C (official accounts).

Declared here, registered with the kernel's registry (`core.rules`) in this app's
`AppConfig.ready()`; read with `core.rules.rules`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.rules import Rule

RULES = [
    Rule("official_non_own_per_session", 3, "count", "C2", _("Non-own products a non-professional official account may carry per live session"), maximum=1_000, counts=pgettext_lazy("rule unit", "products")),
    Rule("official_limits_non_professional", 1, "flag", "C2", _("Non-professional official accounts are limited in live sessions")),
]
