"""批量发货 (issue 24): 2,000 approved requests shipped from one uploaded .xlsx through the
whole HTTP path (login session, the upload form reading the file, each row through
sample_request_ship with its transition record and notification, the result record), then
the same file again (every row already shipped), then 2,000 rows in one API call. Each
measurement is repeated on a fresh set of requests; median and range are printed.

Run: BENCH_SCRIPT=bench_ship_sheet.py bash scripts/bench.sh [--rows 2000] [--runs 3]"""

import argparse
import io
import json
import os
import statistics
import time

import django

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django_fsm_log.models import StateLog  # noqa: E402

from api.keys import api_key_create  # noqa: E402
from bench.ship_world import approved_requests, tracking_numbers  # noqa: E402
from samples.models import SampleRequest, ShipSheetUpload  # noqa: E402


def filled_template(client: Client, n: int, start: int) -> bytes:
    """The merchant's template as the page serves it, with a carrier and number in every row."""
    response = client.get("/merchant/samples/ship-sheet/template.xlsx")
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(min_row=2, max_row=n + 1))
    for row, number in zip(rows, tracking_numbers(n, start), strict=True):
        row[4].value, row[5].value = "顺丰速运", number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def summary(label: str, seconds: list[float], rows: int) -> dict:
    med = statistics.median(seconds)
    print(f"{label}: median {med:.1f} s (range {min(seconds):.1f}–{max(seconds):.1f} s, {len(seconds)} runs), "
          f"{rows / med:,.0f} rows/s")
    return {"label": label, "median_s": round(med, 2), "min_s": round(min(seconds), 2), "max_s": round(max(seconds), 2),
            "runs": len(seconds), "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile the first upload; print where its time went")
    args = ap.parse_args()
    n = args.rows
    print(f"load average at start: {os.getloadavg()}")
    upload_s, again_s, api_s = [], [], []
    for run in range(args.runs):
        world = approved_requests(n, tag="b")
        client = Client()
        client.force_login(world.merchant.user)
        data = filled_template(client, n, start=run * n)
        logs_before = StateLog.objects.filter(transition="ship").count()

        def post(data=data, client=client):
            return client.post("/merchant/samples/ship-sheet/", {"file": SimpleUploadedFile("ship.xlsx", data)})

        if args.profile and run == 0:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            seconds, response = timed(lambda: profiler.runcall(post))
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        else:
            seconds, response = timed(post)
        assert response.status_code == 302, response.content[:500]
        sheet = ShipSheetUpload.objects.latest("id")
        assert sheet.shipped == n, (sheet.shipped, sheet.skipped, sheet.refused)
        assert StateLog.objects.filter(transition="ship").count() - logs_before == n  # the per-row audit
        upload_s.append(seconds)
        print(f"run {run + 1}: upload of {n} rows {seconds:.1f} s")

        seconds, response = timed(post)  # the same file again: nothing ships twice
        assert ShipSheetUpload.objects.latest("id").skipped == n
        again_s.append(seconds)

        api_world = approved_requests(n, merchant=world.merchant, tag="a")
        _key, secret = api_key_create(owner=world.merchant.user, name=f"bench{run}", scopes=["read", "samples"], days=30)
        body = {"rows": [{"id": s.pk, "carrier": "sf", "tracking_number": t}
                         for s, t in zip(api_world.requests, tracking_numbers(n, start=10_000_000 + run * n), strict=True)]}

        def call(body=body, secret=secret, run=run):
            return Client().post("/api/v1/merchant/sample-requests/ship-bulk/", json.dumps(body), content_type="application/json",
                                 headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"bench-{run}"})

        seconds, response = timed(call)
        assert response.status_code == 200 and response.json()["shipped"] == n, response.content[:500]
        api_s.append(seconds)
    print()
    results = [
        summary(f"upload .xlsx, {n} rows shipped (web form, per-row transition record)", upload_s, n),
        summary(f"the same file again, {n} rows already shipped", again_s, n),
        summary(f"API ship-bulk, {n} rows in one call", api_s, n),
    ]
    print(json.dumps({"ship_sheet": results, "load_average_at_end": os.getloadavg(),
                      "shipped_total": SampleRequest.objects.filter(state="shipped").count()}))


if __name__ == "__main__":
    main()
