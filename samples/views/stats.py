"""The merchant's samples statistics (数据): the sample funnel and the fulfilment rate per
week, drawn on the server (samples.charts) with their numbers beside them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.roles import merchant_required
from samples import charts
from shops import teams


@merchant_required(can=teams.VIEW)
def merchant_stats(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant
    context = {
        "charts": [charts.sample_funnel(merchant=merchant), charts.fulfilment_rate_by_week(merchant=merchant)],
        "tab": "stats",
    }
    return render(request, "samples/merchant/stats.html", context)
