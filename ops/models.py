"""What the ops page and /metrics read about background work: one row per Celery task name,
updated by the task_postrun signal (ops.signals), so every worker of a fleet adds to it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStat(models.Model):
    task = models.CharField(_("task"), max_length=200, unique=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)
    failures = models.PositiveBigIntegerField(_("failures"), default=0)
    moved_total = models.PositiveBigIntegerField(_("rows moved in all"), default=0)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_state = models.CharField(_("last state"), max_length=20, blank=True)
    last_moved = models.BigIntegerField(_("rows moved in the last run"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last run took (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("task statistics")
        verbose_name_plural = _("task statistics")
        ordering = ["task"]

    def __str__(self) -> str:
        return self.task
