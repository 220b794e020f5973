"""Render the figures of a bench_run (bench/results.json) as the Markdown tables and plans of
BENCHMARKS.md: `python -m bench.report bench/results.json`."""

from __future__ import annotations

import json
import sys


def rate(run: dict) -> str:
    note = f" ({run['moved']:,} of the due rows in the {run['seconds']:.0f} s budget)" if run.get("budget_hit") else ""
    return f"{run['rows_per_s']:,.0f}{note}"


def render(r: dict) -> str:
    out = []
    m = r["machine"]
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_bytes'] / 2**30:.0f} GiB, Python {m['python']}, "
               f"PostgreSQL {m['postgresql']}; load average at the start {', '.join(f'{x:.1f}' for x in m['load_average_at_start'])} "
               f"(the machine is shared). Scale {r['scale']}; run started {r['started_at']}, took {r['seconds'] / 60:.0f} min.\n")
    if "sweeps" in r:  # absent from a results file whose sweeps were not run by bench_run (--only pages)
        out.extend(render_sweeps(r))
    else:
        out.append(f"(Sweeps: not in this run's detail; `sweep` figures: {r.get('sweep')}.)\n")
    pages = r.get("pages_detail")
    if pages:
        out.extend(render_pages(pages))
    if r.get("sweep_plans"):
        out.append("\n### EXPLAIN: the sweeps' claims\n")
        for plan in r["sweep_plans"]:
            out.append(f"**{plan['sweep']}**\n\n```\n{plan['plan']}\n```\n")
    if pages:
        out.append("### EXPLAIN: each list page's queries (at 10,000 rows)\n")
        for name, p in pages["pages"].items():
            out.append(f"<details><summary>{name}: {len(p['plans'])} queries</summary>\n")
            for plan in p["plans"]:
                out.append(f"```sql\n{plan['sql'][:600]}{'…' if len(plan['sql']) > 600 else ''}\n```\n```\n{plan['plan']}\n```\n")
            out.append("</details>\n")
    return "\n".join(out)


def render_sweeps(r: dict) -> list[str]:
    out = ["### Sweeps: S4, N requests' 48 h clocks run out at once\n"]
    out.append("The product's sweep (a) and the one-statement floor (d), interleaved, each run in a fresh process "
               "(bench.interleaved): seconds as median (range) of the rounds, and the ratio (a) ÷ (d) per round.\n")
    out.append("| N due | (a) product sweep s | (d) one-statement floor s | (a) ÷ (d) median (range) | (a) rows/s | "
               "(b) naive loop rows/s | (a) peak memory growth |")
    out.append("|---|---|---|---|---|---|---|")
    for n, row in r["sweeps"]["due"].items():
        vs = r["sweeps"]["vs_floor"][n]
        a, d, ratio = vs["product_sweep"]["seconds"], vs["sql_floor"]["seconds"], vs["ratio"]
        out.append(f"| {int(n):,} | {a['median']} ({a['min']}–{a['max']}) | {d['median']} ({d['min']}–{d['max']}) "
                   f"| {ratio['median']}× ({ratio['min']}–{ratio['max']}, {len(ratio['runs'])} rounds) "
                   f"| {rate(row['product_sweep'])} | {rate(row['naive_loop'])} | {row['product_sweep']['peak_mem_bytes'] / 2**20:.1f} MiB |")
    eta = r["sweeps"].get("eta_tasks")
    if eta:
        out.append(f"\n(c) one Celery task per request with an ETA at its deadline, {eta['requests']:,} requests, a real worker "
                   f"(2 processes) and Redis: {rate(eta)} rows/s once the deadline came; handing the tasks over took "
                   f"{eta['enqueue_seconds']:.1f} s; the worker held {eta['worker_mem_idle_bytes'] / 2**20:.0f} MiB idle and "
                   f"{eta['worker_mem_waiting_bytes'] / 2**20:.0f} MiB with the tasks waiting: "
                   f"{eta['worker_bytes_per_waiting_request'] / 1024:.1f} KiB per waiting request.\n")
    s = r["sweep"]
    out.append("Ratios at the largest N (results.json `sweep`):\n")
    out.append("| figure | value | target |")
    out.append("|---|---|---|")
    out.append(f"| (a) rows/s | {s['rows_per_s']:,} | |")
    out.append(f"| (a) ÷ (b) naive loop | {s['speedup_vs_naive']}× | ≥ 10× |")
    out.append(f"| (a) ÷ (c) ETA tasks | {s['speedup_vs_eta_tasks']}× | ≥ 10× |")
    ratios = ", ".join(f"{int(n):,}: {v}×" for n, v in s["slowdown_vs_sql_floor"].items())
    out.append(f"| (a) ÷ (d) one-statement floor, interleaved medians | {ratios} | ≤ 1.25× |")
    out.append(f"| peak memory, largest N ÷ smallest N | {s['peak_mem_growth_ratio']}× | < 1.2× |")
    return out


def render_pages(pages: dict) -> list[str]:
    out = []
    mn = pages["minimal"]
    out.append("\n### List pages on the big world (16 concurrent clients against gunicorn)\n")
    out.append(f"One-query view in the same run: p50 {mn['p50_ms']:.0f} ms, p95 {mn['p95_ms']:.0f} ms, {mn['per_s']:.0f} requests/s "
               f"(again after the pages: p95 {pages['minimal_after']['p95_ms']:.0f} ms).\n")
    out.append("| page | queries at 10 rows | at 10,000 | HTML at 10 / 10,000 | p50 ms | p95 ms | requests/s | p95 ÷ minimal | load avg "
               "| big tables read by a sequential scan |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for name, p in pages["pages"].items():
        seq = sorted({t for plan in p["plans"] for t in plan["seq_scans_of_big_tables"]})
        load = p.get("load", {})
        html = f"{p['html_bytes_10'] / 1024:.0f} / {p['html_bytes_10000'] / 1024:.0f} KB" if p.get("html_bytes_10") else p.get("error", "")
        out.append(f"| {name} | {p['queries_10']} | {p['queries_10000']} | {html} | {load.get('p50_ms') or 0:.0f} | "
                   f"{load.get('p95_ms') or 0:.0f} | {load.get('per_s') or 0:.1f} | {load.get('p95_ratio_vs_minimal') or 0:.1f}× | "
                   f"{load.get('load_average') or 0:.1f} | {', '.join(seq) or 'none'} |")
    return out


if __name__ == "__main__":
    print(render(json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json"))))
