"""HTTP only: parse, call a service or a selector, render (S8 workspaces)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samples import selectors, services
from samples.filters import MerchantSampleFilter
from samples.forms import NewVideoForm, RejectForm, ShipForm
from samples.models import SampleRequest
from shops import selectors as shop_selectors
from shops.roles import creator_required, merchant_required
from shops.rules import rules
from shops.views import back, error_text, page_of

State = SampleRequest.State


def _clock_context() -> dict:
    now = timezone.now()
    return {"now": now, "soon": now + rules.duration("sample_due_soon")}


# ---------------------------------------------------------------------------------------
# Creator: 选品广场-我的-样品申请


@creator_required
@require_POST
def creator_request(request: HttpRequest, product_pk: int) -> HttpResponse:
    listing = get_object_or_404(shop_selectors.marketplace_listings(), product_id=product_pk)
    try:
        sample = services.sample_request_create(
            creator=request.creator, product=listing.product, by=request.user, note=request.POST.get("note", "")[:300]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return back(request, "creator:marketplace_detail", pk=listing.pk)
    messages.success(request, _("Sample requested. The merchant decides by %(deadline)s.") % {
        "deadline": timezone.localtime(sample.decide_by).strftime("%Y-%m-%d %H:%M")})
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
def creator_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.sample_requests_for_creator(creator=request.creator)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    context = {
        "page": page_of(request, qs),
        "state": state,
        "states": State.choices,
        "counts": selectors.creator_sample_counts(creator=request.creator),
        "querystring": f"state={state}" if state else "",
        **_clock_context(),
    }
    return render(request, "samples/creator/list.html", context)


@creator_required
def creator_detail(request: HttpRequest, pk: int, video_form: NewVideoForm | None = None, status: int = 200, **forms) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    context = {
        "sample": sample,
        "timeline": selectors.timeline(sample=sample),
        "video_form": video_form or NewVideoForm(),
        **_clock_context(),
        **forms,  # V7/V9 forms re-shown with their errors (samples/views_volume.py)
    }
    if sample.state == State.RECEIVED and not sample.promotion:
        context["videos"] = selectors.videos_for_promotion(sample=sample)
        context["live_items"] = selectors.live_items_for_promotion(sample=sample)
    return render(request, "samples/creator/detail.html", context, status=status)


@creator_required
@require_POST
def creator_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    try:
        services.sample_request_withdraw(sample=sample, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_receive(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    try:
        services.sample_request_confirm_receipt(sample=sample, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Receipt confirmed. Start promoting the product within the time shown."))
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """S7: record the promotion — an existing video, a new video, or a live session's cart item."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    kind = request.POST.get("kind")
    try:
        if kind == "video":
            video = get_object_or_404(selectors.videos_for_promotion(sample=sample), pk=request.POST.get("video"))
            services.sample_request_record_video(sample=sample, by=request.user, video=video)
        elif kind == "new_video":
            form = NewVideoForm(request.POST)
            if not form.is_valid():
                return creator_detail(request, pk, video_form=form)
            services.sample_request_publish_video(
                sample=sample, by=request.user, title=form.cleaned_data["title"], url=form.cleaned_data["url"]
            )
        elif kind == "live":
            item = get_object_or_404(selectors.live_items_for_promotion(sample=sample), pk=request.POST.get("item"))
            services.sample_request_record_live(sample=sample, by=request.user, item=item)
        else:
            messages.error(request, _("Choose a video or a live session."))
            return redirect("samples:creator_detail", pk=sample.pk)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Promotion recorded."))
    return redirect("samples:creator_detail", pk=sample.pk)


# ---------------------------------------------------------------------------------------
# Merchant: the sample inbox


@merchant_required
def merchant_inbox(request: HttpRequest) -> HttpResponse:
    base = selectors.sample_requests_for_merchant(merchant=request.merchant)
    filterset = MerchantSampleFilter(request.GET, queryset=base, merchant=request.merchant)
    qs = filterset.qs if filterset.is_valid() else base.none()
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": filterset,
        "page": page_of(request, qs),
        "querystring": params.urlencode(),
        "counts": selectors.merchant_sample_counts(merchant=request.merchant),
        "reject_form": RejectForm(),
        **_clock_context(),
    }
    return render(request, "samples/merchant/inbox.html", context)


@merchant_required
def merchant_detail(
    request: HttpRequest, pk: int, ship_form: ShipForm | None = None, status: int = 200, **forms
) -> HttpResponse:
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    context = {
        "sample": sample,
        "timeline": selectors.timeline(sample=sample),
        "ship_form": ship_form or ShipForm(),
        "reject_form": RejectForm(),
        **_clock_context(),
        **forms,  # V7/V9 forms re-shown with their errors (samples/views_volume.py)
    }
    return render(request, "samples/merchant/detail.html", context, status=status)


@merchant_required
@require_POST
def merchant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    try:
        if request.POST.get("action") == "approve":
            services.sample_request_approve(sample=sample, by=request.user)
            messages.success(request, _("Approved. Ship the sample within the time shown."))
        else:
            services.sample_request_reject(sample=sample, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Request declined."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return back(request, "samples:merchant_detail", pk=sample.pk)


@merchant_required
@require_POST
def merchant_ship(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return merchant_detail(request, pk, ship_form=form, status=400)
    try:
        services.sample_request_ship(
            sample=sample, by=request.user, carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"], shipping_cost=form.cleaned_data.get("shipping_cost"),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Shipped. The creator can follow the tracking number."))
    return redirect("samples:merchant_detail", pk=sample.pk)


@merchant_required
@require_POST
def merchant_bulk(request: HttpRequest) -> HttpResponse:
    """Approve or reject many at once; only ids inside the merchant's own inbox are touched."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action")
    if not ids or action not in ("approve", "reject"):
        messages.error(request, _("Tick at least one request and choose approve or reject."))
        return back(request, "samples:merchant_inbox")
    done, failed = 0, []
    for sample in selectors.sample_requests_for_merchant(merchant=request.merchant).filter(pk__in=ids):
        try:
            if action == "approve":
                services.sample_request_approve(sample=sample, by=request.user)
            else:
                services.sample_request_reject(sample=sample, by=request.user, reason=request.POST.get("reason", ""))
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"#{sample.pk} {sample.product.title}: {error_text(exc) if isinstance(exc, ValidationError) else exc}")
    if done:
        text = ngettext("%(n)d request approved.", "%(n)d requests approved.", done) if action == "approve" else \
            ngettext("%(n)d request declined.", "%(n)d requests declined.", done)
        messages.success(request, text % {"n": done})
    for line in failed:
        messages.error(request, line)
    return back(request, "samples:merchant_inbox")
