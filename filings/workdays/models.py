"""The working-day calendar platform staff keep (F9): entered years, their days, the
change history, and the promised dates a change moved.

Imported by `filings.models`, so Django registers these models under the `filings` app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100


class DayKind(models.TextChoices):
    OFF = "off", _("Day off (休)")
    WORK = "work", _("Make-up working day (班)")


class CalendarYear(models.Model):
    """放假安排: one year of the mainland working-day calendar, entered by platform staff (F9).

    Once a year is here F9 reads it before the `chinese-calendar` package: its listed days
    are off or working as entered, every other day is a working day from Monday to Friday.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source_title = models.CharField(_("source: notice title"), max_length=200)
    source_date = models.DateField(_("source: notice date"))
    # Demo data (seed_demo) is labelled wherever the year is shown and does not silence
    # the yearly reminder: it is not the State Council's schedule.
    is_demo = models.BooleanField(_("demo data, not the official schedule"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("last changed by")
    )
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("working-day calendar year (放假安排)")
        verbose_name_plural = _("working-day calendar (放假安排)")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day off or a make-up working day (调休上班) of an entered year, with its source."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year"))
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=50, blank=True)
    source_title = models.CharField(_("source: notice title"), max_length=200)
    source_date = models.DateField(_("source: notice date"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["off", "work"]), name="calendar_day_kind_known")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class CalendarChange(models.Model):
    """A recorded change of an entered year (like the rules registry's RuleChange): who,
    when, the day (empty for the year's source), old, new and why."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="changes", verbose_name=_("year"))
    date = models.DateField(_("day"), null=True, blank=True)
    old_value = models.CharField(_("old value"), max_length=300, blank=True)
    new_value = models.CharField(_("new value"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-changed_at", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date.isoformat() if self.date else '—'}: {self.old_value} → {self.new_value}"


class DeadlineShift(models.Model):
    """A promised F9 date that moved: entering or changing a year moved the latest submission
    date shown for a filing. Listed for the reviewers; the merchant is told the new date."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("year"))
    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="deadline_shifts", verbose_name=_("filing"))
    session = models.ForeignKey(
        "shops.LiveSession", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("live session")
    )
    session_start = models.DateTimeField(_("session starts"))
    old_date = models.DateField(_("old latest date"))
    old_estimated = models.BooleanField(_("old date was an estimate"), default=False)
    new_date = models.DateField(_("new latest date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    notified_at = models.DateTimeField(_("merchant told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("moved latest date (F9)")
        verbose_name_plural = _("moved latest dates (F9)")
        ordering = ["-changed_at", "session_start", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id}: {self.old_date.isoformat()} → {self.new_date.isoformat()}"
