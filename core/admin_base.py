"""Admin building blocks shared by every app's admin: read-only record inlines, the
transition history, and one way to run a service over the selected rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import FSMFieldMixin
from django_fsm_log.admin import StateLogInline
from django_fsm_log.models import StateLog

from core.actors import person_label, split_note


class RecordInline(admin.TabularInline):
    """A read-only record inline: these rows are written by services, never edited in the admin."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """A record only services write (team changes, sweep statistics, promised dates moved,
    channel orders…): reviewers read it, nobody adds, changes or deletes it in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # no 保存: it moves through its services, never by a form

    def has_delete_permission(self, request, obj=None):
        return False


def state_label(model, value: str | None) -> str:
    """The label a state value has in `model`'s state field choices (审核中, not under_review)."""
    if not value:
        return "—"
    for field in model._meta.fields:
        if isinstance(field, FSMFieldMixin) and field.choices:
            labels = dict(field.flatchoices)
            if value in labels:
                return str(labels[value])
    return value


def person_name(user) -> str:
    """A person as reviewers know them: the full name, else the login; "system" for sweeps."""
    if user is None:
        return _("system")
    return person_label(user) or user.get_full_name() or user.get_username()  # T2: 「商家 · 小李」


class HistoryPage:
    """「处理记录」: the admin's history page lists the transitions (who, when, from, to, why)
    with the admin's own change log."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if not context or context.get("object") is None:
            return response
        obj = context["object"]
        model = type(obj)
        entries = [
            SimpleNamespace(action_time=e.action_time, user=e.user, get_change_message=e.get_change_message)
            for e in context["action_list"].object_list
        ]
        for log in StateLog.objects.for_(obj).select_related("by"):
            note = split_note(log.description)
            who = (log.by_id is None and note.actor) or person_name(log.by)
            text = f"{state_label(model, log.source_state)} → {state_label(model, log.state)}"
            entries.append(SimpleNamespace(
                action_time=log.timestamp,
                user=SimpleNamespace(get_username=who, get_full_name=""),
                get_change_message=f"{text}：{note.text}" if note.text else text,
            ))
        entries.sort(key=lambda e: e.action_time)
        context["action_list"] = Paginator(entries, max(len(entries), 1)).page(1)
        context["pagination_required"] = False
        return response


class KeepHistory(HistoryPage):
    """For records whose history matters (creators, shops, products, flash sales, orders,
    removals, …): nobody deletes them in the admin, superusers included. A permission, not a
    hidden button: the delete page and the bulk delete action refuse too. They end through
    their services (a state), never by disappearing."""

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(StateLogInline):
    """The transition history in the reader's language: state labels from the model's choices,
    local time to the minute, who did it by name, newest first."""

    verbose_name = gettext_lazy("transition")
    verbose_name_plural = gettext_lazy("transition history")
    extra = 0
    fields = ("when", "from_state", "to_state", "who", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def _model(self, log):
        return ContentType.objects.get_for_id(log.content_type_id).model_class()

    @admin.display(description=gettext_lazy("time"))
    def when(self, log):
        return timezone.localtime(log.timestamp).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=gettext_lazy("from"))
    def from_state(self, log):
        return state_label(self._model(log), log.source_state)

    @admin.display(description=gettext_lazy("to"))
    def to_state(self, log):
        return state_label(self._model(log), log.state)

    @admin.display(description=gettext_lazy("by"))
    def who(self, log):
        # A sweep is named by the rule it applied, not by its task (core.actors).
        return (log.by_id is None and split_note(log.description).actor) or person_name(log.by)

    @admin.display(description=gettext_lazy("note"))
    def note(self, log):
        return split_note(log.description).text or "—"


def short_time(value) -> str:
    """A time in a changelist column: local, month-day hour:minute (a list fits 1280 px); the
    full date and year in the title a pointer or a screen reader gets."""
    if not value:
        return "—"
    local = timezone.localtime(value)
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(), local.strftime("%Y-%m-%d %H:%M"), local.strftime("%m-%d %H:%M"))


def time_left(deadline, now=None) -> str:
    """A queue item's time left to `deadline` (a declared deadline column, or one derived from
    one), for a changelist column: 「剩余 1 天 3 小时」, under an hour in minutes (rounded up, so an
    item still in time never reads 0), and 「已超期」 from the deadline on. The instant itself is
    in the title."""
    if deadline is None:
        return "—"
    seconds = (deadline - (now or timezone.now())).total_seconds()
    local = timezone.localtime(deadline)
    if seconds <= 0:
        return format_html(
            '<strong class="errornote" style="padding:0 4px" data-time-left="overdue" title="{}">{}</strong>',
            local.strftime("%Y-%m-%d %H:%M"), _("overdue"),
        )
    minutes = -(-int(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = _("%(d)sd %(h)sh left") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)sh %(m)smin left") % {"h": hours, "m": minutes}
    else:
        text = _("%(m)smin left") % {"m": minutes}
    return format_html('<span data-time-left="{}" title="{}">{}</span>', int(seconds), local.strftime("%Y-%m-%d %H:%M"), text)


def time_column(model, field: str):
    """A list_display entry showing `model`'s datetime `field` as short_time, sortable by it,
    headed by the field's own (translated) name."""

    def column(obj):
        return short_time(getattr(obj, field))

    column.__name__ = f"{field}_short"
    return admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)(column)


def clipped(text, limit: int = 18) -> str:
    """Free text in a changelist column cut to `limit` characters, the whole in its title."""
    text = "" if text is None else str(text)
    if len(text) <= limit:
        return text or "—"
    return format_html('<span title="{}">{}…</span>', text, text[: limit - 1])


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
        if getattr(qs, "query", None) is not None and not qs.query.where:
            table = connection.ops.quote_name(qs.model._meta.db_table)
            with connection.cursor() as cursor:  # one query either way: the count runs only below the mark
                cursor.execute(
                    f"SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint ELSE (SELECT count(*) FROM {table}) END "
                    "FROM pg_class c WHERE c.oid = %s::regclass",
                    [self.EXACT_BELOW, qs.model._meta.db_table],
                )
                return int(cursor.fetchone()[0])
        return super().count
