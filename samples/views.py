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

from core.http import back, error_text, page_of, run_action
from core.roles import creator_required, merchant_required
from core.rules import rules
from samples import blocks, quota, scoring, selectors, services, triage
from samples.filters import MerchantSampleFilter
from samples.forms import BlockForm, LiftForm, NewVideoForm, QuotaForm, RejectForm, ShipForm, TriageRuleForm
from samples.models import SampleRequest
from shops import selectors as shop_selectors

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
        "score": scoring.creator_score(request.creator),  # V1
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
    run_action(request, lambda: services.sample_request_withdraw(sample=sample, by=request.user), _("Request withdrawn."))
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_receive(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    run_action(request, lambda: services.sample_request_confirm_receipt(sample=sample, by=request.user), _("Receipt confirmed. Start promoting the product within the time shown."))
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
    order = "newest" if request.GET.get("order") == "newest" else "triage"
    if order == "triage":
        qs = selectors.inbox_by_triage(qs)  # V4: waiting requests by the shown triage score
    params = request.GET.copy()
    params.pop("page", None)
    page = page_of(request, qs)
    context = {
        "filter": filterset,
        "order": order,
        "page": page,
        "scores": scoring.scores_for([s.creator_id for s in page]),  # V1, two queries for the page
        "querystring": params.urlencode(),
        "counts": selectors.merchant_sample_counts(merchant=request.merchant),
        "reject_form": RejectForm(),
        "tab": "inbox",
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
    run_action(
        request,
        lambda: services.sample_request_ship(
            sample=sample, by=request.user, carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"], shipping_cost=form.cleaned_data.get("shipping_cost"),
        ),
        _("Shipped. The creator can follow the tracking number."),
    )
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


# ---------------------------------------------------------------------------------------
# V1: the creator's own fulfilment score


@creator_required
def creator_score(request: HttpRequest) -> HttpResponse:
    score = scoring.creator_score(request.creator)
    context = {
        "score": score,
        "events": list(reversed(score.events)),
        "past_sales": scoring.past_sales_for([request.creator.pk])[request.creator.pk],
        "window_days": score.params.window.days,
        "penalty": score.params.penalty,
        "credit": score.params.credit,
    }
    return render(request, "samples/creator/score.html", context)


# ---------------------------------------------------------------------------------------
# V2, V4, V5: the merchant's sample settings


def _settings_context(request: HttpRequest, tab: str) -> dict:
    return {"tab": tab}


@merchant_required
def merchant_quotas(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.alliance_products_for_merchant(merchant=request.merchant))
    used = selectors.quota_usage(product_ids=[p.pk for p in page])
    rows = []
    for product in page:
        q = getattr(product, "sample_quota", None)
        start, reset = quota.period_bounds(q.period, timezone.now()) if q else (None, None)
        n = used.get(product.pk, 0)
        rows.append({
            "product": product, "quota": q, "used": n, "remaining": max(0, q.limit - n) if q else None, "resets_at": reset,
            "form": QuotaForm(initial={"limit": q.limit if q else None, "period": q.period if q else "total"}, prefix=f"q{product.pk}"),
        })
    return render(request, "samples/merchant/quotas.html", {"page": page, "rows": rows, **_settings_context(request, "quotas")})


@merchant_required
@require_POST
def merchant_quota_set(request: HttpRequest, product_pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=product_pk)
    form = QuotaForm(request.POST, prefix=f"q{product.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{product.title}: {' '.join(errors)}")
        return back(request, "samples:merchant_quotas")
    run_action(request, lambda: quota.sample_quota_set(product=product, by=request.user, limit=form.cleaned_data["limit"], period=form.cleaned_data["period"]), _("Sample quota of “%(product)s” saved.") % {"product": product.title})
    return back(request, "samples:merchant_quotas")


def _rule_form(request: HttpRequest, data=None) -> TriageRuleForm:
    return TriageRuleForm(
        data, shops=selectors.shops_of_merchant(merchant=request.merchant),
        products=selectors.alliance_products_for_merchant(merchant=request.merchant),
    )


@merchant_required
def merchant_rules(request: HttpRequest, form: TriageRuleForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.triage_rules_for_merchant(merchant=request.merchant)),
        "form": form or _rule_form(request),
        **_settings_context(request, "rules"),
    }
    return render(request, "samples/merchant/rules.html", context, status=status)


@merchant_required
@require_POST
def merchant_rule_create(request: HttpRequest) -> HttpResponse:
    form = _rule_form(request, request.POST)
    if not form.is_valid():
        return merchant_rules(request, form=form, status=400)
    data = form.cleaned_data
    try:
        triage.triage_rule_create(
            merchant=request.merchant, by=request.user, name=data["name"], action=data["action"], shop=data["shop"],
            product=data["product"], min_followers=data["min_followers"], min_score=data["min_score"],
            min_past_sales=data["min_past_sales"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return merchant_rules(request, form=form, status=400)
    messages.success(request, _("Triage rule added. It decides requests that arrive from now on."))
    return redirect("samples:merchant_rules")


@merchant_required
@require_POST
def merchant_rule_switch(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.get_triage_rule_for_merchant_or_404(merchant=request.merchant, pk=pk)
    on = request.POST.get("on") == "1"
    triage.triage_rule_switch(rule=rule, by=request.user, on=on)
    messages.success(request, (_("Rule “%(rule)s” switched on.") if on else _("Rule “%(rule)s” switched off.")) % {"rule": rule.name})
    return redirect("samples:merchant_rules")


@merchant_required
def merchant_blocks(request: HttpRequest, form: BlockForm | None = None, status: int = 200) -> HttpResponse:
    initial = {"platform_id": request.GET.get("creator", "")}
    context = {
        "page": page_of(request, selectors.blocks_for_merchant(merchant=request.merchant)),
        "form": form or BlockForm(initial=initial),
        "lift_form": LiftForm(),
        **_settings_context(request, "blocks"),
    }
    return render(request, "samples/merchant/blocks.html", context, status=status)


@merchant_required
@require_POST
def merchant_block_create(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST)
    if not form.is_valid():
        return merchant_blocks(request, form=form, status=400)
    try:
        blocks.creator_block(merchant=request.merchant, creator=form.creator, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return merchant_blocks(request, form=form, status=400)
    messages.success(request, _("%(creator)s is blocked from your samples.") % {"creator": form.creator.display_name})
    return redirect("samples:merchant_blocks")


@merchant_required
@require_POST
def merchant_block_lift(request: HttpRequest, pk: int) -> HttpResponse:
    block = selectors.get_block_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = LiftForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for lifting the block; it is recorded."))
        blocks.creator_block_lift(block=block, by=request.user, reason=form.cleaned_data["lift_reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Block lifted."))
    return redirect("samples:merchant_blocks")
