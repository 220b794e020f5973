"""V10 Return on samples: the merchant's report per creator and product, on the page and
in CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.csv_cells import csv_writer
from core.forms import SearchForm
from core.http import page_of, search_text
from core.roles import merchant_required
from samples import charts, returns
from shops import teams


@merchant_required(can=teams.VIEW)
def merchant_returns(request: HttpRequest) -> HttpResponse:
    q = search_text(request)
    pairs = returns.sample_return_pairs(merchant=request.merchant, q=q)
    page = page_of(request, pairs)
    context = {
        "page": page,
        "rows": returns.with_sales(merchant=request.merchant, pairs=page.object_list),
        "totals": returns.sample_returns_totals(merchant=request.merchant),
        "chart": charts.returns_by_week(merchant=request.merchant),
        "q": q,
        "search_form": SearchForm(initial={"q": q}, label=_("Creator or product"), placeholder=_("Creator nickname, ID or product")),
        "querystring": urlencode({"q": q}) if q else "",
    }
    return render(request, "samples/merchant/returns.html", context)


class _Echo:
    def write(self, value):
        return value


# Column keys (stable, for programs) and their headers in the reader's language.
CSV_COLUMNS = [
    ("creator", _("Creator")), ("creator_id", _("Creator ID")), ("product", _("Product")),
    ("samples_sent", _("Samples sent")), ("sample_cost", _("Sample cost")), ("shipping_cost", _("Shipping cost")),
    ("total_cost", _("Total cost")), ("first_shipped_at", _("First shipped at")),
    ("live_orders", _("Live orders")), ("live_sales", _("Live sales")), ("video_orders", _("Video orders")),
    ("video_sales", _("Video sales")), ("flash_orders", _("Flash-sale orders")), ("flash_sales", _("Flash-sale sales")),
    ("orders", _("Orders")), ("units_sold", _("Units sold")), ("sales", _("Sales")), ("sales_per_cost", _("Sales per cost")),
]
CSV_HEADER = [key for key, _label in CSV_COLUMNS]


def _csv_line(row: returns.ReturnRow) -> list:
    ch = row.channels
    return [
        row.creator_name, row.creator_platform_id, row.product_title, row.sent, row.sample_cost, row.shipping_cost, row.cost,
        timezone.localtime(row.first_shipped).strftime("%Y-%m-%d %H:%M") if row.first_shipped else "",
        ch["live"].orders, ch["live"].amount, ch["video"].orders, ch["video"].amount, ch["flash"].orders, ch["flash"].amount,
        row.orders, row.units, row.sales, "" if row.ratio is None else row.ratio,
    ]


@merchant_required(can=teams.VIEW)
def merchant_returns_csv(request: HttpRequest) -> StreamingHttpResponse:
    """V10 in CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese)."""
    q = search_text(request)
    writer = csv_writer(_Echo())  # text cells made safe for spreadsheets (#23)
    merchant = request.merchant
    header = [str(label) for _key, label in CSV_COLUMNS]  # resolved now, in the reader's language

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in returns.sample_returns_all(merchant=merchant, q=q):
            yield writer.writerow(_csv_line(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="sample-returns-{stamp}.csv"'
    return response
