"""The reviewers' workspace for alliance removals (D1–D4). Writes go through services; a refusal
is shown as a message (core.admin_base.run_bulk), never as a 403."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_base import HistoryInline, KeepHistory, RecordInline, run_bulk
from shops.alliance_removal import services
from shops.models import AllianceRemoval, BuyerAnnouncement


class BuyerAnnouncementInline(RecordInline):
    model = BuyerAnnouncement
    fields = ["sent_at", "message", "removal_time", "compensation_note", "recipients", "sent_by"]


@admin.register(AllianceRemoval)
class AllianceRemovalAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["listing", "scheduled_at", "status", "created_by", "created_at", "done_at", "cancelled_at"]
    list_filter = ["status"]
    search_fields = ["listing__product__title", "listing__product__shop__name"]
    list_select_related = ["listing", "listing__product", "created_by"]
    fields = ["listing", "scheduled_at", "status", "compensation_note", "created_by", "created_at", "done_at", "cancelled_at", "impact", "outcome"]
    readonly_fields = fields
    actions = ["cancel_removals"]

    def get_inlines(self, request, obj):
        return [BuyerAnnouncementInline, HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)

    @admin.action(description=gettext_lazy("Cancel the selected scheduled removals"))
    def cancel_removals(self, request, queryset):
        run_bulk(
            self, request, queryset,
            lambda removal: services.alliance_removal_cancel(removal=removal, by=request.user),
            _("%(n)s removals cancelled."),
        )
