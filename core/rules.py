"""The platform rules registry: every number and on/off policy of RULES.md, in one place.

Each domain declares its own rules (`samples/rules.py`, `flashsales/rules.py`, …) and
registers them here from its `AppConfig.ready()`. Code asks
`rules.duration("sample_decide")`, `rules.count("fs_full_cap")` or
`rules.flag("samples_cross_border")`; never a literal. Staff change the live value in the
admin (Platform rules), which records who changed what and when. A clock reads the value
when it starts and stores the deadline on its row, so a change applies to clocks started
after it.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# A sane ceiling for any duration a person types: a year. Beyond it a deadline is a typo,
# and a huge one overflows date arithmetic on every page that shows the clock.
MAX_DURATION_SECONDS = 366 * 86400
MAX_COUNT = 100_000_000


@dataclass(frozen=True)
class Rule:
    key: str
    value: int
    unit: str  # one of core.models.RuleSetting.Unit
    rule_id: str
    description: str
    maximum: int | None = None  # the largest value staff may set (in the default unit); None = the unit's ceiling
    counts: str = ""  # a count rule's unit word as people read it (分, 人, 场…): RuleSetting.get_unit_display

    def ceiling(self, unit: str) -> int:
        """The largest value accepted in `unit`."""
        if unit == "flag":
            return 1
        if unit in UNIT_SECONDS:
            limit = MAX_DURATION_SECONDS if self.maximum is None else self.maximum * UNIT_SECONDS[self.unit]
            return limit // UNIT_SECONDS[unit]
        return MAX_COUNT if self.maximum is None else self.maximum


# RulesObject.held: values held for a block (a batch), per thread and task.
_HELD: ContextVar[dict[str, tuple[int, str]]] = ContextVar("rules_held", default={})  # noqa: B039  (never mutated: replaced)

# Filled by the domains' AppConfig.ready(); the same dict object for everyone who imports it.
RULES: dict[str, Rule] = {}


def register(*declared: Rule) -> None:
    """Add a domain's rules to the registry (from its AppConfig.ready())."""
    for rule in declared:
        existing = RULES.get(rule.key)
        if existing is not None and existing != rule:
            raise ValueError(f"platform rule {rule.key!r} is declared twice")
        RULES[rule.key] = rule


class RulesObject:
    """Reads the current value of a rule from the database, falling back to its default."""

    def __init__(self, preloaded: dict[str, tuple[int, str]] | None = None) -> None:
        self._preloaded = preloaded or {}

    def snapshot(self, *keys: str) -> RulesObject:
        """The values of several rules read in one query, for a page or a computation that
        needs many of them: `r = rules.snapshot("a", "b"); r.count("a")`."""
        from core.models import RuleSetting

        unknown = [key for key in keys if key not in RULES]
        if unknown:
            raise KeyError(f"unknown platform rules {unknown!r}")
        found = {row.key: (row.value, row.unit) for row in RuleSetting.objects.filter(key__in=keys).only("key", "value", "unit")}
        return RulesObject({key: found.get(key, (RULES[key].value, RULES[key].unit)) for key in keys})

    @contextmanager
    def held(self, *keys: str):
        """Within the block, these rules keep the values read once at its start: a batch of
        thousands of rows (批量发货) reads a rule once, not once per row. A change made by
        staff meanwhile applies from the next batch, as a clock reads its rule when it starts."""
        values = {**_HELD.get(), **self.snapshot(*keys)._preloaded}
        token = _HELD.set(values)
        try:
            yield self
        finally:
            _HELD.reset(token)

    def _row(self, key: str):
        from core.models import RuleSetting

        if key not in RULES:
            raise KeyError(f"unknown platform rule {key!r}")
        if key in self._preloaded:
            return self._preloaded[key]
        held = _HELD.get()
        if key in held:
            return held[key]
        row = RuleSetting.objects.filter(key=key).only("value", "unit").first()
        if row is None:
            default = RULES[key]
            return default.value, default.unit
        return row.value, row.unit

    def amount(self, key: str) -> tuple[int, str]:
        """The rule's value and unit as they stand (for saying it: 120 小时)."""
        return self._row(key)

    def duration(self, key: str) -> timedelta:
        value, unit = self._row(key)
        if unit not in UNIT_SECONDS:
            raise ValueError(f"platform rule {key!r} is not a duration ({unit})")
        return timedelta(seconds=value * UNIT_SECONDS[unit])

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
    if key not in RULES:
        raise ValidationError(_("Unknown platform rule."))
    rule = RULES[key]
    allowed = {rule.unit} if rule.unit in ("flag", "count", "working_days") else set(UNIT_SECONDS)
    if unit not in allowed:
        raise ValidationError(_("This rule cannot be measured in that unit."))
    if value < 0 or (unit == "flag" and value not in (0, 1)):
        raise ValidationError(_("Enter a whole number of zero or more (0 or 1 for on/off)."))
    if value > rule.ceiling(unit):
        raise ValidationError(_("At most %(limit)s for this rule in this unit.") % {"limit": rule.ceiling(unit)})


@transaction.atomic
def rule_update(*, key: str, value: int, unit: str, by, reason: str = ""):
    """Change a platform rule; recorded with who, when, old and new."""
    from core.models import RuleChange, RuleSetting

    if by is None or not by.has_perm("core.change_rulesetting"):
        raise PermissionDenied(_("Only platform staff may change platform rules."))
    validate_rule_value(key, value, unit)
    setting, _created = RuleSetting.objects.select_for_update().get_or_create(
        key=key, defaults={"value": RULES[key].value, "unit": RULES[key].unit}
    )
    if (setting.value, setting.unit) == (value, unit):
        return setting
    RuleChange.objects.create(
        setting=setting, changed_by=by, old_value=setting.value, old_unit=setting.unit,
        new_value=value, new_unit=unit, reason=reason,
    )
    setting.value, setting.unit = value, unit
    setting.save(update_fields=["value", "unit", "updated_at"])
    from core.events import rule_changed

    rule_changed.send(sender=RuleSetting, key=key, rule_id=RULES[key].rule_id, value=value, unit=unit, by=by)
    return setting


def ensure_rule_rows() -> None:
    """Create the rows for rules that have none yet (post_migrate), keeping staff changes."""
    from core.models import RuleSetting

    existing = set(RuleSetting.objects.values_list("key", flat=True))
    RuleSetting.objects.bulk_create(
        [RuleSetting(key=r.key, value=r.value, unit=r.unit) for r in RULES.values() if r.key not in existing]
    )
