"""Pages for official accounts (C4, C5): the merchant changes a shop's type or closes it; the
creator reads their account mode, chooses pure-creator mode and picks showcase products."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.http import page_of, run_action
from core.roles import creator_required, merchant_required
from core.rules import rules
from shops import teams
from shops.official_accounts import selectors, services
from shops.official_accounts.forms import ShopCloseForm, ShopTypeChangeForm
from shops.official_accounts.limits import carry_limits_apply

# ---------------------------------------------------------------------------------------
# C5: merchant side


@merchant_required(can=teams.SHOPS)
def shop_type_change(request: HttpRequest, pk: int) -> HttpResponse:
    shop = selectors.get_shop_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShopTypeChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shop_change_type(shop=shop, new_type=form.cleaned_data["new_type"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The shop type was changed. Live sessions that go live from now on follow the new type."))
            return redirect("merchant:shops")
    account = getattr(shop, "official_account", None)
    context = {"shop": shop, "form": form, "account": account, "cap": rules.count("official_non_own_per_session")}
    return render(request, "shops/official_accounts/shop_type_change.html", context)


@merchant_required(can=teams.SHOPS)
def shop_close(request: HttpRequest, pk: int) -> HttpResponse:
    shop = selectors.get_shop_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShopCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shop_close(shop=shop, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The shop is closed."))
            return redirect("merchant:shops")
    return render(request, "shops/official_accounts/shop_close.html", {"shop": shop, "form": form, "account": getattr(shop, "official_account", None)})


# ---------------------------------------------------------------------------------------
# C5: creator side


@creator_required
def account_mode(request: HttpRequest) -> HttpResponse:
    creator = selectors.get_creator_with_shop(creator=request.creator)
    if request.method == "POST":
        run_action(request, lambda: services.creator_choose_pure_creator_mode(creator=creator, by=request.user), _("Pure-creator mode is on: the official-account carry limits no longer apply to you."))
        return redirect("creator:account_mode")
    context = {"account": creator, "limited": carry_limits_apply(creator), "cap": rules.count("official_non_own_per_session")}
    return render(request, "shops/official_accounts/account_mode.html", context)


@creator_required
def showcase_addable(request: HttpRequest) -> HttpResponse:
    """C4: the showcase manager's list of addable products."""
    qs = selectors.showcase_addable_products_for_creator(creator=request.creator)
    return render(
        request, "shops/official_accounts/showcase_addable.html",
        {"page": page_of(request, qs), "own_only": carry_limits_apply(request.creator)},
    )
