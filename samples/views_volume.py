"""HTTP of samples at volume: extension (V7), not arrived (V9), return on samples (V10)."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import error_text, page_of, run_action
from core.roles import creator_required, merchant_required
from samples import selectors, selectors_volume, services_volume, views
from samples.forms_volume import ExtensionForm, NotArrivedForm, RefuseExtensionForm, ReshipForm

# ---------------------------------------------------------------------------------------
# Creator


@creator_required
@require_POST
def creator_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """V7: ask once for more time, with a reason."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return views.creator_detail(request, pk, status=400, extension_form=form)
    try:
        extension = services_volume.sample_extension_request(sample=sample, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Extension asked for. The merchant may refuse it until %(deadline)s; otherwise it is granted.") % {
            "deadline": timezone.localtime(extension.refuse_by).strftime("%Y-%m-%d %H:%M")})
    return redirect("samples:creator_detail", pk=sample.pk)


@creator_required
@require_POST
def creator_not_arrived(request: HttpRequest, pk: int) -> HttpResponse:
    """V9: report the parcel as not arrived before the automatic receipt."""
    sample = selectors.get_sample_request_for_creator_or_404(creator=request.creator, pk=pk)
    form = NotArrivedForm(request.POST)
    if not form.is_valid():
        return views.creator_detail(request, pk, status=400, not_arrived_form=form)
    run_action(request, lambda: services_volume.sample_request_report_not_arrived(sample=sample, by=request.user, note=form.cleaned_data["note"]), _("Reported as not arrived. The request is on hold until the merchant re-ships it or the platform decides."))
    return redirect("samples:creator_detail", pk=sample.pk)


# ---------------------------------------------------------------------------------------
# Merchant


@merchant_required
@require_POST
def merchant_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """V7: refuse within the 48 h (or agree at once); silence grants it."""
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = RefuseExtensionForm(request.POST)
    if not form.is_valid():
        return views.merchant_detail(request, pk, status=400, refuse_form=form)
    try:
        if request.POST.get("action") == "grant":
            services_volume.sample_extension_grant(sample=sample, by=request.user)
            messages.success(request, _("Extension granted."))
        else:
            services_volume.sample_extension_refuse(sample=sample, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Extension refused. The original deadline stands."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("samples:merchant_detail", pk=sample.pk)


@merchant_required
@require_POST
def merchant_reship(request: HttpRequest, pk: int) -> HttpResponse:
    """V9: send the sample again with a new tracking number."""
    sample = selectors.get_sample_request_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = ReshipForm(request.POST, prefix="reship")
    if not form.is_valid():
        return views.merchant_detail(request, pk, status=400, reship_form=form)
    try:
        services_volume.sample_request_reship(
            sample=sample, by=request.user, carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"], shipping_cost=form.cleaned_data.get("shipping_cost"),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return views.merchant_detail(request, pk, status=400, reship_form=form)
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Re-shipped. A new 168-hour receipt clock has started."))
    return redirect("samples:merchant_detail", pk=sample.pk)


# ---------------------------------------------------------------------------------------
# V10: return on samples


@merchant_required
def merchant_returns(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    pairs = selectors_volume.sample_return_pairs(merchant=request.merchant, q=q)
    page = page_of(request, pairs)
    context = {
        "page": page,
        "rows": selectors_volume.with_sales(merchant=request.merchant, pairs=page.object_list),
        "totals": selectors_volume.sample_returns_totals(merchant=request.merchant),
        "q": q,
        "querystring": urlencode({"q": q}) if q else "",
    }
    return render(request, "samples/merchant/returns.html", context)


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = [
    "creator", "creator_id", "product", "samples_sent", "sample_cost", "shipping_cost", "total_cost", "first_shipped_at",
    "live_orders", "live_sales", "video_orders", "video_sales", "flash_orders", "flash_sales",
    "orders", "units_sold", "sales", "sales_per_cost",
]


def _csv_line(row: selectors_volume.ReturnRow) -> list:
    ch = row.channels
    return [
        row.creator_name, row.creator_platform_id, row.product_title, row.sent, row.sample_cost, row.shipping_cost, row.cost,
        timezone.localtime(row.first_shipped).strftime("%Y-%m-%d %H:%M") if row.first_shipped else "",
        ch["live"].orders, ch["live"].amount, ch["video"].orders, ch["video"].amount, ch["flash"].orders, ch["flash"].amount,
        row.orders, row.units, row.sales, "" if row.ratio is None else row.ratio,
    ]


@merchant_required
def merchant_returns_csv(request: HttpRequest) -> StreamingHttpResponse:
    """V10 in CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese)."""
    q = request.GET.get("q", "")[:100]
    writer = csv.writer(_Echo())
    merchant = request.merchant

    def lines():
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for row in selectors_volume.sample_returns_all(merchant=merchant, q=q):
            yield writer.writerow(_csv_line(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="sample-returns-{stamp}.csv"'
    return response
