"""Run the benchmark on the world bench_world built; write bench/results.json (or --out)."""

import json
import os
import platform
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from bench import pages, sweeps
from config.celery import app

ROOT = Path(__file__).resolve().parents[3]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_bytes": mem, "python": platform.python_version(), "postgresql": pg,
            "load_average_at_start": os.getloadavg()}


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def sweep_plans() -> list[dict]:
    """EXPLAIN of each sweep's batch claim (S4 and the other clocks): each reads its partial index."""
    from core.clocks import all_clocks

    now = timezone.now()
    out = []
    # every swept clock of the sample requests, its due query as its sweep runs it (core.clocks)
    for name, qs, key in ((f"{c.rule} {c.key}", c.due(now), c.deadline) for c in all_clocks()
                          if c.transition and c.model_label == "samples.SampleRequest"):
        with transaction.atomic(), connection.cursor() as cursor:
            sql, params = _claim_sql(qs, key)
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        out.append({"sweep": name, "plan": plan, "seq_scans_of_big_tables": sorted(
            t for t in pages.BIG_TABLES if f"Seq Scan on {t}" in plan)})
    return out


def _claim_sql(qs, key: str):
    """The SQL of a batch's claim: the ids, states and deadlines of the next 1,000 due rows,
    locked with SKIP LOCKED (core.fsm_sql's `claimed`, samples.services.sweeps._claim's first step)."""
    return qs.select_for_update(skip_locked=True, of=("self",)).values_list("pk", "state", key)[:1000].query.sql_with_params()


class Command(BaseCommand):
    help = "Measure the sweeps (product / naive / ETA tasks / SQL floor) and the list pages on the big world."

    def add_arguments(self, parser):
        parser.add_argument("--due", default="10000,100000", help="due-row counts, comma-separated")
        parser.add_argument("--eta-requests", type=int, default=20000)
        parser.add_argument("--runs", type=int, default=3, help="interleaved runs of the sweep and of the floor (at least 3)")
        parser.add_argument("--budget", type=float, default=120.0, help="seconds a slow method may run before it is cut off")
        parser.add_argument("--clients", type=int, default=16)
        parser.add_argument("--per-client", type=int, default=20, help="requests per client per page")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--scale", default="", help="the world's scale, recorded in the results")
        parser.add_argument("--skip-pages", action="store_true")
        parser.add_argument("--only", choices=["sweeps", "pages"], default="",
                            help="measure one phase only (the other's figures are absent from the results)")
        parser.add_argument("--pages", default="", help="with --only pages: these pages only, comma-separated names")
        parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))

    def handle(self, *args, due, eta_requests, runs, budget, clients, per_client, workers, scale, skip_pages, only, pages, out, **options):
        # The web server and the worker use this very database and broker.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": database_url(),
               "CELERY_BROKER_URL": app.conf.broker_url, "PYTHONPATH": str(ROOT)}
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False  # e-mails go through the broker, as in production
        try:
            self.run(env=env, due=due, eta_requests=eta_requests, runs=runs, budget=budget, clients=clients, per_client=per_client,
                     workers=workers, scale=scale, skip_pages=skip_pages or only == "sweeps", only=only,
                     page_names=[p for p in pages.split(",") if p], out=out)
        finally:
            app.conf.task_always_eager = eager

    def run(self, *, env, due, eta_requests, runs, budget, clients, per_client, workers, scale, skip_pages, only, page_names, out):
        log = self.stdout.write
        started = time.perf_counter()
        report = {"scale": scale or None, "machine": machine(), "started_at": timezone.now().isoformat()}
        due_sizes = [int(n) for n in due.split(",") if n]
        if only != "pages":
            log("sweeps:")
            report["sweeps"] = sweeps.measure(due_sizes, eta_requests=eta_requests, budget=budget, env=env, log=log, runs=runs)
            report["sweep_plans"] = sweep_plans()
        if not skip_pages:
            log("pages:")
            report["pages_detail"] = pages.measure(env=env, clients=clients, per_client=per_client, workers=workers, log=log,
                                                   names=page_names)
        report["seconds"] = time.perf_counter() - started
        report.update(summary(report, due_sizes))
        if only:
            report = kept_from_earlier_run(Path(out), report, only)
        Path(out).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
        log(f"written {out} in {report['seconds']:.0f} s")
        log(json.dumps({"sweep": report["sweep"], "pages": report["pages"]}, indent=2))


def kept_from_earlier_run(path: Path, report: dict, only: str) -> dict:
    """With --only, the other phase's figures stay as the earlier run in `path` wrote them
    (its start is recorded as `<phase>_measured_at`)."""
    try:
        earlier = json.loads(path.read_text())
    except (OSError, ValueError):
        return report
    mine = {"sweeps": ("sweeps", "sweep_plans", "sweep"), "pages": ("pages_detail", "pages")}
    # the page figures of the hand-assembled results of 2026-11-30 (superseded by any pages run)
    stale = {"pages": ("minimal_view", "seq_scans_of_big_tables_at_10000"), "sweeps": ()}
    other = "sweeps" if only == "pages" else "pages"
    earlier = {k: v for k, v in earlier.items() if k not in mine[only] and k not in stale[only]}
    merged = {**earlier, **{k: v for k, v in report.items() if k not in mine[other]}}
    merged[f"{other}_measured_at"] = earlier.get(f"{other}_measured_at") or earlier.get("started_at")
    merged[f"{only}_measured_at"] = report["started_at"]
    if earlier.get("source"):
        merged["source"] = f"{earlier['source']} [{only}: replaced by `bench_run --only {only}` of {report['started_at']}]"
    return merged


def summary(report: dict, due_sizes: list[int]) -> dict:
    """The figures the issue asks for, at the largest due size (a phase not run: absent)."""
    return {"sweep": sweep_summary(report, due_sizes) if "sweeps" in report else None, "pages": pages_summary(report)}


def sweep_summary(report: dict, due_sizes: list[int]) -> dict:
    runs = report["sweeps"]["due"]
    top, low = str(max(due_sizes)), str(min(due_sizes))
    product = runs[top]["product_sweep"]
    eta = report["sweeps"].get("eta_tasks")
    sweep = {
        "due_rows": int(top),
        "rows_per_s": round(product["rows_per_s"]),
        "speedup_vs_naive": round(product["rows_per_s"] / runs[top]["naive_loop"]["rows_per_s"], 1),
        "speedup_vs_eta_tasks": round(product["rows_per_s"] / eta["rows_per_s"], 1) if eta and eta["rows_per_s"] else None,
        # product ÷ floor time, the median of interleaved rounds (bench.interleaved), at each size
        "slowdown_vs_sql_floor": {n: v["ratio"]["median"] for n, v in report["sweeps"]["vs_floor"].items()},
        "slowdown_vs_sql_floor_range": {n: [v["ratio"]["min"], v["ratio"]["max"]] for n, v in report["sweeps"]["vs_floor"].items()},
        "peak_mem_growth_ratio": round(product["peak_mem_bytes"] / max(1, runs[low]["product_sweep"]["peak_mem_bytes"]), 2),
    }
    return sweep


def pages_summary(report: dict) -> dict:
    """pages.<page>.{queries_10, queries_10000, p95_ratio_vs_minimal}; a page that failed
    keeps its name with None where no figure was taken, and its error."""
    pages_out = {}
    for name, page in report.get("pages_detail", {}).get("pages", {}).items():
        ratio = (page.get("load") or {}).get("p95_ratio_vs_minimal")
        pages_out[name] = {"queries_10": page.get("queries_10"), "queries_10000": page.get("queries_10000"),
                           "p95_ratio_vs_minimal": round(ratio, 2) if ratio else None}
        if page.get("error") or (page.get("load") or {}).get("errors"):
            pages_out[name]["error"] = page.get("error") or page["load"].get("first_error")
    return pages_out


