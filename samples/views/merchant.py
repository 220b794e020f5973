"""The merchant's sample inbox (S8): every request for their products, a request's page,
the decision (one or in bulk), shipping, the answer to an extension (V7) and the
re-shipment of a parcel reported not arrived (V9)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import InvalidInput, form_errors_text, posted
from core.http import back, confirm_page, error_text, page_of, run_action
from core.ids import parse_id
from core.roles import merchant_required
from samples import messages as msg
from samples import selectors
from samples.filters import MerchantSampleFilter
from samples.forms import BulkForm, RefuseExtensionForm, RejectForm, ReshipForm, ShipForm
from samples.models import SampleRequest
from samples.policy import score as scoring
from samples.services.extensions import sample_extension_grant, sample_extension_refuse
from samples.services.requests import sample_request_approve, sample_request_reject
from samples.services.shipping import sample_request_reship, sample_request_ship
from samples.views.appeals import appeal_context
from samples.views.common import clock_context
from shops import teams


@merchant_required(can=teams.VIEW_SAMPLES)
def merchant_inbox(request: HttpRequest) -> HttpResponse:
    base = selectors.inbox_requests(merchant=request.merchant)
    filterset = MerchantSampleFilter(request.GET, queryset=base, merchant=request.merchant)
    qs = filterset.qs if filterset.is_valid() else base.none()
    order = "newest" if request.GET.get("order") == "newest" else "triage"
    # V4: waiting requests by the shown triage score, read page by page from indexes
    rows = selectors.InboxRows(qs, triage=order == "triage")
    params = request.GET.copy()
    params.pop("page", None)
    page = page_of(request, rows)
    context = {
        "filter": filterset,
        "order": order,
        "page": page,
        "scores": scoring.score_values_for([s.creator_id for s in page]),  # V1, counted in SQL for the page's creators
        "querystring": params.urlencode(),
        "counts": selectors.merchant_sample_counts(merchant=request.merchant),
        "reject_form": RejectForm(),
        "tab": "inbox",
        **clock_context(),
    }
    return render(request, "samples/merchant/inbox.html", context)


def _detail_page(
    request: HttpRequest, sample: SampleRequest, *, status: int = 200, ship_form: ShipForm | None = None,
    reship_form: ReshipForm | None = None, refuse_form: RefuseExtensionForm | None = None,
) -> HttpResponse:
    """A request's page; a POST whose form did not validate shows it again with its errors."""
    context = {
        "sample": sample,
        "timeline": selectors.timeline(sample=sample),
        "extension": selectors.extension_of(sample=sample),  # V7
        "ship_form": ship_form or ShipForm(),
        "reship_form": reship_form or ReshipForm(prefix="reship"),  # V9
        "refuse_form": refuse_form or RefuseExtensionForm(),  # V7
        "reject_form": RejectForm(),
        **appeal_context(sample, is_appellant=False),  # AP5: the merchant follows the creator's appeal
        **clock_context(),
    }
    return render(request, "samples/merchant/detail.html", context, status=status)


@merchant_required(can=teams.VIEW_SAMPLES)
def merchant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk))


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    if request.POST.get("action") == "approve":
        run_action(request, partial(sample_request_approve, sample=sample, by=request.user), _("Approved. Ship the sample within the time shown."))
    else:
        reason = posted(request, RejectForm)["reason"]
        run_action(request, partial(sample_request_reject, sample=sample, by=request.user, reason=reason), _("Request declined."))
    return back(request, "samples:merchant_detail", pk=sample.pk)


@merchant_required(can=teams.SHIP)
@require_POST
def merchant_ship(request: HttpRequest, pk: int) -> HttpResponse:
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sample, status=400, ship_form=form)
    run_action(
        request,
        partial(
            sample_request_ship, sample=sample, by=request.user, carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"], shipping_cost=form.cleaned_data.get("shipping_cost"),
        ),
        _("Shipped. The creator can follow the tracking number."),
    )
    return redirect("samples:merchant_detail", pk=sample.pk)


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_bulk(request: HttpRequest) -> HttpResponse:
    """Approve or reject many at once; only ids inside the merchant's own inbox are touched."""
    form = BulkForm(request.POST)
    if form.is_valid():
        ids, action, reason = form.cleaned_data["ids"], form.cleaned_data["action"], form.cleaned_data["reason"]
    elif "ids" in form.errors or "reason" in form.errors:
        raise InvalidInput(form_errors_text(form))  # tampered ids, a NUL, an endless reason: a 400 page
    else:
        ids, action = [], ""
    if not ids or action not in ("approve", "reject"):
        messages.error(request, _("Tick at least one request and choose approve or reject."))
        return back(request, "samples:merchant_inbox")
    done, failed = 0, []
    for sample in selectors.sample_requests_for_merchant(merchant=request.merchant).filter(pk__in=ids):
        try:
            if action == "approve":
                sample_request_approve(sample=sample, by=request.user)
            else:
                sample_request_reject(sample=sample, by=request.user, reason=reason)
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


@merchant_required(can=teams.SAMPLES)
def merchant_bulk_decline_confirm(request: HttpRequest) -> HttpResponse:
    """The confirmation step before declining ticked requests in bulk: names each one."""
    ids = [i for i in map(parse_id, request.GET.getlist("ids")) if i]
    samples = list(
        selectors.sample_requests_for_merchant(merchant=request.merchant).filter(pk__in=ids, state=SampleRequest.State.REQUESTED)
        .select_related("product", "creator")
    )
    if not samples:
        messages.error(request, _("Tick at least one request waiting for your decision."))
        return redirect("samples:merchant_inbox")
    reason = request.GET.get("reason", "")[:300]
    names = "、".join(f"{s.product.title}（{s.creator.display_name}）" for s in samples)
    consequences = [
        ngettext("%(n)d request is declined: %(names)s.", "%(n)d requests are declined: %(names)s.", len(samples)) % {"n": len(samples), "names": names},
        _("Each creator is told, with your reason: %(reason)s") % {"reason": reason} if reason else _("Each creator is told; you gave no reason."),
        _("A creator can ask again for the same product only after %(period)s.") % {"period": msg.rule_period("sample_retry_wait")},
    ]
    fields = [("ids", s.pk) for s in samples] + [("action", "reject"), ("reason", reason), ("next", request.GET.get("next", ""))]
    return confirm_page(
        request, title=_("Decline the ticked requests?"), label=_("Decline"), consequences=consequences, fields=fields,
        action=reverse("samples:merchant_bulk"), cancel=reverse("samples:merchant_inbox"),
    )


@merchant_required(can=teams.SAMPLES)
@require_POST
def merchant_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """V7: refuse within the 48 h (or agree at once); silence grants it."""
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = RefuseExtensionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sample, status=400, refuse_form=form)
    if request.POST.get("action") == "grant":
        run_action(request, partial(sample_extension_grant, sample=sample, by=request.user), _("Extension granted."))
    else:
        run_action(
            request, partial(sample_extension_refuse, sample=sample, by=request.user, reason=form.cleaned_data["reason"]),
            _("Extension refused. The original deadline stands."),
        )
    return redirect("samples:merchant_detail", pk=sample.pk)


@merchant_required(can=teams.SHIP)
@require_POST
def merchant_reship(request: HttpRequest, pk: int) -> HttpResponse:
    """V9: send the sample again with a new tracking number."""
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ReshipForm(request.POST, prefix="reship")
    if not form.is_valid():
        return _detail_page(request, sample, status=400, reship_form=form)
    # Not run_action: a refusal about a field (the same tracking number) goes back to that field.
    try:
        sample_request_reship(
            sample=sample, by=request.user, carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"], shipping_cost=form.cleaned_data.get("shipping_cost"),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return _detail_page(request, sample, status=400, reship_form=form)
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Re-shipped. A new receipt clock of %(period)s has started.") % {
            "period": msg.rule_period("sample_auto_receive")})
    return redirect("samples:merchant_detail", pk=sample.pk)
