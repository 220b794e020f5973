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

from core.admin_base import HistoryInline, KeepHistory, RecordInline, run_bulk, time_column
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
    Merchant,
    Product,
    ProductImage,
    QualificationDocumentType,
    Shop,
    ShortVideo,
    ShowcaseItem,
    VideoCartItem,
)
from shops.official_accounts import admin as official_accounts_admin


@admin.register(Merchant)
class MerchantAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["name", "user", "meets_alliance_standard", "meets_flash_sale_standard", "created_at"]
    list_filter = ["meets_alliance_standard", "meets_flash_sale_standard"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]


@admin.register(Shop)
class ShopAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["name", "merchant", "shop_type", "is_cross_border", "status"]
    list_filter = ["shop_type", "is_cross_border", "status"]
    search_fields = ["name", "merchant__name"]
    list_select_related = ["merchant"]
    readonly_fields = ["status"]
    inlines = [HistoryInline, official_accounts_admin.ShopTypeChangeInline]
    actions = official_accounts_admin.SHOP_ACTIONS


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


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    formfield_overrides = IMAGE_UPLOADS


@admin.register(Product)
class ProductAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["title", "shop", "category", "price", "stock", "sale_status", "is_virtual", "is_zero_price_lottery"]
    list_filter = ["sale_status", "is_virtual", "is_zero_price_lottery", "category", "shop__shop_type"]
    search_fields = ["title", "short_title", "shop__name"]
    list_select_related = ["shop", "category"]
    readonly_fields = ["sale_status", "lottery_approved_at", "lottery_approved_by"]
    inlines = [ProductImageInline, HistoryInline]
    formfield_overrides = IMAGE_UPLOADS


@admin.register(AllianceListing)
class AllianceListingAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["product", "commission_rate", "sample_support", "status", "listed_at", "out_at"]
    list_filter = ["status", "sample_support"]
    search_fields = ["product__title"]
    list_select_related = ["product"]
    # S2: the sample-support switch is the merchant's, recorded by its service.
    readonly_fields = ["status", "out_at", "sample_support_changed_by", "sample_support_changed_at"]
    inlines = [HistoryInline]


@admin.register(Creator)
class CreatorAdmin(KeepHistory, admin.ModelAdmin):
    list_display = [
        "nickname", "platform_id", "followers", "is_specific", "is_risky", "flash_sale_invited",
        "bound_shop", "pure_creator_mode", "carry_limits_on",
    ]
    list_filter = ["is_specific", "is_risky", "flash_sale_invited", "meets_flash_sale_standard", "pure_creator_mode", "carry_limits_on"]
    search_fields = ["nickname", "platform_id"]
    list_select_related = ["bound_shop"]
    actions = ["mark_specific", *official_accounts_admin.CREATOR_ACTIONS]
    # C6: switched through the actions (recorded), not by editing the field.
    readonly_fields = ["carry_limits_on"]
    inlines = [official_accounts_admin.OfficialAccountChangeInline]

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
class LiveSessionAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["title", "creator", *(time_column(LiveSession, f) for f in ("scheduled_start", "went_live_at", "ended_at")), "status", "pk_partner"]
    list_filter = ["status"]
    search_fields = ["title", "creator__nickname", "creator__platform_id"]
    list_select_related = ["creator", "pk_partner"]
    readonly_fields = ["status", "went_live_at", "ended_at"]
    inlines = [LiveCartItemInline, HistoryInline]


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["creator", "product", "added_at", "removed_at"]
    list_select_related = ["creator", "product"]
    search_fields = ["creator__nickname", "product__title"]


class VideoCartItemInline(admin.TabularInline):
    model = VideoCartItem
    extra = 0


@admin.register(ShortVideo)
class ShortVideoAdmin(KeepHistory, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "creator", "published_at", "taken_down_at"]
    list_select_related = ["creator"]
    inlines = [VideoCartItemInline]


@admin.register(ChannelOrder)
class ChannelOrderAdmin(admin.ModelAdmin):
    """V10: live-cart and video orders from the platform's order feed; read-only here."""

    list_display = ["order_id", "ordered_at", "channel", "creator", "product", "quantity", "amount", "refunded_amount", "paid_at", "attributed", "unattributed_reason"]
    list_filter = ["channel", "attributed", "unattributed_reason"]
    search_fields = ["order_id", "creator__nickname", "creator__platform_id", "product__title"]
    list_select_related = ["creator", "product"]
    date_hierarchy = "ordered_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ChannelOrder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
