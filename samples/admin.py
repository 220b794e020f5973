"""The reviewers' workspace for samples: every request, filters by state and deadline,
the transition history, and a staff override that records its reason. Writes go
through the same services as the workspaces."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_base import EstimatedCountPaginator, HistoryInline, KeepHistory, RecordInline, clipped, run_bulk, short_time, time_column, time_left
from core.admin_decisions import Decision, DecisionsAdmin
from core.admin_lists import QuickRows
from core.admin_services import ServiceAdmin
from core.rules import rules
from samples.models import CreatorBlock, CreatorScore, ExtensionRequest, SampleQuota, SampleRequest, ScoreAdjustment, TriageRule
from samples.policy import score as scoring
from samples.services.policy import score_adjust
from samples.services.requests import sample_request_override
from samples.services.shipping import sample_request_resolve_not_arrived

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


# V9's queue: the reviewer's decision due soonest first (the column's partial index).
V9_QUEUE_ORDER = ["not_arrived_decide_by", "id"]


def is_v9_queue(params) -> bool:
    return params.get("deadline") == "held" or params.get("state") == State.NOT_ARRIVED or params.get("state__exact") == State.NOT_ARRIVED


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (recorded in the history)"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


def _not_arrived(sample) -> bool:
    return sample.state == SampleRequest.State.NOT_ARRIVED


OVERRIDE = "samples.override_samplerequest"
SAMPLE_DECISIONS = (
    # V9: the reviewer decides a "not arrived" report on its page.
    Decision("not_arrived_received", _("Not arrived: treat as received"), "resolve_received",
             lambda obj, by, reason: sample_request_resolve_not_arrived(sample=obj, by=by, decision="received", reason=reason),
             permission=OVERRIDE),
    Decision("not_arrived_cancel", _("Not arrived: cancel"), "override_cancel",
             lambda obj, by, reason: sample_request_resolve_not_arrived(sample=obj, by=by, decision="cancel", reason=reason),
             permission=OVERRIDE, when=_not_arrived),
    Decision("override_cancel", _("Staff override: cancel"), "override_cancel",
             lambda obj, by, reason: sample_request_override(sample=obj, by=by, action="override_cancel", reason=reason),
             permission=OVERRIDE, when=lambda sample: not _not_arrived(sample)),
    Decision("override_fulfil", _("Staff override: count as fulfilled"), "override_fulfil",
             lambda obj, by, reason: sample_request_override(sample=obj, by=by, action="override_fulfil", reason=reason),
             permission=OVERRIDE),
)


@admin.register(SampleRequest)
class SampleRequestAdmin(DecisionsAdmin, QuickRows, admin.ModelAdmin):
    # Fits 1280 px: short local times, long titles clipped (the whole in their title), the
    # state without its close reason (the reason is the state's title and on the change page).
    list_display = [
        "id", "product_short", "creator", "merchant", "state_display", "requested_short", "next_deadline_display", "time_left", "tracking_short",
    ]
    list_filter = ["state", DeadlineFilter, "promotion", "carrier"]
    search_fields = ["product__title", "creator__nickname", "creator__platform_id", "merchant__name", "tracking_number"]
    list_select_related = ["product", "creator", "merchant"]
    # No date_hierarchy: it reads the distinct months of the whole table on every page.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50  # as the filing queue: each admin row costs ~1 ms of rendering (bench: admin lists)
    # The promotion video's cart item is shown under a Chinese label (its model field has none).
    readonly_fields = ["promotion_video_cart_item" if f.name == "promotion_video_item" else f.name for f in SampleRequest._meta.fields]
    exclude = ["promotion_video_item"]
    inlines = [HistoryInline]
    decisions = SAMPLE_DECISIONS
    actions = ["override_cancel", "override_fulfil", "not_arrived_received", "not_arrived_cancel"]

    @admin.display(description=_("product"), ordering="product__title")
    def product_short(self, obj: SampleRequest) -> str:
        return clipped(obj.product.title, 14)

    @admin.display(description=_("state"), ordering="state")
    def state_display(self, obj: SampleRequest) -> str:
        # S3: expired and cancelled read 已取消 with the reason: here the reason is the title.
        if obj.reason_in_label:
            return format_html('<span title="{}">{}</span>', obj.state_label, obj.get_state_display())
        return obj.state_label

    @admin.display(description=_("requested at"), ordering="requested_at")
    def requested_short(self, obj: SampleRequest) -> str:
        return short_time(obj.requested_at)

    @admin.display(description=_("tracking number"), ordering="tracking_number")
    def tracking_short(self, obj: SampleRequest) -> str:
        return clipped(obj.tracking_number or "", 10)

    @admin.display(description=_("next deadline"))
    def next_deadline_display(self, obj: SampleRequest):
        return short_time(obj.next_deadline)

    @admin.display(description=_("time left"))
    def time_left(self, obj: SampleRequest):
        # V9's hold: the reviewer's decision due (its column); any other open request: the clock
        # that matters now (core.clocks.next_deadline over the declared clocks).
        return time_left(self.due(obj))

    @staticmethod
    def due(obj: SampleRequest):
        return obj.not_arrived_decide_by if obj.state == State.NOT_ARRIVED else obj.next_deadline

    def get_ordering(self, request):
        # The V9 queue (the admin index links it as ?deadline=held): the decision due soonest first.
        if is_v9_queue(request.GET):
            return V9_QUEUE_ORDER
        return super().get_ordering(request)

    @admin.display(description=_("product in the promotion video's cart"))
    def promotion_video_cart_item(self, obj: SampleRequest):
        return obj.promotion_video_item or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves only by its decisions (no 保存)

    def has_delete_permission(self, request, obj=None):
        return False

    def next_in_queue(self, request, obj):
        # The same queue, in its order: V9's by the decision due; any other state oldest first.
        same = SampleRequest.objects.filter(state=obj.state).exclude(pk=obj.pk)
        order = V9_QUEUE_ORDER if obj.state == State.NOT_ARRIVED else ["requested_at", "id"]
        return self.unclaimed(request, same).order_by(*order).first()

    def _with_reason(self, request, queryset, action: str, title, run):
        """Ask for the reason, then run the service on each selected request: a refusal is a
        message next to that request, never a 403, and the others go on."""
        if not request.user.has_perm("samples.override_samplerequest"):
            self.message_user(request, _("You are not allowed to override sample requests."), messages.ERROR)
            return None
        form = OverrideForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            run_bulk(
                self, request, queryset, lambda sample: run(sample=sample, by=request.user, reason=reason),
                _("%(n)d sample requests changed."), label=lambda sample: f"#{sample.pk}",
            )
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
        return self._with_reason(
            request, queryset, "override_cancel", _("Cancel these sample requests"),
            partial(sample_request_override, action="override_cancel"),
        )

    @admin.action(description=_("Staff override: count as fulfilled (with a reason)"))
    def override_fulfil(self, request, queryset):
        return self._with_reason(
            request, queryset, "override_fulfil", _("Count these sample requests as fulfilled"),
            partial(sample_request_override, action="override_fulfil"),
        )

    @admin.action(description=_("Not arrived: treat as received (with a reason)"))
    def not_arrived_received(self, request, queryset):
        return self._with_reason(
            request, queryset, "not_arrived_received", _("Treat these not-arrived samples as received"),
            partial(sample_request_resolve_not_arrived, decision="received"),
        )

    @admin.action(description=_("Not arrived: cancel (with a reason)"))
    def not_arrived_cancel(self, request, queryset):
        return self._with_reason(
            request, queryset, "not_arrived_cancel", _("Cancel these not-arrived sample requests"),
            partial(sample_request_resolve_not_arrived, decision="cancel"),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    """V7: every extension asked for, its 48 h refusal window and what became of it."""

    list_display = [
        "sample", "state", *(time_column(ExtensionRequest, f) for f in ("requested_at", "refuse_by", "decided_at", "fulfil_by_before", "fulfil_by_after")),
    ]
    list_filter = ["state"]
    search_fields = ["sample__product__title", "sample__creator__nickname", "reason"]
    list_select_related = ["sample__product", "sample__creator"]
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]
    inlines = [HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)

    def has_delete_permission(self, request, obj=None):
        return False


class ScoreAdjustmentInline(RecordInline):
    model = ScoreAdjustment
    fields = ["created_at", "by", "score_before", "score_after", "delta", "reason"]


@admin.register(CreatorScore)
class CreatorScoreAdmin(admin.ModelAdmin):
    """V1: every creator's fulfilment score and its inputs; "Correct the score" adds a
    ScoreAdjustment with its reason."""

    list_display = ["nickname", "platform_id", "followers", "score_display", "breaches_display", "fulfilments_display", "can_request_display"]
    search_fields = ["nickname", "platform_id"]
    fields = ["nickname", "platform_id", "followers", "score_display", "blocked_display", "inputs_display", "correct_link"]
    readonly_fields = fields
    inlines = [ScoreAdjustmentInline]

    def get_queryset(self, request):
        # The same formula as scoring.Score, in SQL, from the window's counts (no query per row).
        params = scoring.Params.current()
        self._max = params.max  # the full score, for the "x / 12" column (the same for every row)
        qs = scoring.annotate_window_counts(super().get_queryset(request))
        raw = Value(params.max) - Value(params.penalty) * F("score_breaches") + Value(params.credit) * F("score_fulfilments") + F("score_adjusted")
        return qs.annotate(
            score_value=Greatest(Value(0), Least(Value(params.max), raw)),
            score_can_request=Case(When(score_value__gt=params.floor, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )

    @admin.display(description=_("fulfilment score"), ordering="score_value")
    def score_display(self, obj):
        return f"{obj.score_value} / {self._max}"

    @admin.display(description=_("breached in the window"), ordering="score_breaches")
    def breaches_display(self, obj):
        return obj.score_breaches

    @admin.display(description=_("fulfilled in the window"), ordering="score_fulfilments")
    def fulfilments_display(self, obj):
        return obj.score_fulfilments

    @admin.display(description=_("cannot request until"))
    def blocked_display(self, obj):
        score = scoring.creator_score(obj)
        if not score.blocked:
            return "—"
        return timezone.localtime(score.blocked_until).strftime("%Y-%m-%d %H:%M") if score.blocked_until else _("the score is corrected")

    @admin.display(description=_("can request samples"), boolean=True, ordering="score_can_request")
    def can_request_display(self, obj):
        return obj.score_can_request

    @admin.display(description=_("inputs"))
    def inputs_display(self, obj):
        score = scoring.creator_score(obj)
        labels = {"breached": _("breached"), "fulfilled": _("fulfilled"), "adjustment": _("correction")}
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"), labels[e.kind],
                    f"#{e.sample.pk} {e.sample.product.title}" if e.sample else e.adjustment.reason,
                    f"{e.points:+d}", timezone.localtime(e.ages_out_at).strftime("%Y-%m-%d %H:%M"),
                )
                for e in score.events
            ),
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("at"), _("kind"), _("what"), _("points"), _("leaves the score"),
        )
        return format_html("<table>{}{}</table>", head, rows) if score.events else _("Nothing in the window: the full score.")

    @admin.display(description=_("correct"))
    def correct_link(self, obj):
        url = reverse("admin:samples_scoreadjustment_add") + f"?creator={obj.pk}"
        return format_html('<a class="button" href="{}">{}</a>', url, _("Correct the score (with a reason)"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


class ScoreAdjustmentForm(forms.ModelForm):
    """V1: the reviewer enters the new score and the reason; the service records the difference."""

    new_score = forms.IntegerField(label=_("new score"), min_value=0)

    class Meta:
        model = ScoreAdjustment
        fields = ["creator", "new_score", "reason"]

    def clean(self):
        data = super().clean()
        creator, new_score = data.get("creator"), data.get("new_score")
        if creator is not None and new_score is not None:
            score = scoring.creator_score(creator)
            if new_score > score.max:
                self.add_error("new_score", _("Enter a score from 0 to %(max)s.") % {"max": score.max})
            elif new_score == score.value:
                self.add_error("new_score", _("The score is already %(score)s.") % {"score": score.value})
        return data


@admin.register(ScoreAdjustment)
class ScoreAdjustmentAdmin(ServiceAdmin):
    list_display = ["created_at", "creator", "score_before", "score_after", "delta", "reason", "by"]
    list_select_related = ["creator", "by"]
    search_fields = ["creator__nickname", "creator__platform_id", "reason"]
    raw_id_fields = ["creator"]
    form = ScoreAdjustmentForm

    def get_changeform_initial_data(self, request):
        return {"creator": request.GET.get("creator")}

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ScoreAdjustment._meta.fields] if obj else []

    def get_fields(self, request, obj=None):
        return ["creator", "delta", "score_before", "score_after", "reason", "by", "created_at"] if obj else ["creator", "new_score", "reason"]

    def create(self, request, data):
        # The service writes the row (who, when, before/after).
        return score_adjust(creator=data["creator"], new_score=data["new_score"], reason=data["reason"], by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SampleQuota)
class SampleQuotaAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["product", "limit", "period", "updated_at", "updated_by"]
    list_select_related = ["product", "updated_by"]
    search_fields = ["product__title"]
    readonly_fields = ["product", "limit", "period", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)


@admin.register(TriageRule)
class TriageRuleAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["name", "merchant", "action", "shop", "product", "min_followers", "min_score", "min_past_sales", "is_active"]
    list_filter = ["action", "is_active"]
    list_select_related = ["merchant", "shop", "product"]
    search_fields = ["name", "merchant__name"]
    readonly_fields = [f.name for f in TriageRule._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)


@admin.register(CreatorBlock)
class CreatorBlockAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["merchant", "creator", "status", "reason", "blocked_by", "blocked_at", "lifted_at"]
    list_filter = ["status"]
    list_select_related = ["merchant", "creator", "blocked_by"]
    search_fields = ["merchant__name", "creator__nickname", "creator__platform_id"]
    readonly_fields = [f.name for f in CreatorBlock._meta.fields]
    inlines = [HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)


from samples import admin_appeals  # noqa: E402, F401  (AP2: the appeals queue, its own module)
