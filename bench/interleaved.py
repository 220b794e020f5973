"""The product's sweep against the one-statement floor, measured so that the machine's mood
cannot pick the winner: the two run alternately (product first in even rounds, floor first
in odd ones), at least 3 rounds each, every run in a fresh process on the same world (the
same N rows made due, moved, and put back), and the result is the median and the range of
each and of their ratio per round. A best-of-two taken after the other's runs could not be
reproduced (issue 21); this can: `bash scripts/bench.sh --only sweeps`."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from bench.sweeps import ROOT, once, run_product_sweep, run_sql_floor

METHODS = {"product_sweep": run_product_sweep, "sql_floor": run_sql_floor}


def run_here(method: str, n: int) -> dict:
    """In the fresh process: warm up (imports, caches, a small run put back), then the measured run."""
    from config.celery import app

    app.conf.task_always_eager = False  # e-mails go through the broker, as in production
    once(METHODS[method], min(200, n))
    return once(METHODS[method], n)


def run_fresh(method: str, n: int, *, env: dict) -> dict:
    code = ("import json, sys, django; django.setup(); from bench.interleaved import run_here; "
            "print('RUN ' + json.dumps(run_here(sys.argv[1], int(sys.argv[2]))))")
    done = subprocess.run([sys.executable, "-c", code, method, str(n)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{method} N={n} failed:\n{done.stderr[-3000:]}")
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith("RUN "))
    return json.loads(line.removeprefix("RUN "))


def spread(values: list[float], digits: int = 3) -> dict:
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "runs": [round(v, digits) for v in values]}


def measure(due_sizes: list[int], *, runs: int, env: dict, log) -> dict:
    """{N: {"product_sweep": seconds spread, "sql_floor": …, "ratio": product ÷ floor per round}}."""
    if runs < 3:
        raise ValueError("at least 3 interleaved runs of each")
    out: dict = {}
    for n in due_sizes:
        seconds: dict[str, list[float]] = {m: [] for m in METHODS}
        ratios = []
        for round_ in range(runs):
            order = list(METHODS) if round_ % 2 == 0 else list(reversed(METHODS))
            got = {}
            for method in order:
                got[method] = run_fresh(method, n, env=env)
                if got[method]["moved"] != n:
                    raise RuntimeError(f"{method} moved {got[method]['moved']} of {n} rows")
                seconds[method].append(got[method]["seconds"])
            ratios.append(got["product_sweep"]["seconds"] / got["sql_floor"]["seconds"])
            log(f"  N={n} round {round_ + 1}: product {got['product_sweep']['seconds']:.3f} s, "
                f"floor {got['sql_floor']['seconds']:.3f} s, ratio {ratios[-1]:.2f}")
        out[str(n)] = {
            **{m: {"seconds": spread(v), "rows_per_s_median": round(n / statistics.median(v))} for m, v in seconds.items()},
            "ratio": spread(ratios, 2), "order": "alternating, product first in round 1", "fresh_process_each": True,
        }
        log(f"  N={n}: product/floor ratio median {out[str(n)]['ratio']['median']} "
            f"(range {out[str(n)]['ratio']['min']}–{out[str(n)]['ratio']['max']}, {runs} rounds)")
    return out
