"""HTTP only: parse, call a service or a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import InvalidInput, SearchForm, form_errors_text, posted
from core.http import back, confirm_page, page_of, run_action, search_text
from core.notifications import notifications_for_user
from core.roles import creator_required, merchant_required
from core.submissions import once
from core.todo import board_for
from shops import selectors, services, teams
from shops.filters import MarketplaceFilter
from shops.forms import (
    AllianceListingForm,
    LiveSessionForm,
    ProductForm,
    ProductPickForm,
    ProductSaleForm,
    SampleSwitchForm,
    VideoPublishForm,
)
from shops.models import AllianceListing, LiveSession, Product
from shops.official_accounts import selectors as official_selectors
from shops.official_accounts.limits import C4_SHOP_TYPE_MESSAGE

# ---------------------------------------------------------------------------------------
# Merchant workspace


@merchant_required
def merchant_dashboard(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant
    products = selectors.products_for_merchant(merchant=merchant)
    context = {
        "shops": selectors.shops_for_merchant(merchant=merchant),
        "product_count": products.count(),
        "on_sale_count": products.filter(sale_status=Product.SaleStatus.ON_SALE).count(),
        "listed_count": products.filter(alliance_listing__status=AllianceListing.Status.LISTED).count(),
        "recent_notifications": notifications_for_user(user=request.user)[:5],
        "todo": board_for("merchant", merchant),  # filled by the domains (core.todo)
    }
    return render(request, "shops/merchant/dashboard.html", context)


@merchant_required(can=teams.VIEW)
def merchant_shops(request: HttpRequest) -> HttpResponse:
    return render(request, "shops/merchant/shops.html", {"shops": selectors.shops_for_merchant(merchant=request.merchant)})


@merchant_required(can=teams.VIEW)
def merchant_products(request: HttpRequest) -> HttpResponse:
    qs = selectors.products_for_merchant(merchant=request.merchant)
    q = search_text(request)
    if q:
        qs = qs.filter(title__icontains=q)
    search = SearchForm(initial={"q": q}, label=_("Search by title"), placeholder=_("Search by title"))
    return render(request, "shops/merchant/products.html", {"page": page_of(request, qs), "q": q, "search_form": search})


@merchant_required(can=teams.CATALOGUE)
def merchant_product_create(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, request.FILES or None, merchant=request.merchant)
    if request.method == "POST" and form.is_valid():
        try:
            product = once(key=form.cleaned_data["submission"], user=request.user, create=lambda: services.product_create(
                shop=form.cleaned_data["shop"], by=request.user, data=form.service_data(),
                detail_images=form.cleaned_data["detail_images_upload"],
            ))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Product “%(title)s” created.") % {"title": product.title})
            return redirect("merchant:product_detail", pk=product.pk)
    return render(request, "shops/merchant/product_form.html", {"form": form})


@merchant_required(can=teams.VIEW)
def merchant_product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=pk)
    return render(request, "shops/merchant/product_detail.html", {"product": product})


@merchant_required(can=teams.CATALOGUE)
def merchant_product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product, merchant=request.merchant)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.product_update(
                product=product, by=request.user, data=form.service_data(),
                detail_images=form.cleaned_data["detail_images_upload"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Product saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("merchant:product_detail", pk=product.pk)
    return render(request, "shops/merchant/product_form.html", {"form": form, "product": product})


@merchant_required(can=teams.CATALOGUE)
@require_POST
def merchant_product_sale(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=pk)
    if posted(request, ProductSaleForm)["action"]:
        run_action(request, lambda: services.product_put_on_sale(product=product, by=request.user), _("The product is on sale."))
    else:
        run_action(request, lambda: services.product_take_off_sale(product=product, by=request.user), _("The product is off sale."))
    return redirect("merchant:product_detail", pk=product.pk)


@merchant_required(can=teams.CATALOGUE)
def merchant_product_alliance(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=pk)
    listing = getattr(product, "alliance_listing", None)
    form = AllianceListingForm(request.POST or None, instance=listing, product=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.alliance_list(
                product=product, by=request.user, commission_rate=form.cleaned_data["commission_rate"],
                sample_support=form.cleaned_data["sample_support"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict names its field (S2: sample_support)
        else:
            messages.success(request, _("Alliance listing saved."))
            return redirect("merchant:product_detail", pk=product.pk)
    # A refused sample switch is a request our page cannot send (the box is greyed): a 400.
    status = 400 if form.sample_refusal and "sample_support" in form.errors else 200
    return render(request, "shops/merchant/alliance_form.html", {"form": form, "product": product, "listing": listing}, status=status)


@merchant_required(can=teams.CATALOGUE)
@require_POST
def merchant_sample_switch(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=pk)
    listing = getattr(product, "alliance_listing", None)
    if listing is None:
        messages.error(request, _("List the product in the alliance first."))
    else:
        enabled = posted(request, SampleSwitchForm)["enabled"]
        run_action(
            request, lambda: services.alliance_set_sample_support(listing=listing, by=request.user, enabled=enabled),
            _("Free samples switched on.") if enabled else _("Free samples switched off."),
        )
    return back(request, "merchant:product_detail", pk=product.pk)


# ---------------------------------------------------------------------------------------
# Creator workspace


@creator_required
def creator_dashboard(request: HttpRequest) -> HttpResponse:
    creator = request.creator
    context = {
        "upcoming": selectors.sessions_for_creator(creator=creator).exclude(status=LiveSession.Status.ENDED).order_by("scheduled_start")[:5],
        "showcase_count": selectors.showcase_for_creator(creator=creator).count(),
        "recent_notifications": notifications_for_user(user=request.user)[:5],
        "todo": board_for("creator", creator),  # filled by the domains (core.todo)
    }
    return render(request, "shops/creator/dashboard.html", context)


# 选品广场 counts at most this many listings (84 pages of 12): the page costs the same with
# 10 listings or 500,000; past it the creator narrows the search.
MARKETPLACE_COUNT_CAP = 1000


@creator_required
def marketplace(request: HttpRequest) -> HttpResponse:
    filterset = MarketplaceFilter(request.GET, queryset=selectors.marketplace_listings())
    qs = filterset.qs if filterset.is_valid() else selectors.marketplace_listings().none()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": filterset,
        "page": page_of(request, qs, 12, count_cap=MARKETPLACE_COUNT_CAP),
        "querystring": params.urlencode(),
        "sessions": selectors.sessions_for_creator(creator=request.creator).exclude(status=LiveSession.Status.ENDED),
    }
    return render(request, "shops/creator/marketplace.html", context)


@creator_required
def marketplace_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.get_marketplace_listing_or_404(pk=pk)
    context = {
        "listing": listing,
        "product": listing.product,
        "carry": official_selectors.carry_outlook(creator=request.creator, product=listing.product),  # C1, C2, C4
        # C4: where 加橱窗 would be, an official account reads the platform's own words.
        "showcase_refusal": C4_SHOP_TYPE_MESSAGE,
        "sessions": selectors.sessions_for_creator(creator=request.creator).exclude(status=LiveSession.Status.ENDED),
    }
    return render(request, "shops/creator/marketplace_detail.html", context)


@creator_required
def showcase(request: HttpRequest) -> HttpResponse:
    items = selectors.showcase_for_creator(creator=request.creator)
    return render(request, "shops/creator/showcase.html", {"page": page_of(request, items)})


@creator_required
@require_POST
def showcase_add(request: HttpRequest) -> HttpResponse:
    product_id = posted(request, ProductPickForm)["product"]
    product = get_object_or_404(selectors.carriable_products_for_creator(creator=request.creator), pk=product_id)
    run_action(request, lambda: services.showcase_add(creator=request.creator, product=product, by=request.user), _("“%(title)s” added to your showcase.") % {"title": product.title})
    return back(request, "creator:showcase")


@creator_required
@require_POST
def showcase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.showcase_for_creator(creator=request.creator), pk=pk)
    services.showcase_remove(item=item, by=request.user)
    messages.success(request, _("Removed from your showcase."))
    return redirect("creator:showcase")


@creator_required
def sessions(request: HttpRequest) -> HttpResponse:
    qs = selectors.sessions_for_creator(creator=request.creator)
    return render(request, "shops/creator/sessions.html", {"page": page_of(request, qs)})


@creator_required
def session_create(request: HttpRequest) -> HttpResponse:
    form = LiveSessionForm(request.POST or None, creator=request.creator)
    if request.method == "POST" and form.is_valid():
        try:
            session = once(key=form.cleaned_data["submission"], user=request.user, create=lambda: services.live_session_schedule(
                creator=request.creator, title=form.cleaned_data["title"],
                scheduled_start=form.cleaned_data["scheduled_start"], pk_partner=form.cleaned_data["pk_partner"],
            ))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Live session scheduled."))
            return redirect("creator:session_detail", pk=session.pk)
    return render(request, "shops/creator/session_form.html", {"form": form})


@creator_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_creator_or_404(creator=request.creator, pk=pk)
    items = list(selectors.cart_items_for_session(session=session))
    context = {
        "session": session,
        "active_items": [i for i in items if i.removed_at is None],
        "removed_items": [i for i in items if i.removed_at is not None],
        "choices": official_selectors.live_cart_choices(session=session),  # C1–C3 shown before the click
    }
    choices = context["choices"]
    context["cart_form"] = ProductPickForm.to_show(own=choices["own"], other=choices["other"], described_by="cart-add-help")
    return render(request, "shops/creator/session_detail.html", context)


@creator_required
@require_POST
def session_transition(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_creator_or_404(creator=request.creator, pk=pk)
    action = request.POST.get("action")
    if action == "go_live":
        run_action(request, lambda: services.live_session_go_live(session=session, by=request.user), _("You are live."))
    elif action == "end":
        run_action(request, lambda: services.live_session_end(session=session, by=request.user), _("The live session has ended."))
    return redirect("creator:session_detail", pk=session.pk)


@creator_required
def session_transition_confirm(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The confirmation step before 开播 / 结束直播: neither can be undone."""
    session = selectors.get_session_for_creator_or_404(creator=request.creator, pk=pk)
    cancel = reverse("creator:session_detail", args=[session.pk])
    if action == "go_live" and session.status == LiveSession.Status.SCHEDULED:
        return confirm_page(
            request, title=_("Go live now?"), subject=session.title, label=_("Go live"), cancel=cancel, danger=False,
            action=reverse("creator:session_transition", args=[session.pk]), fields=[("action", "go_live")],
            consequences=[
                _("The session shows as live and viewers can buy what is in its cart."),
                _("Invited creators can create flash sales during the broadcast."),
                _("A live session cannot go back to scheduled: only ending it remains."),
            ],
        )
    if action == "end" and session.status == LiveSession.Status.LIVE:
        return confirm_page(
            request, title=_("End the live session?"), subject=session.title, label=_("End the session"), cancel=cancel,
            action=reverse("creator:session_transition", args=[session.pk]), fields=[("action", "end")],
            consequences=[
                _("The session ends for good: its cart can no longer change."),
                _("Every flash sale of this session that is still on sale ends with it: buyers can no longer buy it."),
            ],
        )
    return redirect("creator:session_detail", pk=session.pk)


@creator_required
@require_POST
def cart_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_creator_or_404(creator=request.creator, pk=pk)
    product_id = posted(request, ProductPickForm)["product"]
    product = get_object_or_404(selectors.carriable_products_for_creator(creator=request.creator), pk=product_id)
    run_action(request, lambda: services.cart_add(session=session, product=product, by=request.user), _("“%(title)s” added to the cart.") % {"title": product.title})
    return back(request, "creator:session_detail", pk=session.pk)


@creator_required
@require_POST
def cart_item_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    session = selectors.get_session_for_creator_or_404(creator=request.creator, pk=pk)
    item = get_object_or_404(session.cart_items.all(), pk=item_pk)
    if request.POST.get("action") == "explain":
        run_action(request, lambda: services.cart_mark_explained(item=item, by=request.user), _("Marked as explained."))
    else:
        run_action(request, lambda: services.cart_remove(item=item, by=request.user), _("Removed from the cart."))
    return redirect("creator:session_detail", pk=session.pk)


@creator_required
def videos(request: HttpRequest) -> HttpResponse:
    qs = selectors.videos_for_creator(creator=request.creator)
    return render(
        request, "shops/creator/videos.html",
        {"page": page_of(request, qs), "form": VideoPublishForm.to_show(selectors.carriable_products_for_creator(creator=request.creator, place="video")[:50])},
    )


@creator_required
@require_POST
def video_publish(request: HttpRequest) -> HttpResponse:
    form = VideoPublishForm(request.POST)
    if not form.is_valid():
        if set(form.errors) - {"title", "url"}:
            raise InvalidInput(form_errors_text(form))  # tampered product ids: a 400 page
        messages.error(request, form_errors_text(form))
        return redirect("creator:videos")
    data = form.cleaned_data
    products = list(selectors.carriable_products_for_creator(creator=request.creator).filter(pk__in=data["products"]))
    # video_publish is atomic: a refused product leaves no video behind.
    run_action(
        request,
        lambda: once(key=data["submission"], user=request.user, create=lambda: services.video_publish(
            creator=request.creator, title=data["title"], url=data["url"], products=products, by=request.user)),
        _("Video published."),
    )
    return redirect("creator:videos")
