"""The platform rules object: every number and on/off policy of RULES.md, in one place.

Code asks `rules.duration("sample_decide")`, `rules.count("fs_full_cap")` or
`rules.flag("samples_cross_border")`; never a literal. The defaults below are the
platform's; staff change the live value in the admin (Platform rules), which records
who changed what and when. A clock reads the value when it starts and stores the
deadline on its row, so a change applies to clocks started after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    value: int
    unit: str  # one of RuleSetting.Unit
    rule_id: str
    description: str


RULES: dict[str, Rule] = {
    r.key: r
    for r in [
        # F. Filings
        Rule("filing_lead_working_days", 2, "working_days", "F9", _("Filings are submitted at least this many working days before the live")),
        # S. Samples
        Rule("sample_decide", 48, "hours", "S4", _("Merchant decides on a sample request within")),
        Rule("sample_ship", 48, "hours", "S5", _("Merchant ships an approved sample within")),
        Rule("sample_ship_cancel", 120, "hours", "S5", _("An approved sample not shipped by then is cancelled")),
        Rule("sample_auto_receive", 168, "hours", "S6", _("Receipt is confirmed automatically after shipping")),
        Rule("sample_fulfil", 360, "hours", "S7", _("Creator starts promoting within this time of receipt")),
        Rule("sample_video_keep", 7, "days", "S7", _("A promotion video stays published with the product in its cart")),
        Rule("sample_live_keep", 3, "minutes", "S7", _("A live promotion keeps the product in the cart for at least")),
        Rule("samples_cross_border", 0, "flag", "S2", _("Cross-border products support samples")),
        Rule("samples_virtual", 0, "flag", "S2", _("Virtual products support samples")),
        Rule("sample_min_live_viewers", 10, "count", "V8", _("A live promotion counts only with at least this many viewers")),
        Rule("sample_score_floor", 8, "count", "V1", _("At or below this fulfilment score a creator cannot request samples")),
        Rule("sample_score_max", 12, "count", "V1", _("Fulfilment score (履约分): the full score, and where every creator starts")),
        Rule("sample_score_window", 90, "days", "V1", _("Fulfilment score: sample outcomes and corrections count for this long")),
        Rule("sample_score_breach_penalty", 3, "count", "V1", _("Fulfilment score: points lost per breached sample in the window")),
        Rule("sample_score_fulfil_credit", 1, "count", "V1", _("Fulfilment score: points won back per fulfilled sample in the window")),
        Rule("sample_triage_followers_full", 1000000, "count", "V4", _("Triage score: followers that earn the full followers part")),
        Rule("sample_triage_sales_full", 10, "count", "V4", _("Triage score: past sales (fulfilled samples) that earn the full sales part")),
        Rule("sample_retry_wait", 30, "days", "V3", _("Wait before asking again for the same product after a rejection, expiry or breach")),
        Rule("sample_remind_merchant", 6, "hours", "V6", _("Merchants are reminded this long before the decision and shipping deadlines of a sample")),
        Rule("sample_remind_creator_early", 3, "days", "V6", _("Creators get a first reminder this long before the promotion deadline of a sample")),
        Rule("sample_remind_creator", 1, "days", "V6", _("Creators get a last reminder this long before the promotion deadline of a sample")),
        Rule("sample_extension", 7, "days", "V7", _("A creator may ask once for this much more time to start promoting a sample")),
        Rule("sample_extension_refuse", 48, "hours", "V7", _("The merchant may refuse a sample extension within (silence grants it)")),
        Rule("sample_due_soon", 6, "hours", "S8", _("Sample requests are highlighted as about to expire this long before their deadline")),
        # FS. Flash sales
        Rule("fs_full_cap", 20, "count", "FS5", _("Full flash sales per product, at most")),
        Rule("fs_targeted_cap", 100, "count", "FS5", _("Targeted flash sales per product, at most")),
        # C. Official accounts
        Rule("official_non_own_per_session", 3, "count", "C2", _("Non-own products a non-professional official account may carry per live session")),
        Rule("official_limits_non_professional", 1, "flag", "C2", _("Non-professional official accounts are limited in live sessions")),
    ]
}

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


class RulesObject:
    """Reads the current value of a rule from the database, falling back to its default."""

    def __init__(self, preloaded: dict[str, tuple[int, str]] | None = None) -> None:
        self._preloaded = preloaded or {}

    def snapshot(self, *keys: str) -> RulesObject:
        """The values of several rules read in one query, for a page or a computation that
        needs many of them: `r = rules.snapshot("a", "b"); r.count("a")`."""
        from shops.models import RuleSetting

        unknown = [key for key in keys if key not in RULES]
        if unknown:
            raise KeyError(f"unknown platform rules {unknown!r}")
        found = {row.key: (row.value, row.unit) for row in RuleSetting.objects.filter(key__in=keys).only("key", "value", "unit")}
        return RulesObject({key: found.get(key, (RULES[key].value, RULES[key].unit)) for key in keys})

    def _row(self, key: str):
        from shops.models import RuleSetting

        if key not in RULES:
            raise KeyError(f"unknown platform rule {key!r}")
        if key in self._preloaded:
            return self._preloaded[key]
        row = RuleSetting.objects.filter(key=key).only("value", "unit").first()
        if row is None:
            default = RULES[key]
            return default.value, default.unit
        return row.value, row.unit

    def duration(self, key: str) -> timedelta:
        value, unit = self._row(key)
        if unit not in _UNIT_SECONDS:
            raise ValueError(f"platform rule {key!r} is not a duration ({unit})")
        return timedelta(seconds=value * _UNIT_SECONDS[unit])

    def count(self, key: str) -> int:
        value, unit = self._row(key)
        if unit not in ("count", "working_days"):
            raise ValueError(f"platform rule {key!r} is not a count ({unit})")
        return value

    def flag(self, key: str) -> bool:
        value, unit = self._row(key)
        if unit != "flag":
            raise ValueError(f"platform rule {key!r} is not an on/off policy ({unit})")
        return bool(value)


rules = RulesObject()


def validate_rule_value(key: str, value: int, unit: str) -> None:
    """The checks every change of a rule passes, in the admin form and in the service."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if key not in RULES:
        raise ValidationError(_("Unknown platform rule."))
    default_unit = RULES[key].unit
    allowed = {default_unit} if default_unit in ("flag", "count", "working_days") else set(_UNIT_SECONDS)
    if unit not in allowed:
        raise ValidationError(_("This rule cannot be measured in that unit."))
    if value < 0 or (unit == "flag" and value not in (0, 1)):
        raise ValidationError(_("Enter a whole number of zero or more (0 or 1 for on/off)."))


def ensure_rule_rows() -> None:
    """Create the rows for rules that have none yet (post_migrate), keeping staff changes."""
    from shops.models import RuleSetting

    existing = set(RuleSetting.objects.values_list("key", flat=True))
    RuleSetting.objects.bulk_create(
        [RuleSetting(key=r.key, value=r.value, unit=r.unit) for r in RULES.values() if r.key not in existing]
    )
