"""Admin building blocks shared by every app's admin: read-only record inlines, the
transition history, and one way to run a service over the selected rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    verbose_name = gettext_lazy("transition")
    verbose_name_plural = gettext_lazy("transition history")
    extra = 0


def refusal_text(exc: ValidationError | PermissionDenied) -> str:
    """What a reviewer reads when a service refused: its message, never a 403 page."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or _("You are not allowed to do this.")


def run_bulk(
    modeladmin: admin.ModelAdmin,
    request,
    objects: Iterable,
    call: Callable[[object], object],
    done: str,
    *,
    label: Callable[[object], str] = str,
) -> int:
    """Call a service for each selected object. Each refusal is shown next to the object's
    name and the others go on; `done` (with %(n)s) reports how many succeeded."""
    count = 0
    for obj in objects:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"{label(obj)}: {refusal_text(exc)}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"n": count}, messages.SUCCESS)
    return count


class EstimatedCountPaginator(Paginator):
    """For the changelists of the big tables: the unfiltered list's count is PostgreSQL's
    row estimate (pg_class.reltuples, kept by autovacuum) once the table is past 10,000
    rows, instead of a COUNT(*) that reads the whole table on every page. Filtered lists,
    and small tables, are counted exactly."""

    EXACT_BELOW = 10_000

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if connection.vendor == "postgresql" and getattr(qs, "query", None) is not None and not qs.query.where:
            table = connection.ops.quote_name(qs.model._meta.db_table)
            with connection.cursor() as cursor:  # one query either way: the count runs only below the mark
                cursor.execute(
                    f"SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint ELSE (SELECT count(*) FROM {table}) END "
                    "FROM pg_class c WHERE c.oid = %s::regclass",
                    [self.EXACT_BELOW, qs.model._meta.db_table],
                )
                return int(cursor.fetchone()[0])
        return super().count
