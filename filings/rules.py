"""Filings (报备): the numbers of RULES.md section F.

Declared here, registered with the kernel's registry (`core.rules`) in this app's
`AppConfig.ready()`; read with `core.rules.rules`.
"""

from django.utils.translation import gettext_lazy as _

from core.rules import Rule

RULES = [
    Rule("filing_lead_working_days", 2, "working_days", "F9", _("Filings are submitted at least this many working days before the live"), maximum=60),
]
