"""The reviewers' appeals workspace (AP2–AP5), shared by every domain's appeal admin: a queue
ordered by due date with the time left and overdue ones flagged, the appealed decision and
its history and the evidence on the change page, and decision buttons (uphold / dismiss,
each with a required reason) that call the domain's services. An action decides several
at once through the same services. The reviewer whose decision is appealed sees no
buttons, and the services refuse them anyway (four eyes)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.admin_base import HistoryInline, KeepHistory, person_name, refusal_text, run_bulk, short_time, time_left


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the decision (the appellant sees it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue (AP2)")), ("waiting", _("Open, in time"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.filter(state="open", decide_by__lte=now)
        if self.value() == "waiting":
            return queryset.filter(state="open", decide_by__gt=now)
        return queryset


def time_left_text(appeal) -> str:
    """AP2: the time left to the appeal's `decide_by` (3 working days), while it is open."""
    return time_left(appeal.decide_by) if appeal.is_open else "—"


class AppealAdminBase(KeepHistory, admin.ModelAdmin):
    """Subclasses set `services` = (uphold, dismiss) callables taking appeal, by, reason, and
    `subject_field` (the appealed object's field name)."""

    change_form_template = "core/admin/appeal_change_form.html"
    list_filter = ["state", OverdueFilter]
    ordering = ["decide_by", "id"]
    inlines = [HistoryInline]
    actions = ["uphold_selected", "dismiss_selected"]
    uphold = dismiss = None  # the domain's services
    subject_field = ""

    def get_list_display(self, request):
        return ["id", "subject", "state", "filed_short", "due_short", "time_left", "appealed_reviewer"]

    def get_readonly_fields(self, request, obj=None):
        return [
            "subject", "state", "reason", "evidence_links", "filed_by", "filed_at", "decide_by", "time_left",
            "appealed_decision", "appealed_history", "appealed_reviewer", "decided_by", "decided_at", "decision_reason",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("appealed"))
    def subject(self, obj):
        return str(getattr(obj, self.subject_field))

    @admin.display(description=_("filed at"), ordering="filed_at")
    def filed_short(self, obj):
        return short_time(obj.filed_at)

    @admin.display(description=_("decision due by"), ordering="decide_by")
    def due_short(self, obj):
        return short_time(obj.decide_by)

    @admin.display(description=_("time left (AP2: working days)"), ordering="decide_by")
    def time_left(self, obj):
        return time_left_text(obj)

    @admin.display(description=_("appealed decision made by"))
    def appealed_reviewer(self, obj):
        return person_name(obj.appealed_by)

    @admin.display(description=_("evidence"))
    def evidence_links(self, obj):
        items = list(obj.evidence.all())
        if not items:
            return "—"
        return format_html_join(
            mark_safe("<br>"), '<a href="{}" target="_blank" rel="noopener">{}</a> ({})',
            ((self.evidence_url(item), item.original_name or f"#{item.pk}", item.content_type) for item in items),
        )

    def evidence_url(self, item) -> str:
        raise NotImplementedError

    def appealed_decision(self, obj):
        raise NotImplementedError

    @admin.display(description=_("history of the appealed decision"))
    def appealed_history(self, obj):
        from django_fsm_log.models import StateLog

        logs = StateLog.objects.for_(getattr(obj, self.subject_field)).select_related("by").order_by("timestamp", "id")
        rows = [(timezone.localtime(log.timestamp).strftime("%Y-%m-%d %H:%M"), log.source_state or "", log.state, person_name(log.by), log.description or "") for log in logs]
        if not rows:
            return "—"
        return format_html("<table>{}</table>", format_html_join("", "<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>", rows))

    # -- deciding -------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "POST" and obj is not None and ("_uphold" in request.POST or "_dismiss" in request.POST):
            form = DecisionForm(request.POST)
            service = self.uphold if "_uphold" in request.POST else self.dismiss
            if form.is_valid():
                try:
                    service(appeal=obj, by=request.user, reason=form.cleaned_data["reason"])
                except (ValidationError, PermissionDenied) as exc:
                    self.message_user(request, refusal_text(exc), messages.ERROR)
                else:
                    self.message_user(request, _("Appeal decided; both sides are told."), messages.SUCCESS)
            else:
                self.message_user(request, _("Give the reason for the decision: the appellant will see it (AP2)."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        extra_context = {
            **(extra_context or {}),
            "decision_form": DecisionForm(),
            "can_decide": obj is not None and obj.is_open and obj.appealed_by_id != request.user.pk,
            "own_decision": obj is not None and obj.appealed_by_id == request.user.pk,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide_selected(self, request, queryset, action: str, service, title):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            run_bulk(self, request, queryset, lambda appeal: service(appeal=appeal, by=request.user, reason=reason),
                     _("%(n)d appeals decided."), label=lambda appeal: f"#{appeal.pk}")
            return None
        context = {
            **self.admin_site.each_context(request), "title": title, "queryset": queryset, "form": form, "action": action,
            "opts": self.model._meta, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "core/admin/appeal_decide.html", context)

    @admin.action(description=_("Uphold the selected appeals (with a reason)"))
    def uphold_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "uphold_selected", self.uphold, _("Uphold these appeals"))

    @admin.action(description=_("Dismiss the selected appeals (with a reason)"))
    def dismiss_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "dismiss_selected", self.dismiss, _("Dismiss these appeals"))
