from django.contrib import admin

from ops.models import TaskStat


@admin.register(TaskStat)
class TaskStatAdmin(admin.ModelAdmin):
    """Read-only: the rows are written by ops.signals. The app's heading on the admin index
    (/admin/ops/) is the ops page (ops.urls comes before the admin's), which shows these
    rows with each sweep's lag and due rows."""

    list_display = ("task", "runs", "failures", "last_state", "last_moved", "moved_total", "last_finished_at")
    search_fields = ("task",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
