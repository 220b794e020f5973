"""The reviewers' workspace for samples: every request, filters by state and deadline,
the transition history, and a staff override that records its reason. Writes go
through the same services as the workspaces."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samples import services, services_volume
from samples.models import ExtensionRequest, PromotionSale, SampleRequest
from shops.admin import HistoryInline
from shops.rules import rules

State = SampleRequest.State


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Clock ran out, not yet swept")),
            ("soon", _("About to expire")),
            ("late", _("Late shipment (S5)")),
            ("held", _("Reported not arrived, on hold (V9)")),
            ("extension", _("Extension awaiting the merchant (V7)")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        due = (
            Q(state=State.REQUESTED, decide_by__lte=now)
            | Q(state=State.APPROVED, ship_cancel_at__lte=now)
            | Q(state=State.SHIPPED, auto_receive_at__lte=now)
            | Q(state=State.RECEIVED, promotion="", fulfil_by__lte=now)
        )
        if self.value() == "overdue":
            return queryset.filter(due)
        if self.value() == "soon":
            soon = now + rules.duration("sample_due_soon")
            return queryset.filter(
                Q(state=State.REQUESTED, decide_by__gt=now, decide_by__lte=soon)
                | Q(state=State.APPROVED, ship_cancel_at__gt=now, ship_cancel_at__lte=soon)
                | Q(state=State.SHIPPED, auto_receive_at__gt=now, auto_receive_at__lte=soon)
                | Q(state=State.RECEIVED, promotion="", fulfil_by__gt=now, fulfil_by__lte=soon)
            )
        if self.value() == "late":
            return queryset.filter(state=State.APPROVED, ship_by__lte=now)
        if self.value() == "held":
            return queryset.filter(state=State.NOT_ARRIVED)
        if self.value() == "extension":
            return queryset.filter(extension__state=ExtensionRequest.State.REQUESTED)
        return queryset


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (recorded in the history)"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(SampleRequest)
class SampleRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "product", "creator", "merchant", "state_display", "requested_at", "next_deadline_display", "tracking_number"]
    list_filter = ["state", DeadlineFilter, "promotion", "carrier"]
    search_fields = ["product__title", "creator__nickname", "creator__platform_id", "merchant__name", "tracking_number"]
    list_select_related = ["product", "creator", "merchant"]
    date_hierarchy = "requested_at"
    readonly_fields = [f.name for f in SampleRequest._meta.fields]
    inlines = [HistoryInline]
    actions = ["override_cancel", "override_fulfil", "not_arrived_received", "not_arrived_cancel"]

    @admin.display(description=_("state"), ordering="state")
    def state_display(self, obj: SampleRequest) -> str:
        return obj.state_label  # S3: expired and cancelled show 已取消 with the reason

    @admin.display(description=_("next deadline"))
    def next_deadline_display(self, obj: SampleRequest):
        return obj.next_deadline or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _override(self, request, queryset, action: str, title, run=None):
        if not request.user.has_perm("samples.override_samplerequest"):
            self.message_user(request, _("You are not allowed to override sample requests."), messages.ERROR)
            return None
        form = OverrideForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for sample in queryset:
                try:
                    if run is not None:
                        run(sample=sample, by=request.user, reason=form.cleaned_data["reason"])
                    else:
                        services.sample_request_override(sample=sample, by=request.user, action=action, reason=form.cleaned_data["reason"])
                    done += 1
                except (ValidationError, PermissionDenied) as exc:
                    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    self.message_user(request, f"#{sample.pk}: {text}", messages.ERROR)
            if done:
                self.message_user(request, _("%(n)d sample requests changed.") % {"n": done}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "queryset": queryset,
            "form": form,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "samples/admin/override.html", context)

    @admin.action(description=_("Staff override: cancel (with a reason)"))
    def override_cancel(self, request, queryset):
        return self._override(request, queryset, "override_cancel", _("Cancel these sample requests"))

    @admin.action(description=_("Staff override: count as fulfilled (with a reason)"))
    def override_fulfil(self, request, queryset):
        return self._override(request, queryset, "override_fulfil", _("Count these sample requests as fulfilled"))

    @admin.action(description=_("V9 not arrived: treat as received (with a reason)"))
    def not_arrived_received(self, request, queryset):
        return self._override(
            request, queryset, "not_arrived_received", _("Treat these not-arrived samples as received"),
            run=lambda **kw: services_volume.sample_request_resolve_not_arrived(decision="received", **kw),
        )

    @admin.action(description=_("V9 not arrived: cancel (with a reason)"))
    def not_arrived_cancel(self, request, queryset):
        return self._override(
            request, queryset, "not_arrived_cancel", _("Cancel these not-arrived sample requests"),
            run=lambda **kw: services_volume.sample_request_resolve_not_arrived(decision="cancel", **kw),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    """V7: every extension asked for, its 48 h refusal window and what became of it."""

    list_display = ["sample", "state", "requested_at", "refuse_by", "decided_at", "fulfil_by_before", "fulfil_by_after"]
    list_filter = ["state"]
    search_fields = ["sample__product__title", "sample__creator__nickname", "reason"]
    list_select_related = ["sample__product", "sample__creator"]
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]
    inlines = [HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PromotionSale)
class PromotionSaleAdmin(admin.ModelAdmin):
    """V10: orders live carts and videos brought (the platform's order feed); read-only here."""

    list_display = ["sold_at", "creator", "product", "channel", "session", "video", "quantity", "amount"]
    list_filter = ["channel"]
    search_fields = ["creator__nickname", "creator__platform_id", "product__title"]
    list_select_related = ["creator", "product", "session", "video"]
    date_hierarchy = "sold_at"
    readonly_fields = [f.name for f in PromotionSale._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
