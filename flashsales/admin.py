"""The reviewers' workspace for flash sales. Writes go through the same services as the pages.

FS1 (approved non-standard categories) and FS2 (invited creators, merchants and creators
meeting the standard) are flags on shops' Category, Creator and Merchant admins.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import EstimatedCountPaginator, HistoryInline, KeepHistory, RecordInline, run_bulk, time_column
from core.admin_lists import QuickRows
from core.admin_services import ServiceAdmin
from flashsales import services, texts
from flashsales.models import (
    FlashSale,
    FlashSaleOrder,
    LiveComment,
    ProblemReport,
    ProblemReportReply,
    ShippingTemplate,
    Viewer,
    ViewerMessage,
)


class OrderInline(RecordInline):
    model = FlashSaleOrder
    fields = ["viewer", "quantity", "unit_price", "shipping_fee", "amount", "created_at"]


@admin.register(FlashSale)
class FlashSaleAdmin(QuickRows, KeepHistory, admin.ModelAdmin):
    list_display = ["title", "mode", "product", "creator", "price", "sold_count", "quantity", "status", time_column(FlashSale, "created_at")]
    list_filter = ["status", "mode", "product__category", "picture_source"]
    search_fields = ["title", "product__title", "session__creator__nickname", "session__creator__platform_id"]
    list_select_related = ["product", "session__creator"]
    paginator = EstimatedCountPaginator  # no COUNT(*) of the whole table on every page
    list_per_page = 50  # as the filing queue: each admin row costs ~1 ms of rendering (bench: admin lists)
    show_full_result_count = False
    readonly_fields = [
        "session", "product", "mode", "target_viewer", "title", "price", "quantity", "sold_count", "picture_link",
        "picture_source", "shipping_template", "status", "created_by", "created_at", "closed_at",
    ]
    exclude = ["picture"]
    inlines = [OrderInline, HistoryInline]
    actions = ["end_selected"]

    @admin.display(description=_("creator"))
    def creator(self, obj):
        return obj.session.creator

    @admin.display(description=_("picture"))
    def picture_link(self, obj):
        return format_html('<img src="{}" style="max-width:240px">', reverse("flashsales:picture", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: it moves through its actions, never by a form (no 保存)

    @admin.action(description=_("End the selected flash sales"))
    def end_selected(self, request, queryset):
        # Each selected sale goes to the service: one already sold out or ended is named
        # with the service's refusal, the others end.
        run_bulk(
            self, request, queryset,
            lambda sale: services.flash_sale_end(flash_sale=sale, by=request.user, reason="ended by a reviewer"),
            _("%(n)s flash sales ended."),
        )


@admin.register(ShippingTemplate)
class ShippingTemplateAdmin(KeepHistory, ServiceAdmin):
    """Added by shipping_template_create; a template sales use is not rewritten under them."""

    list_display = ["name", "creator", "fee", "created_at"]
    search_fields = ["name", "creator__nickname"]
    list_select_related = ["creator"]
    add_fields = ["creator", "name", "fee"]

    def create(self, request, data):
        return services.shipping_template_create(creator=data["creator"], name=data["name"], fee=data["fee"])


class ViewerMessageInline(RecordInline):
    """D3: what reached the viewer's inbox (read-only: messages are sent by services)."""

    model = ViewerMessage
    fields = ["title", "body", "created_at", "read_at"]


@admin.register(Viewer)
class ViewerAdmin(KeepHistory, ServiceAdmin):
    list_display = ["nickname", "created_at"]
    search_fields = ["nickname"]
    readonly_fields = ["token"]
    add_fields = ["nickname"]
    inlines = [ViewerMessageInline]

    def create(self, request, data):
        return services.viewer_create(nickname=data["nickname"])


@admin.register(LiveComment)
class LiveCommentAdmin(KeepHistory, ServiceAdmin):
    """What viewers said (comment_post): read here, never written in a viewer's name."""

    list_display = ["session", "viewer", "text", "created_at"]
    search_fields = ["text", "viewer__nickname"]
    list_select_related = ["session", "viewer"]


@admin.register(FlashSaleOrder)
class FlashSaleOrderAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["flash_sale", "viewer", "quantity", "unit_price", "shipping_fee", "amount", "created_at"]
    list_select_related = ["flash_sale", "viewer"]
    search_fields = ["flash_sale__title", "viewer__nickname"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["reply"]

    def clean_reply(self):
        # Validated here so that save_model never meets an error it would have to swallow.
        reply = self.cleaned_data.get("reply", "").strip()
        if not reply:
            raise ValidationError(texts.REPLY_MISSING)
        return reply


class ReplyInline(RecordInline):
    """FS8: every reply given, with who and when (read-only: written by the services)."""

    model = ProblemReportReply
    fields = ["reply", "by", "created_at"]


@admin.register(ProblemReport)
class ProblemReportAdmin(KeepHistory, ServiceAdmin):
    """FS8: the reports per desk (商服 / 达人客服), with their attachments."""

    list_display = ["__str__", "desk", "status", "shop_id_display", "creator_id_display", "used_app", "attachment_link", "created_at"]
    list_filter = ["desk", "status", "used_app", "attachment_kind"]
    search_fields = ["description", "shop__name", "creator__platform_id", "creator__nickname", "reporter__username"]
    list_select_related = ["shop", "creator", "reporter"]
    readonly_fields = [
        "reporter", "desk", "shop", "shop_id_display", "creator", "creator_id_display", "flash_sale", "description",
        "attachment_link", "attachment_kind", "used_app", "phone_model", "os_version", "app_version", "status",
        "created_at", "answered_at",
    ]
    fields = readonly_fields + ["reply"]
    form = AnswerForm
    inlines = [ReplyInline, HistoryInline]

    @admin.display(description=_("shop ID"))
    def shop_id_display(self, obj):
        return obj.shop_id

    @admin.display(description=_("creator ID"))
    def creator_id_display(self, obj):
        return obj.creator.platform_id

    @admin.display(description=_("screenshot or video"))
    def attachment_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}" target="_blank">{}</a>', reverse("flashsales:report_attachment", args=[obj.pk]), obj.get_attachment_kind_display())

    def has_add_permission(self, request):
        return False

    def update(self, request, obj, data):
        # The first reply answers the report (a transition); a later one corrects it. Either
        # way a service records who, when and the text, and tells the reporter.
        if "reply" not in data:
            return obj
        if obj.status == ProblemReport.Status.OPEN:
            return services.problem_report_answer(report=obj, by=request.user, reply=data["reply"])
        return services.problem_report_reply(report=obj, by=request.user, reply=data["reply"])
