"""The platform-scale benchmark (bench/, BENCHMARKS.md) at a tiny scale: it builds its world,
runs every measurement (the sweeps four ways with a real Celery worker, the pages against
gunicorn) and writes its figures. How fast is the benchmark's business, not this test's."""

import json

import pytest
from django.core.management import call_command

from bench.pages import pages

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_bench_world_and_run_write_every_figure(tmp_path):
    call_command("bench_world", scale=0.0002, stdout=open(tmp_path / "world.log", "w"))
    out = tmp_path / "results.json"
    call_command(
        "bench_run", due="10,20", eta_requests=10, budget=10, clients=2, per_client=1, workers=1, scale="0.0002",
        out=str(out), stdout=open(tmp_path / "run.log", "w"),
    )
    results = json.loads(out.read_text())
    assert results["scale"] == "0.0002"
    assert set(results["sweep"]) == {
        "due_rows", "rows_per_s", "speedup_vs_naive", "speedup_vs_eta_tasks", "slowdown_vs_sql_floor", "slowdown_vs_sql_floor_range",
        "peak_mem_growth_ratio"}
    # the sweep against the floor: interleaved rounds, each in a fresh process, median and range
    vs_floor = results["sweeps"]["vs_floor"]["20"]
    assert len(vs_floor["ratio"]["runs"]) == 3 and vs_floor["ratio"]["min"] <= vs_floor["ratio"]["median"] <= vs_floor["ratio"]["max"]
    assert len(vs_floor["product_sweep"]["seconds"]["runs"]) == len(vs_floor["sql_floor"]["seconds"]["runs"]) == 3
    assert results["sweep"]["due_rows"] == 20 and results["sweep"]["rows_per_s"] > 0
    assert results["sweeps"]["due"]["20"]["product_sweep"]["moved"] == 20
    assert results["sweeps"]["eta_tasks"]["requests"] == 10
    assert set(results["pages"]) == {page.name for page in pages()}
    for name, page in results["pages"].items():
        assert page["queries_10"] > 0 and page["p95_ratio_vs_minimal"] > 0, name
        assert page["queries_10"] == page["queries_10000"], name  # the list pages do not grow with their rows
    assert all(plan["plan"] for plan in results["sweep_plans"])


def test_bench_run_records_a_failing_page_and_only_pages_keeps_the_sweep_figures(tmp_path):
    """`bench_run --only pages` rewrites the pages' figures and keeps the sweep's from the
    earlier run in the same file; a page that failed is named with its error, not dropped."""
    from bench.management.commands.bench_run import kept_from_earlier_run, pages_summary

    detail = {"pages": {
        "ok": {"queries_10": 9, "queries_10000": 9, "load": {"p95_ratio_vs_minimal": 2.345, "errors": 0}},
        "broken": {"queries_10": None, "queries_10000": None, "plans": [], "error": "RuntimeError: HTTP 500"},
        "timing_out": {"queries_10": 12, "queries_10000": 12, "load": {"p95_ratio_vs_minimal": None, "errors": 16,
                                                                       "first_error": "/x/: TimeoutError"}},
    }}
    summary = pages_summary({"pages_detail": detail})
    assert summary["ok"] == {"queries_10": 9, "queries_10000": 9, "p95_ratio_vs_minimal": 2.35}
    assert summary["broken"] == {"queries_10": None, "queries_10000": None, "p95_ratio_vs_minimal": None,
                                 "error": "RuntimeError: HTTP 500"}
    assert summary["timing_out"]["error"] == "/x/: TimeoutError"

    out = tmp_path / "results.json"
    out.write_text(json.dumps({"started_at": "earlier", "sweep": {"rows_per_s": 1}, "sweeps": {"due": {}}, "pages": {"old": {}},
                               "minimal_view": {"p95_ms": 1}}))
    merged = kept_from_earlier_run(out, {"started_at": "now", "sweep": None, "pages": summary, "pages_detail": detail}, "pages")
    assert merged["sweep"] == {"rows_per_s": 1} and merged["sweeps"] == {"due": {}}
    assert merged["pages"] == summary and merged["pages_measured_at"] == "now" and merged["sweeps_measured_at"] == "earlier"
    assert "minimal_view" not in merged  # the earlier run's page figures do not linger
