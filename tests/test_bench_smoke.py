"""The platform-scale benchmark (bench/, BENCHMARKS.md) at a tiny scale: it builds its world,
runs every measurement (the sweeps four ways with a real Celery worker, the pages against
gunicorn) and writes its figures. How fast is the benchmark's business, not this test's."""

import json

import pytest
from django.core.management import call_command

from bench.pages import pages

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


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
        "due_rows", "rows_per_s", "speedup_vs_naive", "speedup_vs_eta_tasks", "slowdown_vs_sql_floor", "peak_mem_growth_ratio"}
    assert results["sweep"]["due_rows"] == 20 and results["sweep"]["rows_per_s"] > 0
    assert results["sweeps"]["due"]["20"]["product_sweep"]["moved"] == 20
    assert results["sweeps"]["eta_tasks"]["requests"] == 10
    assert set(results["pages"]) == {page.name for page in pages()}
    for name, page in results["pages"].items():
        assert page["queries_10"] > 0 and page["p95_ratio_vs_minimal"] > 0, name
        assert page["queries_10"] == page["queries_10000"], name  # the list pages do not grow with their rows
    assert all(plan["plan"] for plan in results["sweep_plans"])
