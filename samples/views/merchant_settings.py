"""The merchant's sample settings: quotas (V2), triage rules (V4) and the blocklist (V5),
each scoped to the merchant asking."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import posted
from core.http import back, page_of, run_action
from core.roles import merchant_required
from core.submissions import once
from samples import messages as msg
from samples import selectors
from samples.forms import BlockForm, LiftForm, QuotaForm, RuleSwitchForm, TriageRuleForm
from samples.policy import quota
from samples.services.policy import creator_block, creator_block_lift, sample_quota_set, triage_rule_create, triage_rule_switch
from shops import teams


@merchant_required(can=teams.VIEW)
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
    return render(request, "samples/merchant/quotas.html", {"page": page, "rows": rows, "tab": "quotas"})


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_quota_set(request: HttpRequest, product_pk: int) -> HttpResponse:
    product = selectors.get_product_for_merchant_or_404(merchant=request.merchant, pk=product_pk)
    form = QuotaForm(request.POST, prefix=f"q{product.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{product.title}: {' '.join(errors)}")
        return back(request, "samples:merchant_quotas")
    run_action(
        request,
        partial(sample_quota_set, product=product, by=request.user, limit=form.cleaned_data["limit"], period=form.cleaned_data["period"]),
        _("Sample quota of “%(product)s” saved.") % {"product": product.title},
    )
    return back(request, "samples:merchant_quotas")


def _rule_form(request: HttpRequest, data=None) -> TriageRuleForm:
    return TriageRuleForm(
        data, shops=selectors.shops_of_merchant(merchant=request.merchant),
        products=selectors.alliance_products_for_merchant(merchant=request.merchant),
    )


@merchant_required(can=teams.VIEW)
def merchant_rules(request: HttpRequest, form: TriageRuleForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "page": page_of(request, selectors.triage_rules_for_merchant(merchant=request.merchant)),
        "form": form or _rule_form(request),
        "tab": "rules",
    }
    return render(request, "samples/merchant/rules.html", context, status=status)


@merchant_required(can=teams.SAMPLES)
def merchant_rule_create(request: HttpRequest) -> HttpResponse:
    # A failed form is shown at this URL: reloading or revisiting it must land on the page, not a 405.
    if request.method != "POST":
        return redirect("samples:merchant_rules")
    form = _rule_form(request, request.POST)
    if not form.is_valid():
        return merchant_rules(request, form=form, status=400)
    data = form.cleaned_data
    try:
        once(key=data.get("submission"), user=request.user, create=lambda: triage_rule_create(
            merchant=request.merchant, by=request.user, name=data["name"], action=data["action"], shop=data["shop"],
            product=data["product"], min_followers=data["min_followers"], min_score=data["min_score"],
            min_past_sales=data["min_past_sales"],
        ))
    except ValidationError as exc:
        form.add_error(None, exc)
        return merchant_rules(request, form=form, status=400)
    messages.success(request, _("Triage rule added. It decides requests that arrive from now on."))
    return redirect("samples:merchant_rules")


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_rule_switch(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.get_triage_rule_for_merchant_or_404(merchant=request.merchant, pk=pk)
    on = posted(request, RuleSwitchForm)["on"]
    triage_rule_switch(rule=rule, by=request.user, on=on)
    messages.success(request, (_("Rule “%(rule)s” switched on.") if on else _("Rule “%(rule)s” switched off.")) % {"rule": rule.name})
    return redirect("samples:merchant_rules")


@merchant_required(can=teams.VIEW)
def merchant_blocks(request: HttpRequest, form: BlockForm | None = None, status: int = 200) -> HttpResponse:
    initial = {"platform_id": request.GET.get("creator", "")}
    context = {
        "page": page_of(request, selectors.blocks_for_merchant(merchant=request.merchant)),
        "form": form or BlockForm(initial=initial),
        "lift_form": LiftForm(),
        "tab": "blocks",
    }
    return render(request, "samples/merchant/blocks.html", context, status=status)


@merchant_required(can=teams.SAMPLES)
def merchant_block_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":  # as merchant_rule_create: the failed form's URL stays usable
        return redirect("samples:merchant_blocks")
    form = BlockForm(request.POST)
    if not form.is_valid():
        return merchant_blocks(request, form=form, status=400)
    try:
        creator_block(merchant=request.merchant, creator=form.creator, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return merchant_blocks(request, form=form, status=400)
    messages.success(request, _("%(creator)s is blocked from your samples.") % {"creator": form.creator.display_name})
    return redirect("samples:merchant_blocks")


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_block_lift(request: HttpRequest, pk: int) -> HttpResponse:
    block = selectors.get_block_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        run_action(request, partial(creator_block_lift, block=block, by=request.user, reason=form.cleaned_data["lift_reason"]), _("Block lifted."))
    else:
        messages.error(request, msg.LIFT_REASON_REQUIRED)
    return redirect("samples:merchant_blocks")
