from django.contrib import admin

from ops.models import TaskStat


@admin.register(TaskStat)
class TaskStatAdmin(admin.ModelAdmin):
    """Read-only: the rows are written by the Celery signal hook (ops.signals)."""

    list_display = ("task", "runs", "failures", "last_state", "last_moved", "moved_total", "last_finished_at")
    search_fields = ("task",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
