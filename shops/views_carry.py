"""Pages for official-account carry limits (C5) and taking products out of the alliance (D1–D4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import back, page_of, run_action
from core.roles import creator_required, merchant_required
from core.rules import rules
from shops import impact, selectors_carry, services_carry
from shops.carry import carry_limits_apply
from shops.forms_carry import AllianceRemovalForm, AnnouncementForm, ShopCloseForm, ShopTypeChangeForm
from shops.models import AllianceRemoval

# ---------------------------------------------------------------------------------------
# C5: merchant side


@merchant_required
def shop_type_change(request: HttpRequest, pk: int) -> HttpResponse:
    shop = selectors_carry.get_shop_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShopTypeChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_carry.shop_change_type(shop=shop, new_type=form.cleaned_data["new_type"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The shop type was changed. Live sessions that go live from now on follow the new type."))
            return redirect("merchant:shops")
    account = getattr(shop, "official_account", None)
    context = {"shop": shop, "form": form, "account": account, "cap": rules.count("official_non_own_per_session")}
    return render(request, "shops/carry/shop_type_change.html", context)


@merchant_required
def shop_close(request: HttpRequest, pk: int) -> HttpResponse:
    shop = selectors_carry.get_shop_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShopCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_carry.shop_close(shop=shop, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The shop is closed."))
            return redirect("merchant:shops")
    return render(request, "shops/carry/shop_close.html", {"shop": shop, "form": form, "account": getattr(shop, "official_account", None)})


# ---------------------------------------------------------------------------------------
# C5: creator side


@creator_required
def account_mode(request: HttpRequest) -> HttpResponse:
    creator = selectors_carry.get_creator_with_shop(creator=request.creator)
    if request.method == "POST":
        run_action(request, lambda: services_carry.creator_choose_pure_creator_mode(creator=creator, by=request.user), _("Pure-creator mode is on: the official-account carry limits no longer apply to you."))
        return redirect("creator:account_mode")
    context = {"account": creator, "limited": carry_limits_apply(creator), "cap": rules.count("official_non_own_per_session")}
    return render(request, "shops/carry/account_mode.html", context)


@creator_required
def showcase_addable(request: HttpRequest) -> HttpResponse:
    """C4: the showcase manager's list of addable products."""
    qs = selectors_carry.showcase_addable_products_for_creator(creator=request.creator)
    return render(
        request, "shops/carry/showcase_addable.html",
        {"page": page_of(request, qs), "own_only": carry_limits_apply(request.creator)},
    )


# ---------------------------------------------------------------------------------------
# D1–D4: merchant side


@merchant_required
def alliance(request: HttpRequest) -> HttpResponse:
    """D1: the merchant's alliance page — products listed, what carries them, removals."""
    listings = selectors_carry.alliance_products_for_merchant(merchant=request.merchant)
    removals = selectors_carry.removals_for_merchant(merchant=request.merchant)[:20]
    return render(request, "shops/carry/alliance.html", {"page": page_of(request, listings), "removals": removals})


@merchant_required
def alliance_remove(request: HttpRequest) -> HttpResponse:
    """D1/D2: confirm taking one or more products out of the alliance."""
    ids = request.POST.getlist("products") if request.method == "POST" else request.GET.getlist("products")
    listings = selectors_carry.listings_for_removal(merchant=request.merchant, product_ids=ids)
    if not listings:
        messages.error(request, _("Choose at least one product listed in the alliance."))
        return redirect("merchant:alliance")
    form = AllianceRemovalForm(request.POST if request.POST.get("confirm") else None)
    if request.method == "POST" and request.POST.get("confirm") and form.is_valid():
        try:
            with transaction.atomic():
                removals = [
                    services_carry.alliance_removal_create(
                        product=listing.product, by=request.user, at=form.cleaned_data["at"],
                        compensation_note=form.cleaned_data["compensation_note"], announcement=form.cleaned_data["announcement"],
                    )
                    for listing in listings
                ]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if removals[0].status == AllianceRemoval.Status.DONE:
                messages.success(request, _("Taken out of the alliance. Consider taking the product off sale too."))
            else:
                messages.success(request, _("Scheduled. You can cancel it until it happens."))
            if len(removals) == 1:
                return redirect("merchant:product_detail", pk=removals[0].listing.product_id)
            return redirect("merchant:alliance")
    rows = [{"listing": listing, "product": listing.product, "impact": impact.impact_for(listing.product)} for listing in listings]
    return render(request, "shops/carry/alliance_remove.html", {"rows": rows, "form": form})


@merchant_required
@require_POST
def alliance_removal_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    removal = selectors_carry.get_removal_for_merchant_or_404(merchant=request.merchant, pk=pk)
    run_action(request, lambda: services_carry.alliance_removal_cancel(removal=removal, by=request.user), _("Cancelled: the product stays in the alliance."))
    return back(request, "merchant:alliance")


@merchant_required
def alliance_removal_announce(request: HttpRequest, pk: int) -> HttpResponse:
    """D3: an announcement to the buyers who follow or bought the product, before it happens."""
    removal = selectors_carry.get_removal_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services_carry.buyer_announcement_send(removal=removal, by=request.user, message=form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Announcement sent to %(n)s buyers.") % {"n": sent.recipients})
            return redirect("merchant:alliance_removal_announce", pk=removal.pk)
    context = {
        "removal": removal, "product": removal.listing.product, "form": form,
        "announcements": removal.announcements.all()[:20], "audience": len(impact.buyer_audience(removal.listing.product)),
    }
    return render(request, "shops/carry/announce.html", context)

