"""The platform's own admin pages: notifications and the platform rules registry."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin_base import KeepHistory, RecordInline
from core.admin_decisions import decision_kind_choices
from core.admin_services import ServiceAdmin
from core.models import Notification, ReasonTemplate, RuleChange, RuleSetting
from core.rules import RULES, rule_update, validate_rule_value


@admin.register(Notification)
class NotificationAdmin(KeepHistory, admin.ModelAdmin):
    """What a person was told, as it was sent (D1 announcements, refusals, deadlines): read
    here, never written, rewritten or deleted (notices go out through core.notifications)."""

    list_display = ["title", "user", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RuleSettingForm(forms.ModelForm):
    # README: a platform rule changes with a reason, kept in its history.
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=200,
        error_messages={"required": _("Say why the rule changes: the reason is kept in its history.")},
    )

    class Meta:
        model = RuleSetting
        fields = ["value", "unit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if self.instance.pk and "value" in data and "unit" in data:
            validate_rule_value(self.instance.key, data["value"], data["unit"])
        return data


class RuleChangeInline(RecordInline):
    model = RuleChange
    fields = ["changed_at", "changed_by", "old_value", "old_unit", "new_value", "new_unit", "reason"]


@admin.register(RuleSetting)
class RuleSettingAdmin(ServiceAdmin):
    """Platform rules: reviewers read them; platform staff with the change permission edit them."""

    form = RuleSettingForm
    # The rule's name in the reader's language first; its value as people say it (48 小时,
    # 开 / 关); the rule id and the key for those who look them up.
    list_display = ["description", "value_display", "rule_id", "key", "updated_at"]
    list_display_links = ["description"]
    search_fields = ["key"]
    readonly_fields = ["key", "rule_id", "description"]
    fields = ["key", "rule_id", "description", "value", "unit", "reason"]
    inlines = [RuleChangeInline]
    routed_fields = ("value", "unit")

    @admin.display(description=_("rule"))
    def rule_id(self, obj):
        return RULES[obj.key].rule_id if obj.key in RULES else "—"

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        if obj.unit == RuleSetting.Unit.FLAG:
            return pgettext_lazy("rule switch", "on") if obj.value else pgettext_lazy("rule switch", "off")
        return f"{obj.value} {obj.get_unit_display()}"

    @admin.display(description=_("rule name"))
    def description(self, obj):
        return RULES[obj.key].description if obj.key in RULES else "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def update(self, request, obj, data):
        # The service records the change (who, when, old, new, why).
        rule_update(
            key=obj.key, value=data.get("value", obj.value), unit=data.get("unit", obj.unit),
            by=request.user, reason=data.get("reason", ""),
        )
        obj.refresh_from_db()
        return obj


class ReasonTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("decision"), choices=decision_kind_choices)

    class Meta:
        model = ReasonTemplate
        fields = ["kind", "text", "position"]


@admin.register(ReasonTemplate)
class ReasonTemplateAdmin(admin.ModelAdmin):
    """驳回原因模板: reasons staff keep per decision; reviewers pick one on the decision's page
    and may edit it. Configuration: plain rows, deletable (a decision keeps its own text)."""

    form = ReasonTemplateForm
    list_display = ["text", "kind_label", "position"]
    list_filter = ["kind"]
    search_fields = ["text"]

    @admin.display(description=_("decision"), ordering="kind")
    def kind_label(self, obj):
        return dict(decision_kind_choices()).get(obj.kind, obj.kind)
