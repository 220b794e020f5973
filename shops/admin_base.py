"""Admin building blocks shared by every app's admin (kept apart from shops.admin so
that shops.admin_carry can use them without a circular import)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_fsm_log.admin import StateLogInline


class RecordInline(admin.TabularInline):
    """A read-only record inline: these rows are written by services, never edited in the admin."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class HistoryInline(StateLogInline):
    verbose_name = _("transition")
    verbose_name_plural = _("transition history")
    extra = 0
