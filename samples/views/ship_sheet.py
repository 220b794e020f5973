"""批量发货 (issue 24): the merchant downloads the approved requests as a template (.xlsx or
CSV), fills in carriers and tracking numbers, uploads it; each row ships through the ship
form's service. The result page lists each row, and the refused rows come back as a file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import error_text, page_of
from core.roles import merchant_required
from core.sheets import csv_text, download, xlsx_bytes
from samples import selectors
from samples.forms import ShipSheetForm
from samples.models import Carrier
from samples.services import ship_sheet
from shops import teams

RESULT_PAGE_SIZE = 100
WIDTHS = [10, 30, 16, 48, 18, 22]


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _xlsx(header: list[str], rows: list[list], *, widths=WIDTHS) -> bytes:
    carrier_column = [key for key, _label in ship_sheet.COLUMNS].index("carrier")
    tracking_column = carrier_column + 1
    return xlsx_bytes(
        title=_("Ship samples"), header=header, rows=rows, widths=widths, text_columns=[tracking_column],
        choices={carrier_column: [str(label) for _code, label in Carrier.choices]},
    )


@merchant_required(can=teams.SHIP)
def merchant_ship_sheet(request: HttpRequest) -> HttpResponse:
    """The page: download the template, upload it filled in; earlier uploads listed."""
    form = ShipSheetForm()
    status = 200
    if request.method == "POST":
        form = ShipSheetForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                upload = ship_sheet.ship_sheet_upload(
                    merchant=request.merchant, by=request.user, rows=data["rows"], kind=data["kind"],
                    file_name=getattr(data["file"], "name", ""), key=data.get("submission"),
                )
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                return redirect("samples:merchant_ship_sheet_result", pk=upload.pk)
        status = 400
    context = {
        "form": form,
        "to_ship": selectors.merchant_sample_counts(merchant=request.merchant).get("approved", 0),
        "max_rows": ship_sheet.max_rows(),
        "carriers": Carrier.choices,
        "recent": selectors.ship_sheets_for_merchant(merchant=request.merchant)[:10],
        "tab": "inbox",
    }
    return render(request, "samples/merchant/ship_sheet.html", context, status=status)


def _template_rows(merchant) -> list[list]:
    return [ship_sheet.template_row(s) for s in selectors.requests_to_ship(merchant=merchant, limit=ship_sheet.max_rows())]


def _refused_rows(upload, merchant) -> list[list]:
    """The refused rows of an upload as template rows (what the merchant typed kept), with
    the reason in a last column: to fix and upload again."""
    refused = [r for r in upload.rows if r["outcome"] == ship_sheet.REFUSED]
    found = selectors.requests_by_id_for_merchant(merchant=merchant, ids={r["id"] for r in refused if r["id"]})
    out = []
    for r in refused:
        sample = found.get(r["id"])
        if sample is not None:
            row = ship_sheet.template_row(sample, carrier=r["carrier"], tracking_number=r["tracking_number"])
        else:
            row = [r["raw_id"], "", "", "", r["carrier"], r["tracking_number"]]
        out.append([*row, r["reason"]])
    return out


@merchant_required(can=teams.SHIP)
def merchant_ship_sheet_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _template_rows(request.merchant)
    return download(_xlsx(ship_sheet.header(), rows), filename=f"ship-samples-{_stamp()}.xlsx", kind="xlsx")


@merchant_required(can=teams.SHIP)
def merchant_ship_sheet_csv(request: HttpRequest) -> HttpResponse:
    rows = _template_rows(request.merchant)
    return download(csv_text(header=ship_sheet.header(), rows=rows), filename=f"ship-samples-{_stamp()}.csv", kind="csv")


@merchant_required(can=teams.SHIP)
def merchant_ship_sheet_result(request: HttpRequest, pk: int) -> HttpResponse:
    upload = selectors.get_ship_sheet_for_merchant_or_404(merchant=request.merchant, pk=pk)
    # Refused rows first (what needs the merchant), then skipped, then shipped; each in file order.
    order = {ship_sheet.REFUSED: 0, ship_sheet.SKIPPED: 1, ship_sheet.SHIPPED: 2}
    rows = sorted(upload.rows, key=lambda r: (order.get(r["outcome"], 3), r["line"]))
    for row in rows:
        row["label"] = ship_sheet.OUTCOME_LABELS.get(row["outcome"], "")
    context = {"upload": upload, "page": page_of(request, rows, size=RESULT_PAGE_SIZE), "tab": "inbox"}
    return render(request, "samples/merchant/ship_sheet_result.html", context)


@merchant_required(can=teams.SHIP)
def merchant_ship_sheet_refused(request: HttpRequest, pk: int) -> HttpResponse:
    upload = selectors.get_ship_sheet_for_merchant_or_404(merchant=request.merchant, pk=pk)
    if not upload.refused:
        messages.info(request, _("No row of this file was refused."))
        return redirect("samples:merchant_ship_sheet_result", pk=upload.pk)
    content = _xlsx([*ship_sheet.header(), str(ship_sheet.REASON_COLUMN)], _refused_rows(upload, request.merchant), widths=[*WIDTHS, 60])
    return download(content, filename=f"ship-samples-refused-{upload.pk}.xlsx", kind="xlsx")
