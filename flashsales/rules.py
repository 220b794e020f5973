"""Flash sales (闪购): the numbers of RULES.md section FS.

Declared here, registered with the kernel's registry (`core.rules`) in this app's
`AppConfig.ready()`; read with `core.rules.rules`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.rules import Rule

RULES = [
    Rule("fs_full_cap", 20, "count", "FS5", _("Full flash sales per product, at most"), maximum=10_000, counts=pgettext_lazy("rule unit", "flash sales")),
    Rule("fs_targeted_cap", 100, "count", "FS5", _("Targeted flash sales per product, at most"), maximum=10_000, counts=pgettext_lazy("rule unit", "flash sales")),
]
