"""The reviewers' workspace for official accounts: C6 (switching carry limits, a random roll-out),
C5 (closing shops), and the records of both. Writes go through services; a refusal is shown as
a message (core.admin_base.run_bulk), never as a 403."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_base import KeepHistory, RecordInline, refusal_text, run_bulk
from shops.models import OfficialAccountChange, ShopTypeChange
from shops.official_accounts import services
from shops.official_accounts.forms import RollOutForm


def _switch(modeladmin, request, queryset, *, on: bool) -> None:
    """C6, one account at a time: those already in the wanted state are left alone."""
    run_bulk(
        modeladmin, request, queryset.exclude(carry_limits_on=on),
        lambda creator: services.creator_set_carry_limits(creator=creator, on=on, by=request.user),
        _("Carry limits changed for %(n)s accounts."),
    )


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
            picked = services.carry_limits_roll_out(
                creators=list(queryset), percentage=form.cleaned_data["percentage"], by=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, refusal_text(exc), messages.ERROR)
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
    return TemplateResponse(request, "admin/shops/limits_roll_out.html", context)


CREATOR_ACTIONS = [carry_limits_on, carry_limits_off, carry_limits_roll_out]


@admin.action(description=gettext_lazy("C5: close the selected shops (unbinds their official accounts)"))
def close_shops(modeladmin, request, queryset):
    run_bulk(
        modeladmin, request, queryset,
        lambda shop: services.shop_close(shop=shop, by=request.user, reason=_("closed by the platform")),
        _("%(n)s shops closed."),
    )


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
class ShopTypeChangeAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["shop", "old_type", "new_type", "changed_by", "changed_at"]
    list_filter = ["old_type", "new_type"]
    search_fields = ["shop__name"]
    list_select_related = ["shop", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OfficialAccountChange)
class OfficialAccountChangeAdmin(KeepHistory, admin.ModelAdmin):
    list_display = ["creator", "kind", "shop", "changed_by", "changed_at", "note"]
    list_filter = ["kind"]
    search_fields = ["creator__nickname", "creator__platform_id"]
    list_select_related = ["creator", "shop", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
