"""The reviewers' workspace for the marketplace. Writes go through services; a refusal is shown as
a message (core.admin_base.run_bulk), never as a 403.

Official accounts (C) and alliance removals (D) keep their admin in their packages; importing
them here is what registers them (Django's autodiscover imports `shops.admin`).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_base import HistoryInline, KeepHistory, RecordAdmin, RecordInline, run_bulk, time_column
from core.admin_services import ServiceAdmin
from core.uploads import UploadField
from shops import services
from shops.alliance_removal import admin as alliance_removal_admin  # noqa: F401  (registers its ModelAdmins)
from shops.models import (
    AllianceListing,
    Category,
    ChannelOrder,
    Creator,
    LiveCartItem,
    LiveSession,
    Member,
    Merchant,
    Product,
    ProductImage,
    QualificationDocumentType,
    Shop,
    ShortVideo,
    ShowcaseItem,
    TeamEvent,
    VideoCartItem,
)
from shops.official_accounts import admin as official_accounts_admin
from shops.official_accounts import services as account_services


class MemberInline(RecordInline):
    """T1: the merchant's team as its owner keeps it (written by shops.team_services only)."""

    model = Member
    fields = ["name", "user", "role", "state", "added_at", "added_by"]
    verbose_name_plural = gettext_lazy("team members (子账号)")

    def has_change_permission(self, request, obj=None):
        return False


class TeamEventInline(RecordInline):
    """T2/T4: who added, changed or removed whom, and every ownership transfer."""

    model = TeamEvent
    fields = ["at", "kind", "member", "by", "from_user", "to_user", "detail"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Merchant)
class MerchantAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["name", "user", "meets_alliance_standard", "meets_flash_sale_standard", "created_at"]
    list_filter = ["meets_alliance_standard", "meets_flash_sale_standard"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    inlines = [MemberInline, TeamEventInline]

    def get_readonly_fields(self, request, obj=None):
        # T4: the owner changes only by the owner's recorded transfer, never by a form.
        return ["user"] if obj is not None else []


@admin.register(TeamEvent)
class TeamEventAdmin(RecordAdmin):
    """T4: the platform's reviewers see every team change, ownership transfers first of all."""

    list_display = ["at", "merchant", "kind", "member", "by", "from_user", "to_user", "detail"]
    list_filter = ["kind"]
    search_fields = ["merchant__name", "member__name", "by__username"]
    list_select_related = ["merchant", "member", "by", "from_user", "to_user"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in TeamEvent._meta.fields]



@admin.register(Shop)
class ShopAdmin(KeepHistory, ServiceAdmin):
    """Shops open where merchants sign up (no add page). C5: a type change is recorded by
    shop_change_type; whether a shop is cross-border decides S2, so it is not edited here."""

    list_display = ["name", "merchant", "shop_type", "is_cross_border", "status"]
    list_filter = ["shop_type", "is_cross_border", "status"]
    search_fields = ["name", "merchant__name"]
    list_select_related = ["merchant"]
    fields = ["merchant", "name", "shop_type", "is_cross_border", "status"]
    readonly_fields = ["merchant", "is_cross_border", "status"]
    routed_fields = ("shop_type",)
    inlines = [HistoryInline, official_accounts_admin.ShopTypeChangeInline]
    actions = official_accounts_admin.SHOP_ACTIONS

    def update(self, request, obj, data):
        if "shop_type" in data:
            account_services.shop_change_type(shop=obj, new_type=data.pop("shop_type"), by=request.user, note=_("changed in the admin"))
            obj.refresh_from_db()
        return self.plain_update(obj, data)


@admin.register(QualificationDocumentType)
class QualificationDocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_non_standard"]
    list_filter = ["is_non_standard"]
    search_fields = ["name"]
    filter_horizontal = ["required_documents"]


# Pictures uploaded in the admin go through the one upload check too (typed by the bytes,
# renamed <random>.<png|jpg>).
IMAGE_UPLOADS = {models.ImageField: {"form_class": UploadField}}


class ProductImageInline(RecordInline):
    """The detail images as the merchant uploaded them (product_update replaces them)."""

    model = ProductImage
    fields = ["image", "position"]


@admin.register(Product)
class ProductAdmin(KeepHistory, ServiceAdmin):
    """Added by product_create and edited by product_update, so F8's watched edits reopen the
    product's filings whether the merchant or a reviewer edits."""

    list_display = ["title", "shop", "category", "price", "stock", "sale_status", "is_virtual", "is_zero_price_lottery"]
    list_filter = ["sale_status", "is_virtual", "is_zero_price_lottery", "category", "shop__shop_type"]
    search_fields = ["title", "short_title", "shop__name"]
    list_select_related = ["shop", "category"]
    readonly_fields = ["sale_status", "lottery_approved_at", "lottery_approved_by"]
    inlines = [ProductImageInline, HistoryInline]
    formfield_overrides = IMAGE_UPLOADS

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "shop"] if obj is not None else self.readonly_fields

    def create(self, request, data):
        shop = data.pop("shop")
        if not data.get("main_image"):
            data.pop("main_image", None)
        return services.product_create(shop=shop, by=request.user, data=data)

    def update(self, request, obj, data):
        services.product_update(product=obj, by=request.user, data=data)
        obj.refresh_from_db()
        return obj


@admin.register(AllianceListing)
class AllianceListingAdmin(KeepHistory, ServiceAdmin):
    list_display = ["product", "commission_rate", "sample_support", "status", "listed_at", "out_at"]
    list_filter = ["status", "sample_support"]
    search_fields = ["product__title"]
    list_select_related = ["product"]
    add_fields = ["product", "commission_rate", "sample_support"]
    fields = ["product", "commission_rate", "sample_support", "status", "listed_at", "out_at", "sample_support_changed_by", "sample_support_changed_at"]
    # S2: the sample-support switch goes through its service (the cross-border and virtual
    # refusals; who and when recorded).
    readonly_fields = ["product", "status", "listed_at", "out_at", "sample_support_changed_by", "sample_support_changed_at"]
    routed_fields = ("sample_support",)
    inlines = [HistoryInline]

    def create(self, request, data):
        return services.alliance_list(
            product=data["product"], by=request.user, commission_rate=data["commission_rate"], sample_support=data["sample_support"]
        )

    def update(self, request, obj, data):
        if "sample_support" in data:
            obj = services.alliance_set_sample_support(listing=obj, by=request.user, enabled=data.pop("sample_support"))
        return self.plain_update(obj, data)


@admin.register(Creator)
class CreatorAdmin(KeepHistory, ServiceAdmin):
    """Creators sign up on the platform (no add page). Marking one specific goes through
    creator_set_specific (F4 opens the filings); C5's binding and mode, and C6's limits, are
    their services' (the actions), not fields."""

    list_display = [
        "nickname", "platform_id", "followers", "is_specific", "is_risky", "flash_sale_invited",
        "bound_shop", "pure_creator_mode", "carry_limits_on",
    ]
    list_filter = ["is_specific", "is_risky", "flash_sale_invited", "meets_flash_sale_standard", "pure_creator_mode", "carry_limits_on"]
    search_fields = ["nickname", "platform_id"]
    list_select_related = ["bound_shop"]
    actions = ["mark_specific", *official_accounts_admin.CREATOR_ACTIONS]
    # C6: switched through the actions (recorded), not by editing the field.
    readonly_fields = ["user", "carry_limits_on", "bound_shop", "pure_creator_mode"]
    routed_fields = ("is_specific",)
    inlines = [official_accounts_admin.OfficialAccountChangeInline]

    def update(self, request, obj, data):
        if "is_specific" in data:
            obj = services.creator_set_specific(creator=obj, by=request.user, is_specific=data.pop("is_specific"))
        return self.plain_update(obj, data)

    @admin.action(description=gettext_lazy("Mark as specific creators (特定达人)"))
    def mark_specific(self, request, queryset):
        run_bulk(
            self, request, queryset,
            lambda creator: services.creator_set_specific(creator=creator, by=request.user, is_specific=True),
            _("%(n)s creators marked as specific creators."),
        )


class LiveCartItemInline(RecordInline):
    model = LiveCartItem
    fields = ["product", "added_at", "removed_at", "explained_at"]


@admin.register(LiveSession)
class LiveSessionAdmin(KeepHistory, ServiceAdmin):
    """Scheduled by live_session_schedule (a future start, a PK partner of another creator);
    it then moves by its transitions, never by editing."""

    list_display = ["title", "creator", *(time_column(LiveSession, f) for f in ("scheduled_start", "went_live_at", "ended_at")), "status", "pk_partner"]
    list_filter = ["status"]
    search_fields = ["title", "creator__nickname", "creator__platform_id"]
    list_select_related = ["creator", "pk_partner"]
    add_fields = ["creator", "title", "scheduled_start", "pk_partner"]
    readonly_fields = ["status", "went_live_at", "ended_at"]
    inlines = [LiveCartItemInline, HistoryInline]

    def create(self, request, data):
        return services.live_session_schedule(
            creator=data["creator"], title=data["title"], scheduled_start=data["scheduled_start"], pk_partner=data.get("pk_partner")
        )


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(KeepHistory, ServiceAdmin):
    """Added by showcase_add, through the carry gate (C4, D4); removed by the action."""

    list_display = ["creator", "product", "added_at", "removed_at"]
    list_select_related = ["creator", "product"]
    search_fields = ["creator__nickname", "product__title"]
    add_fields = ["creator", "product"]
    actions = ["remove_selected"]

    def create(self, request, data):
        return services.showcase_add(creator=data["creator"], product=data["product"], by=request.user)

    @admin.action(description=gettext_lazy("Remove from the showcase"))
    def remove_selected(self, request, queryset):
        run_bulk(
            self, request, queryset.filter(removed_at__isnull=True),
            lambda item: services.showcase_remove(item=item, by=request.user),
            _("%(n)s showcase items removed."),
        )


class VideoCartItemInline(RecordInline):
    """The video's cart: products are added by video_cart_add (the carry gate), not here."""

    model = VideoCartItem
    fields = ["product", "added_at", "removed_at"]


@admin.register(ShortVideo)
class ShortVideoAdmin(KeepHistory, ServiceAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "creator", "published_at", "taken_down_at"]
    list_select_related = ["creator"]
    add_fields = ["creator", "title", "url"]
    inlines = [VideoCartItemInline]
    actions = ["take_down_selected"]

    def create(self, request, data):
        return services.video_publish(creator=data["creator"], title=data["title"], url=data.get("url", ""), by=request.user)

    @admin.action(description=gettext_lazy("Take the selected videos down"))
    def take_down_selected(self, request, queryset):
        run_bulk(
            self, request, queryset.filter(taken_down_at__isnull=True),
            lambda video: services.video_take_down(video=video, by=request.user),
            _("%(n)s videos taken down."),
        )


@admin.register(ChannelOrder)
class ChannelOrderAdmin(RecordAdmin):
    """V10: live-cart and video orders from the platform's order feed; read-only here."""

    list_display = ["order_id", "ordered_at", "channel", "creator", "product", "quantity", "amount", "refunded_amount", "paid_at", "attributed", "unattributed_reason"]
    list_filter = ["channel", "attributed", "unattributed_reason"]
    search_fields = ["order_id", "creator__nickname", "creator__platform_id", "product__title"]
    list_select_related = ["creator", "product"]
    date_hierarchy = "ordered_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ChannelOrder._meta.fields]
