from django.contrib import admin

from core.admin_base import RecordAdmin
from ops.models import TaskStat


@admin.register(TaskStat)
class TaskStatAdmin(RecordAdmin):
    """Read-only: the rows are written by ops.signals. The app's heading on the admin index
    (/admin/ops/) is the ops page (ops.urls comes before the admin's), which shows these
    rows with each sweep's lag and due rows."""

    list_display = ("task", "runs", "failures", "last_state", "last_moved", "moved_total", "last_finished_at")
    search_fields = ("task",)
