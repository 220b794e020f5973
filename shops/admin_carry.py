"""Reviewers' workspace for C5/C6 (official accounts) and D1–D4 (alliance removals). Writes go through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_base import HistoryInline, RecordInline
from shops import services_carry
from shops.forms_carry import RollOutForm
from shops.models import AllianceRemoval, BuyerAnnouncement, OfficialAccountChange, ShopTypeChange


def _switch(modeladmin, request, queryset, *, on: bool) -> None:
    changed = 0
    for creator in queryset:
        try:
            changed += services_carry.creator_set_carry_limits(creator=creator, on=on, by=request.user)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            return
    modeladmin.message_user(request, _("Carry limits changed for %(n)s accounts.") % {"n": changed}, messages.SUCCESS)


@admin.action(description=gettext_lazy("C6: switch carry limits on"))
def carry_limits_on(modeladmin, request, queryset):
    _switch(modeladmin, request, queryset, on=True)


@admin.action(description=gettext_lazy("C6: switch carry limits off"))
def carry_limits_off(modeladmin, request, queryset):
    _switch(modeladmin, request, queryset, on=False)


@admin.action(description=gettext_lazy("C6: switch carry limits on for a random share…"))
def carry_limits_roll_out(modeladmin, request, queryset):
    """Asks for the percentage on an intermediate page, then switches a random share on."""
    form = RollOutForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            picked = services_carry.carry_limits_roll_out(
                creators=list(queryset), percentage=form.cleaned_data["percentage"], by=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        else:
            modeladmin.message_user(
                request, _("Carry limits switched on for %(n)s official accounts picked at random.") % {"n": len(picked)},
                messages.SUCCESS,
            )
        return None
    official = [c for c in queryset.select_related("bound_shop") if c.is_official_account]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Switch carry limits on for a random share"),
        "form": form, "queryset": queryset, "official_count": len(official),
        "not_yet": sum(1 for c in official if not c.carry_limits_on),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME, "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/shops/carry_roll_out.html", context)


CREATOR_ACTIONS = [carry_limits_on, carry_limits_off, carry_limits_roll_out]


@admin.action(description=gettext_lazy("C5: close the selected shops (unbinds their official accounts)"))
def close_shops(modeladmin, request, queryset):
    closed = 0
    for shop in queryset:
        try:
            services_carry.shop_close(shop=shop, by=request.user, reason=_("closed by the platform"))
            closed += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{shop}: {' '.join(exc.messages)}", messages.ERROR)
    modeladmin.message_user(request, _("%(n)s shops closed.") % {"n": closed}, messages.SUCCESS)


SHOP_ACTIONS = [close_shops]


class OfficialAccountChangeInline(RecordInline):
    model = OfficialAccountChange
    fk_name = "creator"
    fields = ["changed_at", "kind", "shop", "changed_by", "note"]
    verbose_name_plural = gettext_lazy("official account history (C5, C6)")


class ShopTypeChangeInline(RecordInline):
    model = ShopTypeChange
    fields = ["changed_at", "old_type", "new_type", "changed_by", "note"]


@admin.register(ShopTypeChange)
class ShopTypeChangeAdmin(admin.ModelAdmin):
    list_display = ["shop", "old_type", "new_type", "changed_by", "changed_at"]
    list_filter = ["old_type", "new_type"]
    search_fields = ["shop__name"]
    list_select_related = ["shop", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OfficialAccountChange)
class OfficialAccountChangeAdmin(admin.ModelAdmin):
    list_display = ["creator", "kind", "shop", "changed_by", "changed_at", "note"]
    list_filter = ["kind"]
    search_fields = ["creator__nickname", "creator__platform_id"]
    list_select_related = ["creator", "shop", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BuyerAnnouncementInline(RecordInline):
    model = BuyerAnnouncement
    fields = ["sent_at", "message", "removal_time", "compensation_note", "recipients", "sent_by"]


@admin.register(AllianceRemoval)
class AllianceRemovalAdmin(admin.ModelAdmin):
    list_display = ["listing", "scheduled_at", "status", "created_by", "created_at", "done_at", "cancelled_at"]
    list_filter = ["status"]
    search_fields = ["listing__product__title", "listing__product__shop__name"]
    list_select_related = ["listing", "listing__product", "created_by"]
    fields = ["listing", "scheduled_at", "status", "compensation_note", "created_by", "created_at", "done_at", "cancelled_at", "impact", "outcome"]
    readonly_fields = fields
    actions = ["cancel_removals"]

    def get_inlines(self, request, obj):
        return [BuyerAnnouncementInline, HistoryInline]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Cancel the selected scheduled removals"))
    def cancel_removals(self, request, queryset):
        for removal in queryset:
            try:
                services_carry.alliance_removal_cancel(removal=removal, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{removal}: {' '.join(exc.messages)}", messages.ERROR)
